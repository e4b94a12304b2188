"""Submitting a report through the API, made safe to retry (SPEC §7).

The edge still calls one lifecycle service (``report_submit``) and stores attachments
through ``lapor.reports.attachments``; what this module adds is the once-only guarantee:
an ``Idempotency-Key`` (per user) or a connected system's ``external_id`` (per system) is
claimed by inserting a row under a unique constraint *in the same transaction* as the
report. A concurrent copy of the request blocks on that index until the first commits,
then fails to insert and answers with the first one's report.
"""
from __future__ import annotations

import contextlib
import datetime
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.api.models import ExternalReference, IdempotencyKey
from lapor.reports import references, services
from lapor.reports.attachments import attachment_store
from lapor.reports.enums import Channel
from lapor.reports.models import Report


# How long a key is remembered: a retry comes within minutes or hours. The row pairs the
# account with its report, an anonymous one too, so it is not kept for good (SPEC §5).
IDEMPOTENCY_KEY_KEPT = datetime.timedelta(days=1)


def forget_idempotency_keys(*, now: datetime.datetime | None = None) -> int:
    """Delete keys older than ``IDEMPOTENCY_KEY_KEPT`` (the background pass); returns how many."""
    now = now or timezone.now()
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=now - IDEMPOTENCY_KEY_KEPT).delete()
    return deleted


def request_fingerprint(data: dict) -> str:
    plain = {k: (str(v.pk) if hasattr(v, "pk") else str(v)) for k, v in data.items() if k != "attachments"}
    plain["attachments"] = [(f.original_name, f.sha256) for f in data.get("attachments", [])]
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


def submit_via_api(*, user, data: dict, idempotency_key: str = "") -> tuple[Report, bool]:
    """File a report for ``user`` from validated API input (its ``attachments`` already
    cleaned by the serializer). Returns (report, created).

    Side effects: one report (channel ``api``) with its submit event and attachments, an
    ``IdempotencyKey`` row when a key was given, an ``ExternalReference`` when
    ``external_id`` was. A repeat of either returns the existing report, created=False.
    A key reused with a different request raises ValidationError.
    """
    data = dict(data)
    cleaned = data.pop("attachments", [])
    external_id = data.pop("external_id", "") or ""
    fingerprint = request_fingerprint({**data, "external_id": external_id, "attachments": cleaned})
    now = timezone.now()
    # Claims and attachments are written with the report in one transaction; a plain
    # submit is the service's own transaction (one savepoint fewer on the common path).
    together = transaction.atomic() if (idempotency_key or external_id or cleaned) else contextlib.nullcontext()
    with together:
        claims = []
        if idempotency_key:
            claim, earlier = _claim(IdempotencyKey, user=user, key=idempotency_key, request_hash=fingerprint,
                                    created_at=now)
            if earlier is not None:
                if earlier.request_hash != fingerprint:
                    raise ValidationError({"idempotency_key": _(
                        "Kunci Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru."
                    )})
                return earlier.report, False
            claims.append(claim)
        if external_id:
            claim, earlier = _claim(ExternalReference, system=user, external_id=external_id, created_at=now)
            if earlier is not None:
                for other in claims:
                    other.report = earlier.report
                    other.save(update_fields=["report"])
                return earlier.report, False
            claims.append(claim)
        report = services.report_submit(reporter=user, channel=Channel.API, limited_by=user, now=now, **data)
        stored = [attachment_store(report=report, clean=clean, by=user, now=now) for clean in cleaned]
        # The answer lists the files from memory, as it does the history (lapor/api/views.py).
        references.keep_related(report, attachments=stored)
        for claim in claims:
            claim.report = report
            claim.save(update_fields=["report"])
    return report, True


def claim_key(*, user, key: str, request_hash: str, now=None):
    """Claim ``key`` for ``user`` (an ``IdempotencyKey``) inside the caller's transaction:
    (the new claim, None), or (None, the earlier claim) when the key was sent before. The
    website's report form claims its form key so (lapor/portal/views/submit.py)."""
    return _claim(IdempotencyKey, user=user, key=key, request_hash=request_hash, created_at=now or timezone.now())


def _claim(model, *, created_at, request_hash=None, **unique):
    """Insert the claim row, or return (None, the earlier row) when it exists. On
    PostgreSQL a concurrent claim of the same key waits here until the first transaction
    commits (then fails) or rolls back (then succeeds)."""
    values = dict(unique, created_at=created_at)
    if request_hash is not None:
        values["request_hash"] = request_hash
    try:
        with transaction.atomic():
            return model.objects.create(**values), None
    except IntegrityError:
        return None, model.objects.select_related("report").get(**unique)
