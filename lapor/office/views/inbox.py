"""The inbox: what waits on me, by deadline; everything in my scope, filtered."""
from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.agencies.models import Role
from lapor.core.fragments import form_key, kept_rows
from lapor.core.pagination import compiled_page
from lapor.office.access import actor, staff_required
from lapor.office.deadlines import report_countdown
from lapor.office.forms import BulkArchiveForm, BulkDisposeForm, BulkVerifyForm, InboxFilterForm, agencies_under
from lapor.office.views.bulk_confirm import CONFIRM, bulk_verify_confirm, changed_since_confirmed, verify_fates
from lapor.reports import policy, references, services
from lapor.reports.enums import Action, Status
from lapor.reports.errors import ReportError
from lapor.reports.models import AnswerDraft, Report

PAGE_SIZE = 25
# Rows are rendered once and kept under everything they show (lapor/core/fragments.py):
# rendering 25 of them was half of the page's time. Names of categories, regions and
# agencies show a change within this many seconds; anything of the report's own at once.
ROW_TEMPLATE = "office/_inbox_row.html"
ROW_SECONDS = 300
# The columns a row shows, its countdown and its permission check read: the body, the
# other ten timestamps (each a datetime parsed in Python) and the rest stay in the table.
ROW_COLUMNS = (
    "id", "tracking_id", "title", "kind", "channel", "status", "is_confidential", "is_anonymous",
    "created_at", "due_at", "verified_at", "category_id", "region_id", "assigned_agency_id",
    "addressed_agency_id", "reporter_id", "filed_by_id",
)


def _shown(row: dict, bulk: bool) -> tuple:
    report, cd = row["report"], row["countdown"]
    return (
        bulk, row["can_verify"], row["can_dispose"], row["can_archive"], row["draft"],
        report.pk, report.tracking_id, report.title, report.kind, report.channel, report.status,
        report.is_confidential, report.is_anonymous, report.created_at.isoformat(),
        report.awaiting_transfer,  # its status words: "Menunggu pelimpahan", not "Belum terverifikasi"
        report.deadline_zone,  # the zone its date of arrival is given in
        report.category_id, report.region_id, report.assigned_agency_id, report.addressed_agency_id,
        cd and (cd.due_at.isoformat(), cd.zone, cd.days_left, cd.overdue),
    )


def _prefix(field: str, paths) -> Q:
    # Agency ids as a subquery (as policy's scope does), not a join with LIKE per report:
    # the work tab of an agency with ~80,000 reports went from ~380 ms to a few.
    return policy.within_agencies_q(field, paths)


def waiting_on(a: policy.Actor) -> Q:
    """Reports whose next step is this person's: verification for routers, a follow-up
    for handlers. (A report answered and waiting for the citizen waits on nobody here.)"""
    routing = Q(status__in=Status.waiting_for_router())
    handling = Q(status=Status.DISPATCHED)
    q = Q(pk__in=[])
    if a.has(Role.NATIONAL_ADMIN):
        q |= routing
    else:
        q |= routing & _prefix("addressed_agency", a.paths(Role.AGENCY_ADMIN))
    q |= handling & _prefix("assigned_agency", a.paths(*policy.HANDLER_ROLES))
    # An officer's draft waits on the unit's admins; one sent back, on its officers.
    if a.paths(*policy.ANSWER_ROLES):
        q |= _with_draft(AnswerDraft.State.PENDING) & _prefix("assigned_agency", a.paths(*policy.ANSWER_ROLES))
    if a.paths(Role.OFFICER):
        q |= _with_draft(AnswerDraft.State.RETURNED) & _prefix("assigned_agency", a.paths(Role.OFFICER))
    return q


def _with_draft(state: str) -> Q:
    # A subquery over the few open drafts (indexed by state), not a join on every report.
    return Q(pk__in=AnswerDraft.objects.filter(state=state).values("report_id"))


