"""In a real browser, SILAPAT's pages pass axe: the public page and its SOP help pages, the
registry with its map, the CSV import, the early-warning page with its map and trend, and
the threshold form (a bad value gets a message; fixed, it is saved)."""
import datetime

import pytest
from playwright.sync_api import expect
from django.utils import timezone

from lapor.harmony import services
from lapor.harmony.enums import OrganizationLevel, Religion, WorshipKind
from lapor.harmony.models import HarmonyThreshold, HouseOfWorship, Population, ReligiousOrganization
from lapor.reports import services as lifecycle
from tests.harmony.conftest import harmony  # noqa: F401 — SILAPAT's small world (a fixture)

from ..office.staff import browser_sign_in
from .conftest import assert_accessible

HIGH = 3
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def silapat(transactional_db, harmony, live_server, settings):  # noqa: F811
    """The Banjarbaru office with a small registry and three 'tinggi' incidents with a
    place on the map in Landasan Ulin (so one early warning is ongoing)."""
    # Tiles that never load (offline, or a blocked tile server): the markers must still show.
    settings.LAPOR_MAP_TILE_URL = live_server.url + "/tidak-ada/{z}/{x}/{y}.png"
    HouseOfWorship.objects.create(village=harmony.region("63.72.04.1001"), kind=WorshipKind.MASJID,
                                  religion=Religion.ISLAM, name="Masjid Al-Falah", latitude=-3.4402,
                                  longitude=114.8312)
    HouseOfWorship.objects.create(village=harmony.region("63.72.04.1003"), kind=WorshipKind.GEREJA,
                                  religion=Religion.KRISTEN, name="Gereja Jemaat Komet", latitude=-3.4435,
                                  longitude=114.8370)
    ReligiousOrganization.objects.create(region=harmony.region("63.72.04"), name="Persekutuan Gereja Utara",
                                         religion=Religion.KRISTEN, level=OrganizationLevel.DISTRICT,
                                         contact_name="Yohanes Pranata", contact_phone="+6281200000001")
    Population.objects.create(village=harmony.region("63.72.04.1001"), year=2025, religion=Religion.ISLAM,
                              count=14210)
    now = timezone.now()
    for i in range(3):
        report = services.harmony_report_submit(
            reporter=harmony.world.citizen, title=f"Ketegangan di lokasi pembangunan {i}",
            body="Warga berkumpul.", tension_kind="antar", region=harmony.region("63.72.02.1005"),
            latitude=-3.466 + i * 0.002, longitude=114.788, now=now - datetime.timedelta(days=i),
        )
        lifecycle.report_verify(report=report, by=harmony.world.agency_admin, agency=harmony.kesbangpol, now=now)
        services.harmony_assess(report=report, by=harmony.operator, level=HIGH, now=now)
    return harmony


def desk(context_for, live_server, user, **kwargs):
    context = context_for(**kwargs)
    browser_sign_in(context, user, live_server.url)
    return context.new_page()


def test_the_public_page_and_the_sop_pages_are_accessible_and_show_no_personal_data(silapat, page):
    page.goto("/silapat/")
    page.get_by_text("Pengunjung hari ini: 1").wait_for()
    html = page.content()
    assert "Yohanes" not in html and "Masjid Al-Falah" not in html and "Ketegangan" not in html
    assert_accessible(page)

    for url in ("/silapat/panduan/", "/silapat/panduan/operator/", "/silapat/panduan/pimpinan/",
                "/silapat/panduan/admin/", "/silapat/panduan/warga/"):
        page.goto(url)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_the_early_warning_page_draws_the_incident_map_and_the_trend(silapat, context_for, live_server):
    page = desk(context_for, live_server, silapat.head, viewport=WIDE)
    page.goto("/kantor/silapat/peringatan/")

    page.locator("#peta-silapat path.leaflet-interactive").nth(2).wait_for()
    assert page.locator("#peta-silapat path.leaflet-interactive").count() == 3
    # The tile server answered nothing (as on a closed intranet): the page says so.
    page.get_by_text("Peta dasar tidak dapat dimuat; titik lokasi tetap ditampilkan.").wait_for()
    assert page.locator(".trend-chart svg").count() == 1
    assert page.get_by_role("cell", name="Landasan Ulin").count() >= 1
    assert page.get_by_text("Berlangsung").is_visible()
    assert_accessible(page)

    page.locator("#peta-silapat path.leaflet-interactive").first.click(force=True)
    page.locator(".leaflet-popup-content").wait_for()
    # Leaflet fades a popup in; axe reads a half-transparent popup as faint text.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    assert_accessible(page)

    page.goto("/notifikasi/")  # the alert in the head's notification centre
    page.get_by_role("link", name="Peringatan dini SILAPAT: Landasan Ulin").wait_for()
    assert_accessible(page)


