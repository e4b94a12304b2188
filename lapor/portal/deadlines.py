"""What the citizen is told about time: whose move it is and by when (SPEC §4)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import zone_label
from lapor.reports.enums import Status
from lapor.workdays.calendar import working_days_between


WAITING_FOR = {
    Status.SUBMITTED: _("Admin memverifikasi laporan dan meneruskannya ke instansi yang berwenang."),
    Status.POSTPONED: _("Admin masih memeriksa laporan (mungkin menghubungi Anda); batas waktunya tetap berjalan."),
    Status.RETURNED: _("Laporan dikembalikan: lengkapi yang diminta, atau laporan akan diarsipkan."),
    Status.DISPATCHED: _("Instansi yang berwenang wajib memberi tindak lanjut."),
    Status.IN_PROGRESS: _("Instansi sudah menindaklanjuti. Tanggapi bila belum puas, atau beri penilaian; tanpa "
                          "tanggapan laporan selesai dengan sendirinya."),
}


@dataclass(frozen=True)
class Deadline:
    at: datetime  # in the responsible zone
    zone_label: str
    working_days_left: int
    what: str
    # The outer limit: settled within 60 days of being complete (Perpres 76/2013), in the
    # same zone; None while the report is incomplete (returned) or has none.
    outer_at: datetime | None = None

    @property
    def outer_overdue(self) -> bool:
        return self.outer_at is not None and self.outer_at < timezone.now()

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0 or self.at < timezone.now()


def current_deadline(report, *, now: datetime | None = None) -> Deadline | None:
    if report.due_at is None or report.status not in WAITING_FOR:
        return None
    zone = report.deadline_zone
    now = now or timezone.now()
    return Deadline(
        at=report.due_at.astimezone(ZoneInfo(zone)),
        zone_label=zone_label(zone),
        working_days_left=working_days_between(now, report.due_at, zone),
        what=WAITING_FOR[report.status],
        outer_at=report.outer_due_at.astimezone(ZoneInfo(zone)) if report.outer_due_at else None,
    )


def in_zone(moment: datetime | None, zone: str) -> datetime | None:
    return moment.astimezone(ZoneInfo(zone)) if moment else None
