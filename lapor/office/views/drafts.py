"""An officer's draft answer under review (lapor/reports/drafts.py): its admin approves
it (the reporter then gets the answer) or sends it back; staff handling the report may
open its files."""
from __future__ import annotations

import mimetypes

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.office.access import actor, report_for, staff_required
from lapor.office.forms import ApproveDraftForm, ReturnDraftForm
from lapor.office.views.workspace import perform, refused
from lapor.reports import drafts, policy
from lapor.reports.attachments import attachment_response
from lapor.reports.enums import Action
from lapor.reports.models import AnswerDraft, AnswerDraftFile


def _draft(report, pk) -> AnswerDraft:
    draft = AnswerDraft.objects.filter(pk=pk, report=report).first()
    if draft is None:
        raise Http404("Draf tidak ditemukan.")
    return draft


def _refused(request, report, action):
    """The same answer as any workspace action this person may not take (before the form
    is even read: nobody learns from its errors what they could not do)."""
    if policy.role_for(actor(request), report, action) is not None:
        return None
    return refused(request, report, action)


def _review(request, tracking_id, pk, *, action, make_form, prefix, act):
    """One reviewer's decision on a draft: checked like any workspace action, then ``act``
    (one service call, given the draft and the bound form) through ``perform``."""
    report = report_for(request, tracking_id)
    draft = _draft(report, pk)
    if refused := _refused(request, report, action):
        return refused
    form = make_form(draft)
    # Approved, the report waits on the reporter; sent back, on the officer: either way the
    # reviewer is done with it for now, and the page offers the next report (as ``MOVES_ON``).
    return perform(request, report, form, lambda: act(draft, form), bound={f"{prefix}_form": form}, moves_on=True)


@require_POST
@staff_required
def approve(request, tracking_id, pk):
    def act(draft, form):
        drafts.draft_approve(draft=draft, by=request.user, body=form.cleaned_data["body"], drop=form.dropped())
        return _("Draf disetujui; tindak lanjut terkirim ke pelapor.")

    return _review(request, tracking_id, pk, action=Action.ANSWER, prefix="approve", act=act,
                   make_form=lambda draft: ApproveDraftForm(request.POST, prefix="approve",
                                                            files=list(draft.files.order_by("pk"))))


@require_POST
@staff_required
def send_back(request, tracking_id, pk):
    def act(draft, form):
        drafts.draft_return(draft=draft, by=request.user, note=form.cleaned_data["note"])
        return _("Draf dikembalikan ke petugas untuk diperbaiki.")

    return _review(request, tracking_id, pk, action=Action.RETURN_DRAFT, prefix="return", act=act,
                   make_form=lambda draft: ReturnDraftForm(request.POST, prefix="return"))


@staff_required
def download(request, pk):
    item = AnswerDraftFile.objects.select_related(
        "draft__report__addressed_agency", "draft__report__assigned_agency").filter(pk=pk).first()
    # Only staff who handle the report (not merely anyone who may read it) see a draft.
    if item is None or not policy.has_full_access(actor(request), item.draft.report):
        raise Http404("Lampiran tidak ditemukan.")
    extension = mimetypes.guess_extension(item.content_type) or ""
    filename = f"draf-{item.draft.report.tracking_id}-{item.pk}{extension}"
    try:
        return attachment_response(item, filename=filename, cache_control="private, no-store")
    except OSError:
        raise Http404("Berkas lampiran tidak tersedia.") from None
