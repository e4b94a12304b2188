"""The browser harness itself: Chromium renders our pages and axe runs on them."""
from .conftest import assert_accessible


def test_the_home_page_renders_in_chromium_without_accessibility_violations(page, live_server):
    page.goto("/")
    assert "Lapor" in page.title() or "Lapor" in page.content()
    assert_accessible(page)


def test_on_a_phone_the_menu_leaves_the_page_its_screen(page, live_server):
    """At 412 px the menu runs across the width under the name and the language button:
    squeezed between them it stood one link a line and pushed the page's heading down by
    a third of the screen."""
    page.goto("/")
    header = page.locator("header.site").bounding_box()
    heading = page.locator("main h1").bounding_box()
    assert header["height"] < 160 and heading["y"] < 200, (header, heading)
    links = [page.locator("header.site nav a").nth(i).bounding_box() for i in range(3)]
    assert links[0]["y"] == links[1]["y"] == links[2]["y"]  # side by side, not stacked
