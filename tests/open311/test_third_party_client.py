"""The same flows through a third-party Open311 client: the ``georeport`` package from
PyPI (read-only: services, definitions, requests), against a live server, in JSON and XML.
It cannot file requests, so filing is a plain form POST as any client would send it."""
import pytest
import requests
from georeport import GeoReport

from lapor.reports import services
from lapor.reports.models import Report

from ..factories import CategoryFactory
from .test_georeport_v2 import connected


@pytest.fixture
def endpoint(live_server, world):
    CategoryFactory(name="Jalan berlubang", slug="jalan-berlubang", parent=world.category)
    app = connected("Banjarbaru Ku", world.other_citizen)
    return f"{live_server.url}/open311/v2", app


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_georeport_client_reads_services_definitions_and_the_request_it_filed(world, endpoint, fmt):
    root, app = endpoint
    client = GeoReport(root, api_key=app.api_key, output_format=fmt)
    codes = {s["service_code"] for s in client.get_service_list()}
    assert "jalan-berlubang" in codes
    definition = client.get_service_definition("jalan-berlubang")
    assert definition["service_code"] == "jalan-berlubang"

    filed = requests.post(f"{root}/requests.json", data={
        "api_key": app.api_key, "service_code": "jalan-berlubang", "lat": "-3.44", "long": "114.83",
        "description": "Lubang besar di depan pasar",
    }, timeout=10)
    assert filed.status_code == 200, filed.text
    request_id = filed.json()[0]["service_request_id"]
    report = Report.objects.get(tracking_id=request_id)
    # No routing rule and no AGENCY attribute: the national admin routes it.
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah ditambal.")

    found = client.get_service_request(request_id)
    assert found["service_request_id"] == request_id
    assert found["status"] == "open" and found["status_notes"] == "Sudah ditambal."
    listed = client.get_service_requests(status="open")
    listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one item is not a list
    assert [r["service_request_id"] for r in listed] == [request_id]
