"""The report workspace: the whole report as its handlers see it, its history, its
deadlines, and a form for each action this person may take now."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lapor.accounts.nik import masked_nik
from lapor.agencies.models import zone_label
from lapor.core.forms import add_service_errors
from lapor.core.refusals import last_move, moved_sentence, typed_text, whole_number
from lapor.office.access import actor, report_for, staff_required
from lapor.office.deadlines import countdown, report_countdown
from lapor.office.forms import ApproveDraftForm, InboxFilterForm, ReturnDraftForm
from lapor.office.views.actions import BY_SLUG, SPECS
from lapor.reports import drafts, policy, services
from lapor.reports.enums import Action
from lapor.reports.errors import ActionForbidden, ReportError, TransitionNotAllowed
from lapor.reports.models import AnswerDraft, Attachment, Report
from lapor.reports.sensitivity import published_naming_people, sensitive_findings

# In the reader's language, as the report form says them (lapor/portal/views/submit.py).
SENSITIVE_LABELS = {"name": gettext_lazy("nama orang"), "nip": "NIP", "nik": "NIK",
                    "phone": gettext_lazy("nomor telepon"), "email": gettext_lazy("alamat e-mail")}


def workspace_context(request, report, *, bound_slug=None, bound_form=None, approve_form=None,
                      return_form=None, unsent=()):
    """``unsent``: what this person typed in a form refused just now (``typed``), shown to
    copy when that form is not on the page any more."""
    a = actor(request)
    allowed = policy.allowed_actions(a, report)
    forms = []
    # In the page's order (actions.SPECS); reveal_identity has its own page, and system
    # actions are never offered.
    specs = [spec for spec in SPECS if spec.action in allowed]
    if report.awaiting_transfer:
        # Handed back as "bukan wewenang": what its router does next is the transfer.
        specs.sort(key=lambda spec: spec.action != Action.TRANSFER)
    for spec in specs:
        form = bound_form if spec.slug == bound_slug else spec.form(request, report)
        forms.append({"spec": spec, "form": form, "open": spec.slug == bound_slug})
    full = policy.has_full_access(a, report)
    events = policy.visible_events(a, report, events=report.events.select_related("actor", "agency"))
    history = [{"event": e, "who": policy.event_actor_label(a, report, e)} for e in events]
    # Who wrote and who drafted each answer are shown to those with full access only (a
    # reader outside the report reads the answers as the public does): read only for them.
    followups = report.followups.select_related(*(("agency", "author", "drafted_by") if full else ("agency",)))
    followups = followups.prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    identity = services.reporter_identity(report) if policy.identity_visible(a, report) else None
    if identity and identity.get("nik") and not policy.nik_visible(a, report):
        identity["nik"] = masked_nik(identity["nik"])
    proxy = report.filed_by if report.filed_by_id and policy.identity_visible(a, report) else None
    findings = sensitive_findings(report.title, report.body) if full else []
    now = timezone.now()
    zone = report.deadline_zone
    draft = drafts.open_draft(report) if full else None
    if draft is not None and draft.agency_id != report.assigned_agency_id:
        draft = None  # written for a unit that no longer handles the report
    reviews = (draft is not None and draft.state == AnswerDraft.State.PENDING
               and policy.role_for(a, report, Action.ANSWER) is not None)
    if reviews:
        approve_form = approve_form or ApproveDraftForm(initial={"body": draft.body}, prefix="approve",
                                                        files=list(draft.files.order_by("pk")))
        return_form = return_form or ReturnDraftForm(prefix="return")
    for form in (bound_form, approve_form if reviews else None, return_form if reviews else None):
        _focus_first_error(form)
    # The refused form drawn again with its text (the person may still send it), or not.
    drawn = any(item["open"] for item in forms) or (reviews and (approve_form.is_bound or return_form.is_bound))
    query = inbox_view(request)
    return {
        "report": report,
        # The inbox view this person works through, kept in every link and form of the page.
        "inbox_query": query, "carry": urlencode({INBOX_PARAM: query}) if query else "",
        "unsent": [] if drawn else list(unsent),
        # The last history entry this page shows: a form sent from it says what it saw, so a
        # refusal can tell who moved the report since (``refused``).
        "seen": max((e.pk for e in events), default=0),
        # Every time on the page in the zone its deadlines are counted in, and said so.
        "report_zone": zone, "report_zone_label": zone_label(zone),
        "full_access": full,
        "forms": forms,
        "can_reveal": Action.REVEAL_IDENTITY in allowed,
        "history": history,
        "followups": followups,
        "attachments": report.attachments.filter(followup__isnull=True).order_by("pk"),
        "identity": identity,
        # Where the identity is not shown: the name the public reads, if the reporter chose to show it.
        "public_reporter_name": policy.public_reporter_name(report) if identity is None else None,
        "proxy": proxy,
        "silapat_url": _silapat_link(request.user, report),
        "findings": [str(SENSITIVE_LABELS[f]) for f in findings],
        "unprotected": bool(findings) and published_naming_people(report),
        "due": report_countdown(report, now),
        "outer_due": countdown(report.outer_due_at, zone, now, calendar=True),  # 60 calendar days
        "zone": zone,
        "draft": draft,
        "draft_files": list(draft.files.order_by("pk")) if draft is not None else [],
        "approve_form": approve_form if reviews else None,
        "return_form": return_form if reviews else None,
    }


# After these, the report is done with for now (or waits on someone else): the page it
# lands on offers the next report waiting on this person, focused, one key away.
MOVES_ON = {"verifikasi", "tunda", "kembalikan", "arsipkan", "duplikat", "disposisi", "bukan-wewenang",
            "limpahkan", "tindak-lanjut", "draf-tindak-lanjut", "tutup"}
NEXT_PARAM = "lanjut"
# The inbox view (tab and filter) this person works through, carried from report to
# report as one parameter, so that "Laporan berikutnya" follows it.
INBOX_PARAM = "kotak"


def inbox_view(request) -> str:
    """The inbox view this person came from, as the inbox's own query string
    ("tab=semua&status=submitted"): carried in ``?kotak=`` from report to report and
    through the forms, or, on the first report, read from the inbox page that linked to
    it (its rows link the report alone: they are kept in the cache for every view). Only
    the inbox's own parameters, without empty ones or its page number; "" for "Menunggu
    saya" as the inbox opens."""
    if INBOX_PARAM in request.GET:
        query = request.GET[INBOX_PARAM]
    else:
        came_from = urlsplit(request.META.get("HTTP_REFERER", ""))
        here = came_from.netloc == request.get_host() and came_from.path == reverse("office:inbox")
        query = came_from.query if here else ""
    known = {"tab", *InboxFilterForm.base_fields}
    return urlencode([(name, value) for name, values in QueryDict(query).lists() if name in known
                      for value in values if value.strip()])


