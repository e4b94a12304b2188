"""In a real browser: an agency admin publishes a poll from the back office, and the
monthly report offers its PDF; both screens without accessibility violations."""
import datetime

from django.utils import timezone

from lapor.transparency.models import Poll
from tests.office.staff import browser_sign_in
from tests.personas import build_world

from .conftest import assert_accessible


def test_an_agency_admin_publishes_a_poll_from_the_back_office(transactional_db, context_for, live_server):
    world = build_world()
    context = context_for()
    browser_sign_in(context, world.agency_admin, live_server.url)
    page = context.new_page()
    page.goto("/kantor/opini/baru/")
    assert_accessible(page)
    page.get_by_label("Instansi").select_option(str(world.pemkot.pk))
    page.get_by_label("Pertanyaan").fill("Perlukah jalur sepeda di Jalan A. Yani?")
    page.get_by_label("Pilihan jawaban").fill("Perlu\nTidak perlu")
    page.get_by_label("Ditutup pada tanggal").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("diterbitkan").wait_for()
    assert page.locator("#daftar-opini").get_by_role("link", name="Perlukah jalur sepeda di Jalan A. Yani?",
                                                    exact=True).count() == 1
    assert_accessible(page)
    assert Poll.objects.get().options.count() == 2


def test_the_monthly_report_links_to_a_pdf_of_itself(transactional_db, page, settings):
    settings.LAPOR_STATS_CACHE_SECONDS = 0
    build_world()
    page.goto("/kinerja/pemkot/bulanan/2026-03/")
    assert_accessible(page)
    link = page.get_by_role("link", name="Unduh PDF")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
