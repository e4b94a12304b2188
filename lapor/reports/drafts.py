"""The unit's answer, drafted by its liaison officer and approved by its admin (SPEC §2:
"Pejabat Penghubung drafts the unit's answer; Admin Unit Kerja uploads it").

- An officer of the handling unit writes a draft (text, photos or PDFs): ``draft_answer``.
  The unit's admins are told; the reporter and the public learn nothing of it.
- An admin of that unit (or of the agency above it) approves it, editing the text if need
  be: ``draft_approve``. It becomes the follow-up (``services.report_answer``), signed by
  the approver, with the officer recorded as its drafter; the reporter is told as for any
  answer.
- Or the admin sends it back with what to change: ``draft_return``. The officer is told,
  revises the same draft and submits it again.

One open draft per report. The working-day clock does not stop while a draft waits: the
unit has answered when the citizen can read the answer. A draft written for a unit that
no longer handles the report (it was transferred or disposed elsewhere) is withdrawn
when someone drafts again, and cannot be approved.

Every function here is one transaction and writes one internal history entry (or, on
approval, the public answer), so the draft's story is in the report's history for staff.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.reports import services
from lapor.reports.attachments import CleanFile
from lapor.reports.enums import Action
from lapor.reports.errors import DraftNotPending
from lapor.reports.models import AnswerDraft, AnswerDraftFile, Attachment, FollowUp, Report


def open_draft(report: Report) -> AnswerDraft | None:
    """The report's draft still in the works (waiting for approval, or sent back), if any."""
    return (AnswerDraft.objects.filter(report=report, state__in=AnswerDraft.State.open())
            .select_related("author", "reviewed_by", "agency").first())


@transaction.atomic
def draft_answer(
    *, report: Report, by, body: str, files: list[CleanFile] = (), drop: list[int] = (),
    now: datetime.datetime | None = None,
) -> AnswerDraft:
    """Submit (or resubmit, revised) the unit's draft answer for approval.

    Side effects: the open draft is created or updated (text replaced, the files ``drop``
    names removed, ``files`` added); an internal history entry; the unit's admins are told
    there is a draft to approve."""
    now = now or timezone.now()
    report = services._lock(report)
    role = services._authorize(report, Action.DRAFT_ANSWER, by)
    body = services._required(body, "body", gettext_lazy("Tuliskan draf tindak lanjut."))
    draft = _open_for_update(report)
    if draft is not None and draft.agency_id != report.assigned_agency_id:
        _withdraw(draft, now)
        draft = None
    if draft is not None and drop:
        _drop_files(draft, drop)
    kept = draft.files.count() if draft is not None else 0
    if kept + len(files) > settings.LAPOR_MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Paling banyak %(n)d lampiran pada satu tindak lanjut.")
                               % {"n": settings.LAPOR_MAX_ATTACHMENTS}})
    resubmitted = draft is not None
    if draft is None:
        draft = AnswerDraft.objects.create(report=report, agency=report.assigned_agency, author=by, body=body,
                                           created_at=now, updated_at=now)
    else:
        draft.author, draft.body, draft.updated_at = by, body, now
        draft.state = AnswerDraft.State.PENDING
        draft.save(update_fields=["author", "body", "updated_at", "state"])
    for clean in files:
        _store_file(draft, clean, by=by, now=now)
    # Each version's text stays in the (internal) history: the draft itself is revised in place.
    services._record(report, action=Action.DRAFT_ANSWER, by=by, role=role, from_status=report.status, now=now,
                     text=body, agency=report.assigned_agency, internal=True,
                     data={"draft": draft.pk, "resubmitted": resubmitted})
    return draft