def draft_states(reports) -> dict[int, str]:
    """The open draft's state of each report shown (one query for the page)."""
    ids = [r.pk for r in reports]
    if not ids:
        return {}
    return dict(AnswerDraft.objects.filter(report_id__in=ids, state__in=AnswerDraft.State.open())
                .values_list("report_id", "state"))


def acts(a: policy.Actor) -> bool:
    return a.has(Role.NATIONAL_ADMIN) or bool(a.paths(*policy.HANDLER_ROLES))


def scope_units(a: policy.Actor):
    """The agencies and units an inbox may be narrowed to."""
    if a.has(Role.NATIONAL_ADMIN) or a.has(Role.IDENTITY_CUSTODIAN):
        return agencies_under([""])
    paths = set(a.paths(*policy.HANDLER_ROLES)) | set(a.supervised)
    return agencies_under(paths)


def verify_agencies(a: policy.Actor):
    """Where this person may send a report they verify (as the workspace's form offers)."""
    return agencies_under([""] if a.has(Role.NATIONAL_ADMIN) else a.paths(Role.AGENCY_ADMIN))


def dispose_units(a: policy.Actor):
    return agencies_under(a.paths(*policy.DISPOSER_ROLES))


def filtered(a: policy.Actor, form: InboxFilterForm | None, tab: str):
    """The reports of the inbox's ``tab``, narrowed by ``form`` (None: no filter)."""
    qs = policy.scoped_reports(a)
    if tab == "saya":
        qs = qs.filter(waiting_on(a))
    if form is None or not form.is_bound:
        return qs
    form.is_valid()
    # A bad value (said beside its field) drops itself only: the valid ones still filter.
    data = {name: form.cleaned_data.get(name) for name in form.fields}
    if data["q"]:
        text = data["q"].strip().lstrip("#")
        qs = qs.filter(Q(tracking_id=text) | Q(title__icontains=text) | Q(body__icontains=text))
    if data["status"]:
        qs = qs.filter(status=data["status"])
    if data["category"]:
        qs = qs.filter(Q(category=data["category"]) | Q(category__parent=data["category"]))
    if data["unit"]:
        path = data["unit"].path
        qs = qs.filter(policy.within_agencies_q("assigned_agency", [path])
                       | (Q(assigned_agency__isnull=True) & policy.within_agencies_q("addressed_agency", [path])))
    if data["region"]:
        code = data["region"].strip()
        qs = qs.filter(Q(region__code=code) | Q(region__code__startswith=f"{code}."))
    if data["channel"]:
        qs = qs.filter(channel=data["channel"])
    if data["draft"]:
        qs = qs.filter(_with_draft(data["draft"]))
    if data["date_from"]:
        qs = qs.filter(created_at__date__gte=data["date_from"])
    if data["date_to"]:
        qs = qs.filter(created_at__date__lte=data["date_to"])
    return qs


def _shape(a: policy.Actor, form: InboxFilterForm | None, tab: str) -> tuple:
    """Everything ``filtered`` and the inbox's ordering read to make its query: the
    person's roles where they hold them (and those held inside inspectorates), the tab,
    and the filters as they enter the query (a unit by its path, a topic by its id)."""
    inside = a.inside_inspectorates
    scope = (sorted(a.roles.items()), a.supervised, inside and (sorted(inside.roles.items()), inside.supervised))
    filters = []
    if form is not None and form.is_bound:
        form.is_valid()  # a bad value drops itself only, as in ``filtered``
        for name in sorted(form.fields):
            value = form.cleaned_data.get(name)
            if value and name == "unit":
                value = value.path
            elif value and name == "category":
                value = value.pk
            filters.append((name, value))
    return "inbox", repr(scope), tab, repr(filters), ROW_COLUMNS


