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
from lapor.reports.models import ReportEvent
from lapor.workdays.calendar import deadline_for

WORK_STATUSES = (Status.SUBMITTED, Status.POSTPONED, Status.DISPATCHED)  # waiting on an office, not the citizen
LIST_LIMIT = 100
PERIODS = (30, 90, 365)


def overdue_reports(a, now):
    return policy.scoped_reports(a).filter(
        Q(status__in=WORK_STATUSES, due_at__lt=now) | Q(status__in=Status.open(), outer_due_at__lt=now)
    )


def compliance(a, now, days: int) -> list[dict]:
    """Per unit, for the handlings that began in the last ``days`` days (each agency's turn
    with a report: one handed on as "bukan wewenang" still counts for the unit that held
    it): the share first answered within the working-day limit, and how many wait past
    their deadline.

    Working days are not SQL, so the rows are read as plain tuples and counted here."""
    limit = settings.LAPOR_FIRST_ANSWER_DAYS
    rows = (
        policy.scoped_handlings(a)
        .filter(arrived_at__gte=now - datetime.timedelta(days=days))
        .values_list("agency_id", "agency__name", "agency__path", "agency__time_zone", "arrived_at",
                     "first_answer_at", "left_at", "report__status", "report__due_at")
    )
    units: dict[int, dict] = {}
    for agency_id, name, path, zone, arrived, first_answer, left, status, due in rows:
        unit = units.setdefault(agency_id, {"name": name, "path": path, "received": 0, "on_time": 0, "late": 0,
                                            "overdue": 0})
        unit["received"] += 1
        deadline = deadline_for(arrived, limit, zone)
        if first_answer is not None:
            unit["on_time" if first_answer <= deadline else "late"] += 1
        elif (left or now) > deadline:
            unit["late"] += 1
        if left is None and status == Status.DISPATCHED and due is not None and due < now:
            unit["overdue"] += 1
    result = sorted(units.values(), key=lambda u: u["path"])
    for unit in result:
        # A fraction, written as the public pages write it ("66,7% (2/3)": transparency's ``pct``).
        unit["decided"] = unit["on_time"] + unit["late"]
        unit["share"] = unit["on_time"] / unit["decided"] if unit["decided"] else None
    return result


@staff_required
def supervision(request):
    a = actor(request)
    now = timezone.now()
    try:
        days = int(request.GET.get("hari", 90))
    except ValueError:
        days = 90
    days = days if days in PERIODS else 90
    overdue_qs = overdue_reports(a, now)
    overdue = [
        {"report": r, "countdown": report_countdown(r, now), "outer_passed": r.outer_due_at is not None and r.outer_due_at < now}
        for r in overdue_qs.select_related("assigned_agency", "addressed_agency", "category").order_by("due_at")[:LIST_LIMIT]
    ]
    scoped = policy.scoped_reports(a)
    # Each time in its report's zone (its agencies read with it), as the overdue list gives them.
    events = ReportEvent.objects.filter(report__in=scoped.values("pk")).select_related(
        "report__assigned_agency", "report__addressed_agency", "agency")
    escalations = events.filter(action=Action.ESCALATE).order_by("-at")[:LIST_LIMIT]
    reveals = events.filter(action=Action.REVEAL_IDENTITY).select_related("actor").order_by("-at")[:LIST_LIMIT]
    return render(request, "office/supervision.html", {
        "overdue": overdue, "overdue_count": overdue_qs.count(), "escalations": escalations, "reveals": reveals,
        "units": compliance(a, now, days), "days": days, "periods": PERIODS, "limit": settings.LAPOR_FIRST_ANSWER_DAYS,
        "list_limit": LIST_LIMIT, "audit_log": may_read_audit_log(a),
    })
