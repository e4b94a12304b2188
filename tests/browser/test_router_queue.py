"""The verifier's queue at a laptop, keyboard first: after each verification the next
report waiting is focused (Enter opens it), a refused form puts the cursor in the wrong
field, and a long title takes two lines of the inbox, not five."""
import pytest

from lapor.agencies.models import RoutingRule
from lapor.reports import services
from lapor.reports.enums import Status
from lapor.reports.models import Report
from tests.factories import RegionFactory

from ..office.staff import browser_sign_in
from .conftest import assert_accessible


@pytest.fixture
def submit(world):
    """A report from the citizen to the city government, its category "Jalan Rusak" unless told."""
    def make(*, title="Jalan berlubang di Jl. Karang Anyar", **kwargs):
        return services.report_submit(reporter=world.citizen, title=title, body="Lubang besar dekat sekolah.",
                                      addressed_agency=world.pemkot, category=kwargs.pop("category", world.category),
                                      **kwargs)
    return make


def desk(context_for, live_server, user):
    context = context_for(viewport={"width": 1366, "height": 768})
    browser_sign_in(context, user, live_server.url)
    return context.new_page()


def test_a_verifier_works_three_reports_from_the_keyboard_one_after_the_other(world, context_for, live_server, submit):
    city = RegionFactory(code="63.72", name="Kota Banjarbaru")
    RoutingRule.objects.create(category=world.category, region=city, agency=world.pupr)
    reports = [submit(title=f"Jalan berlubang di gang {n}", region=city) for n in (1, 2, 3)]
    page = desk(context_for, live_server, world.national_admin)
    page.goto("/kantor/")
    page.locator("td.title a").first.click()
    seen = []
    for _ in reports:
        seen.append(page.locator("h1").inner_text().split()[0].lstrip("#"))
        # The city's OPD the routing rule names is already chosen: verifying is one button.
        verify = page.locator("#aksi-verifikasi")
        assert verify.get_by_label("Disposisikan ke").evaluate("s => s.options[s.selectedIndex].text").strip() == \
            "Dinas PUPR Banjarbaru"
        verify.get_by_role("button", name="Verifikasi").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.get_by_text("Laporan diverifikasi dan didisposisikan ke Dinas PUPR Banjarbaru").wait_for()
        if len(seen) < len(reports):
            assert page.evaluate("document.activeElement.id") == "laporan-berikutnya"
            assert_accessible(page)
            with page.expect_navigation():
                page.keyboard.press("Enter")
    assert sorted(seen) == sorted(r.tracking_id for r in reports)
    assert {Report.objects.get(pk=r.pk).assigned_agency for r in reports} == {world.pupr}
    assert all(Report.objects.get(pk=r.pk).status == Status.DISPATCHED for r in reports)
    assert page.locator("#laporan-berikutnya").count() == 0  # nothing else waits on the national admin


def test_a_refused_verification_puts_the_cursor_in_the_wrong_field(world, context_for, live_server, submit):
    report = submit()
    page = desk(context_for, live_server, world.agency_admin)
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    verify = page.locator("#aksi-verifikasi")
    verify.get_by_label("Wilayah (kode Kemendagri)").fill("99.99")
    verify.get_by_label("Catatan verifikasi (opsional)").fill("Dicek lewat telepon")
    with page.expect_navigation():
        verify.get_by_role("button", name="Verifikasi").click()
    assert page.evaluate("document.activeElement.name") == "verify-region"
    assert page.locator("#id_verify-note").input_value() == "Dicek lewat telepon"
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the region left empty: the form goes through
    page.get_by_text("Laporan diverifikasi dan didisposisikan").wait_for()


def test_a_long_title_takes_two_lines_of_the_inbox(world, context_for, live_server, submit):
    long_title = ("Keluhan tentang pelayanan administrasi kependudukan di kantor Disdukcapil yang sangat lambat dan "
                  "berbelit-belit, pemohon harus datang berkali-kali hanya untuk mencetak KTP elektronik")
    submit(title=long_title)
    short = submit(title="Lampu jalan mati")
    page = desk(context_for, live_server, world.agency_admin)
    page.goto("/kantor/")
    link = page.locator("td.title a", has_text="Keluhan tentang")
    line = page.locator("td.title a", has_text=short.title).evaluate("a => a.getBoundingClientRect().height")
    assert link.evaluate("a => a.getBoundingClientRect().height") <= 2 * line + 2
    assert link.get_attribute("title") == long_title  # the whole of it on hover


def test_the_first_tab_on_a_report_leads_straight_to_its_actions(world, context_for, live_server, submit):
    report = submit()
    page = desk(context_for, live_server, world.agency_admin)
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Langsung ke tindakan"
    box = skip.bounding_box()  # shown while focused, on the screen
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
    assert_accessible(page)
    page.keyboard.press("Enter")
    presses = 0
    while page.evaluate("document.activeElement.name") != "verify-title":
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 2, page.evaluate("document.activeElement.outerHTML")
    # The rest of the page is as it was: the next Tab from the top is "Langsung ke isi".
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.locator(":focus").inner_text() == "Langsung ke isi"


