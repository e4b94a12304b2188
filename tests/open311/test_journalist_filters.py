"""A newsroom's script reads Open311 by service: a code it got wrong is named (404, as the
spec has it for an unknown service), never answered with an empty list that reads as "no
reports" (SPEC §7)."""
import json
from xml.etree import ElementTree as ET

import pytest

from .test_georeport_v2 import BASE, published

pytestmark = pytest.mark.django_db


def test_listing_requests_of_an_unknown_service_is_a_404_naming_it(client, world):
    published(world)
    response = client.get(f"{BASE}/requests.json", {"service_code": f"{world.category.slug},jalan-rusk"})
    assert response.status_code == 404
    assert json.loads(response.content) == [{"code": 404, "description": "Layanan jalan-rusk tidak dikenal."}]
    xml = client.get(f"{BASE}/requests.xml", {"service_code": "jalan-rusk"}, HTTP_ACCEPT_LANGUAGE="en")
    assert xml.status_code == 404
    assert ET.fromstring(xml.content).find("error/code").text == "404"


def test_a_retired_service_still_lists_its_past_requests(client, world):
    report = published(world)
    world.category.is_active = False
    world.category.save()
    response = client.get(f"{BASE}/requests.json", {"service_code": world.category.slug})
    assert response.status_code == 200
    assert [r["service_request_id"] for r in json.loads(response.content)] == [report.tracking_id]
