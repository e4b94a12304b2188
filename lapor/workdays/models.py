from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """An administrator's correction of the holiday calendar for one date.

    The ``holidays`` package knows national holidays and cuti bersama as decreed; a
    decree that changes late (a moved holiday, an extra joint-leave day, a regional
    election day) is entered here and wins over the package.
    """

    date = models.DateField(_("tanggal"), unique=True)
    is_working_day = models.BooleanField(
        _("hari kerja"), help_text=_("Centang bila tanggal ini hari kerja; kosongkan bila hari libur.")
    )
    note = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        verbose_name = _("koreksi hari kerja")
        verbose_name_plural = _("koreksi hari kerja")
        ordering = ["date"]

    def __str__(self):
        kind = _("hari kerja") if self.is_working_day else _("libur")
        return f"{self.date:%Y-%m-%d} ({kind}): {self.note}"
