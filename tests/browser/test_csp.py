"""Under the Content-Security-Policy (no inline script or style, no foreign hosts but the
map tiles), every kind of page still works in a real browser: the portal and office
journeys, the map with its markers, the statistics chart, the admin and the API
documentation. The browser conftest fails any test whose pages the policy blocked
something on; these tests make sure every page type is visited at least once."""
import datetime

import pytest
from django.utils import timezone

from lapor.harmony.enums import Religion, WorshipKind
from lapor.harmony.models import HouseOfWorship
from lapor.reports import services
from lapor.transparency import services as transparency
from tests.factories import UserFactory
from tests.harmony.conftest import harmony  # noqa: F401  (fixture)

from ..office.staff import browser_sign_in
from .conftest import csp_violations


@pytest.fixture
def published(world, settings, live_server):
    settings.LAPOR_STATS_CACHE_SECONDS = 0
    # Tiles from our own (test) server: nothing leaves the machine, and img-src allows it.
    settings.LAPOR_MAP_TILE_URL = live_server.url + "/tidak-ada/{z}/{x}/{y}.png"
    reports = []
    for i, (lat, lon) in enumerate([(-3.44, 114.83), (-3.45, 114.84), (-3.2, 114.6)]):
        report = services.report_submit(
            reporter=world.citizen, title=f"Banjir di RT {i + 1}", body="Air setinggi lutut.", latitude=lat,
            longitude=lon, category=world.category, addressed_agency=world.pupr,
        )
        services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
        reports.append(report)
    services.report_answer(report=reports[0], by=world.unit_admin, body="Pompa sudah dikirim.")
    return reports


def visit(page, path, *, ready=None):
    response = page.goto(path)
    assert response.status < 400, f"{path}: {response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    if ready:
        page.locator(ready).first.wait_for()
    page.wait_for_load_state("networkidle")
    return response


def test_the_portal_pages_run_without_a_policy_violation(published, world, context_for):
    browser = context_for()
    page = browser.new_page()
    visit(page, "/")
    visit(page, "/laporan/")
    visit(page, f"/laporan/{published[0].tracking_id}/")
    visit(page, "/lacak/")
    visit(page, "/peta/", ready=".leaflet-marker-pane .leaflet-marker-icon")
    visit(page, "/statistik/", ready="svg.chart")
    visit(page, "/kinerja/")
    visit(page, "/opini/")
    visit(page, "/akun/login/")
    visit(page, "/akun/signup/")
    visit(page, "/akun/klaim/")
    visit(page, "/silapat/")

    citizen = context_for(user=world.citizen).new_page()
    visit(citizen, "/lapor/", ready="#map.leaflet-container")
    visit(citizen, "/laporan-saya/")
    visit(citizen, "/profil/")
    visit(citizen, "/notifikasi/")
    assert csp_violations(context_for.console) == []


def test_a_citizen_files_a_report_with_a_pin_through_the_form_under_the_policy(world, context_for, live_server,
                                                                              settings):
    settings.LAPOR_MAP_TILE_URL = live_server.url + "/tidak-ada/{z}/{x}/{y}.png"
    page = context_for(user=world.citizen).new_page()
    visit(page, "/lapor/", ready="#map.leaflet-container")
    page.fill("#id_title", "Lampu jalan mati di Jl. Ahmad Yani km 30")
    page.fill("#id_body", "Sudah dua minggu lampu jalan mati, rawan kecelakaan malam hari.")
    page.locator("#map").click(position={"x": 200, "y": 140})
    assert page.input_value("#id_latitude")
    submit = "form#report-form button[type=submit]:has-text('Kirim laporan')"
    page.click(submit)
    page.wait_for_load_state()
    if page.url.endswith("/lapor/"):  # the check step (duplicates, names, suggestion)
        page.click(submit)
        page.wait_for_load_state()
    assert "/terkirim/" in page.url
    assert csp_violations(context_for.console) == []


