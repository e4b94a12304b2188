"""Every other back-office screen passes axe: supervision, the reveal page, agency admin."""
import datetime
import re

from django.utils import timezone

from lapor.office.models import AnswerTemplate
from lapor.reports import services
from lapor.reports.models import Report

from ..office.staff import browser_sign_in
from .conftest import assert_accessible


def desk(context_for, live_server, user, **kwargs):
    context = context_for(**kwargs)
    browser_sign_in(context, user, live_server.url)
    return context.new_page()


def test_supervision_reveal_and_administration_pages_are_accessible(world, context_for, live_server):
    report = services.report_submit(reporter=world.citizen, title="Pungli di loket", body="Di kantor kelurahan.",
                                    addressed_agency=world.pemkot, category=world.category, is_anonymous=True)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    Report.objects.filter(pk=report.pk).update(due_at=timezone.now() - datetime.timedelta(days=5))
    AnswerTemplate.objects.create(agency=world.pemkot, title="Terima kasih", body="Terima kasih atas laporan Anda.")

    page = desk(context_for, live_server, world.inspector)
    page.goto("/kantor/pengawasan/")
    assert page.get_by_text(re.compile(r"Terlambat \d+ hari kerja")).first.is_visible()
    assert_accessible(page)

    page = desk(context_for, live_server, world.custodian)
    page.goto(f"/kantor/laporan/{report.tracking_id}/identitas/")
    assert_accessible(page)
    page.get_by_label("Alasan membuka identitas").fill("Permintaan LPSK nomor 7/2026")
    page.get_by_role("button", name="Buka identitas").click()
    page.get_by_text("Siti Rahmawati").wait_for()
    assert_accessible(page)

    page = desk(context_for, live_server, world.agency_admin, viewport={"width": 1280, "height": 900})
    for url in ("/kantor/kelola/", "/kantor/kelola/unit/", "/kantor/kelola/staf/", "/kantor/kelola/templat/",
                "/kantor/kelola/rute/"):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/kantor/laporan/{report.tracking_id}/")
    page.screenshot(path="/tmp/office-workspace.png", full_page=True)
    page.goto("/kantor/?tab=semua")
    page.screenshot(path="/tmp/office-inbox.png", full_page=True)
