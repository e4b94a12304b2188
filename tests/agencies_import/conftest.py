"""Regions the files of these tests name, a way to write a file and import it, and signed-in
clients for the back-office page."""
from pathlib import Path

import pytest

from lapor.agencies.importing import import_agencies, read_file, read_routing_file
from lapor.regions.models import Region
from tests.factories import RegionFactory

HEADER = "slug,name,short_name,kind,parent,region,time_zone,sms_keyword,is_inspectorate,supervises,is_active\n"

REGIONS = [
    ("52", "Nusa Tenggara Barat"), ("52.01", "Kabupaten Lombok Barat"), ("52.71", "Kota Mataram"),
    ("63", "Kalimantan Selatan"), ("63.03", "Kabupaten Banjar"), ("63.72", "Kota Banjarbaru"),
    ("91", "Papua"), ("91.03", "Kabupaten Jayapura"), ("31", "DKI Jakarta"),
]


@pytest.fixture
def regions(db):
    for code, name in REGIONS:
        parent = Region.objects.get(code=code.split(".")[0]) if "." in code else None
        RegionFactory(code=code, name=name, parent=parent)


@pytest.fixture
def write(tmp_path):
    """``write(text, name="agencies.csv")`` → the path of a file holding ``text``."""

    def make(text: str | bytes, name: str = "agencies.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    return make


@pytest.fixture
def run(write, regions, world):
    """``run(csv_text, commit=True, routing=None, by=national admin)`` → the ImportResult."""

    def make(text: str, *, commit: bool = True, routing: str | None = None, by=None):
        rows = read_file(write(text))
        routing_rows = read_routing_file(write(routing, "routing.csv")) if routing else None
        return import_agencies(rows, by=by or world.national_admin, commit=commit, routing_rows=routing_rows)

    return make


def by_line(results) -> dict:
    return {row.line: row for row in results}
