from django.db import models, transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from lapor.workdays import calendar

# Sent inside the correction's transaction when it turns dates into working days or days
# off: ``changed`` maps each such date to whether it *was* a working day. Deadlines already
# counted over those dates follow (lapor/reports/recalendar.py records the correction in
# the same transaction, so that a crash after the commit cannot lose it).
calendar_corrected = Signal()


def _overrides_changed(dates=(), was=None):
    """Make every process reload the overrides and, for ``dates`` whose working-day
    status differs from ``was`` (their status before the write), send
    ``calendar_corrected``."""
    # Now, so that this process (and this transaction) sees the change at once; and again
    # on commit, because another process may have reloaded the old rows in between.
    calendar.overrides_changed()
    transaction.on_commit(calendar.overrides_changed)
    changed = {day: was[day] for day in dates if was is not None and calendar.is_working_day(day) != was[day]}
    if changed:
        calendar_corrected.send(sender=WorkdayOverride, changed=changed)


def _correcting(dates, write):
    """Run ``write`` (which changes the overrides of ``dates``) and then tell every process,
    and the deadlines, what changed (``_overrides_changed``). Returns what ``write`` did."""
    dates = list(dates)
    with transaction.atomic():  # the correction and its record (calendar_corrected) together
        was = {day: calendar.is_working_day(day) for day in dates}
        result = write()
        _overrides_changed(dates, was)
    return result


class WorkdayOverrideQuerySet(models.QuerySet):
    """Bulk writes bypass save()/delete(), and the admin's "delete selected" is one."""

    def bulk_create(self, objs, *args, **kwargs):
        objs, write = list(objs), super().bulk_create
        return _correcting([o.date for o in objs], lambda: write(objs, *args, **kwargs))

    def bulk_update(self, objs, *args, **kwargs):
        objs, write = list(objs), super().bulk_update
        return _correcting([o.date for o in objs], lambda: write(objs, *args, **kwargs))

    def update(self, **kwargs):
        write = super().update
        return _correcting(self.values_list("date", flat=True), lambda: write(**kwargs))

    def delete(self):
        return _correcting(self.values_list("date", flat=True), super().delete)


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
        """Save, make every process reload the override calendar, and move the deadlines
        the correction changes (``calendar_corrected``)."""
        dates = {self.date}
        if self.pk is not None:  # the date itself may have been corrected
            dates |= set(WorkdayOverride.objects.filter(pk=self.pk).values_list("date", flat=True))
        _correcting(dates, lambda: super(WorkdayOverride, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        """Delete, make every process reload the override calendar, and move the deadlines
        the correction changes (``calendar_corrected``)."""
        return _correcting([self.date], lambda: super(WorkdayOverride, self).delete(*args, **kwargs))
