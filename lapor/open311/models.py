"""Open311 clients: who may file reports and updates through GeoReport v2 (SPEC §7).

An ``api_key`` belongs to one connected client (a civic-reporting app such as
FixMyStreet, a city's own app) and acts as one account: reports it files are that
account's, updates it posts are checked against that account's roles by the policy.
Only the key's keyed hash is stored (``key_digest``): the key is shown once, when issued,
so a copy of the database cannot file or update reports as the client.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.core.crypto import lookup_hash


def new_api_key() -> str:
    return secrets.token_urlsafe(24)


def api_key_digest(key: str) -> str:
    return lookup_hash(f"open311-api-key:{key}")


class Client(models.Model):
    name = models.CharField(_("nama aplikasi"), max_length=100)
    key_digest = models.CharField(max_length=64, unique=True, null=True, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.PROTECT, related_name="+",
        help_text=_("Akun yang dipakai aplikasi ini: pelapor atas laporan yang dikirimnya; staf bila mengirim tindak lanjut."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("klien Open311")
        verbose_name_plural = _("klien Open311")

    def __str__(self):
        return self.name

    def issue_key(self) -> str:
        """A new api_key for this client, replacing any earlier one; returns the key, which
        is not stored (save the client to put it in force)."""
        key = new_api_key()
        self.key_digest = api_key_digest(key)
        return key


def new_token() -> str:
    return secrets.token_hex(16)


class RequestToken(models.Model):
    """The ``token`` of a POSTed request, exchangeable for its id (GET tokens/{token})."""

    token = models.CharField(max_length=40, unique=True, default=new_token)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