@staff_required
def inbox(request):
    a = actor(request)
    tab = request.GET.get("tab") or ("saya" if acts(a) else "semua")
    if tab not in ("saya", "semua"):
        tab = "saya"
    # Most pages carry no filter (a tab, a page number): their filter form filters nothing
    # and is rendered in a fragment kept a minute per scope, so it is made only then.
    filtering = any(value for name in InboxFilterForm.base_fields for value in request.GET.getlist(name))
    units = scope_units(a)
    form = (InboxFilterForm(request.GET, units=units) if filtering
            else SimpleLazyObject(lambda: InboxFilterForm(request.GET or None, units=units)))
    if filtering and form.is_valid():
        # A full tracking ID goes straight to the report, if this person may see it.
        text = form.cleaned_data["q"].strip().lstrip("#")
        if text.isdigit() and policy.visible_reports(a).filter(tracking_id=text).exists():
            return redirect("office:report", tracking_id=text)
    # The query is built and compiled once per process for each shape of it: who asks and
    # which filters (the rows are read fresh every time).
    page = compiled_page(
        _shape(a, form if filtering else None, tab),
        lambda: filtered(a, form if filtering else None, tab).only(*ROW_COLUMNS).order_by(
            F("due_at").asc(nulls_last=True), "-created_at", "pk"),
        request.GET.get("halaman"), per_page=PAGE_SIZE, model=Report)
    page.object_list = references.attach(page.object_list)  # category, region, agencies: kept rows
    now = timezone.now()
    drafts = draft_states(page.object_list)
    rows = [
        {
            "report": report,
            "countdown": report_countdown(report, now),
            "can_verify": policy.role_for(a, report, Action.VERIFY) is not None,
            "can_dispose": policy.role_for(a, report, Action.DISPOSE) is not None,
            "can_archive": policy.role_for(a, report, Action.ARCHIVE) is not None,
            "draft": drafts.get(report.pk, ""),
        }
        for report in page.object_list
    ]
    offered = {action: any(r[f"can_{action}"] for r in rows) for action in ("verify", "dispose", "archive")}
    bulk = any(offered.values())
    # Empty forms, rendered in the template's fragment kept per scope: made only when it is rendered.
    bulk_forms = SimpleLazyObject(lambda: {
        "verify": BulkVerifyForm(agencies=verify_agencies(a), tracking_ids=[]) if offered["verify"] else None,
        "dispose": BulkDisposeForm(units=dispose_units(a), tracking_ids=[]) if offered["dispose"] else None,
        "archive": BulkArchiveForm(tracking_ids=[]) if offered["archive"] else None,
    })
    rows_html = kept_rows(ROW_TEMPLATE, rows, shown=lambda row: _shown(row, bulk),
                          context=lambda row: {"row": row, "report": row["report"], "bulk": bulk},
                          seconds=ROW_SECONDS)
    params = request.GET.copy()
    params.pop("halaman", None)
    # The filter and bulk forms depend on this person's scope (their roles' subtrees) and
    # the filter's own values only: keys of their fragments in the template's cache.
    scope = repr((sorted(a.roles.items()), a.supervised))
    return render(request, "office/inbox.html", {
        "tab": tab, "acts": acts(a), "form": form, "filters_open": filtering and form.has_changed(),
        "page": page, "rows": rows, "rows_html": rows_html, "bulk": bulk,
        "bulk_verify": offered["verify"], "bulk_dispose": offered["dispose"], "bulk_archive": offered["archive"],
        "bulk_forms": bulk_forms, "query": params.urlencode(), "now": now,
        "scope_key": hashlib.sha256(scope.encode()).hexdigest(),
        "form_key": form_key(InboxFilterForm, request.GET, scope),
    })


