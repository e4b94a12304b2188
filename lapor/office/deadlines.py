"""Deadline countdowns as staff read them: working days left, or overdue (SPEC §4)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lapor.agencies.models import zone_label
from lapor.workdays.calendar import working_days_between


@dataclass(frozen=True)
class Countdown:
    due_at: datetime.datetime
    zone: str
    days_left: int  # working days (calendar days if ``calendar``); 0 = due today; negative = overdue
    overdue: bool
    # The 60-day limit of Perpres 76/2013 counts calendar days, not working days.
    calendar: bool = False

    @property
    def label(self) -> str:
        if self.calendar:
            return self._calendar_label()
        if self.overdue:
            days = max(1, -self.days_left)
            return ngettext("Terlambat %(n)d hari kerja", "Terlambat %(n)d hari kerja", days) % {"n": days}
        if self.days_left <= 0:
            return _("Tenggat hari ini")
        return ngettext("%(n)d hari kerja lagi", "%(n)d hari kerja lagi", self.days_left) % {"n": self.days_left}

    def _calendar_label(self) -> str:
        if self.overdue:
            days = max(1, -self.days_left)
            return ngettext("Terlambat %(n)d hari", "Terlambat %(n)d hari", days) % {"n": days}
        if self.days_left <= 0:
            return _("Batas hari ini")
        return ngettext("%(n)d hari lagi", "%(n)d hari lagi", self.days_left) % {"n": self.days_left}

    @property
    def zone_label(self) -> str:
        return zone_label(self.zone)

    @property
    def urgency(self) -> str:
        if self.overdue:
            return "overdue"
        return "soon" if self.days_left <= 1 else "ok"


def countdown(due_at: datetime.datetime | None, zone: str, now: datetime.datetime | None = None, *,
              calendar: bool = False) -> Countdown | None:
    """Working days left to ``due_at`` (or calendar days, with ``calendar``), read in ``zone``."""
    if due_at is None:
        return None
    now = now or timezone.now()
    if calendar:
        tz = ZoneInfo(zone)
        days_left = (due_at.astimezone(tz).date() - now.astimezone(tz).date()).days
    else:
        days_left = working_days_between(now, due_at, zone)
    return Countdown(due_at=due_at, zone=zone, days_left=days_left, overdue=due_at < now, calendar=calendar)


def report_countdown(report, now=None) -> Countdown | None:
    return countdown(report.due_at, report.deadline_zone, now)
