"""Deadline countdowns as staff read them: working days left, or overdue (SPEC §4)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lapor.agencies.models import zone_label
from lapor.workdays.calendar import working_days_between


@dataclass(frozen=True)
class Countdown:
    due_at: datetime.datetime
    zone: str
    days_left: int  # working days; 0 = due today; negative = overdue by that many
    overdue: bool

    @property
    def label(self) -> str:
        if self.overdue:
            days = max(1, -self.days_left)
            return ngettext("Terlambat %(n)d hari kerja", "Terlambat %(n)d hari kerja", days) % {"n": days}
        if self.days_left <= 0:
            return _("Tenggat hari ini")
        return ngettext("%(n)d hari kerja lagi", "%(n)d hari kerja lagi", self.days_left) % {"n": self.days_left}

    @property
    def zone_label(self) -> str:
        return zone_label(self.zone)

    @property
    def urgency(self) -> str:
        if self.overdue:
            return "overdue"
        return "soon" if self.days_left <= 1 else "ok"


def countdown(due_at: datetime.datetime | None, zone: str, now: datetime.datetime | None = None) -> Countdown | None:
    if due_at is None:
        return None
    now = now or timezone.now()
    return Countdown(due_at=due_at, zone=zone, days_left=working_days_between(now, due_at, zone), overdue=due_at < now)


def report_countdown(report, now=None) -> Countdown | None:
    return countdown(report.due_at, report.deadline_zone, now)
