"""Following (SPEC §9): a signed-in citizen follows an area and/or a category, or one
report, and hears by e-mail of new public reports there or of answers.

Writes only; who is told is ``lapor.notifications.recipients.followers``.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.categories.models import Category
from lapor.following.models import Follow
from lapor.following.selectors import mine
from lapor.regions.models import Region
from lapor.reports import policy
from lapor.reports.errors import ActionForbidden
from lapor.reports.models import Report
from lapor.reports.services import LATITUDE_RANGE, LONGITUDE_RANGE

MIN_RADIUS_KM = 0.1
MAX_RADIUS_KM = 50.0
# Enough for anyone's neighbourhood, work place and a few reports; a bound on the rows a
# new report has to look through per person.
MAX_FOLLOWS_PER_PERSON = 100


def follow_key(*, report: Report | None = None, region: Region | None = None, category: Category | None = None,
               latitude: float | None = None, longitude: float | None = None, radius_km: float | None = None) -> str:
    """The canonical name of a target (see ``Follow``); circles are rounded to about 10 m
    and 100 m of radius, so the same map view followed twice is one follow."""
    if report is not None:
        return f"laporan:{report.pk}"
    parts = []
    if region is not None:
        parts.append(f"wilayah:{region.code}")
    if latitude is not None:
        parts.append(f"lingkar:{latitude:.4f},{longitude:.4f},{radius_km:g}")
    if category is not None:
        parts.append(f"kategori:{category.pk}")
    return "|".join(parts)


def _clean_circle(latitude, longitude, radius_km):
    if latitude is None and longitude is None and radius_km is None:
        return None, None, None
    if latitude is None or longitude is None or radius_km is None:
        raise ValidationError({"lat": _("Lingkaran peta memerlukan titik pusat dan radius.")})
    inside = (LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
              and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1])
    if not inside:
        raise ValidationError({"lat": _("Titik pusat berada di luar wilayah Indonesia.")})
    if not (MIN_RADIUS_KM <= radius_km <= MAX_RADIUS_KM):
        raise ValidationError({"radius": _("Radius harus antara %(min)s dan %(max)s km.")
                               % {"min": f"{MIN_RADIUS_KM:g}", "max": f"{MAX_RADIUS_KM:g}"}})
    return round(latitude, 4), round(longitude, 4), round(radius_km, 1)


OWN_ANONYMOUS_REPORT = gettext_lazy("Ini laporan anonim Anda sendiri: kabarnya sudah sampai kepada Anda.")


@transaction.atomic
def follow_create(*, user, report: Report | None = None, region: Region | None = None,
                  category: Category | None = None, latitude: float | None = None, longitude: float | None = None,
                  radius_km: float | None = None, now: datetime.datetime | None = None) -> tuple[Follow, bool]:
    """Follow one report (only one the person may see), or an area (a region, or a circle
    of ``radius_km`` around a point) and/or a category. Returns ``(follow, created)``;
    following the same thing again changes nothing.

    Side effects: one ``Follow`` row. Raises ``ActionForbidden`` for a report the person
    may not see and ``ValidationError`` (per field, in the user's language) otherwise."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        raise ActionForbidden(_("Masuk dahulu untuk mengikuti."))
    latitude, longitude, radius_km = _clean_circle(latitude, longitude, radius_km)
    if report is not None:
        if region is not None or category is not None or latitude is not None:
            raise ValidationError(_("Ikuti satu laporan, atau sebuah wilayah dan/atau kategori, tidak keduanya."))
        if not policy.can_view(user, report):
            raise ActionForbidden(_("Laporan tidak ditemukan."))
        if report.is_anonymous and policy.is_reporter(policy.actor_for(user), report):
            # Their own report already tells them everything; a follow would be a row
            # naming them beside it (lapor/accounts/pseudonyms.py).
            raise ValidationError(OWN_ANONYMOUS_REPORT)
    elif region is None and category is None and latitude is None:
        raise ValidationError(_("Pilih wilayah, area peta, atau kategori yang ingin diikuti."))
    if region is not None and latitude is not None:
        raise ValidationError(_("Pilih wilayah atau area peta, tidak keduanya."))
    key = follow_key(report=report, region=region, category=category, latitude=latitude, longitude=longitude,
                     radius_km=radius_km)
    found = Follow.objects.filter(user_id__in=mine(user), key=key).first()
    if found is not None:
        return found, False
    if Follow.objects.filter(user_id__in=mine(user)).count() >= MAX_FOLLOWS_PER_PERSON:
        raise ValidationError(_("Anda sudah mengikuti %(n)s hal; hapus yang tidak diperlukan lagi dahulu.")
                              % {"n": MAX_FOLLOWS_PER_PERSON})
    try:
        with transaction.atomic():
            follow = Follow.objects.create(
                user=user, report=report, region=region, category=category, latitude=latitude,
                longitude=longitude, radius_km=radius_km, key=key, created_at=now)
    except IntegrityError:
        # The same follow sent twice at once (a double click): the other request made it.
        return Follow.objects.get(user=user, key=key), False
    return follow, True


def follow_remove(*, user, follow: Follow) -> None:
    """Stop following. Side effects: deletes the row; only its owner may."""
    if follow.user_id not in mine(user):
        raise ActionForbidden(_("Anda tidak dapat menghapus ini."))
    follow.delete()
