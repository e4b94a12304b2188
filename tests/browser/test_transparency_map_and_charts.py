"""In a real browser: the public map clusters reports around Banjarbaru, and the
statistics page draws its charts, both without accessibility violations."""
import datetime
import random

import pytest
from playwright.sync_api import expect

from lapor.reports import services
from tests.factories import aware
from tests.personas import build_world

from .conftest import assert_accessible


@pytest.fixture
def published_around_banjarbaru(transactional_db, settings, live_server):
    settings.LAPOR_STATS_CACHE_SECONDS = 0
    # Tiles that never load (as offline, or a blocked tile server): markers must still show.
    settings.LAPOR_MAP_TILE_URL = live_server.url + "/tidak-ada/{z}/{x}/{y}.png"
    world = build_world()
    rng = random.Random(3)
    start = aware(2026, 2, 2, 9, 0)
    reports = []
    for i in range(50):
        when = start + datetime.timedelta(hours=5 * i)
        r = services.report_submit(
            reporter=world.citizen, title=f"Banjir di RT {i}", body="Air setinggi lutut.",
            latitude=-3.44 + rng.uniform(-0.04, 0.04), longitude=114.83 + rng.uniform(-0.04, 0.04),
            category=world.category, addressed_agency=world.pupr if i % 2 else world.dinkes, now=when,
        )
        services.report_verify(report=r, by=world.national_admin, now=when + datetime.timedelta(hours=3))
        if i % 3 == 0:
            services.report_answer(report=r, by=world.unit_admin if i % 2 else world.agency_admin,
                                   body="Pompa dikirim.", now=when + datetime.timedelta(days=2))
        reports.append(r)
    secret = services.report_submit(reporter=world.citizen, title="Rahasia sekali", body="x", is_confidential=True,
                                    latitude=-3.44, longitude=114.83, addressed_agency=world.pupr, now=start)
    services.report_verify(report=secret, by=world.national_admin, now=start)
    return reports


def test_the_map_shows_one_cluster_of_fifty_reports_and_splits_it_when_zoomed(published_around_banjarbaru, page):
    page.goto("/peta/")
    cluster = page.locator(".leaflet-marker-pane .marker-cluster")
    cluster.first.wait_for()
    assert cluster.count() == 1 and cluster.first.inner_text().strip() == "50"
    assert page.locator("#peta").get_attribute("data-loaded") == "50"
    # The tile server answered nothing; the page says so and the markers stay.
    page.get_by_text("Peta dasar tidak dapat dimuat").wait_for()
    assert page.locator(".report-list li").count() == 50
    assert_accessible(page)

    cluster.first.click()
    # Locators, not wait_for_function: a string predicate is evaluated with eval(), which
    # the page's Content-Security-Policy (rightly) refuses.
    page.locator(".leaflet-marker-pane .leaflet-marker-icon").nth(1).wait_for()
    expect(page.locator("#peta")).to_have_attribute("data-loaded", "50")
    assert "Rahasia sekali" not in page.content()


def test_a_single_report_marker_opens_a_link_to_its_page(published_around_banjarbaru, page):
    page.goto("/peta/")
    page.locator(".marker-cluster").first.click()
    # Zoomed to the cluster's reports: some stand alone now, as ordinary pins.
    pin = page.locator(".leaflet-marker-pane img.leaflet-marker-icon").first
    pin.wait_for()
    pin.click()
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert link.get_attribute("href").startswith("/laporan/")
    cells = page.request.get("/peta/data.json?bbox=114.7,-3.6,115.0,-3.3&zoom=18").json()["cells"]
    assert sum(c["count"] for c in cells) == 50
    assert all(c["url"].startswith("/laporan/") for c in cells if c["count"] == 1)


def test_the_statistics_page_draws_charts_beside_tables(published_around_banjarbaru, page):
    page.goto("/statistik/")
    chart = page.locator("#bagian-status svg.chart")
    chart.wait_for()
    assert chart.get_attribute("role") == "img"
    assert page.locator("[data-figure=total]").inner_text() == "50"
    assert page.locator("#bagian-status table").inner_text().count("Terdisposisi") == 1
    assert_accessible(page)


def test_the_ranking_page_is_accessible(published_around_banjarbaru, page):
    page.goto("/kinerja/")
    page.locator("table.compliance").wait_for()
    assert "Pemerintah Kota Banjarbaru" in page.locator("table.compliance").inner_text()
    assert_accessible(page)


def test_pins_show_their_marker_image_when_the_stylesheet_names_images_with_hashes(published_around_banjarbaru,
                                                                                    page):
    """In production collectstatic gives Leaflet's images hashed names and rewrites its
    stylesheet to them ("images/marker-icon.<hash>.png"), from which Leaflet could no
    longer find its marker images: every pin was a broken image asking for
    "marker-icon.png" beside the page. The stylesheet is rewritten here the same way."""
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)

    def hashed(route):
        css = route.fetch().text().replace("images/marker-icon.png", "images/marker-icon.0123456789ab.png")
        route.fulfill(body=css, headers={"content-type": "text/css"})

    page.route("**/leaflet/leaflet.css", hashed)
    page.goto("/peta/")
    page.locator(".marker-cluster").first.click()
    pin = page.locator(".leaflet-marker-pane img.leaflet-marker-icon").first
    pin.wait_for()
    assert pin.get_attribute("src").endswith("/leaflet/images/marker-icon.png")
    page.wait_for_load_state("networkidle")
    assert not [url for url in missing if "marker" in url], missing


def test_chart_labels_are_not_cut_off_at_the_left_edge(published_around_banjarbaru, page):
    """A long name ("Pekerjaan Umum dan Penataan Ruang", 33 letters) is shortened with "…";
    what is left must fit beside its bar, not run off the chart's left edge."""
    category = published_around_banjarbaru[0].category
    category.name = "Pekerjaan Umum dan Penataan Ruang"
    category.save()
    page.goto("/statistik/")
    page.locator("#bagian-category svg.chart").wait_for()
    lefts = page.locator("svg.chart text").evaluate_all("texts => texts.map(t => t.getBBox().x)")
    assert lefts and min(lefts) >= 0, lefts
    assert "Pekerjaan Umum dan Penata…" in page.locator("#bagian-category svg.chart").inner_html()
