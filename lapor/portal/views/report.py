"""One report's page (public part, or everything for its reporter), the reporter's
actions on it, and "Laporan saya"."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapor.accounts import pseudonyms
from lapor.agencies.models import zone_label
from lapor.core.forms import add_service_errors
from lapor.core.refusals import last_move, moved_sentence, typed_text, whole_number
from lapor.portal import report_page, uploads
from lapor.portal.views.public import merged_redirect
from lapor.portal.deadlines import current_deadline
from lapor.portal.forms import CompleteForm, RateForm, ReopenForm, ReplyForm
from lapor.reports import policy, references
from lapor.reports.attachments import attachment_store
from lapor.reports.enums import Action, Status
from lapor.reports.errors import ActionForbidden, ReportError
from lapor.reports.models import Report, Support
from lapor.reports.services import report_complete, report_rate, report_reopen, report_reply

# The reporter's actions: URL name → (action, form, service call, message on success).
ACTIONS = {
    "tanggapi": (Action.REPLY, ReplyForm,
                 lambda r, u, d: report_reply(report=r, by=u, text=d["text"], followup_id=d["followup"]),
                 gettext_lazy("Tanggapan Anda terkirim; instansi wajib menindaklanjuti lagi.")),
    "nilai": (Action.RATE, RateForm,
              lambda r, u, d: report_rate(report=r, by=u, comment=d["comment"], followup_id=d["followup"]),
              gettext_lazy("Terima kasih atas penilaian Anda. Laporan selesai.")),
    "lengkapi": (Action.COMPLETE, CompleteForm, lambda r, u, d: _complete(r, u, d),
                 gettext_lazy("Kelengkapan terkirim; laporan menunggu verifikasi lagi.")),
    "buka-kembali": (Action.REOPEN, ReopenForm, lambda r, u, d: report_reopen(report=r, by=u, reason=d["reason"]),
                     gettext_lazy("Laporan dibuka kembali dan diteruskan lagi ke instansi.")),
}
FORM_FOR_ACTION = {action: (slug, form) for slug, (action, form, _call, _msg) in ACTIONS.items()}
# Forms about the last answer: they say which one the reporter read (``<slug>-followup``).
ABOUT_THE_ANSWER = {Action.REPLY, Action.RATE}


def _complete(report, user, data):
    """The completion and its files in one transaction; the staged copies go afterwards."""
    tokens = data.get("staged", [])
    staged = uploads.staged_from_tokens(tokens, user=user)
    with transaction.atomic():
        report = report_complete(report=report, by=user, addition=data["addition"],
                                 incident_date=data.get("incident_date"), address=data.get("address") or None,
                                 latitude=data.get("latitude"), longitude=data.get("longitude"))
        for _staged, clean in staged:
            attachment_store(report=report, clean=clean, by=user, now=report.completed_at)
    uploads.discard(tokens)
    return report


def _files(request, slug) -> tuple[list, list[str]]:
    """(files kept so far, what was wrong with the new ones) for a form that takes files:
    accepted files are cleaned and staged at once, so the form can come back with an error
    without asking for them again (lapor/portal/uploads.py)."""
    return uploads.take(request, staged_field=f"{slug}-staged", files_field=f"{slug}-attachments")


def _get_report(request, tracking_id) -> Report | None:
    # Category, region and agencies from the kept reference rows: joined, they made the
    # query's plan cost 50 times its run (lapor/reports/references.py).
    # (Tracking IDs are unique: no ORDER BY for the planner to weigh.)
    # Agencies only: the category and region are shown in the page's parts, which the
    # public is mostly served from the cache (``_with_history`` attaches them). The people
    # are joined for those who may be one of them; the public needs the reporter only when
    # they chose to show their name (read then).
    if not request.user.is_authenticated:
        return references.attach_one(policy.public_report(tracking_id), agencies_only=True)
    reports = policy.visible_reports(request.user).filter(tracking_id=tracking_id).select_related("reporter", "filed_by")
    return references.attach_one(next(iter(reports[:1]), None), agencies_only=True)


def report_detail(request, tracking_id, bound=None, *, status=None, unsent=()):
    """``bound``: (slug, form, files) of a form sent back; ``unsent``: what was typed in a
    form refused just now (``_typed``), shown to copy when that form is not offered any more."""
    report = _get_report(request, tracking_id)
    if report is None:
        # A published report merged into another since: its shared link leads there.
        return merged_redirect(request, tracking_id) or render(
            request, "portal/report_missing.html", {"tracking_id": tracking_id}, status=404)
    actor = policy.actor_for(request.user)
    mine = policy.is_reporter(actor, report)
    reporter_name = _reporter_name(actor, report, mine)
    zone = report.deadline_zone  # every time on the page in the zone its deadlines are counted in, and said so
    shown = {"report": report, "mine": mine, "reporter_name": reporter_name,
             "report_zone": zone, "report_zone_label": zone_label(zone)}
    if not request.user.is_authenticated and not bound:
        # The public's view, alike for every visitor who is not signed in: kept.
        return report_page.public_response(
            request, report, reporter_name, build_context=lambda: _with_history(actor, report, shown),
            page_context=lambda parts, deadline: _page_context(report, shown, parts, deadline, []))
    parts = report_page.render_parts(_with_history(actor, report, shown))
    actions = [a for a in policy.allowed_actions(actor, report) if a in FORM_FOR_ACTION]
    action_forms = []
    for action in actions:
        slug, form_class = FORM_FOR_ACTION[action]
        form = bound[1] if bound and bound[0] == slug else form_class(prefix=slug)
        kept, file_errors = (bound[2] or ([], [])) if bound and bound[0] == slug else ([], [])
        action_forms.append({"action": action, "slug": slug, "form": form, "kept": kept, "file_errors": file_errors})
    # The answer on this page: a reply or a rating sent from it is about this one, not a newer.
    answer_read = (report.followups.order_by("-created_at", "-id").values_list("pk", flat=True).first()
                   if ABOUT_THE_ANSWER & set(actions) else None)
    # A duplicate's reporter is sent to the original, where they may see it.
    original = policy.visible_original(actor, report) if mine else None
    supported = not mine and Support.objects.filter(report=report, user=request.user).exists()
    return render(request, "portal/report_detail.html", {
        **_page_context(report, shown, parts, current_deadline(report), action_forms),
        "supported": supported,
        "original": original,
        "answer_read": answer_read,
        "unsent": [] if bound and any(item["slug"] == bound[0] for item in action_forms) else list(unsent),
    }, status=status or (400 if bound else 200))


def _page_context(report, shown: dict, parts: dict, deadline, action_forms: list) -> dict:
    return {
        **shown,
        "parts": parts,
        "deadline": deadline,
        "action_forms": action_forms,
        "pin_map": any(item["action"] == Action.COMPLETE for item in action_forms),  # a pin on a map
        "max_attachments": settings.LAPOR_MAX_ATTACHMENTS,
        "max_mb": settings.LAPOR_MAX_ATTACHMENT_BYTES // (1024 * 1024),
        "tile_url": settings.LAPOR_MAP_TILE_URL, "tile_attribution": settings.LAPOR_MAP_ATTRIBUTION,
        "can_support": report.is_published and not shown["mine"],
        "supported": False,
        "original": None,
    }


def _with_history(actor, report, shown: dict) -> dict:
    """``shown`` with what the page's parts list: the history entries, the files and
    the follow-ups this person may read (three queries), and the report its category
    and region."""
    references.attach_one(report)
    # Agencies of the history and the follow-ups from the kept rows, not joined. Who acted
    # is read by name only by someone signed in (the reporter, staff: event_actor_label);
    # the public reads a role or an agency, so their people are not read (or decrypted).
    events = report.events.select_related("actor") if actor.is_authenticated else report.events.all()
    events = references.attach_agencies(policy.visible_events(actor, report, events))
    # The report's files and its follow-ups' files in one query, shared out here.
    files = list(report.attachments.order_by("pk"))
    followups = references.attach_agencies(report.followups.all())
    for followup in followups:
        references.keep_related(followup, attachments=[a for a in files if a.followup_id == followup.pk])
    return {**shown, "history": [(event, policy.event_actor_label(actor, report, event)) for event in events],
            "followups": followups, "attachments": [a for a in files if a.followup_id is None]}


def _reporter_name(actor, report, mine) -> str:
    if mine:
        if report.filed_by_id and report.filed_by_id in pseudonyms.own_ids(actor.user):
            # The resident's name, behind their stand-in on an anonymous report.
            return _("%(name)s (diajukan oleh Anda sebagai RT/RW)") % {
                "name": pseudonyms.person(report.reporter).display_name}
        return _("Anda")
    if policy.identity_visible(actor, report):
        return report.reporter.display_name if report.reporter_id else _("Pelapor")
    name = policy.public_reporter_name(report)
    if name:
        return name
    return _("Anonim") if report.is_anonymous else _("Pelapor (nama tidak ditampilkan)")


@require_POST
@login_required
def report_action(request, tracking_id, slug):
    if slug not in ACTIONS:
        return redirect("portal:report_detail", tracking_id=tracking_id)
    action, form_class, call, success = ACTIONS[slug]
    report = _get_report(request, tracking_id)
    if report is None:
        return render(request, "portal/report_missing.html", {"tracking_id": tracking_id}, status=404)
    form = form_class(request.POST, prefix=slug)
    files = _files(request, slug) if getattr(form_class, "has_files", False) else None
    if form.is_valid() and not (files and files[1]):
        data = dict(form.cleaned_data)
        if files is not None:
            data["staged"] = [k.token for k in files[0]]
        data["followup"] = _answer_read(request, slug)
        try:
            call(report, request.user, data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ReportError as error:
            return _refused(request, report, action, error, bound=(slug, form, files))
        else:
            messages.success(request, success)
            return redirect(report.get_absolute_url())
    return report_detail(request, tracking_id, bound=(slug, form, files))


def _answer_read(request, slug) -> int | None:
    return whole_number(request.POST.get(f"{slug}-followup", ""))


def _refused(request, report, action, error, *, bound):
    """A reporter's action the service refused because someone else acted first (the
    report was closed, a newer answer came): the service's reason, what moved the report
    when the action is no longer possible, and the text they wrote kept on the page (409).
    With nothing written there is nothing to keep: back to the report, as before; and as
    before for someone who is not the reporter."""
    if isinstance(error, ActionForbidden):
        messages.error(request, error.message)
        return redirect(report.get_absolute_url())
    now = _get_report(request, report.tracking_id) or report
    actor = policy.actor_for(request.user)
    parts = [str(error.message)]
    if action not in policy.allowed_actions(actor, now):
        moved = last_move(actor, now)
        if moved is not None:
            parts.append(moved_sentence(actor, now, moved))
    unsent = typed_text(bound[1], bound[1].data)
    if unsent:
        parts.append(_("Yang Anda tulis belum terkirim; teksnya masih ada di halaman ini."))
    messages.error(request, " ".join(parts))
    if not unsent:
        return redirect(report.get_absolute_url())
    return report_detail(request, report.tracking_id, bound=bound, unsent=unsent, status=409)


@login_required
def my_reports(request):
    """Everything this person filed (or filed for a resident), newest first."""
    user = request.user
    qs = (
        policy.visible_reports(user)
        .filter(policy.own_reports_q(user))
        .select_related("category", "addressed_agency", "assigned_agency")
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, 20).get_page(request.GET.get("halaman"))
    actor = policy.actor_for(user)
    mine = pseudonyms.own_ids(user)  # their own account and their stand-ins (anonymous reports)
    rows = [
        {"report": r, "deadline": current_deadline(r),
         "for_resident": r.filed_by_id in mine and r.reporter_id not in mine,
         "your_move": r.status in (Status.RETURNED, Status.IN_PROGRESS) and bool(
             {Action.COMPLETE, Action.REPLY, Action.RATE} & set(policy.allowed_actions(actor, r)))}
        for r in page
    ]
    return render(request, "portal/my_reports.html", {"page": page, "rows": rows})