def test_the_registry_pages_and_the_csv_import_are_accessible(silapat, context_for, live_server, tmp_path):
    page = desk(context_for, live_server, silapat.operator, viewport=WIDE)
    page.goto("/kantor/silapat/")
    assert_accessible(page)

    page.get_by_role("link", name="Banjarbaru Utara").first.click()
    page.locator("#peta-silapat .leaflet-marker-icon").nth(1).wait_for()
    page.get_by_text("Peta dasar tidak dapat dimuat; titik lokasi tetap ditampilkan.").wait_for()
    assert page.get_by_text("Yohanes Pranata").is_visible()  # contacts: operators only
    assert_accessible(page)

    page.goto("/kantor/silapat/ubah/rumah-ibadah/baru/")
    assert_accessible(page)
    page.get_by_role("button", name="Simpan").click()
    page.locator(".errorlist").first.wait_for()
    assert_accessible(page)

    csv = tmp_path / "rumah-ibadah.csv"
    csv.write_text("kode_wilayah,jenis,agama,nama\n63.72.02.1005,Musala,Islam,Musala Nurul Huda\n"
                   "63.03.01.2001,Masjid,Islam,Masjid Luar Wilayah\n", encoding="utf-8")
    page.goto("/kantor/silapat/impor/")
    assert_accessible(page)
    page.get_by_label("Jenis data").select_option("rumah-ibadah")
    page.get_by_label("Berkas CSV").set_input_files(str(csv))
    page.get_by_role("button", name="Impor").click()
    page.get_by_role("heading", name="Hasil impor").wait_for()
    assert page.get_by_role("cell", name="3", exact=True).is_visible()  # the bad row, by its line
    assert_accessible(page)


def test_the_head_fixes_a_bad_threshold_value_and_saves_it(silapat, context_for, live_server):
    page = desk(context_for, live_server, silapat.head)
    page.goto("/kantor/silapat/peringatan/")
    page.get_by_role("link", name="Atur ambang").click()
    page.get_by_role("heading", name="Ambang peringatan dini: Kota Banjarbaru").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Tambah ambang").click()
    page.get_by_label("Nama ambang").fill("Dua kejadian sedang dalam 14 hari")
    page.get_by_label("Tingkat kerawanan minimal").select_option(label="Sedang")
    page.get_by_label("Jumlah kejadian").fill("0")
    page.get_by_label("Dalam berapa hari").fill("14")
    page.get_by_label("Wilayah").select_option(label="Banjarbaru Utara")
    assert_accessible(page)
    page.get_by_role("button", name="Simpan ambang").click()

    page.get_by_text("Jumlah kejadian paling sedikit 1.").wait_for()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Dalam berapa hari").input_value() == "14"  # what was valid is kept
    assert not HarmonyThreshold.objects.filter(name="Dua kejadian sedang dalam 14 hari").exists()
    assert_accessible(page)

    page.get_by_label("Jumlah kejadian").fill("2")
    page.get_by_role("button", name="Simpan ambang").click()
    page.get_by_text("Ambang peringatan dini disimpan.").wait_for()
    assert page.get_by_role("link", name="Dua kejadian sedang dalam 14 hari").is_visible()
    saved = HarmonyThreshold.objects.get(name="Dua kejadian sedang dalam 14 hari")
    assert (saved.count, saved.days, saved.region_id, saved.updated_by) == (2, 14, "63.72.04", silapat.head)
    assert_accessible(page)

    page.get_by_role("button", name="Nonaktifkan Dua kejadian sedang dalam 14 hari").click()
    page.get_by_text("Ambang “Dua kejadian sedang dalam 14 hari” dinonaktifkan.").wait_for()
    assert_accessible(page)


def test_the_operator_pins_a_new_house_of_worship_on_the_map(silapat, context_for, live_server):
    page = desk(context_for, live_server, silapat.operator, viewport=WIDE)
    page.goto("/kantor/silapat/ubah/rumah-ibadah/baru/")
    page.locator("#map").wait_for()
    assert_accessible(page)

    # The map opens amid the office's pinned houses (Banjarbaru Utara), not all of Indonesia.
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    latitude, longitude = float(page.get_by_label("Lintang").input_value()), float(page.get_by_label("Bujur").input_value())
    assert abs(latitude - -3.44185) < 0.01 and abs(longitude - 114.8341) < 0.01

    page.get_by_label("Kelurahan/desa").select_option(label="Komet — Banjarbaru Utara")
    page.get_by_label("Jenis").select_option("pura")
    page.get_by_label("Agama").select_option("hindu")
    page.get_by_label("Nama").fill("Pura Agung Jagat Natha")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Data rumah ibadah disimpan.").wait_for()
    pura = HouseOfWorship.objects.get(name="Pura Agung Jagat Natha")
    assert (round(pura.latitude, 6), round(pura.longitude, 6)) == (round(latitude, 6), round(longitude, 6))