@transaction.atomic
def draft_approve(*, draft: AnswerDraft, by, body: str | None = None, drop: list[int] = (),
                  now: datetime.datetime | None = None) -> FollowUp:
    """Approve the draft as the unit's follow-up, with ``body`` if the admin edited it and
    without the files ``drop`` names (a photo that shows a face, a wrong letter).

    Side effects: everything ``services.report_answer`` does (the reporter is told, the
    clock moves to the 10-day auto-close), signed by ``by`` with the officer as drafter;
    the draft's other files become the follow-up's attachments; the draft is closed."""
    now = now or timezone.now()
    draft = _checked(draft, by)
    if drop:
        _drop_files(draft, drop)
    body = draft.body if body is None else body
    followup = services.report_answer(report=draft.report, by=by, body=body, drafted_by=draft.author, now=now)
    for item in draft.files.order_by("pk"):
        # The file was cleaned when the officer attached it; the stored copy is reused.
        Attachment.objects.create(
            report=draft.report, followup=followup, file=item.file.name, original_name=item.original_name,
            content_type=item.content_type, size=item.size, sha256=item.sha256, uploaded_by=item.uploaded_by,
            created_at=now,
        )
    # The draft keeps the officer's words; the follow-up has what was sent.
    draft.state, draft.followup, draft.reviewed_by, draft.reviewed_at = AnswerDraft.State.PUBLISHED, followup, by, now
    draft.save(update_fields=["state", "followup", "reviewed_by", "reviewed_at"])
    return followup


@transaction.atomic
def draft_return(*, draft: AnswerDraft, by, note: str, now: datetime.datetime | None = None) -> AnswerDraft:
    """Send the draft back to its officer with what to change.

    Side effects: the draft waits on the officer again; an internal history entry with the
    note; the officer who wrote it is told."""
    now = now or timezone.now()
    note = services._required(note, "note", gettext_lazy("Tuliskan apa yang perlu diperbaiki petugas."))
    draft = _checked(draft, by)
    role = services._authorize(draft.report, Action.RETURN_DRAFT, by)
    draft.state, draft.review_note, draft.reviewed_by, draft.reviewed_at = AnswerDraft.State.RETURNED, note, by, now
    draft.save(update_fields=["state", "review_note", "reviewed_by", "reviewed_at"])
    services._record(draft.report, action=Action.RETURN_DRAFT, by=by, role=role, from_status=draft.report.status,
                     now=now, text=note, agency=draft.report.assigned_agency, internal=True,
                     data={"draft": draft.pk, "to": draft.author_id})
    return draft


# --- helpers --------------------------------------------------------------------------------


def _open_for_update(report: Report) -> AnswerDraft | None:
    return AnswerDraft.objects.select_for_update().filter(report=report, state__in=AnswerDraft.State.open()).first()


def _checked(draft: AnswerDraft, by) -> AnswerDraft:
    """The draft re-read under lock with its report; refused unless it waits for approval
    and is still the handling unit's."""
    report = services._lock(draft.report)
    draft = AnswerDraft.objects.select_for_update().get(pk=draft.pk)
    draft.report = report
    if draft.state != AnswerDraft.State.PENDING:
        raise DraftNotPending(_("Draf ini tidak sedang menunggu persetujuan (%(state)s).")
                              % {"state": draft.get_state_display().lower()})
    if draft.agency_id != report.assigned_agency_id:
        raise DraftNotPending(_("Laporan ini sudah ditangani unit lain; draf ini tidak berlaku lagi."))
    services._authorize(report, Action.ANSWER, by)
    return draft


def _drop_files(draft: AnswerDraft, ids) -> None:
    """Remove some of the draft's files; other ids are ignored. The stored copies go once
    the transaction commits (a refusal later in it keeps the draft as it was, files too)."""
    for item in draft.files.filter(pk__in=list(ids)):
        storage, name = item.file.storage, item.file.name
        item.delete()
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def _withdraw(draft: AnswerDraft, now) -> None:
    draft.state, draft.updated_at = AnswerDraft.State.WITHDRAWN, now
    draft.save(update_fields=["state", "updated_at"])


def _store_file(draft: AnswerDraft, clean: CleanFile, *, by, now) -> AnswerDraftFile:
    item = AnswerDraftFile(draft=draft, original_name=clean.original_name, content_type=clean.content_type,
                           size=len(clean.content), sha256=clean.sha256, uploaded_by=by, created_at=now)
    item.file.save(f"{clean.sha256}.{clean.extension}", ContentFile(clean.content), save=False)
    item.save()
    return item
