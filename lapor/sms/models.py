"""Incoming SMS as Kannel delivered them, once each (SPEC §7: gateway retries never
create duplicates).

A row is written in the same transaction as whatever the message caused (a report, a
status answer), and the unique columns are what make a retry harmless: the second
delivery of a message cannot insert its row, so it finds the first one and answers with
the same reply instead of acting again. Two keys, because duplicates arrive two ways:

- ``gateway_id``: Kannel's own message id (``%I``), the same when smsbox retries the HTTP
  call after a timeout;
- ``fingerprint``: sender + text + the SMSC's timestamp (``%T``), the same when the
  operator's SMSC delivers one message twice and Kannel gives each copy a new id.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundSms(models.Model):
    class Outcome(models.TextChoices):
        REPORT = "report", _("Laporan baru")
        CHECK = "check", _("Cek status")
        # The reporter completes, replies to, rates or reopens their report (LENGKAPI, BALAS, PUAS, BUKA).
        ACTION = "action", _("Tindakan pelapor")
        HELP = "help", _("Bantuan")
        REFUSED = "refused", _("Ditolak")
        # Over the number's limit (lapor/sms/limits.py): not acted on.
        LIMITED = "limited", _("Dibatasi")

    gateway_id = models.CharField(_("id pesan gateway"), max_length=100, null=True, blank=True, unique=True)
    fingerprint = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # The sender as a keyed hash only: the clear number lives encrypted in ReporterProfile.
    sender_hash = models.CharField(max_length=64, db_index=True)
    text = models.TextField(_("isi SMS"), blank=True)
    received_at = models.DateTimeField(_("diterima"), db_index=True)
    outcome = models.CharField(_("hasil"), max_length=10, choices=Outcome.choices)
    report = models.ForeignKey(
        "reports.Report", verbose_name=_("laporan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reply = models.TextField(_("balasan"), blank=True)

    class Meta:
        verbose_name = _("SMS masuk")
        verbose_name_plural = _("SMS masuk")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"
