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
deadline is 23:59:59 in its zone) move together, in one UPDATE each.
"""
from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from lapor.agencies.models import TimeZone
from lapor.reports.enums import Status
from lapor.reports.models import Report
from lapor.workdays.calendar import END_OF_DAY, deadline_for, is_working_day, working_days_between

log = logging.getLogger(__name__)

FIELDS = (("due_at", Status.open()), ("reopen_until", {Status.CLOSED}))


def _zone_of(moment: datetime.datetime) -> str | None:
    """The zone in which this deadline is the end of a day (deadline_for's 23:59:59)."""
    for zone in dict.fromkeys([settings.LAPOR_DEFAULT_ZONE, *TimeZone.values]):
        if moment.astimezone(ZoneInfo(zone)).time().replace(microsecond=0) == END_OF_DAY:
            return zone
    return None


def deadlines_follow_calendar(changed: dict[datetime.date, bool], *, now: datetime.datetime | None = None) -> int:
    """Move the stored deadlines that ``changed`` (date → was it a working day) affects.
    Returns how many reports got a new deadline. Side effects: ``due_at`` of open reports
    and ``reopen_until`` of closed ones; nothing else (the countdowns, reminders and
    escalations read the new values)."""
    now = now or timezone.now()
    moved = 0
    for field, statuses in FIELDS:
        moments = (Report.objects.filter(status__in=statuses, **{f"{field}__gt": now})
                   .order_by().values_list(field, flat=True).distinct())
        for moment in moments:
            zone = _zone_of(moment)
            if zone is None:
                continue  # not counted in working days (e.g. an imported report's own date)
            tz = ZoneInfo(zone)
            today, last = now.astimezone(tz).date(), moment.astimezone(tz).date()
            gained = sum(int(is_working_day(day)) - int(was) for day, was in changed.items() if today < day <= last)
            if not gained:
                continue
            counted = working_days_between(now, moment, zone) - gained  # as the deadline was counted
            new = deadline_for(now, counted, zone) if counted >= 1 else moment
            if new != moment:
                moved += Report.objects.filter(status__in=statuses, **{field: moment}).update(**{field: new})
    if moved:
        log.info("calendar corrected (%s): %d deadlines moved",
                 ", ".join(f"{d:%Y-%m-%d}" for d in sorted(changed)), moved)
    return moved


def on_calendar_corrected(sender, changed, **kwargs) -> None:
    deadlines_follow_calendar(changed)
