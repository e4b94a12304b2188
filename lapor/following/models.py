"""What a citizen follows by e-mail (SPEC §9): an area (a region of any level, or a circle
on the map) and/or a category, or one report.

A follow is one row per person and target; ``key`` spells the target canonically
("wilayah:63.72|kategori:12", "lingkar:-3.4420,114.8310,5|kategori:12", "laporan:77"), so
a unique (user, key) index refuses the same follow twice on SQLite and PostgreSQL alike
(a unique index over nullable columns would not).

Who hears of what is decided in ``lapor.notifications.recipients.followers`` with the
matching in ``lapor.following.selectors``; every follower still has to pass
``policy.can_view`` there, so a follow can never widen who learns about a report.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE,
                             related_name="follows")
    report = models.ForeignKey("reports.Report", verbose_name=_("laporan"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="follows")
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("categories.Category", verbose_name=_("kategori"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField(_("lintang pusat"), null=True, blank=True)
    longitude = models.FloatField(_("bujur pusat"), null=True, blank=True)
    radius_km = models.FloatField(_("radius (km)"), null=True, blank=True)
    key = models.CharField(_("yang diikuti (kunci)"), max_length=100, editable=False)
    created_at = models.DateTimeField(_("sejak"))

    class Meta:
        verbose_name = _("yang diikuti")
        verbose_name_plural = _("yang diikuti")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="follow_once"),
            # One report alone, or an area and/or a category (never a report and an area).
            models.CheckConstraint(
                condition=(Q(report__isnull=False, region__isnull=True, category__isnull=True, latitude__isnull=True)
                           | (Q(report__isnull=True)
                              & (Q(region__isnull=False) | Q(category__isnull=False) | Q(latitude__isnull=False)))),
                name="follow_one_target",
            ),
            # A circle is whole (centre and radius), and never combined with a region.
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True, longitude__isnull=True, radius_km__isnull=True)
                           | Q(latitude__isnull=False, longitude__isnull=False, radius_km__isnull=False,
                               region__isnull=True)),
                name="follow_whole_circle",
            ),
        ]
        indexes = [
            # A new report's point finds the circles around it through a bounding box on
            # their centres (report, region and category have their foreign-key indexes).
            models.Index(fields=["latitude", "longitude"], name="follow_circle",
                         condition=Q(latitude__isnull=False)),
        ]

    def __str__(self):
        return f"{self.user} → {self.key}"

    @property
    def is_circle(self) -> bool:
        return self.latitude is not None
