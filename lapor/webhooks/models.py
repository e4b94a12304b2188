"""Webhooks to connected local systems (SPEC §7): a city's own app learns of every change
to the reports it cares about, signed so it can trust the sender.

A ``Subscriber`` is one receiving URL with its own secret. It receives the events of
reports routed to or handled within its agency's subtree, and of the reports its system
account pushed in through the API. Internal notes and identity reveals are never sent,
nor any personal data of the reporter.

A ``Delivery`` is one event for one subscriber, unique per (subscriber, event), so a fan
out that runs twice sends once. Deliveries are retried with exponential backoff and given
up after ``LAPOR_WEBHOOK_MAX_ATTEMPTS``; the log is in the admin.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.core.crypto import EncryptedTextField


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    name = models.CharField(_("nama sistem"), max_length=100)
    url = models.URLField(_("URL penerima"), max_length=500)
    # Encrypted at rest (FIELD_ENCRYPTION_KEY): with it a copy of the database could sign
    # forged events that the receiving system would trust.
    secret = EncryptedTextField(
        _("rahasia"), default=new_secret,
        help_text=_("Kunci HMAC-SHA256 untuk header X-Lapor-Signature. Berikan kepada pengelola sistem penerima."),
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("instansi"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="webhook_subscribers",
        help_text=_("Kirim peristiwa laporan yang ditujukan/ditangani instansi ini dan unit di bawahnya."),
    )
    system = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun sistem"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Kirim peristiwa laporan yang dikirim akun ini lewat API."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pelanggan webhook")
        verbose_name_plural = _("pelanggan webhook")

    def __str__(self):
        return self.name


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal (tidak dicoba lagi)")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("reports.ReportEvent", on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("kode HTTP terakhir"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["subscriber", "event"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
