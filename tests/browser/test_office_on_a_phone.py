"""The back office on a cheap Android phone (360×740, touch): a handling officer and her unit
admin do their day's work without sideways scrolling, see every deadline, reach every
action and hit what they tap; axe passes on each page at that width."""
import datetime
import io
import re

from django.utils import timezone

from lapor.reports import services
from lapor.reports.models import Report

from ..office.staff import browser_sign_in
from .conftest import assert_accessible

PHONE = {"width": 360, "height": 740}


def photo() -> dict:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 90, 40)).save(buffer, "JPEG", quality=80)
    return {"name": "gorong-gorong.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def phone(browser, live_server, user):
    """A signed-in phone: mobile viewport, touch, a device pixel ratio of 2."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    context.set_default_timeout(15_000)
    browser_sign_in(context, user, live_server.url)
    return context


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def on_screen_horizontally(locator):
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def tall_enough(locator, minimum=40):
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        if box is not None:
            assert box["height"] >= minimum, f"{locator.nth(i).inner_text()[:40]!r} is {box['height']}px high"


def tap_and_wait(page, locator):
    with page.expect_navigation():
        locator.tap()


def open_action(page, summary):
    details = page.locator("details.action", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").tap()
    return details


def dispatched_report(world, **kwargs):
    report = services.report_submit(reporter=world.citizen, title="Gorong-gorong ambrol di Jl. Guntung Manggis",
                                    body="Separuh badan jalan amblas.", addressed_agency=world.pemkot,
                                    category=world.category, **kwargs)
    return services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)


def test_the_inbox_fits_a_phone_and_every_row_shows_its_deadline(world, browser, live_server):
    report = dispatched_report(world)
    Report.objects.filter(pk=report.pk).update(due_at=timezone.now() - datetime.timedelta(days=3))
    context = phone(browser, live_server, world.unit_admin)
    page = context.new_page()
    page.goto("/kantor/")
    fits_the_screen(page)
    row = page.locator("table.inbox tbody tr").first
    # The deadline of a row is on the screen, not in a column off to the right.
    on_screen_horizontally(row.locator(".countdown"))
    assert re.search(r"Terlambat \d+ hari kerja", row.locator(".countdown").inner_text())
    on_screen_horizontally(row.get_by_text("Dinas PUPR Banjarbaru"))
    tall_enough(page.locator("nav.tabs a"))
    tall_enough(page.locator("details.filters > summary"))
    tall_enough(page.locator("main button"))
    assert_accessible(page)

    # Switching to the other tab shows the list, not a screenful of empty filters.
    tap_and_wait(page, page.get_by_role("link", name="Semua dalam lingkup saya"))
    assert page.locator("details.filters").get_attribute("open") is None
    fits_the_screen(page)
    # A filter in use stays open, with its error next to the field.
    page.locator("details.filters > summary").tap()
    page.get_by_label("Diterima sejak").fill("2026-12-05")
    page.get_by_label("sampai").fill("2026-11-01")
    tap_and_wait(page, page.get_by_role("button", name="Terapkan"))
    assert page.locator("details.filters").get_attribute("open") is not None
    assert page.get_by_text("Tanggal akhir sebelum tanggal awal").is_visible()
    assert page.get_by_label("Kode wilayah").get_attribute("inputmode") == "decimal"
    fits_the_screen(page)
    context.close()


def test_the_officer_drafts_an_answer_with_a_photo_on_a_phone_and_the_unit_admin_approves_it(
        world, browser, live_server):
    report = dispatched_report(world)
    context = phone(browser, live_server, world.officer)
    page = context.new_page()
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    fits_the_screen(page)
    assert_accessible(page)
    # The actions sit under the whole report and its history: one tap gets there.
    page.locator("p.jump").get_by_role("link", name="Ke tindakan").tap()  # (not the skip link, hidden till focused)
    page.wait_for_function("location.hash === '#tindakan'")
    assert page.get_by_role("heading", name="Tindakan").is_visible()
    draft = open_action(page, "Draf tindak lanjut")
    tall_enough(page.locator("details.action > summary"))
    tall_enough(draft.locator("input[type=file]"))
    draft.locator("input[type=file]").set_input_files(files=[photo()])
    # Sent without its text: the page says so at the top and takes her to the field.
    tap_and_wait(page, draft.get_by_role("button", name="Ajukan untuk disetujui"))
    alert = page.get_by_role("alert").filter(has_text="Draf tindak lanjut")
    assert alert.is_visible()
    assert alert.bounding_box()["y"] < PHONE["height"]
    alert.get_by_role("link").tap()
    error = page.locator("#aksi-draf-tindak-lanjut .errorlist").first
    error.wait_for()
    assert error.is_visible()
    assert page.evaluate("window.scrollY") > 0
    assert page.get_by_text("gorong-gorong.jpg").is_visible()  # the photo is kept, not asked for again
    draft = page.locator("#aksi-draf-tindak-lanjut")
    draft.get_by_label("Draf tindak lanjut untuk pelapor").fill("Perbaikan dijadwalkan minggu depan. Foto terlampir.")
    tap_and_wait(page, draft.get_by_role("button", name="Ajukan untuk disetujui"))
    page.get_by_text("Admin unit memeriksanya sebelum terkirim ke pelapor").wait_for()
    fits_the_screen(page)
    context.close()

    context = phone(browser, live_server, world.unit_admin)
    page = context.new_page()
    page.goto("/kantor/")
    on_screen_horizontally(page.get_by_text("Draf menunggu persetujuan"))
    tap_and_wait(page, page.get_by_role("link", name=f"#{report.tracking_id}"))
    fits_the_screen(page)
    approve = open_action(page, "Setujui draf tindak lanjut")
    assert_accessible(page)
    tall_enough(approve.get_by_role("button"))
    tap_and_wait(page, approve.get_by_role("button", name="Setujui dan kirim ke pelapor"))
    page.get_by_text("Draf disetujui; tindak lanjut terkirim ke pelapor.").wait_for()
    followup = Report.objects.get(pk=report.pk).followups.get()
    assert followup.attachments.count() == 1
    context.close()


def test_the_supervisor_sees_overdue_work_and_its_deadline_on_a_phone(world, browser, live_server):
    report = dispatched_report(world)
    Report.objects.filter(pk=report.pk).update(due_at=timezone.now() - datetime.timedelta(days=5))
    context = phone(browser, live_server, world.inspector)
    page = context.new_page()
    page.goto("/kantor/pengawasan/")
    fits_the_screen(page)
    on_screen_horizontally(page.locator("tr.overdue .countdown").first)
    assert_accessible(page)
    context.close()


def test_the_office_menu_on_a_phone_reaches_notifications_and_signs_out(world, browser, live_server):
    context = phone(browser, live_server, world.officer)
    page = context.new_page()
    page.goto("/kantor/")
    menu = page.get_by_role("navigation", name="Menu utama")
    tall_enough(menu.get_by_role("link"), minimum=24)
    tap_and_wait(page, menu.get_by_role("link", name="Notifikasi"))
    assert page.url.endswith("/notifikasi/")
    page.goto("/kantor/")
    tap_and_wait(page, page.get_by_role("navigation", name="Menu utama").get_by_role("button", name="Keluar"))
    page.goto("/kantor/")
    assert "/akun/login/" in page.url
    context.close()
