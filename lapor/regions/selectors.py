"""Reads of the region list (SPEC §10): one step of the cascade (the web form's selects,
``/wilayah.json`` and the API's ``/regions/``), and the upper levels looked up by name."""
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


def region_rows(parent_code: str | None) -> list[tuple[str, str]]:
    """The children of ``parent_code`` (provinces for None) as ``(code, name)`` by name.
    Provinces, regencies and districts (the steps every filtered list page offers) are
    kept a minute per process; villages are read when a district is chosen. Shared rows:
    never change them (``region_options`` gives a copy)."""
    def read():
        qs = Region.objects.filter(parent__isnull=True) if parent_code is None else Region.objects.filter(
            parent_id=parent_code)
        return list(qs.order_by("name").values_list("code", "name"))

    if parent_code is None or parent_code.count(".") <= 1:
        return kept(f"regions:step:{parent_code}", KEPT_SECONDS, read)
    return read()


def region_options(parent_code: str | None) -> list[tuple[str, str]]:
    """Choices for one step of the region cascade: the children of ``parent_code``."""
    return list(region_rows(parent_code))
