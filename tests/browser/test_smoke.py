"""The browser harness itself: Chromium renders our pages and axe runs on them."""
from .conftest import assert_accessible


def test_the_home_page_renders_in_chromium_without_accessibility_violations(page, live_server):
    page.goto("/")
    assert "Lapor" in page.title() or "Lapor" in page.content()
    assert_accessible(page)
