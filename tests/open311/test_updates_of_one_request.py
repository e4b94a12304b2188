"""An integrator follows one request: ``servicerequestupdates?service_request_id=…`` (our
extension of FixMyStreet's updates, docs/open311.md) lists that report's updates only, its
whole history unless dates narrow it; a malformed id is a 400, one it may not read a 404."""
import datetime

import pytest
from django.utils import timezone

from lapor.reports import services
from lapor.reports.tracking import new_tracking_id

from .test_georeport_v2 import connected, get_json, get_xml, published

pytestmark = pytest.mark.django_db


def ids_of(updates) -> set[str]:
    return {u["service_request_id"] for u in updates}


def test_updates_of_one_request_are_that_reports_only(client, world):
    followed, other = published(world), published(world)
    services.report_answer(report=followed, by=world.unit_admin, body="Sudah ditambal.")
    services.report_answer(report=other, by=world.unit_admin, body="Dijadwalkan.")
    status, updates = get_json(client, "servicerequestupdates", service_request_id=followed.tracking_id)
    assert status == 200 and ids_of(updates) == {followed.tracking_id}
    assert "Sudah ditambal." in [u["description"] for u in updates]
    status, updates = get_json(client, "servicerequestupdates",
                               service_request_id=f"{followed.tracking_id}, {other.tracking_id}")
    assert status == 200 and ids_of(updates) == {followed.tracking_id, other.tracking_id}
    status, root = get_xml(client, "servicerequestupdates", service_request_id=other.tracking_id)
    assert {e.text for e in root.iter("service_request_id")} == {other.tracking_id}


def test_one_requests_updates_go_back_beyond_the_default_90_days_unless_dates_are_given(client, world):
    old = timezone.now() - datetime.timedelta(days=200)
    report = services.report_submit(reporter=world.citizen, title="Lubang besar", body="Jl. A. Yani km 30",
                                    addressed_agency=world.pemkot, category=world.category, now=old)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=old)
    assert get_json(client, "servicerequestupdates")[1] == []  # the last 90 days
    status, updates = get_json(client, "servicerequestupdates", service_request_id=report.tracking_id)
    assert status == 200 and updates and ids_of(updates) == {report.tracking_id}
    recent = (timezone.now() - datetime.timedelta(days=30)).isoformat()
    assert get_json(client, "servicerequestupdates", service_request_id=report.tracking_id,
                    start_date=recent)[1] == []


@pytest.mark.parametrize("value", ["abc", "12", "", "1234567890123"])
def test_a_malformed_request_id_is_a_400_naming_it(client, world, value):
    status, body = get_json(client, "servicerequestupdates", service_request_id=value)
    assert status == 400 and body[0]["code"] == 400
    assert value in body[0]["description"] or "service_request_id" in body[0]["description"]


def test_an_unknown_request_is_a_404_and_so_is_one_the_client_may_not_read(client, world):
    city_app = connected("Banjarbaru Ku", world.other_citizen)  # another citizen's app
    unknown = new_tracking_id()
    status, body = get_json(client, "servicerequestupdates", service_request_id=unknown)
    assert status == 404 and body == [{"code": 404, "description": f"Laporan {unknown} tidak ditemukan."}]
    confidential = published(world, is_confidential=True)
    services.report_answer(report=confidential, by=world.unit_admin, body="Rahasia")
    unverified = services.report_submit(reporter=world.citizen, title="Belum", body="Belum diverifikasi")
    for report in (confidential, unverified):
        status, body = get_json(client, "servicerequestupdates", service_request_id=report.tracking_id)
        # Worded as for a report that does not exist: nothing says it does.
        assert status == 404
        assert body == [{"code": 404, "description": f"Laporan {report.tracking_id} tidak ditemukan."}]
        assert get_json(client, "servicerequestupdates", service_request_id=report.tracking_id,
                        api_key=city_app.api_key)[0] == 404
    # The reporter's own app reads its unverified report's history.
    own = connected("Aplikasi Siti", world.citizen)
    status, updates = get_json(client, "servicerequestupdates", service_request_id=unverified.tracking_id,
                               api_key=own.api_key)
    assert status == 200 and ids_of(updates) == {unverified.tracking_id}


def test_discovery_names_the_service_request_id_filter_of_updates_in_both_formats(client, world):
    """A client that reads discovery (as GeoReport v2 asks it to) learns of the extension:
    servicerequestupdates takes service_request_id, beside FixMyStreet's dates and the pages."""
    status, body = get_json(client, "discovery")
    assert status == 200
    extensions = body["endpoints"][0]["extensions"]
    of_updates = {p["name"]: p["description"] for e in extensions if "servicerequestupdates" in e["resources"]
                  for p in e["parameters"]}
    assert {"service_request_id", "start_date", "end_date", "page", "page_size"} <= set(of_updates)
    assert "100" in of_updates["service_request_id"]
    of_requests = {p["name"] for e in extensions if "requests" in e["resources"] for p in e["parameters"]}
    assert of_requests == {"page", "page_size"}  # service_request_id of requests is the spec's own
    status, root = get_xml(client, "discovery")
    named = [e for e in root.iter("extension")
             if "servicerequestupdates" in {r.text for r in e.iter("resource")}
             and "service_request_id" in {p.findtext("name") for p in e.iter("parameter")}]
    assert len(named) == 1 and named[0].findtext("parameters/parameter/description")