def test_from_a_filtered_inbox_the_next_report_is_the_filters_next(world, context_for, live_server, submit):
    from tests.factories import CategoryFactory

    lights = CategoryFactory(name="Penerangan Jalan")
    for n in (1, 2):
        submit(title=f"Jalan berlubang di gang {n}")
    lamps = {submit(title=f"Lampu jalan mati di gang {n}", category=lights).tracking_id for n in (1, 2, 3)}
    page = desk(context_for, live_server, world.agency_admin)
    page.goto(f"/kantor/?tab=saya&category={lights.pk}")
    links = page.locator("td.title a").evaluate_all("l => l.map(a => a.getAttribute('href'))")
    order = [link.split("/")[3] for link in links]
    assert set(order) == lamps
    page.locator("td.title a").first.click()
    seen = []
    for _ in order:
        seen.append(page.locator("h1").inner_text().split()[0].lstrip("#"))
        verify = page.locator("#aksi-verifikasi")
        verify.get_by_label("Disposisikan ke").select_option(label="\u2003Dinas PUPR Banjarbaru")
        verify.get_by_role("button", name="Verifikasi").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.get_by_text("Laporan diverifikasi dan didisposisikan ke Dinas PUPR Banjarbaru").wait_for()
        assert page.evaluate("document.activeElement.id") == "laporan-berikutnya"
        with page.expect_navigation():
            page.keyboard.press("Enter")
    # Each lamp report in the filter's order, then round to its first: never a road report.
    assert seen == order
    assert page.locator("h1").inner_text().split()[0].lstrip("#") == order[0]


def test_without_javascript_perbarui_saran_follows_the_category_chosen(world, context_for, live_server, submit):
    from tests.factories import CategoryFactory

    city = RegionFactory(code="63.72", name="Kota Banjarbaru")
    RoutingRule.objects.create(category=world.category, region=city, agency=world.pupr)
    health = CategoryFactory(name="Puskesmas")
    RoutingRule.objects.create(category=health, region=city, agency=world.dinkes)
    report = submit(region=city)
    context = context_for(javascript=False, viewport={"width": 1366, "height": 768})
    browser_sign_in(context, world.agency_admin, live_server.url)
    page = context.new_page()
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    # (No page.evaluate, nor axe, here: with JavaScript off they never return.)
    verify = page.locator("#aksi-verifikasi")
    agency = verify.get_by_label("Disposisikan ke")
    assert agency.input_value() == str(world.pupr.pk)
    verify.get_by_label("Judul (ringkasan)").fill("Antrean puskesmas panjang")
    verify.get_by_label("Kategori").select_option(label="Puskesmas (umum)")
    with page.expect_navigation():
        verify.get_by_role("button", name="Perbarui saran").click()
    verify = page.locator("#aksi-verifikasi")
    agency = verify.get_by_label("Disposisikan ke")
    assert agency.input_value() == str(world.dinkes.pk)
    assert page.locator(":focus").get_attribute("name") == "verify-agency"  # where the change is
    assert verify.get_by_label("Judul (ringkasan)").input_value() == "Antrean puskesmas panjang"
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
    with page.expect_navigation():
        verify.get_by_role("button", name="Verifikasi", exact=True).click()
    page.get_by_text("Laporan diverifikasi dan didisposisikan ke Dinas Kesehatan Banjarbaru").wait_for()
    assert Report.objects.get(pk=report.pk).category == health


def test_bulk_verification_lists_each_destination_before_sending(world, context_for, live_server, submit):
    city = RegionFactory(code="63.72", name="Kota Banjarbaru")
    RoutingRule.objects.create(category=world.category, region=city, agency=world.pupr)
    ruled = submit(title="Jalan berlubang di gang 1", region=city)
    plain = submit(title="Jalan berlubang di gang 2", category=None)
    page = desk(context_for, live_server, world.agency_admin)
    page.goto("/kantor/")
    for report in (ruled, plain):
        page.locator(f"#pilih-{report.tracking_id}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Verifikasi yang dipilih").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Dinas PUPR Banjarbaru" in rows.filter(has_text=ruled.title).inner_text()
    assert "Pemerintah Kota Banjarbaru (instansi yang dituju pelapor)" in rows.filter(has_text=plain.title).inner_text()
    assert_accessible(page)
    assert Report.objects.get(pk=ruled.pk).status == Status.SUBMITTED
    with page.expect_navigation():
        page.get_by_role("button", name="Verifikasi dan teruskan 2 laporan").click()
    page.get_by_text(f"#{ruled.tracking_id} diverifikasi dan diteruskan ke Dinas PUPR Banjarbaru").wait_for()
    assert Report.objects.get(pk=plain.pk).assigned_agency == world.pemkot