def inbox_queue(a: policy.Actor, query: str):
    """The reports of the inbox view ``query`` (``inbox_view``) as the inbox filters them;
    None for the default view of someone with nothing to act on."""
    from lapor.office.views.inbox import acts, filtered, scope_units, waiting_on

    if not query:
        return policy.scoped_reports(a).filter(waiting_on(a)) if acts(a) else None
    params = QueryDict(query)
    tab = params.get("tab") or ("saya" if acts(a) else "semua")
    return filtered(a, InboxFilterForm(params, units=scope_units(a)), tab if tab in ("saya", "semua") else "saya")


def next_waiting(a: policy.Actor, report, query: str = ""):
    """The report after ``report`` in the inbox view this person works through (``query``;
    by default those waiting on them): ``next_in`` its queue."""
    return next_in(inbox_queue(a, query), report)


def next_in(queue, report):
    """The report after ``report`` in ``queue`` (an ``inbox_queue``), in the inbox's order
    (soonest deadline first), going round to the first; the queue's first when ``report``
    is not in it; None when nothing else is."""
    if queue is None:
        return None
    others = queue.exclude(pk=report.pk).only("tracking_id", "title")
    order = (F("due_at").asc(nulls_last=True), "-created_at", "pk")
    if queue.filter(pk=report.pk).exists():
        due, created, pk = report.due_at, report.created_at, report.pk
        later = Q(created_at__lt=created) | Q(created_at=created, pk__gt=pk)
        # One stretch of the queue at a time, each read from this report's place on the
        # inbox's index: as one OR, PostgreSQL walked the queue from its start (120 ms for a
        # report 27,000 deep among 1,000,000).
        stretches = ([Q(due_at=due) & later, Q(due_at__gt=due), Q(due_at__isnull=True)] if due is not None
                     else [Q(due_at__isnull=True) & later])
        for stretch in stretches:
            following = others.filter(stretch).order_by(*order).first()
            if following is not None:
                return following
    return others.order_by(*order).first()


