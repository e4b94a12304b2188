"""Disaster mode (SPEC §9: the map "usable as an incident map in a disaster, as LAPOR!'s
map was for the Jakarta floods").

An admin declares an emergency for a category and a region (any level: the region and
everything below it). While it is live (active, started, not ended) the home page shows
a banner, the report form lists its category first, and ``/darurat/<id>/`` is a live
incident map of its published reports.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Disaster(models.Model):
    title = models.CharField(_("judul"), max_length=150, help_text=_("Misalnya: Banjir Kalimantan Selatan"))
    description = models.TextField(_("keterangan"), blank=True,
                                   help_text=_("Tampil di spanduk dan halaman peta kejadian: apa yang terjadi, "
                                               "apa yang perlu dilaporkan."))
    category = models.ForeignKey("categories.Category", verbose_name=_("kategori"), on_delete=models.PROTECT,
                                 related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT,
                               related_name="+", help_text=_("Wilayah terdampak, beserta seluruh wilayah di bawahnya."))
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("berakhir"), null=True, blank=True,
                                   help_text=_("Kosongkan bila belum diketahui."))
    is_active = models.BooleanField(_("aktif"), default=True,
                                    help_text=_("Matikan untuk menurunkan spanduk seketika."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dibuat"))
    updated_at = models.DateTimeField(_("diperbarui"))

    class Meta:
        verbose_name = _("keadaan darurat")
        verbose_name_plural = _("keadaan darurat")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                                   name="disaster_ends_after_start"),
        ]
        indexes = [models.Index(fields=["is_active", "starts_at"], name="disaster_live")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/darurat/{self.pk}/"

    def is_live(self, now: datetime.datetime) -> bool:
        return self.is_active and self.starts_at <= now and (self.ends_at is None or now < self.ends_at)
