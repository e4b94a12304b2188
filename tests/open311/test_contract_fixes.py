"""What an Open311 client is told when it gets something wrong, and the update ids it is
given, as GeoReport v2 and FixMyStreet's servicerequestupdates have them (docs/open311.md)."""
import datetime
import json
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from lapor.reports import drafts, services
from lapor.reports.models import Report
from lapor.reports.tracking import new_tracking_id

from .test_georeport_v2 import BASE, connected, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_app(world):
    return connected("Banjarbaru Ku", world.other_citizen)


def listed_update_ids(client, **params) -> dict[str, str]:
    """What GET servicerequestupdates lists of the last hour: description by update_id."""
    start = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    response = client.get(f"{BASE}/servicerequestupdates.json", {"start_date": start, **params})
    assert response.status_code == 200
    return {update["update_id"]: update["description"] for update in response.json()}


# --- a missing service_code, a body that is not a form -------------------------------------


def test_a_request_without_service_code_is_a_400_naming_it(client, world, city_app):
    response = client.post(f"{BASE}/requests.json", {"api_key": city_app.api_key, "lat": "-3.44", "long": "114.83",
                                                     "description": "Lubang besar"})
    assert response.status_code == 400
    assert json.loads(response.content) == [{"code": 400, "description": "service_code wajib diisi."}]
    xml = client.post(f"{BASE}/requests.xml", {"api_key": city_app.api_key, "description": "Lubang"},
                      HTTP_ACCEPT_LANGUAGE="en")
    assert xml.status_code == 400
    assert ET.fromstring(xml.content).find("error/description").text == "service_code is required."
    assert not Report.objects.exists()


