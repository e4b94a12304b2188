"""Loading the official region list (SPEC §10) from the vendored idn-area-data CSVs.

The four files in ``data/`` are the package's CSVs exactly as published, gzipped; see
``data/ATTRIBUTION.md``. Loading is an upsert keyed on the region code, so it is safe to run
again: rows that already match are not written, a changed name is put back, and nothing is
ever deleted (a region that disappears from a future release may still be referenced by
old reports).
"""
from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from tqdm import tqdm

from lapor.core import kept
from lapor.regions.models import Region

DATA_DIR = Path(__file__).resolve().parent / "data"

# Parents before children, so that every parent row exists when its children arrive.
FILES = (
    (Region.Level.PROVINCE, "provinces.csv.gz", None),
    (Region.Level.REGENCY, "regencies.csv.gz", "province_code"),
    (Region.Level.DISTRICT, "districts.csv.gz", "regency_code"),
    (Region.Level.VILLAGE, "villages.csv.gz", "district_code"),
)

BATCH_SIZE = 2000

# What the vendored idn-area-data 4.0.1 holds per level (SPEC §10); a test keeps it true.
EXPECTED_COUNTS = {1: 38, 2: 514, 3: 7285, 4: 83762}


@dataclass
class RegionLoad:
    """What a load did: regions per level afterwards, and how many rows it wrote."""

    counts: dict[int, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_rows(*, provinces: Collection[str] | None = None) -> Iterator[tuple[str, str, int, str | None]]:
    """Yield ``(code, name, level, parent_code)`` from the vendored files, parents first."""
    for level, filename, parent_column in FILES:
        with gzip.open(DATA_DIR / filename, "rb") as raw:
            for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
                code = row["code"]
                if provinces is not None and code.split(".")[0] not in provinces:
                    continue
                yield code, row["name"], int(level), row[parent_column] if parent_column else None


def expected_counts(*, provinces: Collection[str] | None = None) -> dict[int, int]:
    """Regions per level in the vendored data (all of Indonesia unless ``provinces``)."""
    counts = {int(level): 0 for level, _, _ in FILES}
    for _code, _name, level, _parent in read_rows(provinces=provinces):
        counts[level] += 1
    return counts


def loaded_counts() -> dict[int, int]:
    """Regions per level in the database."""
    counts = {int(level): 0 for level, _, _ in FILES}
    for level, n in Region.objects.values_list("level").annotate(n=Count("code")).order_by("level"):
        counts[level] = n
    return counts


def regions_loaded() -> bool:
    """True when the database holds at least as many regions per level as the vendored data.

    A cheap check (no file is read) for ``seed``; ``load_regions`` is the thorough one.
    """
    have = loaded_counts()
    return all(have[level] >= n for level, n in EXPECTED_COUNTS.items())


def sync_regions(*, progress: bool, provinces: Collection[str] | None = None) -> RegionLoad:
    """Upsert the vendored regions into the database and report what changed.

    Side effects: inserts missing regions and rewrites the name, level and parent of any
    region whose row differs from the data (an administrator's correction is undone; make
    corrections upstream or after loading). Runs in one transaction. ``provinces`` limits
    the load to some province codes (e.g. ``{"63"}`` for a pilot or the tests).
    """
    existing = {
        code: (name, level, parent_id)
        for code, name, level, parent_id in Region.objects.values_list("code", "name", "level", "parent_id")
    }
    rows = list(read_rows(provinces=provinces))
    result = RegionLoad()
    pending: list[Region] = []

    def flush():
        if pending:
            Region.objects.bulk_create(
                pending,
                batch_size=BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["name", "level", "parent"],
            )
            pending.clear()

    with transaction.atomic(), tqdm(
        total=len(rows), unit=" wilayah", desc="Wilayah", disable=not progress, leave=False
    ) as bar:
        current_level = None
        for done, (code, name, level, parent_code) in enumerate(rows, start=1):
            if level != current_level:
                # Every parent must be written before the first of its children.
                flush()
                current_level = level
            old = existing.get(code)
            if old != (name, level, parent_code):
                if old is None:
                    result.created += 1
                else:
                    result.updated += 1
                pending.append(Region(code=code, name=name, level=level, parent_id=parent_code))
                if len(pending) >= BATCH_SIZE:
                    flush()
            if done % BATCH_SIZE == 0:
                bar.update(BATCH_SIZE)
        flush()
        bar.update(len(rows) - bar.n)

    if result.updated:
        kept.changed_on_commit()  # names shown on kept pages (bulk writes send no signals)
    result.counts = loaded_counts()
    return result


def load_regions(*, progress: bool, provinces: Collection[str] | None = None) -> dict[int, int]:
    """Load (upsert) all regions; return how many regions each level holds afterwards.

    See ``sync_regions`` for the side effects.
    """
    return sync_regions(progress=progress, provinces=provinces).counts


def summary(counts: dict[int, int]) -> str:
    return (
        f"Wilayah: {counts.get(1, 0)} provinsi, {counts.get(2, 0)} kabupaten/kota, "
        f"{counts.get(3, 0)} kecamatan, {counts.get(4, 0)} desa/kelurahan"
    )
