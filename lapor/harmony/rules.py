"""The registry's rules, each in one place: the CSV import (``lapor.harmony.importing``)
and the back-office forms (through the models' ``clean()``, which ``registry_save`` runs
too) apply the same checks with the same words.

Each check raises ``ValidationError`` naming the field it is about, so a form shows it on
that field and the import reports it on the row.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from lapor.accounts.phone import normalize_phone
from lapor.harmony.enums import OrganizationLevel, Religion, WorshipKind

# Which religions each type of house of worship serves: a "masjid" of Hindus is a typo.
WORSHIP_RELIGIONS = {
    WorshipKind.MASJID: {Religion.ISLAM}, WorshipKind.MUSALA: {Religion.ISLAM},
    WorshipKind.GEREJA: {Religion.KRISTEN, Religion.KATOLIK}, WorshipKind.KAPEL: {Religion.KRISTEN, Religion.KATOLIK},
    WorshipKind.PURA: {Religion.HINDU}, WorshipKind.VIHARA: {Religion.BUDDHA, Religion.KHONGHUCU},
    WorshipKind.KELENTENG: {Religion.KHONGHUCU, Religion.BUDDHA}, WorshipKind.SASANA: {Religion.KEPERCAYAAN},
}
EARLIEST_YEAR = 1950
# The level of region an organisation of each level is registered in (its seat). A national
# one is registered where it sits, in a region of any level.
REGION_LEVEL = {OrganizationLevel.VILLAGE: 4, OrganizationLevel.DISTRICT: 3, OrganizationLevel.REGENCY: 2,
                OrganizationLevel.PROVINCE: 1}


def check_worship_religion(kind: str, religion: str) -> None:
    if kind in WORSHIP_RELIGIONS and religion in Religion.values and religion not in WORSHIP_RELIGIONS[kind]:
        raise ValidationError({"religion": _("%(kind)s bukan rumah ibadah umat %(religion)s.")
                               % {"kind": WorshipKind(kind).label, "religion": Religion(religion).label}})


def check_organization_level(level: str, region) -> None:
    """A district's organisation registered on a village (or a village's on a regency) would
    be counted in the wrong row of the registry's figures: the level and the region agree."""
    from lapor.regions.models import Region

    wanted = REGION_LEVEL.get(level)
    if region is None or wanted is None or region.level == wanted:
        return
    raise ValidationError({"level": _(
        "Tingkat %(level)s tidak cocok dengan wilayah %(region)s (%(region_level)s): pilih wilayah tingkat "
        "%(wanted)s, atau ubah tingkatnya.") % {
        "level": OrganizationLevel(level).label, "region": region.name,
        "region_level": Region.Level(region.level).label, "wanted": Region.Level(wanted).label.lower()}})


def check_location(latitude: float | None, longitude: float | None) -> None:
    """Both or neither, inside Indonesia: the rule of every report's pin
    (``lapor.reports.services.location_error``), said on the field that is wrong."""
    from lapor.reports.services import location_error  # the lifecycle module, loaded after the models

    message = location_error(latitude, longitude)
    if message:
        raise ValidationError({"longitude" if longitude is None else "latitude": message})


def check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= datetime.date.today().year + 1:
        raise ValidationError({"year": _("Tahun %(year)s tidak masuk akal.") % {"year": year}})


def clean_phone(value: str) -> str:
    """A contact's number as E.164 (+62…), or empty."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalize_phone(value)
    except ValidationError:
        raise ValidationError({"contact_phone": _("Nomor telepon “%(value)s” tidak valid.") % {"value": value}}) \
            from None


def clean_email(value: str) -> str:
    """A contact's address in lower case, or empty."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError({"contact_email": _("Alamat e-mail “%(value)s” tidak valid.") % {"value": value}}) \
            from None
    return value.lower()
