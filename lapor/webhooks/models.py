"""Webhooks to connected local systems (SPEC §7): a city's own app learns of every change
to the reports it cares about, signed so it can trust the sender.

A ``Subscriber`` is one receiving URL with its own secret. It receives the events of
reports routed to or handled within its agency's subtree, and of the reports its system
account pushed in through the API. Internal notes and identity reveals are never sent,
nor any personal data of the reporter.

A ``Delivery`` is one event for one subscriber, unique per (subscriber, event), so a fan
out that runs twice sends once. Deliveries are retried with exponential backoff and given
up after ``LAPOR_WEBHOOK_MAX_ATTEMPTS``; the log is in the admin, where a failed one can be
sent again (same delivery, same id).
"""
from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.core.crypto import EncryptedTextField


SECRET_MIN_LENGTH = 32


def new_secret() -> str:
    return secrets.token_urlsafe(32)  # 43 characters


def _plain(address: ipaddress.IPv4Address | ipaddress.IPv6Address):
    # ``::ffff:169.254.169.254`` reaches the same machine as 169.254.169.254.
    return getattr(address, "ipv4_mapped", None) or address


def is_link_local(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """169.254.0.0/16 or fe80::/10, written as itself or as an IPv4-mapped IPv6 address."""
    return _plain(address).is_link_local


def is_refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """No receiver may be here: link-local, or a network in LAPOR_WEBHOOK_REFUSED_NETWORKS."""
    address = _plain(address)
    return address.is_link_local or any(
        address in ipaddress.ip_network(network, strict=False) for network in settings.LAPOR_WEBHOOK_REFUSED_NETWORKS)


def not_link_local(url: str) -> None:
    """Refuse a receiver on a link-local address (169.254.0.0/16, fe80::/10): that is where
    cloud machines answer with their own credentials (169.254.169.254), and Lapor would POST
    there and keep the answer in the delivery log; or on a network the operator refused
    (LAPOR_WEBHOOK_REFUSED_NETWORKS). A host name is checked where it leads at every sending
    (lapor/webhooks/delivery.py): a name can be made to resolve anywhere."""
    host = urlsplit(url).hostname or ""
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return
    if is_link_local(address):
        raise ValidationError(
            _("Alamat link-local (169.254.x.x) tidak boleh menjadi penerima: di sana server awan "
              "menyimpan kredensialnya sendiri."), code="link_local")
    if is_refused(address):
        raise ValidationError(
            _("Alamat ini berada di jaringan yang tidak boleh menjadi penerima webhook "
              "(LAPOR_WEBHOOK_REFUSED_NETWORKS)."), code="refused_network")


def receivable(url: str) -> None:
    """Refuse a receiver Lapor cannot POST to (``ftp://``, ``file://``: requests has no way to
    send them, so every delivery would fail), and plain ``http://`` unless the operator allows
    it (LAPOR_WEBHOOK_ALLOW_HTTP, on by default only without SECRET_KEY, i.e. off in
    production): the events carry reports' texts and the signature that proves them."""
    scheme = urlsplit(url).scheme.lower()
    if not scheme:
        return  # not a URL at all: the field's own validator says so
    if scheme not in ("http", "https"):
        raise ValidationError(
            _("Webhook dikirim dengan HTTP POST: URL penerima harus diawali https:// (atau http://), "
              "bukan %(scheme)s://.") % {"scheme": scheme}, code="scheme")
    if scheme == "http" and not settings.LAPOR_WEBHOOK_ALLOW_HTTP:
        raise ValidationError(
            _("URL penerima harus diawali https://: isi laporan dan tanda tangannya tidak boleh dikirim tanpa "
              "enkripsi. Untuk sistem di intranet, operator dapat mengizinkan http:// dengan "
              "LAPOR_WEBHOOK_ALLOW_HTTP=true."), code="http")


class Subscriber(models.Model):
    name = models.CharField(_("nama sistem"), max_length=100)
    url = models.URLField(_("URL penerima"), max_length=500, validators=[not_link_local])
    # Encrypted at rest (FIELD_ENCRYPTION_KEY): with it a copy of the database could sign
    # forged events that the receiving system would trust.
    secret = EncryptedTextField(
        _("kunci rahasia"), default=new_secret, validators=[MinLengthValidator(SECRET_MIN_LENGTH)],
        help_text=_("Kunci HMAC-SHA256 untuk header X-Lapor-Signature, paling sedikit 32 karakter. "
                    "Berikan kepada pengelola sistem penerima."),
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
    # Up to when events have been queued for it (from its creation, or for one older than
    # this field, the migration that added it): a pass after a longer outage than the
    # fan-out's window knows what it could not queue any more (lapor/webhooks/delivery.py).
    # The database's default too (webhooks.0004): code older than the field, still serving
    # while a release migrates, inserts subscribers without it.
    queued_until = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("pelanggan webhook")
        verbose_name_plural = _("pelanggan webhook")

    def __str__(self):
        return self.name

    def clean(self):
        # Here rather than among the field's validators: the setting is read when the form
        # is checked, and a validator would be written into the migrations.
        super().clean()
        if self.url:
            try:
                receivable(self.url)
            except ValidationError as error:
                raise ValidationError({"url": error}) from None


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
