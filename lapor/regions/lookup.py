"""Turning a region code someone typed (a form, an SMS, an import row) into a Region."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lapor.core.kept import kept
from lapor.regions.models import Region

CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def normalize_region_code(raw: str) -> str:
    """Accept "63.72.02.1001", "6372021001" or " 63.72 " and give the dotted form."""
    value = (raw or "").strip().replace(" ", "")
    if "." not in value and value.isdigit() and len(value) in (2, 4, 6, 10):
        parts = [value[:2], value[2:4], value[4:6], value[6:10]]
        value = ".".join(p for p in parts if p)
    return value


def region_from_code(raw: str) -> Region:
    """The region with this code; ValidationError (code ``region``) naming the problem."""
    code = normalize_region_code(raw)
    if not CODE.match(code):
        raise ValidationError(
            _("Kode wilayah “%(code)s” tidak berbentuk kode wilayah (contoh: 63.72.02.1001).") % {"code": raw},
            code="region_format",
        )
    # Codes are kept per process for a minute once found (lapor/core/kept.py): every
    # submit names one, and the list changes with a new regulation, not by the minute.
    region = kept(f"region:{code}", 60, lambda: Region.objects.filter(code=code).first(), keep_none=False)
    if region is None:
        raise ValidationError(_("Kode wilayah %(code)s tidak dikenal.") % {"code": code}, code="region")
    return region