def report_url(tracking_id, query: str = "", **more) -> str:
    """A report's page, in the inbox view ``query`` (and ``more`` parameters)."""
    params = {**more, **({INBOX_PARAM: query} if query else {})}
    url = reverse("office:report", args=[tracking_id])
    return f"{url}?{urlencode(params)}" if params else url


def _focus_first_error(form) -> None:
    """A form sent back with errors opens with the cursor in its first wrong field (its
    first field when the error is the whole form's), not at the top of the page."""
    if form is None or not form.is_bound or not form.errors:
        return
    names = [name for name in form.fields if name in form.errors and not form.fields[name].widget.is_hidden] or [
        f.name for f in form.visible_fields()]
    if names:
        form.fields[names[0]].widget.attrs["autofocus"] = True


def _silapat_link(user, report):
    """The incident's SILAPAT assessment page, for the operators who may assess it (the
    module on, the report an incident of it)."""
    if not settings.LAPOR_SILAPAT_ENABLED:
        return None
    from lapor.harmony import services as harmony
    from lapor.harmony.models import HarmonyIncident

    if not HarmonyIncident.objects.filter(report=report).exists() or not harmony.can_assess(user, report):
        return None
    return reverse("harmony_office:assess", args=[report.tracking_id])


@staff_required
def report_detail(request, tracking_id):
    report = report_for(request, tracking_id)
    context = workspace_context(request, report)
    a = actor(request)
    queue = inbox_queue(a, context["inbox_query"])
    # Just acted on (``?lanjut=<tracking id>``, set by ``perform``): the report that was
    # next when the form was sent, if it is still in the view, and focused.
    chosen = request.GET.get(NEXT_PARAM, "")
    following = None
    if chosen.isdigit() and queue is not None:
        following = queue.filter(tracking_id=chosen).exclude(pk=report.pk).only("tracking_id", "title").first()
    context["next_report"] = following or next_in(queue, report)
    context["just_acted"] = bool(chosen)
    return render(request, "office/workspace.html", context)


@require_POST
@staff_required
def report_action(request, tracking_id, slug):
    report = report_for(request, tracking_id)
    spec = BY_SLUG.get(slug)
    if spec is None:
        raise Http404("Tindakan tidak dikenal.")
    if spec.action not in policy.allowed_actions(actor(request), report):
        # The form's fields, to keep what was typed: unbound, so no file is taken in.
        return refused(request, report, spec.action, typed_in=spec.form(request, report))
    form = spec.form(request, report, request.POST, request.FILES)
    if getattr(form, "refreshed", False):
        return _refreshed(request, report, slug, form)
    return perform(request, report, form, lambda: spec.perform(request, report, form),
                   bound={"bound_slug": slug, "bound_form": form}, moves_on=slug in MOVES_ON)


def _refreshed(request, report, slug, form):
    """The form drawn again, as typed, with its suggestion redrawn (``actions.REFRESH``):
    nothing is done. The cursor goes where the suggestion changed, or to a wrong field."""
    if form.is_valid():
        form.fields["agency"].widget.attrs["autofocus"] = True
        messages.info(request, _("Saran instansi tujuan diperbarui menurut kategori dan wilayah yang dipilih. "
                                 "Laporan belum diverifikasi."))
    context = workspace_context(request, report, bound_slug=slug, bound_form=form)
    return render(request, "office/workspace.html", context, status=200 if form.is_valid() else 400)