def test_a_poll_and_its_chart_run_without_a_policy_violation(world, context_for):
    poll = transparency.poll_publish(agency=world.pemkot, by=world.agency_admin, question="Perlukah jalur sepeda?",
                                     options=["Perlu", "Tidak perlu"],
                                     closes_at=timezone.now() + datetime.timedelta(days=7))
    page = context_for(user=world.citizen).new_page()
    visit(page, f"/opini/{poll.pk}/")
    page.get_by_label("Perlu", exact=True).check()
    page.get_by_role("button", name="Kirim pendapat").click()
    page.locator("svg.chart").wait_for()
    assert csp_violations(context_for.console) == []


def test_the_office_pages_run_without_a_policy_violation(published, world, context_for, live_server):
    context = context_for(viewport={"width": 1280, "height": 900})
    browser_sign_in(context, world.agency_admin, live_server.url)
    page = context.new_page()
    visit(page, "/kantor/")
    visit(page, f"/kantor/laporan/{published[0].tracking_id}/")
    visit(page, "/kantor/kelola/")
    visit(page, "/kantor/kelola/unit/")
    assert csp_violations(context_for.console) == []


def test_the_silapat_office_map_runs_without_a_policy_violation(
        harmony, context_for, live_server, settings):  # noqa: F811
    settings.LAPOR_MAP_TILE_URL = live_server.url + "/tidak-ada/{z}/{x}/{y}.png"
    HouseOfWorship.objects.create(village=harmony.region("63.72.04.1003"), kind=WorshipKind.GEREJA,
                                  religion=Religion.KRISTEN, name="Gereja Komet", latitude=-3.43, longitude=114.83)
    context = context_for(viewport={"width": 1280, "height": 900})
    browser_sign_in(context, harmony.operator, live_server.url)
    page = context.new_page()
    visit(page, "/kantor/silapat/")
    visit(page, "/kantor/silapat/peringatan/")
    assert csp_violations(context_for.console) == []


def test_the_admin_runs_without_a_policy_violation(world, context_for, live_server):
    admin = UserFactory(username="superadmin", is_staff=True, is_superuser=True)
    context = context_for(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visit(page, "/admin/login/")
    browser_sign_in(context, admin, live_server.url)
    visit(page, "/admin/")
    visit(page, "/admin/reports/report/")
    visit(page, "/admin/agencies/agency/add/")
    visit(page, "/admin/workdays/workdayoverride/add/")
    assert csp_violations(context_for.console) == []


def test_the_api_documentation_runs_with_only_redoc_allowed_inline_styles(context_for):
    page = context_for(viewport={"width": 1280, "height": 900}).new_page()
    swagger = visit(page, "/api/docs/", ready=".swagger-ui .info")
    assert "style-src 'self';" in swagger.headers["content-security-policy"] + ";"
    assert csp_violations(context_for.console) == []

    redoc = page.goto("/api/redoc/")
    page.get_by_text("Lapor API").first.wait_for()
    page.wait_for_load_state("networkidle")
    policy = dict(d.strip().split(" ", 1) for d in redoc.headers["content-security-policy"].split(";"))
    assert "'unsafe-inline'" in policy["style-src"] and "'unsafe-inline'" not in policy["script-src"]
    # Redoc's own "Redocly" logo comes from a CDN: blocked on purpose, and nothing else is.
    # The browser conftest would fail on it, so it is taken off the list here.
    blocked = csp_violations(context_for.console)
    assert blocked and all("cdn.redoc.ly" in message for message in blocked)
    context_for.console.clear()


def test_social_sign_in_may_leave_for_the_provider_after_posting_its_form(world, context_for):
    # form-action also governs the redirect that follows a form post: allauth's "continue
    # with Google" posts to us and is redirected to Google's sign-in page.
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(provider="google", name="Google", client_id="lapor-uji", secret="rahasia")
    page = context_for().new_page()
    page.route("https://accounts.google.com/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Google</title><p>Masuk dengan Google</p>"))
    visit(page, "/akun/google/login/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("https://accounts.google.com/**")
    assert "client_id=lapor-uji" in page.url
    assert csp_violations(context_for.console) == []
