"""What makes retried API writes safe (SPEC §7).

``IdempotencyKey``: a client that sends ``Idempotency-Key`` with a submit and retries it
(a mobile app on a bad connection) gets the first answer again; the unique constraint on
(user, key) makes two concurrent copies queue, the second finding the first's report.

``ExternalReference``: a connected system (a city's own app) pushes a report with its own
id; the unique (system, external_id) makes a second push of that id return the same
report, whenever it comes, and lets status changes go back under that id (webhooks).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # What the request carried, so reusing a key for a different report is refused.
    request_hash = models.CharField(max_length=64)
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("kunci idempotensi")
        verbose_name_plural = _("kunci idempotensi")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]


class ExternalReference(models.Model):
    system = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sistem terhubung"), on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(_("id eksternal"), max_length=100)
    # Empty only inside the transaction that claims the id and files the report.
    report = models.ForeignKey(
        "reports.Report", verbose_name=_("laporan"), null=True, on_delete=models.CASCADE,
        related_name="external_references",
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rujukan eksternal")
        verbose_name_plural = _("rujukan eksternal")
        constraints = [
            models.UniqueConstraint(fields=["system", "external_id"], name="external_id_once_per_system"),
        ]

    def __str__(self):
        return f"{self.system} {self.external_id} → {self.report_id}"


class ApiToken(models.Model):
    """A key to the REST API, kept as its keyed hash (``lapor.api.tokens``): the key itself
    is shown once, when issued, so a copy of the database opens no one's account. One
    person may hold several (one per device, or per connected system); deleting one
    revokes it alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("keterangan"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("diterbitkan"), editable=False)
    # Issued for a password alone (/api/v1/auth/token/), not by an administrator: it never
    # carries staff rights, which take a second factor (the account may be made staff later).
    by_password = models.BooleanField(_("dengan kata sandi saja"), default=False, editable=False)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_newest")]

    def __str__(self):
        return f"{self.user} · {self.label}" if self.label else str(self.user)
