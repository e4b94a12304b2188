"""Who is told what, on which channel, and whether it got there (SPEC §4, §7).

A ``Notification`` is one message to one person on one channel about one report event;
the database allows it once per (event, recipient, channel), so fanning an event out
twice (the commit hook and the sweep's catch-up, or two workers) sends it once. In-app
notifications are delivered by being stored; e-mail and SMS are sent by a task, retried
with exponential backoff, and given up after ``LAPOR_NOTIFY_MAX_ATTEMPTS`` (visible in
the admin).

A ``DeadlineAlert`` is the sweep's proof that it reminded, escalated or warned about one
deadline of one report: unique per (report, kind, deadline instant) and written in the
same transaction as the history event, so two sweeps never both act.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


class Preference(models.Model):
    """A person's choice of language and channels. No row: Indonesian, e-mail on, SMS only
    for phone-only (SMS) reporters. In-app notifications are always kept."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    language = models.CharField(_("bahasa"), max_length=5, choices=Language.choices, default=Language.INDONESIAN)
    by_email = models.BooleanField(_("lewat e-mail"), default=True)
    by_sms = models.BooleanField(_("lewat SMS"), default=False)

    class Meta:
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")

    def __str__(self):
        return str(self.user)


class Channel(models.TextChoices):
    IN_APP = "in_app", _("Di aplikasi")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Reason(models.TextChoices):
    """Why someone is told: decides the wording of the message."""

    STATUS = "status", _("Perubahan status laporan Anda")
    ANSWER = "answer", _("Tindak lanjut atas laporan Anda")
    NEW_WORK = "new_work", _("Laporan baru untuk ditangani")
    REMINDER = "reminder", _("Pengingat tenggat")
    ESCALATION = "escalation", _("Eskalasi: tenggat terlewati")
    OUTER_LIMIT = "outer_limit", _("Peringatan batas 60 hari")
    # Not tied to one report's history: an early-warning alert of SILAPAT (lapor/harmony),
    # news from what a citizen follows (an area, a category, a report).
    HARMONY_ALERT = "harmony_alert", _("Peringatan dini kerukunan")
    FOLLOWING = "following", _("Kabar dari yang Anda ikuti")


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal (tidak dicoba lagi)")


class Notification(models.Model):
    # About one report event (the usual case: unique per event, recipient and channel), or
    # about something else named by ``key`` (e.g. "harmony-alert:12"; unique per key,
    # recipient and channel), when ``event`` is empty.
    event = models.ForeignKey("reports.ReportEvent", on_delete=models.CASCADE, related_name="notifications",
                              null=True, blank=True)
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="notifications",
                               null=True, blank=True)
    key = models.CharField(_("kunci"), max_length=100, blank=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    reason = models.CharField(_("alasan"), max_length=20, choices=Reason.choices)
    language = models.CharField(_("bahasa"), max_length=5, choices=Language.choices, default=Language.INDONESIAN)
    # The address is resolved when sending (it may change, and it is personal data that
    # should not be copied in clear into another table).
    subject = models.CharField(_("subjek"), max_length=200)
    body = models.TextField(_("isi"))
    url = models.CharField(_("tautan"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    # A held e-mail of news from what a person follows (lapor/notifications/digest.py): how
    # many pieces it carries; 0 for every other notification.
    gathered = models.PositiveSmallIntegerField(_("kabar terhimpun"), default=0, db_default=0)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient", "channel"], name="notification_once"),
            models.UniqueConstraint(fields=["key", "recipient", "channel"], name="notification_key_once",
                                    condition=models.Q(event__isnull=True)),
            models.CheckConstraint(condition=models.Q(event__isnull=False) | ~models.Q(key=""),
                                   name="notification_about_something"),
        ]
        indexes = [
            # The delivery loop's claim: pending rows whose next attempt is due.
            models.Index(fields=["next_attempt_at"], name="notification_due",
                         condition=models.Q(status="pending")),
            # The notification centre: a person's in-app list and unread count.
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
        ]

    def __str__(self):
        # No recipient: the admin lists these beside their report, and the reporter of an
        # anonymous one must not be named there (lapor/notifications/admin.py).
        return f"{self.get_channel_display()} #{self.pk}: {self.subject}"


class EventFanout(models.Model):
    """Marks a report event whose notifications have been created, so the sweep's
    catch-up (for events whose commit hook never ran, e.g. a crash) skips it cheaply."""

    event = models.OneToOneField("reports.ReportEvent", on_delete=models.CASCADE, primary_key=True,
                                 related_name="fanout")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("sebaran notifikasi")
        verbose_name_plural = _("sebaran notifikasi")


class AlertKind(models.TextChoices):
    REMINDER = "reminder", _("Pengingat")
    ESCALATION = "escalation", _("Eskalasi")
    OUTER_LIMIT = "outer_limit", _("Peringatan batas 60 hari")


class DeadlineAlert(models.Model):
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="deadline_alerts")
    kind = models.CharField(max_length=12, choices=AlertKind.choices)
    deadline = models.DateTimeField(_("tenggat"))
    event = models.OneToOneField("reports.ReportEvent", on_delete=models.CASCADE, related_name="deadline_alert")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("peringatan tenggat")
        verbose_name_plural = _("peringatan tenggat")
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "deadline"], name="deadline_alert_once"),
        ]

    def __str__(self):
        return f"{self.report.tracking_id} {self.kind} {self.deadline:%Y-%m-%d %H:%M}"
