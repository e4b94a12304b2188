"""Supervision (Inspektorat, Ombudsman; admins for their own trees): overdue work,
escalations, identity reveals and per-unit compliance across the scope, read-only."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from lapor.agencies.models import Role
from lapor.audit.selectors import may_read_audit_log
from lapor.office.access import actor, staff_required
from lapor.office.deadlines import report_countdown
from lapor.reports import policy
from lapor.reports.enums import Action, Status
from lapor.reports.models import ReportEvent
from lapor.transparency import exports
from lapor.transparency import supervision as oversight

WORK_STATUSES = (Status.SUBMITTED, Status.POSTPONED, Status.DISPATCHED)  # waiting on an office, not the citizen
LIST_LIMIT = 100
PERIODS = (30, 90, 365)


def overdue_reports(a, now):
    """All late work in scope now, whenever received: verification past its 3 working days,
    a follow-up past its 5, or an open report past the 60 days of Perpres 76/2013. A work
    list; the per-unit figures below count the period's reports (``oversight``)."""
    return policy.scoped_reports(a).filter(
        Q(status__in=WORK_STATUSES, due_at__lt=now) | Q(status__in=Status.open(), outer_due_at__lt=now)
    )


ALERTS = (Action.ESCALATE, Action.OUTER_LIMIT_WARNING)


def _alert_deadline(event):
    """The deadline an escalation or 60-day warning was raised for (the sweep keeps it in
    the event's data), or None for an older event without it."""
    try:
        return datetime.datetime.fromisoformat((event.data or {})["deadline"])
    except (KeyError, TypeError, ValueError):
        return None


def _days(request) -> int:
    try:
        days = int(request.GET.get("hari", 90))
    except ValueError:
        days = 90
    return days if days in PERIODS else 90


@staff_required
def supervision(request):
    a = actor(request)
    now = timezone.now()
    days = _days(request)
    try:
        unit = int(request.GET.get("unit", ""))
    except ValueError:
        unit = None
    overdue_qs = overdue_reports(a, now)
    overdue = [
        {"report": r, "countdown": report_countdown(r, now), "outer_passed": r.outer_due_at is not None and r.outer_due_at < now}
        for r in overdue_qs.select_related("assigned_agency", "addressed_agency", "category").order_by("due_at")[:LIST_LIMIT]
    ]
    scoped = policy.scoped_reports(a)
    # Each time in its report's zone (its agencies read with it), as the overdue list gives them.
    events = ReportEvent.objects.filter(report__in=scoped.values("pk")).select_related(
        "report__assigned_agency", "report__addressed_agency", "agency")
    # Escalations past a working-day deadline and warnings of the 60-day limit (Perpres
    # 76/2013), each with the deadline it was raised for: the sweep writes no text.
    escalations = [{"event": e, "deadline": _alert_deadline(e), "zone": (e.data or {}).get("zone") or e.report.deadline_zone}
                   for e in events.filter(action__in=ALERTS).order_by("-at")[:LIST_LIMIT]]
    reveals = events.filter(action=Action.REVEAL_IDENTITY).select_related("actor").order_by("-at")[:LIST_LIMIT]
    # The per-unit figures are /kinerja/pengawasan/'s for the same dates: one definition.
    period = oversight.received_within(days, now=now)
    within = oversight.scope(a)
    units = oversight.units(a, period, within=within, now=now)
    chosen = next((u for u in units if u.agency.pk == unit), None)
    late_rows = oversight.late_turns(a, period, within=within, now=now, unit=unit, limit=LIST_LIMIT) if chosen else []
    return render(request, "office/supervision.html", {
        "overdue": overdue, "overdue_count": overdue_qs.count(), "escalations": escalations, "reveals": reveals,
        "units": units, "days": days, "periods": PERIODS, "limit": settings.LAPOR_FIRST_ANSWER_DAYS,
        "period": period, "period_zone": exports.zone_label(settings.TIME_ZONE), "list_limit": LIST_LIMIT, "audit_log": may_read_audit_log(a), "chosen": chosen,
        "late_rows": late_rows, "twin": _twin(a, period),
    })


def _twin(a, period) -> str | None:
    """The same figures on /kinerja/pengawasan/ (same dates), for those who may open it."""
    if not (a.has(Role.NATIONAL_ADMIN) or a.supervised):
        return None
    return "/kinerja/pengawasan/?" + period.querystring()


# The columns of the download of late and overdue turns: what the page shows of them,
# nothing about the reporter (the page names none; an anonymous reporter stays so).
# Times in TIME_ZONE with the zone named on every row, as every export of ours.
LATE_COLUMNS = ["nomor", "judul", "rahasia", "unit", "diterima", "tiba_di_unit", "tenggat",
                "tindak_lanjut_pertama", "diserahkan_kembali", "status", "terlambat_dijawab",
                "lewat_tenggat_kini", "tautan", "zona"]


def _late_rows(turns):
    zone = exports.zone_label(settings.TIME_ZONE)
    for t in turns:
        r = t.report
        shown = t.in_scope  # one handed on out of the viewer's scope since: its number only
        yield [
            r.tracking_id, r.title if shown else "", ("ya" if r.is_confidential else "tidak") if shown else "",
            t.unit.name, exports.local(r.created_at) if shown else None, exports.local(t.arrived),
            exports.local(t.deadline), exports.local(t.answered), exports.local(t.left),
            r.status_label if shown else "", "ya" if t.late else "tidak", "ya" if t.overdue_now else "tidak",
            f"{settings.LAPOR_SITE_URL}/kantor/laporan/{r.tracking_id}/" if shown else "", zone,
        ]


@staff_required
def supervision_export(request, fmt):
    """The turns behind the page's "late" and "overdue now" figures, for the same period
    (``?hari=``), as CSV or XLSX: a supervisor reads, and takes the list away."""
    a = actor(request)
    now = timezone.now()
    days = _days(request)
    turns = oversight.late_turns(a, oversight.received_within(days, now=now), within=oversight.scope(a), now=now,
                                 overdue=True, limit=exports.MAX_ROWS)
    return exports.table_response(LATE_COLUMNS, _late_rows(turns), fmt,
                                  f"pengawasan-terlambat-{days}-hari-{timezone.localdate(now).isoformat()}", "Terlambat")
