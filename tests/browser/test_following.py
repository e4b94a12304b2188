"""In a real browser: a citizen follows the area the map shows, the map's feed link
follows its viewport, and a disaster's incident map refreshes itself with new reports —
under the Content-Security-Policy and without accessibility violations."""
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lapor.following.models import Follow
from lapor.reports import services
from tests.factories import CategoryFactory, RegionFactory
from tests.personas import build_world

from .conftest import assert_accessible


@pytest.fixture
def scene(transactional_db, settings, live_server):
    settings.LAPOR_STATS_CACHE_SECONDS = 0
    settings.LAPOR_MAP_TILE_URL = live_server.url + "/tidak-ada/{z}/{x}/{y}.png"  # no tile server here
    world = build_world()
    kalsel = RegionFactory(code="63", name="Kalimantan Selatan")
    banjarbaru = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=kalsel)
    flood = CategoryFactory(name="Drainase dan Banjir", slug="drainase-dan-banjir")

    def publish(title, lat=-3.44, lon=114.83):
        r = services.report_submit(reporter=world.citizen, title=title, body="Air setinggi lutut.", region=banjarbaru,
                                   category=flood, latitude=lat, longitude=lon, addressed_agency=world.pupr)
        return services.report_verify(report=r, by=world.national_admin)

    for i in range(3):
        publish(f"Genangan {i}", lat=-3.44 + i * 0.01)
    return world, banjarbaru, flood, publish


def test_a_citizen_follows_the_area_the_map_shows(scene, context_for):
    world, _banjarbaru, _flood, _publish = scene
    page = context_for(user=world.other_citizen).new_page()
    page.goto("/peta/?bbox=114.78,-3.48,114.88,-3.40")  # a shared link to an area of Banjarbaru
    # expect() polls from outside the page: the CSP forbids the eval of wait_for_function.
    expect(page.locator("#peta")).to_have_attribute("data-loaded", "3")
    form = page.locator("#ikuti-area-peta")
    form.wait_for(state="visible")
    assert "km dari tengah peta" in form.inner_text()
    feed = page.locator("#peta-feed").get_attribute("href")
    assert feed.startswith("/peta/atom.xml?bbox=114.7")
    assert_accessible(page)

    form.get_by_role("button", name="Ikuti area peta ini").click()
    page.get_by_text("Anda mengikuti ini.").first.wait_for()
    follow = Follow.objects.get(user=world.other_citizen)
    assert abs(follow.latitude - -3.44) < 0.05 and abs(follow.longitude - 114.83) < 0.05
    assert 0.1 <= follow.radius_km <= 50

    page.goto("/ikuti/")
    assert page.locator("table").get_by_text("Area", exact=False).count() == 1
    assert_accessible(page)


def test_the_incident_map_shows_new_reports_without_a_reload(scene, context_for, monkeypatch):
    from lapor.disasters.services import disaster_declare
    from lapor.disasters.views import public

    world, banjarbaru, flood, publish = scene
    monkeypatch.setattr(public, "REFRESH_SECONDS", 1)
    disaster = disaster_declare(by=world.national_admin, title="Banjir Banjarbaru", category=flood, region=banjarbaru,
                                starts_at=timezone.now() - datetime.timedelta(days=1))
    page = context_for().new_page()
    page.goto("/")
    assert_accessible(page)  # the banner
    page.get_by_role("link", name="Peta kejadian langsung").click()
    page.wait_for_url(f"**/darurat/{disaster.pk}/")
    expect(page.locator("#peta")).to_have_attribute("data-loaded", "3")
    assert_accessible(page)

    publish("Warga terjebak di Jl. Sukamara", lat=-3.43)  # inside the view
    expect(page.locator("#peta")).to_have_attribute("data-loaded", "4", timeout=10_000)
