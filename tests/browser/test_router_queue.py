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
    """A report from the citizen to the city government, its category "Jalan Rusak"."""
    def make(*, title="Jalan berlubang di Jl. Karang Anyar", **kwargs):
        return services.report_submit(reporter=world.citizen, title=title, body="Lubang besar dekat sekolah.",
                                      addressed_agency=world.pemkot, category=world.category, **kwargs)
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
