"""What a city's own app (Banjarbaru Rancak) hit when it connected through Open311 from
the documentation alone (docs/open311.md): an ANONYMOUS value it did not expect, and an
update on a report that is not its own."""
import json

import pytest

from lapor.reports import services
from lapor.reports.models import Report, Status

from .test_georeport_v2 import BASE, connected, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_app(world):
    return connected("Banjarbaru Rancak", world.other_citizen)


def filed(client, city_app, world, **attributes):
    return client.post(f"{BASE}/requests.json", {
        "api_key": city_app.api_key, "service_code": world.category.slug, "lat": "-3.44", "long": "114.83",
        "description": "Lubang besar di depan pasar", **{f"attribute[{k}]": v for k, v in attributes.items()}})


@pytest.mark.parametrize("value", ["ya", "1", "yes", "maybe"])
def test_an_anonymous_attribute_other_than_true_or_false_is_a_400_and_files_nothing(client, world, city_app, value):
    response = filed(client, city_app, world, ANONYMOUS=value)
    assert response.status_code == 400
    assert json.loads(response.content) == [{"code": 400, "description": "attribute[ANONYMOUS] harus true atau false."}]
    assert not Report.objects.exists()


@pytest.mark.parametrize("value, anonymous", [("true", True), ("TRUE", True), ("false", False), ("", False)])
def test_the_anonymous_values_the_service_definition_lists_are_still_read(client, world, city_app, value, anonymous):
    response = filed(client, city_app, world, ANONYMOUS=value)
    assert response.status_code == 200, response.content
    report = Report.objects.get(tracking_id=json.loads(response.content)[0]["service_request_id"])
    assert report.is_anonymous is anonymous


def test_an_update_on_a_closed_report_from_neither_its_reporter_nor_staff_is_a_403(client, world, city_app):
    report = published(world)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diaspal.")
    services.report_rate(report=report, by=world.citizen, comment="Terima kasih.")
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED
    events = report.events.count()
    for language, words in (("id", "Anda tidak berwenang melakukan tindakan ini pada laporan ini."),
                            ("en", "You may not take this action on this report.")):
        response = client.post(f"{BASE}/servicerequestupdates.json", {
            "api_key": city_app.api_key, "service_request_id": report.tracking_id, "description": "Kami tangani."},
            HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 403
        assert json.loads(response.content) == [{"code": 403, "description": words}]
    assert report.events.count() == events
