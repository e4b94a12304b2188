"""Attachments on the report form: cleaned at once, kept between the form's steps.

A browser cannot re-fill a file input, so when the form comes back (an error to fix, or
the check step before submitting) the files already accepted are kept on the server in a
staging folder, already cleaned (type sniffed, metadata stripped by ``clean_upload``),
and the form carries signed references to them. Only the person who uploaded a staged
file can use its reference.
"""
from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from lapor.reports.attachments import CleanFile, clean_upload

SALT = "lapor.portal.staged-upload"
STAGING = "staging"
# A staged file's reference holds a day (``staged_from_tokens``); after that nobody can use
# the file, which may be a face an officer unticked or a confidential report's photo, and
# the background pass removes it (``discard_abandoned``).
STAGED_FOR = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Staged:
    token: str  # signed reference, sent back with the form
    name: str
    size: int


def take(request, *, staged_field: str, files_field: str) -> tuple[list[Staged], list[str]]:
    """(files kept so far, what was wrong) for a form posting new files in ``files_field``
    and the references of those accepted before in ``staged_field``: new files are
    cleaned and staged at once, up to ``LAPOR_MAX_ATTACHMENTS`` in all."""
    from django.conf import settings
    from django.utils.translation import ngettext

    tokens = list(dict.fromkeys(request.POST.getlist(staged_field)))  # a file ticked twice is one file
    kept = [staged for staged, _clean in staged_from_tokens(tokens, user=request.user)]
    new_files = request.FILES.getlist(files_field)
    errors = []
    limit = settings.LAPOR_MAX_ATTACHMENTS
    if len(kept) + len(new_files) > limit:
        errors.append(ngettext("Paling banyak %(n)d lampiran.", "Paling banyak %(n)d lampiran.", limit) % {"n": limit})
        new_files = new_files[: max(0, limit - len(kept))]
    staged, refused = accept_uploads(new_files, user=request.user)
    return kept + staged, errors + refused


def accept_uploads(files, *, user) -> tuple[list[Staged], list[str]]:
    """Clean each uploaded file and stage the good ones; errors are listed per file."""
    staged, errors = [], []
    for uploaded in files:
        try:
            clean = clean_upload(uploaded)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        staged.append(_stage(clean, user=user))
    return staged, errors


def _stage(clean: CleanFile, *, user) -> Staged:
    path = default_storage.save(f"{STAGING}/{secrets.token_hex(16)}.{clean.extension}", ContentFile(clean.content))
    token = signing.dumps(
        {"p": path, "n": clean.original_name, "t": clean.content_type, "u": user.pk}, salt=SALT, compress=True
    )
    return Staged(token=token, name=clean.original_name, size=len(clean.content))


def staged_from_tokens(tokens, *, user) -> list[tuple[Staged, CleanFile]]:
    """The staged files these references point to; forged, foreign, expired or missing
    ones are skipped silently (the form shows what is really kept)."""
    found = []
    for token in tokens:
        try:
            data = signing.loads(token, salt=SALT, max_age=STAGED_FOR)
        except signing.BadSignature:
            continue
        path = data.get("p", "")
        if data.get("u") != user.pk or not path.startswith(f"{STAGING}/") or not default_storage.exists(path):
            continue
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
        extension = path.rsplit(".", 1)[-1]
        clean = CleanFile(content, data["t"], extension, data["n"], hashlib.sha256(content).hexdigest())
        found.append((Staged(token=token, name=data["n"], size=len(content)), clean))
    return found


def discard(tokens) -> None:
    """Remove staged files once they are stored on a report."""
    for token in tokens:
        try:
            path = signing.loads(token, salt=SALT)["p"]
        except (signing.BadSignature, KeyError):
            continue
        if path.startswith(f"{STAGING}/"):
            default_storage.delete(path)


def discard_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Remove staged files older than their references can be used (forms left, files
    unticked): run by the background pass. Returns how many went."""
    from django.utils import timezone

    now = now or timezone.now()
    try:
        _dirs, names = default_storage.listdir(STAGING)
    except FileNotFoundError:
        return 0
    gone = 0
    for name in names:
        path = f"{STAGING}/{name}"
        try:
            if default_storage.get_modified_time(path) < now - STAGED_FOR:
                default_storage.delete(path)
                gone += 1
        except FileNotFoundError:  # removed meanwhile (submitted)
            continue
    return gone
