"""The public header on a cheap phone (360 px, touch): every link and the language button
is a thumb's tap target, 44 × 44 px (WCAG 2.5.5); a desktop's header stays as compact."""
import pytest

from .conftest import assert_accessible

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def boxes(page):
    header = page.locator("header.site")
    targets = header.locator("a, button")
    return [(targets.nth(i).inner_text().strip(), targets.nth(i).bounding_box()) for i in range(targets.count())]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "citizen"])
def test_every_public_header_link_is_a_44_px_tap_target_on_a_phone(context_for, world, signed_in):
    context = context_for(viewport=PHONE, user=world.citizen if signed_in else None)
    page = context.new_page()
    page.goto("/laporan/")
    found = boxes(page)
    assert len(found) >= 8
    small = [(text, round(box["width"]), round(box["height"])) for text, box in found
             if box["height"] < 44 or box["width"] < 44]
    assert not small, f"tap targets under 44 × 44 px: {small}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The menu's box steps aside on a phone (its links share rows with the name): it is still
    # the navigation landmark a screen reader jumps to, with every link in it.
    menu = page.get_by_role("navigation", name="Menu utama")
    assert menu.get_by_role("link", name="Laporan publik").count() == 1
    assert_accessible(page)


def test_on_a_desktop_the_public_header_keeps_its_height(context_for, world):
    page = context_for(viewport=DESKTOP).new_page()
    page.goto("/laporan/")
    # The phone's tap targets stay on the phone: the menu is two lines of text, as before.
    assert page.locator("header.site").bounding_box()["height"] < 80
