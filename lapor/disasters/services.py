"""Declaring, changing and ending a disaster (writes only). National admins may act on any
region; an agency admin on the region of their agency and below (``selectors.admin_regions``)."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.categories.models import Category
from lapor.disasters.models import Disaster
from lapor.disasters.selectors import admin_regions, region_allowed
from lapor.regions.models import Region
from lapor.reports.errors import ActionForbidden

FIELDS = ("title", "description", "category", "region", "starts_at", "ends_at", "is_active")


def _check(*, by, region: Region, title: str, starts_at, ends_at) -> None:
    if not region_allowed(admin_regions(by), region.code):
        raise ActionForbidden(_("Anda hanya dapat mengelola keadaan darurat di wilayah instansi Anda."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Tuliskan judul keadaan darurat.")
    if starts_at is None:
        errors["starts_at"] = _("Isi waktu mulai.")
    elif ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("Waktu berakhir harus sesudah waktu mulai.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def disaster_declare(*, by, title: str, category: Category, region: Region, starts_at: datetime.datetime,
                     ends_at: datetime.datetime | None = None, description: str = "", is_active: bool = True,
                     now: datetime.datetime | None = None) -> Disaster:
    """Declare an emergency. Side effects: one ``Disaster`` row (the home page shows its
    banner from its start to its end). Raises ``ActionForbidden`` outside
    the admin's regions and ``ValidationError`` (per field) for bad dates or no title."""
    now = now or timezone.now()
    _check(by=by, region=region, title=title, starts_at=starts_at, ends_at=ends_at)
    disaster = Disaster.objects.create(
        title=title.strip(), description=(description or "").strip(), category=category, region=region,
        starts_at=starts_at, ends_at=ends_at, is_active=is_active, created_by=by, created_at=now, updated_at=now)
    return disaster


@transaction.atomic
def disaster_update(*, disaster: Disaster, by, now: datetime.datetime | None = None, **changes) -> Disaster:
    """Change a disaster's fields (any of ``FIELDS``). The admin must be allowed both the
    old and the new region. Side effects: saves the row."""
    now = now or timezone.now()
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    disaster = Disaster.objects.select_for_update().get(pk=disaster.pk)
    if not region_allowed(admin_regions(by), disaster.region_id):
        raise ActionForbidden(_("Anda hanya dapat mengelola keadaan darurat di wilayah instansi Anda."))
    for name, value in changes.items():
        setattr(disaster, name, value.strip() if isinstance(value, str) else value)
    _check(by=by, region=disaster.region, title=disaster.title, starts_at=disaster.starts_at, ends_at=disaster.ends_at)
    disaster.updated_at = now
    disaster.save()
    return disaster


def disaster_end(*, disaster: Disaster, by, now: datetime.datetime | None = None) -> Disaster:
    """End an emergency now: switched off and its end set to now (kept if earlier), so the
    banner goes and the incident map stops refreshing. Side effects: as ``disaster_update``."""
    now = now or timezone.now()
    ends_at = disaster.ends_at if disaster.ends_at is not None and disaster.ends_at <= now else now
    if ends_at <= disaster.starts_at:
        ends_at = None  # never started: switching it off is enough
    return disaster_update(disaster=disaster, by=by, now=now, is_active=False, ends_at=ends_at)
