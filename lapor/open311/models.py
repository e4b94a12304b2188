"""Open311 clients: who may file reports and updates through GeoReport v2 (SPEC §7).

An ``api_key`` belongs to one connected client (a civic-reporting app such as
FixMyStreet, a city's own app) and acts as one account: reports it files are that
account's, updates it posts are checked against that account's roles by the policy.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_api_key() -> str:
    return secrets.token_urlsafe(24)


class Client(models.Model):
    name = models.CharField(_("nama aplikasi"), max_length=100)
    api_key = models.CharField(_("api_key"), max_length=64, unique=True, default=new_api_key)
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


def new_token() -> str:
    return secrets.token_hex(16)


class RequestToken(models.Model):
    """The ``token`` of a POSTed request, exchangeable for its id (GET tokens/{token})."""

    token = models.CharField(max_length=40, unique=True, default=new_token)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
