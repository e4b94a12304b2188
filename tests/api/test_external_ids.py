"""A connected system reads its own id of each report it pushed in (``external_id``), and so
do the staff handling the report; the public, other citizens and staff who see the report
only because it is published do not (SPEC §5, §7)."""
import pytest

from lapor.reports import services
from lapor.reports.models import Report
from tests.factories import UserFactory

NEW_REPORT = {"title": "Jalan berlubang", "body": "Di depan SDN 1.", "addressed_agency": "pemkot"}


@pytest.fixture
def city_app(db):
    """The city's own complaint app, an ordinary account that files reports as itself."""
    return UserFactory(username="simpel.banjarbaru", full_name="SIMPEL Banjarbaru")


def pushed(world, api, city_app, **extra):
    response = api(city_app).post("/api/v1/reports/", {**NEW_REPORT, "external_id": "KOTA-9", **extra}, format="json")
    assert response.status_code == 201
    assert response.json()["external_id"] == "KOTA-9"
    report = Report.objects.get(tracking_id=response.json()["tracking_id"])
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)  # published
    return report


def detail(client, report):
    return client.get(f"/api/v1/reports/{report.tracking_id}/").json()


def listed(client, path, report):
    return next(r for r in client.get(path).json()["results"] if r["tracking_id"] == report.tracking_id)


def test_the_system_that_pushed_a_report_reads_its_own_id_in_the_detail_and_its_lists(world, api, city_app):
    report = pushed(world, api, city_app)
    system = api(city_app)
    assert detail(system, report)["external_id"] == "KOTA-9"
    assert listed(system, "/api/v1/me/reports/", report)["external_id"] == "KOTA-9"
    assert listed(system, "/api/v1/reports/", report)["external_id"] == "KOTA-9"


def test_the_staff_handling_it_read_the_id_and_the_public_and_outsiders_do_not(world, api, city_app):
    report = pushed(world, api, city_app)
    unit = api(world.unit_admin)
    assert detail(unit, report)["external_id"] == "KOTA-9"
    assert listed(unit, "/api/v1/inbox/", report)["external_id"] == "KOTA-9"
    for outsider in (api(), api(world.citizen), api(world.other_agency_officer)):
        assert detail(outsider, report)["tracking_id"] == report.tracking_id  # it is published
        assert detail(outsider, report)["external_id"] is None
        assert listed(outsider, "/api/v1/reports/", report)["external_id"] is None


def test_on_an_anonymous_report_only_the_system_reads_its_id(world, api, city_app):
    report = pushed(world, api, city_app, is_anonymous=True)
    assert detail(api(city_app), report)["external_id"] == "KOTA-9"
    assert detail(api(world.unit_admin), report)["external_id"] is None
    assert detail(api(world.agency_admin), report)["external_id"] is None


def test_a_report_filed_without_an_id_says_null(world, api):
    response = api(world.citizen).post("/api/v1/reports/", NEW_REPORT, format="json")
    assert response.status_code == 201 and response.json()["external_id"] is None
