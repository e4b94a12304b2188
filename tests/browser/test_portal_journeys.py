"""A citizen's journeys through the portal in a real browser (Chromium), each checked
with axe. Screenshots of the main pages go to docs/screenshots/ for the README
(LAPOR_SCREENSHOTS=1 bash script/test tests/browser/test_portal_journeys.py)."""
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect
from PIL import Image

from lapor.accounts.models import User
from lapor.regions.loading import load_regions
from lapor.reports.enums import Status
from lapor.reports.models import Report
from lapor.reports.services import report_answer, report_verify
from tests.portal.conftest import jpeg_with_gps, published

from .conftest import assert_accessible

# The README's screenshots are refreshed with LAPOR_SCREENSHOTS=1; otherwise they are taken
# (the page must render) into a scratch directory, so a test run leaves the checkout clean.
SCREENSHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("LAPOR_SCREENSHOTS") == "1"
               else Path(tempfile.gettempdir()) / "lapor-screenshots")


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def portal(settings, live_server, world):
    """The live site with Kalimantan Selatan's regions, mail kept in memory and map
    tiles that never load (as offline): the pin must work without them."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LAPOR_MAP_TILE_URL = live_server.url + "/tidak-ada-ubin/{z}/{x}/{y}.png"
    load_regions(progress=False, provinces={"63"})
    from django.core.cache import cache

    from lapor.core.kept import forget

    cache.clear()
    forget()  # the regions just loaded, not what the process kept before
    return world


def assert_accessible_as_rendered(page, context_for, base_url):
    """axe needs JavaScript in the page it checks: check the markup a JavaScript-less
    browser got, loaded into a page that may run scripts (the site's own scripts off)."""
    checker = context_for().new_page()
    checker.route("**/*.js", lambda route: route.abort())
    checker.goto(base_url + "/static/lapor/lapor.css")
    checker.set_content(page.content().replace("<head>", f'<head><base href="{base_url}/">', 1))
    assert_accessible(checker)


def submit_report_form(page, check=assert_accessible):
    page.click("form#report-form button[type=submit]:has-text('Kirim laporan')")
    page.wait_for_load_state()
    if page.url.endswith("/lapor/"):  # the check step (duplicates, names, suggestion)
        check(page)
        page.click("form#report-form button[type=submit]:has-text('Kirim laporan')")
        page.wait_for_load_state()


def test_a_citizen_signs_up_reports_with_a_pin_and_a_photo_tracks_it_replies_and_rates(context_for, portal):
    world = portal
    page = context_for().new_page()

    # Sign up.
    page.goto("/akun/signup/")
    assert_accessible(page)
    shot(page, "daftar")
    page.fill("#id_full_name", "Rina Marlina")
    page.fill("#id_username", "rina")
    page.fill("#id_email", "rina@example.id")
    page.fill("#id_nik", "6372 0241 0790 0002")
    page.check("input[name=sex][value=F]")
    page.fill("#id_birth_date", "1990-07-01")
    page.fill("#id_occupation", "Guru")
    page.fill("#id_phone", "0812-3456-7890")
    page.fill("#id_password1", "kata-sandi-panjang-42")
    page.fill("#id_password2", "kata-sandi-panjang-42")
    page.click("main button[type=submit]:has-text('Daftar')")
    page.wait_for_load_state()
    assert User.objects.filter(username="rina").exists()

    # Confirm the e-mail address from the mail, then sign in.
    link = re.search(r"https?://[^\s]+(/akun/confirm-email/[^\s]+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    assert_accessible(page)
    page.click("main button[type=submit]")
    page.goto("/akun/login/")
    assert_accessible(page)
    page.fill("#id_login", "rina")
    page.fill("#id_password", "kata-sandi-panjang-42")
    page.click("main button[type=submit]:has-text('Masuk')")
    page.wait_for_load_state()

    # File a report: pin on the map, region, category, a photo with GPS in its EXIF.
    page.goto("/lapor/")
    page.wait_for_selector("#map .leaflet-container, #map.leaflet-container")
    page.check("input[name=kind][value=complaint]")
    page.fill("#id_title", "Jalan berlubang di depan SDN 2 Guntung Manggis")
    page.fill("#id_body", "Lubang besar di tengah jalan, sudah dua motor terjatuh minggu ini.")
    page.fill("#id_incident_date", "2026-01-05")
    page.locator("#map").click(position={"x": 200, "y": 140})
    assert page.input_value("#id_latitude") and page.input_value("#id_longitude")
    page.select_option("#id_province", "63")
    page.wait_for_selector("#id_regency option[value='63.72']", state="attached")
    page.select_option("#id_regency", "63.72")
    page.wait_for_selector("#id_district option[value='63.72.02']", state="attached")
    page.select_option("#id_district", "63.72.02")
    page.fill("#id_address", "Jl. Guntung Manggis, depan SDN 2")
    page.select_option("#id_category", str(world.category.pk))
    page.set_input_files("#id_attachments", files=[
        {"name": "jalan.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    assert_accessible(page)
    shot(page, "buat-laporan")
    submit_report_form(page)

    # The receipt: tracking ID and the real deadline.
    tracking_id = page.text_content("#tracking-id").strip()
    assert "hari kerja lagi" in page.content()
    assert_accessible(page)
    shot(page, "laporan-terkirim")
    report = Report.objects.get(tracking_id=tracking_id)
    assert report.region_id == "63.72.02" and report.latitude is not None
    with report.attachments.get().file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif(), "the stored photo still has EXIF"

    # The administrator verifies, the officer answers (through the services).
    report_verify(report=report, by=world.national_admin, agency=world.pupr)
    report_answer(report=report, by=world.unit_admin, body="Sudah kami tambal sementara.")

    # Track it by its ID.
    page.goto("/lacak/")
    assert_accessible(page)
    shot(page, "lacak")
    page.fill("#id_id", tracking_id)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/laporan/{tracking_id}/")
    assert "Sudah kami tambal sementara." in page.content()
    assert_accessible(page)

    # Not satisfied: reply.
    page.fill("#id_tanggapi-text", "Tambalannya sudah lepas lagi.")
    page.click("button:has-text('Kirim tanggapan')")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED

    # A new answer; now satisfied: rate.
    report_answer(report=report, by=world.unit_admin, body="Jalan sudah diaspal ulang.")
    page.reload()
    page.fill("#id_nilai-comment", "Terima kasih, cepat.")
    page.click("button:has-text('Saya puas')")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert_accessible(page)
    shot(page, "laporan-detail")

    page.goto("/laporan-saya/")
    assert tracking_id in page.content()
    assert_accessible(page)
    shot(page, "laporan-saya")
    page.goto("/profil/")
    assert "6372024107900002" in page.content()
    assert_accessible(page)
    shot(page, "profil")


def test_a_report_is_filed_without_javascript(context_for, portal, live_server):
    world = portal

    def check(page):
        assert_accessible_as_rendered(page, context_for, live_server.url)

    page = context_for(javascript=False, user=world.citizen).new_page()
    page.goto("/lapor/")
    assert page.is_hidden("#map-block")
    page.fill("#id_title", "Saluran air tersumbat di Jalan Kenanga")
    page.fill("#id_body", "Air meluap ke jalan setiap hujan.")
    page.select_option("#id_province", "63")
    page.click("button[name=refresh_region]")
    page.select_option("#id_regency", "63.72")
    page.click("button[name=refresh_region]")
    page.select_option("#id_district", "63.72.03")
    assert page.input_value("#id_title") == "Saluran air tersumbat di Jalan Kenanga"
    check(page)
    submit_report_form(page, check)
    tracking_id = page.text_content("#tracking-id").strip()
    assert Report.objects.get(tracking_id=tracking_id).region_id == "63.72.03"
    check(page)


def test_a_failed_validation_keeps_everything_typed(context_for, portal):
    page = context_for(user=portal.citizen).new_page()
    page.goto("/lapor/")
    page.fill("#id_body", "Sampah menumpuk di pasar.")
    page.fill("#id_address", "Pasar Bauntung")
    page.check("#id_is_anonymous")
    page.click("form#report-form button[type=submit]:has-text('Kirim laporan')")
    page.wait_for_load_state()
    assert "Laporan belum terkirim" in page.content()
    assert page.input_value("#id_body") == "Sampah menumpuk di pasar."
    assert page.input_value("#id_address") == "Pasar Bauntung"
    assert page.is_checked("#id_is_anonymous")
    assert_accessible(page)
    shot(page, "validasi-gagal")
    assert not Report.objects.exists()


def test_switching_the_language_while_filling_in_the_report_keeps_what_was_typed(context_for, portal):
    page = context_for(user=portal.citizen).new_page()
    page.goto("/lapor/")
    page.wait_for_selector("#map .leaflet-container, #map.leaflet-container")
    page.fill("#id_title", "Drainase tersumbat di Loktabat")
    page.fill("#id_body", "Air meluap ke jalan setiap hujan.")
    page.locator("#map").click(position={"x": 200, "y": 140})
    latitude = page.input_value("#id_latitude")
    page.select_option("#id_province", "63")
    page.wait_for_selector("#id_regency option[value='63.72']", state="attached")
    page.select_option("#id_regency", "63.72")
    page.wait_for_selector("#id_district option[value='63.72.02']", state="attached")
    page.select_option("#id_district", "63.72.02")
    page.check("#id_is_confidential")

    page.click("button[lang=en]")
    page.wait_for_load_state()

    assert page.get_attribute("html", "lang") == "en"
    assert page.input_value("#id_title") == "Drainase tersumbat di Loktabat"
    assert page.input_value("#id_body") == "Air meluap ke jalan setiap hujan."
    assert page.input_value("#id_latitude") == latitude and page.is_checked("#id_is_confidential")
    expect(page.locator("#id_district")).to_have_value("63.72.02")  # its list filled again, step by step
    assert (page.input_value("#id_province"), page.input_value("#id_regency")) == ("63", "63.72")
    page.reload()  # put aside once: a later visit starts empty
    assert page.input_value("#id_title") == ""
    # After a refused submit the text is the server's (written back into the form): the
    # switch keeps it too.
    page.fill("#id_body", "Air meluap ke jalan setiap hujan.")
    page.click("form#report-form button[type=submit]:has-text('Send report')")
    page.wait_for_load_state()
    assert page.input_value("#id_body") == "Air meluap ke jalan setiap hujan." and page.input_value("#id_title") == ""
    page.click("button[lang=id]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "id"
    assert page.input_value("#id_body") == "Air meluap ke jalan setiap hujan."
    page.fill("#id_title", "Drainase tersumbat di Loktabat")
    page.fill("#id_body", "Air meluap ke jalan setiap hujan.")
    page.select_option("#id_province", "63")
    page.wait_for_selector("#id_regency option[value='63.72']", state="attached")
    page.select_option("#id_regency", "63.72")
    page.fill("#id_address", "Jl. Loktabat")
    submit_report_form(page)
    report = Report.objects.get()
    assert (report.title, report.region_id) == ("Drainase tersumbat di Loktabat", "63.72")


def test_the_public_list_and_a_report_page_with_the_english_switch(context_for, portal):
    world = portal
    for i, title in enumerate(["Lampu jalan mati di Jalan A. Yani", "Sampah menumpuk di Pasar Bauntung",
                               "Drainase tersumbat di Loktabat"]):
        published(world, title=title, show_reporter_name=bool(i % 2))
    page = context_for().new_page()
    page.goto("/")
    assert_accessible(page)
    shot(page, "beranda")
    page.goto("/laporan/?q=sampah")
    assert "Sampah menumpuk" in page.content() and "Lampu jalan" not in page.content()
    page.goto("/laporan/")
    assert_accessible(page)
    shot(page, "laporan-publik")
    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.is_visible("button[lang=id]")
    assert_accessible(page)


def test_a_returned_report_is_completed_with_a_pin_on_the_map_and_a_photo(context_for, portal):
    from lapor.reports.services import report_return, report_submit

    report = report_submit(reporter=portal.citizen, title="Lampu jalan mati", body="Sudah seminggu gelap.",
                           addressed_agency=portal.pemkot)
    report_return(report=report, by=portal.national_admin, missing="Titik lokasi dan foto lampunya.")
    page = context_for(user=portal.citizen).new_page()
    page.goto(f"/laporan/{report.tracking_id}/")
    assert "Titik lokasi dan foto lampunya." in page.content()
    page.wait_for_selector("#map .leaflet-container, #map.leaflet-container")
    page.locator("#map").click(position={"x": 200, "y": 100})
    assert page.input_value("#id_lengkapi-latitude") and page.input_value("#id_lengkapi-longitude")
    page.fill("#id_lengkapi-addition", "Tiang lampu di depan masjid, fotonya terlampir.")
    with tempfile.NamedTemporaryFile(suffix=".jpg") as photo:
        photo.write(jpeg_with_gps())
        photo.flush()
        page.set_input_files("#id_lengkapi-attachments", photo.name)
        assert_accessible(page)
        page.click("form#aksi-lengkapi button[type=submit]")
        page.wait_for_load_state()
    assert "Kelengkapan terkirim" in page.content()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.latitude is not None and report.attachments.count() == 1


def test_an_sms_reporter_takes_the_account_over_in_the_browser(context_for, portal, live_server, settings, tmp_path):
    """SPEC §6: a number that texted a report becomes a web account with a code by SMS
    (the outbox file stands for the phone here; tests/sms/test_kannel.py uses Kannel)."""
    from lapor.sms.reporters import phone_reporter

    settings.KANNEL_SENDSMS_URL = ""
    settings.SMS_OUTBOX_PATH = tmp_path / "outbox.log"
    reporter = phone_reporter("+6281255550007")

    def check(page):
        assert_accessible_as_rendered(page, context_for, live_server.url)

    page = context_for(javascript=False).new_page()
    page.goto("/akun/login/")
    page.click("text=Ambil alih akun Anda")
    page.fill("#id_phone", "0812-5555-0007")
    check(page)
    page.click("button:has-text('Kirim kode lewat SMS')")
    page.wait_for_load_state()
    code = re.search(r"\b(\d{6})\b", settings.SMS_OUTBOX_PATH.read_text(encoding="utf-8")).group(1)
    page.fill("#id_code", "000000" if code != "000000" else "111111")
    page.click("button:has-text('Lanjutkan')")
    page.wait_for_load_state()
    assert "Kode salah" in page.content()
    check(page)
    page.fill("#id_code", code)
    page.click("button:has-text('Lanjutkan')")
    page.wait_for_load_state()
    assert page.url.endswith("/akun/klaim/lengkapi/")
    for field, value in (("full_name", "Rina Marlina"), ("username", "rina"), ("email", "rina@example.id"),
                         ("nik", "6372024107900002"), ("birth_date", "1990-07-01"),
                         ("password1", "kata-sandi-panjang-42"), ("password2", "kata-sandi-panjang-42")):
        page.fill(f"#id_{field}", value)
    page.check("#id_sex_1")
    check(page)
    shot(page, "klaim-akun-sms")
    page.click("button:has-text('Simpan dan lanjutkan')")
    page.wait_for_load_state()
    reporter.refresh_from_db()
    assert reporter.username == "rina" and reporter.has_usable_password()
    assert "rina@example.id" in mail.outbox[-1].to