@require_POST
@staff_required
def bulk_verify(request):
    """Verify several reports, each to the agency chosen or the one its own page suggests
    (``actions.suggested_agency``), as the confirmation page listed them: each report's
    fate (``bulk_confirm.verify_fates``) is read again and must be the one confirmed. A
    report whose text names people or gives personal data, and is neither anonymous nor
    confidential, is not published this way (SPEC §12: the safe choice is the default): it
    is left for its own page, where it is offered as confidential."""
    a = actor(request)
    agencies = verify_agencies(a)
    form = BulkVerifyForm(request.POST, agencies=agencies, tracking_ids=request.POST.getlist("reports"))
    if CONFIRM not in request.POST and form.is_valid():
        return bulk_verify_confirm(request, a, form)  # each report's destination, before anything is sent

    def act(fate, data):
        refusal = fate.refusal or changed_since_confirmed(fate, request.POST, agencies)
        if refusal is not None:
            raise ValidationError({"reports": refusal})
        report = services.report_verify(report=fate.report, by=request.user, agency=fate.agency,
                                        note=data["verify_note"])
        return _("#%(id)s diverifikasi dan diteruskan ke %(agency)s.") % {
            "id": report.tracking_id, "agency": report.assigned_agency.name}

    def fates(data):
        return [(fate.tracking_id, fate) for fate in verify_fates(a, data)]

    return _each(request, a, form, act, ticked=fates)


@require_POST
@staff_required
def bulk_dispose(request):
    """Dispose several reports to one unit."""
    a = actor(request)
    form = BulkDisposeForm(request.POST, units=dispose_units(a), tracking_ids=request.POST.getlist("reports"))

    def act(report, data):
        services.report_dispose(report=report, by=request.user, unit=data["unit"], note=data["note"])
        return _("#%(id)s didisposisikan ke %(unit)s.") % {"id": report.tracking_id, "unit": data["unit"].name}

    return _each(request, a, form, act)


@require_POST
@staff_required
def bulk_archive(request):
    """Archive several reports (spam, unintelligible…) with one reason, as a router."""
    a = actor(request)
    form = BulkArchiveForm(request.POST, tracking_ids=request.POST.getlist("reports"))

    def act(report, data):
        services.report_archive(report=report, by=request.user, reason=data["archive_reason"],
                                note=data["archive_note"])
        return _("#%(id)s diarsipkan.") % {"id": report.tracking_id}

    return _each(request, a, form, act)


def _each(request, a: policy.Actor, form, act, *, ticked=None):
    """Apply ``act`` to each ticked report through its service on its own, so that one
    refusal does not stop the others; say how each went. Reports outside this person's
    scope are "not found", as everywhere in the back office. ``ticked``: what ``act`` is
    given for each report, by its tracking ID, from the form's data (by default the
    report itself, None when not found)."""
    if not form.is_valid():
        for name, errors in form.errors.items():
            for error in errors:
                # Said with the field's label: the form is back in the inbox, not beside it.
                messages.error(request, error if name in ("reports", "__all__") else f"{form[name].label}: {error}")
        return redirect(_safe_next(request) or "office:inbox")
    for tracking_id, item in (ticked or (lambda data: _ticked_reports(a, data)))(form.cleaned_data):
        if item is None:
            messages.error(request, _("#%(id)s: laporan tidak ditemukan.") % {"id": tracking_id})
            continue
        try:
            message = act(item, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, f"#{tracking_id}: " + " ".join(m for ms in error.message_dict.values() for m in ms))
        except ReportError as error:
            messages.error(request, f"#{tracking_id}: {error.message}")
        else:
            messages.success(request, message)
    return redirect(_safe_next(request) or "office:inbox")


def _ticked_reports(a: policy.Actor, data) -> list[tuple]:
    """Each report ticked in ``data``, once, in the order ticked: (tracking ID, the report
    or None when this person's scope holds no such report)."""
    wanted = list(dict.fromkeys(data["reports"]))  # one ticked twice (a re-sent form) is one
    found = {r.tracking_id: r for r in policy.scoped_reports(a).filter(tracking_id__in=wanted)}
    return [(tracking_id, found.get(tracking_id)) for tracking_id in wanted]


def _safe_next(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    # Only a path on this site: redirect() would take "abc" for the name of a view (a 500).
    url = request.POST.get("next", "")
    if url.startswith("/") and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return None