def test_an_unknown_service_code_is_still_a_404(client, world, city_app):
    response = client.post(f"{BASE}/requests.json", {"api_key": city_app.api_key, "service_code": "tidak-ada",
                                                     "lat": "-3.44", "long": "114.83", "description": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", ["requests", "servicerequestupdates"])
def test_a_json_body_is_a_400_saying_open311_takes_forms_not_a_missing_api_key(client, world, city_app, endpoint):
    sent = {"api_key": city_app.api_key, "service_code": world.category.slug, "lat": "-3.44", "long": "114.83",
            "description": "Lubang besar", "service_request_id": "123456789"}
    response = client.post(f"{BASE}/{endpoint}.json", json.dumps(sent), content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert json.loads(response.content) == [{"code": 400, "description": (
        "Open311 requests are sent as forms: application/x-www-form-urlencoded or multipart/form-data.")}]
    assert not Report.objects.exists()


def test_a_form_in_either_encoding_is_still_read(client, world, city_app):
    sent = f"api_key={city_app.api_key}&service_code={world.category.slug}&lat=-3.44&long=114.83&description=Lubang"
    urlencoded = client.post(f"{BASE}/requests.json", sent,
                             content_type="application/x-www-form-urlencoded; charset=utf-8")
    assert urlencoded.status_code == 200, urlencoded.content
    multipart = client.post(f"{BASE}/requests.json", {"api_key": city_app.api_key, "service_code": world.category.slug,
                                                      "lat": "-3.44", "long": "114.83", "description": "Retak"})
    assert multipart.status_code == 200, multipart.content
    # And a POST with no body at all is told what it lacks, as before.
    assert client.generic("POST", f"{BASE}/requests.json").status_code == 403


def test_a_body_that_cannot_be_read_is_answered_in_the_specs_error_shape_and_the_asked_format(
        client, world, city_app, settings):
    """Too big, too many fields, a multipart body without its boundary: an Open311 client
    is told in its own list of errors (XML for .xml), not in the REST API's JSON object."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    form = "application/x-www-form-urlencoded"
    too_big = client.post(f"{BASE}/requests.json", f"api_key={city_app.api_key}&description={'a' * 1100000}",
                          content_type=form)
    assert too_big.status_code == 413
    assert json.loads(too_big.content) == [{"code": 413, "description": (
        "Kiriman terlalu besar: paling banyak 1 MB sekaligus.")}]
    many = client.post(f"{BASE}/servicerequestupdates.xml", "&".join(f"a{i}=1" for i in range(60)),
                       content_type=form)
    assert many.status_code == 400 and many["Content-Type"].startswith("text/xml")
    assert ET.fromstring(many.content).find("error/code").text == "400"
    broken = client.post(f"{BASE}/requests.json", "garbage", content_type="multipart/form-data",
                         HTTP_ACCEPT_LANGUAGE="en")
    assert broken.status_code == 400
    assert json.loads(broken.content)[0]["code"] == 400 and "boundary" in json.loads(broken.content)[0]["description"]
    assert not Report.objects.exists()


# --- the update_id a POST servicerequestupdates answers ------------------------------------


def test_an_agency_systems_update_id_is_the_one_get_lists(client, world):
    report = published(world)
    agency_system = connected("SIMPEL PUPR", world.unit_admin)
    response = client.post(f"{BASE}/servicerequestupdates.json", {
        "api_key": agency_system.api_key, "service_request_id": report.tracking_id,
        "description": "Tim sudah meninjau lokasi."})
    assert response.status_code == 200, response.content
    update_id = json.loads(response.content)[0]["update_id"]
    assert listed_update_ids(client)[update_id] == "Tim sudah meninjau lokasi."


def test_a_reporters_reply_update_id_is_the_one_get_lists(client, world, city_app):
    report = services.report_submit(reporter=city_app.account, title="Lampu", body="Mati", addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diganti")
    response = client.post(f"{BASE}/servicerequestupdates.json", {
        "api_key": city_app.api_key, "service_request_id": report.tracking_id, "description": "Masih mati"})
    update_id = json.loads(response.content)[0]["update_id"]
    assert listed_update_ids(client, api_key=city_app.api_key)[update_id] == "Masih mati"


def test_a_liaison_officers_update_says_it_awaits_approval_instead_of_an_id_that_never_appears(client, world):
    report = published(world)
    officer_system = connected("SIMPEL PUPR petugas", world.officer)
    response = client.post(f"{BASE}/servicerequestupdates.json", {
        "api_key": officer_system.api_key, "service_request_id": report.tracking_id,
        "description": "Tim sudah meninjau lokasi."}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 202
    [answer] = json.loads(response.content)
    assert answer["update_id"] is None
    assert "approv" in answer["service_notice"]
    # Nothing of it is listed, to anyone, until the unit admin approves it ...
    assert "Tim sudah meninjau lokasi." not in listed_update_ids(client, api_key=officer_system.api_key).values()
    # ... and then it is, under an id of its own.
    drafts.draft_approve(draft=drafts.open_draft(report), by=world.unit_admin)
    assert "Tim sudah meninjau lokasi." in listed_update_ids(client).values()


def test_a_liaison_officers_update_in_xml_says_so_too(client, world):
    report = published(world)
    officer_system = connected("SIMPEL PUPR petugas", world.officer)
    response = client.post(f"{BASE}/servicerequestupdates.xml", {
        "api_key": officer_system.api_key, "service_request_id": report.tracking_id, "description": "Ditinjau."})
    assert response.status_code == 202
    update = ET.fromstring(response.content).find("request_update")
    assert update.find("update_id").text is None and "persetujuan" in update.find("service_notice").text


def test_a_request_without_description_is_told_of_the_description_only_not_of_an_optional_title(
        client, world, city_app):
    """attribute[TITLE] is optional (its default is the description's start): a request
    that sent no description hears of that, not also that a title it never sent is required."""
    sent = {"api_key": city_app.api_key, "service_code": world.category.slug, "lat": "-3.44", "long": "114.83"}
    response = client.post(f"{BASE}/requests.json", sent)
    assert response.status_code == 400
    assert json.loads(response.content) == [{"code": 400, "description": "description: Isi laporan wajib diisi."}]
    # A title sent and empty is still named, with the description.
    both = client.post(f"{BASE}/requests.json", {**sent, "attribute[TITLE]": " "})
    assert both.status_code == 400
    assert both.json()[0]["description"].startswith("attribute[TITLE]: ")
    assert not Report.objects.exists()


def test_an_update_without_a_well_formed_service_request_id_is_a_400_naming_it(client, world, city_app):
    """service_request_id is required to POST an update: left out or not a tracking ID, it
    is a 400 naming it (as GET servicerequestupdates says of a malformed one), not a 404 as
    if the client had named a report that does not exist."""
    sent = {"api_key": city_app.api_key, "description": "Masih berlubang", "status": "OPEN"}
    missing = client.post(f"{BASE}/servicerequestupdates.json", sent)
    assert missing.status_code == 400
    assert json.loads(missing.content) == [{"code": 400, "description": "service_request_id wajib diisi."}]
    malformed = client.post(f"{BASE}/servicerequestupdates.json", {**sent, "service_request_id": "abc"})
    assert malformed.status_code == 400
    assert json.loads(malformed.content) == [{"code": 400, "description": "abc bukan nomor pelacakan yang sah."}]
    unknown = new_tracking_id()
    absent = client.post(f"{BASE}/servicerequestupdates.json", {**sent, "service_request_id": unknown})
    assert absent.status_code == 404
    assert json.loads(absent.content) == [{"code": 404, "description": f"Laporan {unknown} tidak ditemukan."}]


# --- discovery says the limits the endpoint keeps ------------------------------------------


def test_the_page_limits_discovery_states_are_the_ones_requests_keep(client, world):
    from lapor.open311.views import MAX_PAGE_SIZE

    parameters = {p["name"]: p["description"]
                  for extension in client.get(f"{BASE}/discovery.json").json()["endpoints"][0]["extensions"]
                  for p in extension["parameters"]}
    stated = int(parameters["page_size"].split("paling banyak ")[1].split(" ")[0])
    assert stated == MAX_PAGE_SIZE
    assert client.get(f"{BASE}/requests.json", {"page_size": stated}).status_code == 200
    assert client.get(f"{BASE}/requests.json", {"page_size": stated + 1}).status_code == 400
