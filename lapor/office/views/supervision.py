"""Supervision (Inspektorat, Ombudsman; admins for their own trees): overdue work,
escalations, identity reveals and per-unit compliance across the scope, read-only."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from lapor.audit.selectors import may_read_audit_log
from lapor.office.access import actor, staff_required
from lapor.office.deadlines import report_countdown
from lapor.reports import policy
from lapor.reports.enums import Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.workdays.calendar import deadline_for

WORK_STATUSES = (Status.SUBMITTED, Status.POSTPONED, Status.DISPATCHED)  # waiting on an office, not the citizen
LIST_LIMIT = 100
PERIODS = (30, 90, 365)


def overdue_reports(a, now):
    return policy.scoped_reports(a).filter(
        Q(status__in=WORK_STATUSES, due_at__lt=now) | Q(status__in=Status.open(), outer_due_at__lt=now)
    )


def compliance(a, now, days: int, *, unit: int | None = None) -> tuple[list[dict], list[dict]]:
    """Per unit, for the handlings that began in the last ``days`` days (each agency's turn
    with a report: one handed on as "bukan wewenang" still counts for the unit that held
    it): the share first answered within the working-day limit, and how many wait past
    their deadline. With ``unit`` (an agency id), also the handlings of that unit behind
    its "late" figure, one row each, oldest arrival first: the supervisor's drill-down.

    Working days are not SQL, so the rows are read as plain tuples and counted here."""
    limit = settings.LAPOR_FIRST_ANSWER_DAYS
    rows = (
        policy.scoped_handlings(a)
        .filter(arrived_at__gte=now - datetime.timedelta(days=days))
        .order_by("arrived_at", "pk")
        .values_list("agency_id", "agency__name", "agency__path", "agency__time_zone", "arrived_at",
                     "first_answer_at", "left_at", "report__status", "report__due_at", "report_id")
    )
    units: dict[int, dict] = {}
    late_rows: list[dict] = []
    for agency_id, name, path, zone, arrived, first_answer, left, status, due, report_id in rows:
        unit_row = units.setdefault(agency_id, {"id": agency_id, "name": name, "path": path, "received": 0,
                                                "on_time": 0, "late": 0, "overdue": 0})
        unit_row["received"] += 1
        deadline = deadline_for(arrived, limit, zone)
        late = False
        if first_answer is not None:
            late = first_answer > deadline
            unit_row["late" if late else "on_time"] += 1
        elif (left or now) > deadline:
            late = True
            unit_row["late"] += 1
        if left is None and status == Status.DISPATCHED and due is not None and due < now:
            unit_row["overdue"] += 1
        if late and agency_id == unit:
            late_rows.append({"report_id": report_id, "zone": zone, "arrived": arrived, "deadline": deadline,
                              "answered": first_answer, "left": left})
    result = sorted(units.values(), key=lambda u: u["path"])
    for unit_row in result:
        # A fraction, written as the public pages write it ("66,7% (2/3)": transparency's ``pct``).
        unit_row["decided"] = unit_row["on_time"] + unit_row["late"]
        unit_row["share"] = unit_row["on_time"] / unit_row["decided"] if unit_row["decided"] else None
    late_rows = late_rows[:LIST_LIMIT]  # the oldest: a year of a large unit's late answers is no page
    if late_rows:
        reports = Report.objects.in_bulk([r["report_id"] for r in late_rows])
        for row in late_rows:
            row["report"] = reports[row["report_id"]]
    return result, late_rows


ALERTS = (Action.ESCALATE, Action.OUTER_LIMIT_WARNING)


def _alert_deadline(event):
    """The deadline an escalation or 60-day warning was raised for (the sweep keeps it in
    the event's data), or None for an older event without it."""
    try:
        return datetime.datetime.fromisoformat((event.data or {})["deadline"])
    except (KeyError, TypeError, ValueError):
        return None


@staff_required
def supervision(request):
    a = actor(request)
    now = timezone.now()
    try:
        days = int(request.GET.get("hari", 90))
    except ValueError:
        days = 90
    days = days if days in PERIODS else 90
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
    units, late_rows = compliance(a, now, days, unit=unit)
    chosen = next((u for u in units if u["id"] == unit), None)
    return render(request, "office/supervision.html", {
        "overdue": overdue, "overdue_count": overdue_qs.count(), "escalations": escalations, "reveals": reveals,
        "units": units, "days": days, "periods": PERIODS, "limit": settings.LAPOR_FIRST_ANSWER_DAYS,
        "list_limit": LIST_LIMIT, "audit_log": may_read_audit_log(a), "chosen": chosen, "late_rows": late_rows,
    })