def refused(request, report, action, *, typed_in=None):
    """The report as it is now, for an ``action`` this person may not take on it: a 409
    saying its status when it has moved on (someone else acted, or the form was sent
    twice), a 403 saying who holds it now when it was handed on since the page was drawn,
    otherwise a plain 403. Who moved it is said as far as this person may know, and the
    text typed in ``typed_in`` (the form, unbound: no file is taken in) is kept to copy."""
    since = whole_number(request.POST.get("seen", ""))
    unsent = typed_text(typed_in, request.POST) if typed_in is not None else []
    if report.status not in policy.TRANSITIONS[action][0]:
        message = _("Laporan ini kini berstatus “%(status)s”: tindakan “%(action)s” tidak lagi dapat "
                    "dilakukan.") % {"status": report.status_label, "action": Action(action).label.lower()}
        # Its status changed after the page was drawn; without the page's mark, the last change.
        return _refusal(request, report, message, moved=last_move(actor(request), report, since=since, holder_too=True), unsent=unsent,
                        status=409)
    moved = last_move(actor(request), report, since=since, holder_too=True) if since is not None else None
    if moved is not None and report.assigned_agency_id:
        message = _("Laporan ini kini ditangani %(agency)s: tindakan “%(action)s” tidak lagi dapat Anda "
                    "lakukan.") % {"agency": report.assigned_agency.name, "action": Action(action).label.lower()}
        return _refusal(request, report, message, moved=moved, unsent=unsent, status=403)
    return _refusal(request, report, _("Anda tidak dapat melakukan tindakan ini pada laporan ini sekarang."),
                    moved=None, unsent=unsent, status=403, as_now=False)


def _refusal(request, report, message, *, moved, unsent, status, bound=None, as_now=True):
    """The workspace refusing a form: ``message``, then who ``moved`` the report, and
    what was typed (``unsent``) kept, on the form if it is still offered (``bound``)."""
    parts = [str(message)]
    if moved is not None:
        parts.append(moved_sentence(actor(request), report, moved))
    if as_now:
        parts.append(_("Di bawah ini keadaannya sekarang."))
    if unsent:
        parts.append(_("Yang Anda tulis belum terkirim; teksnya masih ada di halaman ini."))
    messages.error(request, " ".join(parts))
    context = workspace_context(request, report, unsent=unsent, **(bound or {}))
    return render(request, "office/workspace.html", context, status=status)


def perform(request, report, form, act, *, bound, moves_on=False):
    """Run ``act`` (one service call) when ``form`` is valid, and answer as every workspace
    form does: back to the report with the service's message; the form again with the
    service's errors on it (400); the report as it is now when someone else acted first
    (409) or the person may not (403), saying who moved it since the page was drawn, with
    what they typed kept (on the form if they may still send it)."""
    if form.is_valid():
        # Where the person goes next, read before the action moves the report's deadline.
        query = inbox_view(request)
        following = next_waiting(actor(request), report, query) if moves_on else None
        try:
            message = act()
        except ValidationError as error:
            add_service_errors(form, error)
        except (ActionForbidden, TransitionNotAllowed, ReportError) as error:
            report = report_for(request, report.tracking_id)
            since = whole_number(request.POST.get("seen", ""))
            moved = last_move(actor(request), report, since=since, holder_too=True) if since is not None else None
            message = error.message
            if isinstance(error, ActionForbidden) and moved is not None and report.assigned_agency_id:
                # Handed on while the form was sent: who holds it now says more than "not allowed".
                message = _("Laporan ini kini ditangani %(agency)s: Anda tidak lagi dapat bertindak atasnya.") % {
                    "agency": report.assigned_agency.name}
            return _refusal(request, report, message, moved=moved, unsent=typed_text(form, request.POST),
                            status=403 if isinstance(error, ActionForbidden) else 409, bound=bound)
        else:
            messages.success(request, message)
            report = Report.objects.select_related("addressed_agency", "assigned_agency").get(pk=report.pk)
            if not policy.can_view(actor(request), report):
                # E.g. transferred out of this person's scope: on to the next report, or
                # back to the inbox.
                if following is not None:
                    return redirect(report_url(following.tracking_id, query))
                return redirect(reverse("office:inbox") + (f"?{query}" if query else ""))
            more = {NEXT_PARAM: following.tracking_id} if following is not None else {}
            return redirect(report_url(report.tracking_id, query, **more))
    return render(request, "office/workspace.html", workspace_context(request, report, **bound), status=400)
