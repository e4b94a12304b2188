"""Deadlines follow a correction of the holiday calendar (SPEC §4: an administrator extends
or corrects the holidays per year).

A deadline is the end of the N-th working day after the event that started its clock. When
an administrator declares a future date a day off (a late cuti bersama, an election day) or
a working day, every stored deadline counted over that date moves by the working days it
gained or lost: the answer due dates of open reports (``due_at``) and the reopening window
of closed ones (``reopen_until``). Only dates after today move anything: a correction of
today or of the past leaves deadlines as they were counted, and the clock of a report that
started today is not known apart from one that started earlier.

The clock's start is not stored; it is not needed. With T = today and L = a deadline's
local day, the working days in (T, L] under the old calendar are those under the new one,
less what the corrected dates in (T, L] gained; the new deadline is the end of that many
working days after today under the new calendar. Reports sharing a deadline (every
deadline is 23:59:59 in its zone) move together. Every move (old deadline → new) is
decided first, then made by reading the reports in order of id, a batch per transaction,
each once, with one UPDATE (a CASE of old → new) per batch: a report moved onto a day that
is another's old deadline is behind the cursor and never moved again.

Each report moved gets an entry in its history (SPEC §3: every change to a report is an
event), by the system, saying the new deadline; no person is sent a message about it (a
national day off may move every open report in the country at once); connected systems'
webhooks carry it as every other entry.
"""
from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from lapor.agencies.models import TimeZone
from lapor.reports.enums import Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.workdays.calendar import deadline_for, ends_a_day, is_working_day, working_days_between

log = logging.getLogger(__name__)

FIELDS = (("due_at", Status.open()), ("reopen_until", {Status.CLOSED}))
# Reports moved (and their history entries written) per transaction.
ROWS_PER_BATCH = 2000


def _zone_of(moment: datetime.datetime) -> str | None:
    """The zone in which this deadline is the end of a day (deadline_for's 23:59:59)."""
    for zone in dict.fromkeys([settings.LAPOR_DEFAULT_ZONE, *TimeZone.values]):
        if ends_a_day(moment, zone):
            return zone
    return None


def deadlines_follow_calendar(changed: dict[datetime.date, bool], *, now: datetime.datetime | None = None) -> int:
    """Move the stored deadlines that ``changed`` (date → was it a working day) affects.
    Returns how many reports got a new deadline. Side effects: ``due_at`` of open reports
    and ``reopen_until`` of closed ones, and a ``move_deadline`` entry in each one's
    history; nothing else (the countdowns, reminders and escalations read the new values)."""
    now = now or timezone.now()
    moved = 0
    for field, statuses in FIELDS:
        moments = (Report.objects.filter(status__in=statuses, **{f"{field}__gt": now})
                   .order_by().values_list(field, flat=True).distinct())
        moves = {moment: new for moment in moments if (new := _moved(moment, changed, now)) != moment}
        # Reports are visited once each, in order of id, a batch at a time: one moved onto a
        # day that is another's old deadline is behind the cursor and never moved again.
        after = 0
        while moves:
            count, after = _move(field, statuses, moves, changed, now, after)
            if not count:
                break
            moved += count
    if moved:
        log.info("calendar corrected (%s): %d deadlines moved",
                 ", ".join(f"{d:%Y-%m-%d}" for d in sorted(changed)), moved)
    return moved


@transaction.atomic
def _move(field: str, statuses, moves: dict, changed: dict[datetime.date, bool], now: datetime.datetime,
          after: int) -> tuple[int, int]:
    """Move the next batch of reports (ids above ``after``) whose ``field`` is an old
    deadline of ``moves`` to its new one, and write it in their histories. Returns how
    many moved and the last id seen."""
    from lapor.notifications.models import EventFanout

    rows = list(Report.objects.select_for_update().filter(pk__gt=after, status__in=statuses,
                                                          **{f"{field}__in": list(moves)})
                .order_by("pk").values_list("pk", field, "status", "assigned_agency_id")[:ROWS_PER_BATCH])
    if not rows:
        return 0, after
    olds = {old for _pk, old, *_rest in rows}
    Report.objects.filter(pk__in=[pk for pk, *_rest in rows]).update(**{field: Case(
        *(When(**{field: old}, then=Value(moves[old])) for old in olds), default=F(field))})
    dates = [f"{day:%Y-%m-%d}" for day in sorted(changed)]
    events = ReportEvent.objects.bulk_create([
        ReportEvent(report_id=pk, at=now, actor=None, actor_role="system", action=Action.MOVE_DEADLINE,
                    from_status=status, to_status=status, agency_id=agency_id,
                    data={"field": field, "from": old.isoformat(), "deadline": moves[old].isoformat(),
                          "calendar": dates})
        for pk, old, status, agency_id in rows
    ], batch_size=1000)
    # Nobody is told (no recipient): marked done, so the sweep's catch-up does not fan them out.
    EventFanout.objects.bulk_create([EventFanout(event_id=e.pk, at=now) for e in events], batch_size=1000)
    return len(rows), rows[-1][0]


def _moved(moment: datetime.datetime, changed: dict[datetime.date, bool], now: datetime.datetime) -> datetime.datetime:
    """Where a deadline counted before the correction now falls."""
    zone = _zone_of(moment)
    if zone is None:
        return moment  # not counted in working days (e.g. an imported report's own date)
    tz = ZoneInfo(zone)
    today, last = now.astimezone(tz).date(), moment.astimezone(tz).date()
    gained = sum(int(is_working_day(day)) - int(was) for day, was in changed.items() if today < day <= last)
    if not gained:
        return moment
    counted = working_days_between(now, moment, zone) - gained  # as the deadline was counted
    return deadline_for(now, counted, zone) if counted >= 1 else moment


def on_calendar_corrected(sender, changed, **kwargs) -> None:
    deadlines_follow_calendar(changed)
