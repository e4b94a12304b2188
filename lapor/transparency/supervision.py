"""What the supervisors' two pages count, defined once: the back office's
``/kantor/pengawasan/`` (any staff member, their scope, the last 30/90/365 days) and
``/kinerja/pengawasan/`` (Inspektorat, Ombudsman, national admin; the public filters).

The definition (docs/transparency.md, "The supervisors' figures"):

- **The period picks reports by the date they were received** (``Report.created_at``, days
  in ``TIME_ZONE``), as the public statistics, the ranking and the monthly report do: one
  period is one set of reports on every page, so an auditor can hold a unit's figures
  against the month's report and the list of reports received.
- Each unit is judged on **its turns** (``Handling``) with those reports, each by its own
  deadline: 5 working days from the turn's arrival (SPEC §4). A turn of a report handed on
  since still counts for the unit that held it.
- **Overdue now** is ``figures.overdue_now_q``: the unit holding the report owes its
  follow-up and the deadline has passed.

Who sees what is ``lapor.reports.policy`` (``scoped_reports``, ``scoped_handlings``);
nothing here widens it.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from lapor.agencies.models import Agency, Role
from lapor.reports import policy
from lapor.reports.enums import Status
from lapor.reports.models import Report
from lapor.transparency import figures
from lapor.transparency.filters import Filters
from lapor.workdays.calendar import deadline_for


def received_within(days: int, *, now=None) -> Filters:
    """The last ``days`` days by date of receipt: today and the ``days - 1`` before it, in
    ``TIME_ZONE``: what ``/kinerja/pengawasan/?dari=…&sampai=…`` reads for the same dates."""
    today = timezone.localdate(now or timezone.now())
    return Filters(date_from=today - datetime.timedelta(days=days - 1), date_to=today)


def scope(actor) -> list[Agency]:
    """The agencies whose subtrees this staff member's supervision figures cover (none
    nested in another): every top-level agency for those who see everything."""
    actor = policy.actor_for(actor) if not isinstance(actor, policy.Actor) else actor
    if actor.has(Role.NATIONAL_ADMIN) or actor.has(Role.IDENTITY_CUSTODIAN):
        return list(Agency.objects.filter(parent__isnull=True).order_by("path"))
    paths = {*actor.paths(Role.AGENCY_ADMIN), *actor.paths(*policy.HANDLER_ROLES), *actor.supervised}
    return [a for a in Agency.objects.filter(path__in=paths).order_by("path")
            if not any(a.path != p and a.path.startswith(p) for p in paths)]


def reports(actor, f: Filters) -> QuerySet:
    """The reports of the period (and the other filters) in this staff member's scope,
    confidential ones included."""
    return f.apply(policy.scoped_reports(actor))


def handlings(actor, f: Filters) -> QuerySet:
    """The turns, at agencies in this staff member's scope, with the reports received in
    the period (those handed on to another government since included)."""
    turns = policy.scoped_handlings(actor)
    if not f.querystring():
        return turns  # every date: no need to ask which reports match
    return turns.filter(report__in=f.apply(Report.objects.all()).values("pk"))


def units(actor, f: Filters, *, within: list[Agency], now=None) -> list[figures.Compliance]:
    """Per unit: turns received, answered on time, due, late, overdue now (and the rest of
    ``figures.Compliance``), by unit path."""
    rows = figures.compliance(reports(actor, f), level="unit", within=within, now=now,
                              handlings=handlings(actor, f))
    return sorted(rows, key=lambda r: r.agency.path)


@dataclass
class Turn:
    """One unit's turn with a report, behind a "late" or "overdue now" figure."""

    report: Report
    unit: Agency
    arrived: datetime.datetime
    deadline: datetime.datetime
    answered: datetime.datetime | None
    left: datetime.datetime | None
    late: bool  # answered after the deadline, or not answered though it passed while the unit held it
    overdue_now: bool  # the unit holds it, owes its follow-up, and the report's deadline has passed
    in_scope: bool  # the report is still in the viewer's scope (else only its number is given)

    @property
    def zone(self) -> str:
        return self.unit.time_zone


def late_turns(actor, f: Filters, *, within: list[Agency], now=None, unit: int | None = None,
               overdue: bool = False, limit: int | None = None) -> list[Turn]:
    """The turns behind the "late" figures of ``units`` (and, with ``overdue``, those behind
    "overdue now" too), oldest arrival first; with ``unit`` (an agency id), that unit's only.

    Working days are not SQL, so the turns are read as plain tuples and judged here by
    ``figures.turn_is_late``, the rule ``figures.compliance`` counts with. A report no
    longer in the viewer's scope (a confidential one handed on to another government) is
    given by number only."""
    now = now or timezone.now()
    days = settings.LAPOR_FIRST_ANSWER_DAYS
    qs = handlings(actor, f).filter(figures.in_subtrees("agency__path", within))
    if unit is not None:
        qs = qs.filter(agency_id=unit)
    rows = qs.order_by("arrived_at", "pk").values_list(
        "agency_id", "agency__time_zone", "arrived_at", "first_answer_at", "left_at", "report_id",
        "report__status", "report__due_at")
    picked, deadlines = [], {}
    for agency_id, zone, arrived, answered, left, report_id, status, due in rows.iterator(chunk_size=2000):
        # The deadline depends on the local day of arrival only: asked once per day and zone.
        day = (timezone.localtime(arrived, ZoneInfo(zone)).date(), zone)
        if day not in deadlines:
            deadlines[day] = deadline_for(arrived, days, zone)
        deadline = deadlines[day]
        late = figures.turn_is_late(figures.local_day(deadline, zone),
                                    answered_day=answered and figures.local_day(answered, zone),
                                    until_day=figures.local_day(left or now, zone))
        # figures.overdue_now_q, read for the turn still open (its unit holds the report now).
        overdue_now = left is None and status == Status.DISPATCHED and due is not None and due < now
        if late or (overdue and overdue_now):
            picked.append((agency_id, arrived, deadline, answered, left, report_id, late, overdue_now))
            if limit is not None and len(picked) >= limit:
                break
    ids = {row[5] for row in picked}
    found = Report.objects.select_related("assigned_agency").in_bulk(ids)
    # A subquery, not the ids: a download may hold 100,000 of them (SQLite's bound parameters).
    in_scope = set(policy.scoped_reports(actor).filter(pk__in=qs.values("report_id")).values_list("pk", flat=True))
    agencies = Agency.objects.in_bulk({row[0] for row in picked})
    return [Turn(report=found[report_id], unit=agencies[agency_id], arrived=arrived, deadline=deadline,
                 answered=answered, left=left, late=late, overdue_now=overdue_now, in_scope=report_id in in_scope)
            for agency_id, arrived, deadline, answered, left, report_id, late, overdue_now in picked]
