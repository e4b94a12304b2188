"""In a real browser: a citizen gives an opinion once and sees the result chart."""
import datetime

from django.utils import timezone

from lapor.transparency import services
from tests.personas import build_world

from .conftest import assert_accessible


def test_a_citizen_answers_a_poll_and_sees_the_chart(transactional_db, context_for):
    world = build_world()
    poll = services.poll_publish(agency=world.pemkot, by=world.agency_admin, question="Perlukah jalur sepeda?",
                                 options=["Perlu", "Tidak perlu"],
                                 closes_at=timezone.now() + datetime.timedelta(days=7))
    page = context_for(user=world.citizen).new_page()
    page.goto(f"/opini/{poll.pk}/")
    assert_accessible(page)
    page.get_by_label("Perlu", exact=True).check()
    page.get_by_role("button", name="Kirim pendapat").click()
    page.get_by_text("Pendapat Anda:").wait_for()
    assert page.locator("svg.chart").count() == 1
    assert "100,0%" in page.locator("#hasil").inner_text()
    assert page.get_by_role("button", name="Kirim pendapat").count() == 0
    assert_accessible(page)
