"""Reads of the region list (SPEC §10) beyond one step of the cascade, which
``lapor.portal.forms.region_options`` reads (and keeps) for the web form and the API alike."""
from __future__ import annotations

from lapor.core.kept import kept
from lapor.regions.models import Region

KEPT_SECONDS = 60


def upper_regions() -> list[tuple[str, str]]:
    """Every province and regency/city as ``(code, name)``, by code: the places people
    look up by name (about 550 of them; districts and villages are found under these).
    Kept a minute per process (lapor/core/kept.py)."""
    return kept("regions:upper", KEPT_SECONDS, lambda: list(
        Region.objects.filter(level__lte=Region.Level.REGENCY).order_by("code").values_list("code", "name")))
