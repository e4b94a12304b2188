"""The audit log of the office's management actions (SPEC §5, §13; issue #10).

What happens to a report is in its own append-only history (``ReportEvent``). This log
holds the rest of what staff do: units, roles, answer templates, routing rules, working-day
corrections, SILAPAT data, identity reveals, sign-ins, and the same changes made in the
Django admin. Rows are written by ``lapor.audit.services.audit_record`` only, and never
updated or deleted: the model refuses it, and database triggers (migration 0002) refuse it
for anything that bypasses the model.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AuditAction(models.TextChoices):
    CREATED = "created", _("membuat")
    CHANGED = "changed", _("mengubah")
    DELETED = "deleted", _("menghapus")
    ROLE_GRANTED = "role_granted", _("memberi peran")
    ROLE_REVOKED = "role_revoked", _("mencabut peran")
    IDENTITY_REVEALED = "identity_revealed", _("membuka identitas pelapor")
    SIGNED_IN = "signed_in", _("masuk")
    SIGN_IN_FAILED = "sign_in_failed", _("gagal masuk")
    SECOND_FACTOR_CHANGED = "second_factor_changed", _("mengubah verifikasi dua langkah")


# The value written instead of a secret or a person's private data: the entry says that the
# field changed, never to what.
HIDDEN = "•••"

# Notes the system writes (not typed by a person): stored as these Indonesian words and
# shown in the reader's language (lapor/audit/views.py).
CLOSED_EARLY = gettext_noop("Ditutup sebelum waktunya.")
WORDED_NOTES = frozenset({CLOSED_EARLY})


class AuditEntryQuerySet(models.QuerySet):
    """Bulk writes bypass save() and delete(): refused here too, before the database's own
    triggers would refuse them."""

    def update(self, **kwargs):
        raise ValueError("audit entries are append-only")

    def delete(self):
        raise ValueError("audit entries are append-only")

    def bulk_update(self, *args, **kwargs):
        raise ValueError("audit entries are append-only")

    def update_or_create(self, *args, **kwargs):
        raise ValueError("audit entries are append-only")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("waktu"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # As the actor was called and stood then: names and roles change, the log must not.
    actor_name = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    actor_role = models.CharField(_("sebagai"), max_length=30, blank=True)
    actor_agency = models.CharField(_("di instansi"), max_length=200, blank=True)
    action = models.CharField(_("tindakan"), max_length=24, choices=AuditAction.choices)
    object_type = models.CharField(_("jenis data"), max_length=60, blank=True)
    object_id = models.CharField(_("ID data"), max_length=64, blank=True)
    object_label = models.CharField(_("data"), max_length=200, blank=True)
    # The agency tree the change belongs to (materialised path, as it was then): an agency
    # admin reads the entries under their own agency's path. Empty: national matters.
    agency_path = models.CharField(max_length=255, blank=True, db_index=True)
    agency_name = models.CharField(_("instansi terkait"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    via_admin = models.BooleanField(_("lewat admin Django"), default=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entri log audit")
        verbose_name_plural = _("log audit")
        ordering = ["-at", "-id"]
        # Nothing to add, change or delete: the only permission there is, is to read.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["agency_path", "at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self):
        # As the admin's pages title it: the site's time, the action in the reader's words.
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.get_action_display()} " \
               f"{self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit entries are append-only")
