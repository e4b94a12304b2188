from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from lapor.workdays import calendar


def _overrides_changed():
    # Now, so that this process (and this transaction) sees the change at once; and again
    # on commit, because another process may have reloaded the old rows in between.
    calendar.overrides_changed()
    transaction.on_commit(calendar.overrides_changed)


class WorkdayOverrideQuerySet(models.QuerySet):
    """Bulk writes bypass save()/delete(), and the admin's "delete selected" is one."""

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        _overrides_changed()
        return created

    def bulk_update(self, *args, **kwargs):
        updated = super().bulk_update(*args, **kwargs)
        _overrides_changed()
        return updated

    def update(self, **kwargs):
        updated = super().update(**kwargs)
        _overrides_changed()
        return updated

    def delete(self):
        deleted = super().delete()
        _overrides_changed()
        return deleted


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

    objects = WorkdayOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("koreksi hari kerja")
        verbose_name_plural = _("koreksi hari kerja")
        ordering = ["date"]

    def __str__(self):
        kind = _("hari kerja") if self.is_working_day else _("libur")
        return f"{self.date:%Y-%m-%d} ({kind}): {self.note}"

    def save(self, *args, **kwargs):
        """Save, and make every process reload the override calendar."""
        super().save(*args, **kwargs)
        _overrides_changed()

    def delete(self, *args, **kwargs):
        """Delete, and make every process reload the override calendar."""
        deleted = super().delete(*args, **kwargs)
        _overrides_changed()
        return deleted
