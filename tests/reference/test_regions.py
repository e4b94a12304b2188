"""SPEC §10: every region of Indonesia with its official code, from idn-area-data 4.0.1."""
import gzip
import hashlib
import io

import pytest
from django.core.management import call_command

from lapor.regions.loading import DATA_DIR, EXPECTED_COUNTS, expected_counts, load_regions, sync_regions
from lapor.regions.models import Region

ALL_OF_INDONESIA = {1: 38, 2: 514, 3: 7285, 4: 83762}

# The published files' SHA-256, as recorded in lapor/regions/data/ATTRIBUTION.md.
PUBLISHED = {
    "provinces.csv": "ee9e5b5aaca298c41aef1aa0888285e103856f1414134bbb7afc68b294c9a89d",
    "regencies.csv": "d5fbd54bb1500bbf5e194ddc94a3806df6e6837a310146dfa646b085bd99c0ae",
    "districts.csv": "982f843613cf36bf474cab7ec46b5ecafc46dfeaad26e4bbadf170a6dae8ebe7",
    "villages.csv": "6a8e53fce14d21b514f1f7d1602ceeab4ffbec6df98903e2cad949d8fee94690",
}


def test_the_vendored_files_are_the_published_ones_unchanged():
    for name, digest in PUBLISHED.items():
        with gzip.open(DATA_DIR / f"{name}.gz", "rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == digest, name


def test_the_attribution_and_licence_ship_with_the_data():
    attribution = (DATA_DIR / "ATTRIBUTION.md").read_text()
    for needle in ("idn-area-data", "4.0.1", "fityannugroho", "github.com/fityannugroho/idn-area-data", "ODbL"):
        assert needle in attribution
    assert "Open Database License" in (DATA_DIR / "LICENSE-ODbL.md").read_text()


def test_the_vendored_data_holds_the_official_counts():
    assert expected_counts() == ALL_OF_INDONESIA == EXPECTED_COUNTS


def test_one_province_can_be_loaded_alone(db):
    counts = load_regions(progress=False, provinces={"63"})

    assert counts == expected_counts(provinces={"63"})
    assert counts[1] == 1 and counts[2] == 13
    assert Region.objects.get(code="63.72").name == "Kota Banjarbaru"
    assert not Region.objects.exclude(code__startswith="63").exists()


@pytest.mark.slow
def test_the_command_loads_all_of_indonesia(db):
    out = io.StringIO()
    call_command("load_regions", "--quiet", stdout=out)

    assert "Wilayah: 38 provinsi, 514 kabupaten/kota, 7285 kecamatan, 83762 desa/kelurahan" in out.getvalue()
    assert Region.objects.count() == sum(ALL_OF_INDONESIA.values())


@pytest.mark.slow
def test_loading_again_changes_nothing_but_puts_back_a_changed_region(db):
    assert load_regions(progress=False) == ALL_OF_INDONESIA
    Region.objects.filter(code="63.72.02.1005").update(name="Guntung Keliru", parent_id="63.72.03")

    again = sync_regions(progress=False)

    assert again.counts == ALL_OF_INDONESIA
    assert (again.created, again.updated) == (0, 1)
    village = Region.objects.get(code="63.72.02.1005")
    assert (village.name, village.parent_id) == ("Guntung Manggis", "63.72.02")
    assert not sync_regions(progress=False).changed


@pytest.mark.slow
def test_every_region_hangs_under_the_region_one_level_up(db):
    load_regions(progress=False)

    village = Region.objects.select_related("parent__parent__parent").get(code="63.72.02.1005")
    assert village.level == Region.Level.VILLAGE
    assert [village.parent.code, village.parent.parent.code, village.parent.parent.parent.code] == [
        "63.72.02", "63.72", "63",
    ]
    assert village.parent.parent.parent.parent is None

    levels = dict(Region.objects.values_list("code", "level"))
    for code, level, parent in Region.objects.values_list("code", "level", "parent_id"):
        if level == Region.Level.PROVINCE:
            assert parent is None, code
        else:
            assert code.startswith(parent + ".") and levels[parent] == level - 1, code
