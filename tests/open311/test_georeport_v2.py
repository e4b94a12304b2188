"""Open311 GeoReport v2 conformance, written from the specification
(wiki.open311.org/GeoReport_v2) and FixMyStreet's servicerequestupdates extension: every
endpoint, both formats, the error codes (SPEC §7)."""
import datetime
import json
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.utils import timezone

from lapor.open311.models import Client
from lapor.reports import services
from lapor.reports.enums import Channel, Status
from lapor.reports.models import Report

from ..factories import CategoryFactory

BASE = "/open311/v2"


def connected(name, account) -> Client:
    """A client as an administrator connects it; ``api_key`` is the key it was given (only
    its keyed hash is stored)."""
    client = Client(name=name, account=account)
    client.api_key = client.issue_key()
    client.save()
    return client


@pytest.fixture
def city_app(world):
    """A city's own civic-reporting app, connected with an api_key and its own account."""
    return connected("Banjarbaru Ku", world.other_citizen)


@pytest.fixture
def pothole(world):
    return CategoryFactory(name="Jalan berlubang", slug="jalan-berlubang", parent=world.category)


def get_json(client, path, **params):
    response = client.get(f"{BASE}/{path}.json", params)
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, json.loads(response.content)


def get_xml(client, path, **params):
    response = client.get(f"{BASE}/{path}.xml", params)
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return response.status_code, ET.fromstring(response.content)


def published(world, *, category=None, **kwargs):
    report = services.report_submit(reporter=world.citizen, title="Lubang besar", body="Jl. A. Yani km 30",
                                    addressed_agency=world.pemkot, category=category or world.category,
                                    latitude=-3.44, longitude=114.83, **kwargs)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    return Report.objects.get(pk=report.pk)


# --- discovery, services, definitions -----------------------------------------------------


def test_discovery_names_the_georeport_v2_endpoint_in_both_formats(client, world):
    status, body = get_json(client, "discovery")
    assert status == 200
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    status, root = get_xml(client, "discovery")
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/specification").text == "http://wiki.open311.org/GeoReport_v2"


def test_categories_are_the_services(client, world, pothole):
    status, body = get_json(client, "services")
    assert status == 200
    by_code = {s["service_code"]: s for s in body}
    assert by_code["jalan-berlubang"]["service_name"] == "Jalan berlubang"
    assert by_code["jalan-berlubang"]["group"] == "Jalan Rusak"
    assert by_code["jalan-berlubang"]["metadata"] is True
    assert by_code["jalan-berlubang"]["type"] == "realtime"
    status, root = get_xml(client, "services")
    assert root.tag == "services"
    assert {s.find("service_code").text for s in root.findall("service")} == set(by_code)


def test_a_service_definition_lists_its_attributes(client, world, pothole):
    status, body = get_json(client, "services/jalan-berlubang")
    assert status == 200 and body["service_code"] == "jalan-berlubang"
    codes = {a["code"] for a in body["attributes"]}
    assert {"KIND", "TITLE", "AGENCY", "ANONYMOUS"} <= codes
    kind = next(a for a in body["attributes"] if a["code"] == "KIND")
    assert kind["datatype"] == "singlevaluelist" and {v["key"] for v in kind["values"]} >= {"complaint"}
    status, root = get_xml(client, "services/jalan-berlubang")
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key") is not None


def test_an_unknown_service_is_a_404_in_the_specs_error_format(client, world):
    status, body = get_json(client, "services/tidak-ada")
    assert status == 404 and body[0]["code"] == 404 and body[0]["description"]
    status, root = get_xml(client, "services/tidak-ada")
    assert status == 404 and root.tag == "errors" and root.find("error/code").text == "404"


def test_an_unknown_resource_is_a_404_in_the_specs_error_format(client, world):
    status, body = get_json(client, "nothing/here")
    assert status == 404 and body[0]["code"] == 404


# --- POST requests ------------------------------------------------------------------------


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_a_client_files_a_request_with_lat_long_and_gets_its_id_and_a_token(client, world, city_app, pothole):
    response = post(client, api_key=city_app.api_key, service_code="jalan-berlubang", lat="-3.44", long="114.83",
                    description="Lubang dalam di depan pasar, berbahaya malam hari.")
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    report = Report.objects.get()
    assert body[0]["service_request_id"] == report.tracking_id and body[0]["token"]
    assert report.channel == Channel.OPEN311
    assert report.category == pothole and report.reporter == world.other_citizen
    assert (report.latitude, report.longitude) == (-3.44, 114.83)
    status, tokens = get_json(client, f"tokens/{body[0]['token']}")
    assert status == 200 and tokens[0]["service_request_id"] == report.tracking_id


def test_a_request_located_by_address_only_is_accepted(client, world, city_app, pothole):
    response = post(client, api_key=city_app.api_key, service_code="jalan-berlubang",
                    address_string="Jl. Jenderal Sudirman, Loktabat", description="Aspal mengelupas")
    assert response.status_code == 200
    assert Report.objects.get().address == "Jl. Jenderal Sudirman, Loktabat"


def test_an_address_longer_than_a_report_keeps_is_a_400_naming_the_parameter(client, world, city_app, pothole):
    # PostgreSQL refused the insert (varchar 300): a server error before the service checked it.
    response = post(client, api_key=city_app.api_key, service_code="jalan-berlubang", lat="-3.44", long="114.83",
                    address_string="Jl. " + "x" * 400, description="Aspal mengelupas")
    assert response.status_code == 400
    assert json.loads(response.content)[0]["description"] == (
        "address_string: Alamat atau patokan lokasi paling panjang 300 karakter.")
    assert not Report.objects.exists()


def test_attributes_choose_kind_agency_and_anonymity(client, world, city_app, pothole):
    post(client, api_key=city_app.api_key, service_code="jalan-berlubang", lat="-3.44", long="114.83",
         description="Usul trotoar", **{"attribute[KIND]": "aspiration", "attribute[AGENCY]": "pemkab",
                                        "attribute[ANONYMOUS]": "true"})
    report = Report.objects.get()
    assert report.kind == "aspiration" and report.addressed_agency == world.pemkab and report.is_anonymous


def test_what_a_key_reads_is_never_kept_by_a_shared_cache(client, world, city_app, pothole):
    # The client's own request, before verification: its holder's, not the public's.
    response = post(client, api_key=city_app.api_key, service_code="jalan-berlubang", lat="-3.44", long="114.83",
                    description="Lubang dalam di depan pasar, berbahaya malam hari.")
    assert "private" in response["Cache-Control"]
    tracking_id = json.loads(response.content)[0]["service_request_id"]
    own = client.get(f"{BASE}/requests/{tracking_id}.json", {"api_key": city_app.api_key})
    assert own.status_code == 200 and "private" in own["Cache-Control"]
    assert "private" not in client.get(f"{BASE}/services.json").get("Cache-Control", "")


def test_posting_without_an_api_key_is_403(client, world, pothole):
    response = post(client, service_code="jalan-berlubang", lat="-3.44", long="114.83", description="x")
    assert response.status_code == 403 and json.loads(response.content)[0]["code"] == 403
    assert not Report.objects.exists()


def test_posting_with_a_wrong_api_key_is_403_in_xml_too(client, world, pothole):
    response = post(client, "xml", api_key="salah", service_code="jalan-berlubang", lat="-3.44", long="114.83",
                    description="x")
    assert response.status_code == 403
    assert ET.fromstring(response.content).find("error/code").text == "403"


def test_posting_to_an_unknown_service_is_404(client, world, city_app):
    response = post(client, api_key=city_app.api_key, service_code="tidak-ada", lat="-3.44", long="114.83",
                    description="x")
    assert response.status_code == 404


@pytest.mark.parametrize("data", [
    {"description": "Tanpa lokasi"},
    {"lat": "-3.44", "long": "114.83", "description": ""},
    {"lat": "utara", "long": "114.83", "description": "x"},
    {"lat": "52.5", "long": "13.4", "description": "Di Berlin"},
    {"lat": "-3.44", "long": "114.83", "description": "x", "attribute[KIND]": "whistleblowing"},
])
def test_a_bad_request_is_400_in_the_specs_error_format(client, world, city_app, pothole, data):
    response = post(client, api_key=city_app.api_key, service_code="jalan-berlubang", **data)
    assert response.status_code == 400
    error = json.loads(response.content)[0]
    assert error["code"] == 400 and error["description"]
    assert not Report.objects.exists()


# --- GET requests -------------------------------------------------------------------------


def test_get_requests_lists_published_reports_with_the_spec_fields(client, world):
    report = published(world)
    status, body = get_json(client, "requests")
    assert status == 200 and [r["service_request_id"] for r in body] == [report.tracking_id]
    item = body[0]
    for field in ("status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
                  "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "address_id", "zipcode", "lat", "long", "media_url"):
        assert field in item
    assert item["status"] == "open" and item["agency_responsible"] == "Dinas PUPR Banjarbaru"
    assert datetime.datetime.fromisoformat(item["expected_datetime"]) == report.due_at
    assert datetime.datetime.fromisoformat(item["requested_datetime"]).utcoffset() is not None


def test_get_requests_in_xml(client, world):
    report = published(world)
    status, root = get_xml(client, "requests")
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == report.tracking_id
    assert root.find("request/status").text == "open"


def test_confidential_unverified_and_archived_reports_never_appear(client, world, city_app):
    published(world, is_confidential=True)
    services.report_submit(reporter=world.citizen, title="Belum", body="Belum diverifikasi")
    archived = services.report_submit(reporter=world.citizen, title="Spam", body="Spam")
    services.report_archive(report=archived, by=world.national_admin, reason="spam")
    assert get_json(client, "requests")[1] == []
    assert get_json(client, "requests", api_key=city_app.api_key)[1] == []


def test_a_clients_own_unverified_request_is_visible_to_it_with_its_api_key(client, world, city_app, pothole):
    body = json.loads(post(client, api_key=city_app.api_key, service_code="jalan-berlubang", lat="-3.44",
                           long="114.83", description="Baru").content)
    request_id = body[0]["service_request_id"]
    assert get_json(client, f"requests/{request_id}")[0] == 404
    status, found = get_json(client, f"requests/{request_id}", api_key=city_app.api_key)
    assert status == 200 and found[0]["status"] == "open"


def test_an_anonymous_report_carries_no_identity(client, world):
    report = published(world, is_anonymous=True)
    raw = client.get(f"{BASE}/requests/{report.tracking_id}.json").content.decode()
    assert "Siti" not in raw and "warga" not in raw


def test_filters_status_service_code_and_ids(client, world, pothole):
    open_one = published(world)
    other = published(world, category=pothole)
    closed = published(world)
    services.report_close(report=closed, by=world.agency_admin, reason="Selesai lewat telepon")
    ids = lambda body: {r["service_request_id"] for r in body}  # noqa: E731
    assert ids(get_json(client, "requests", status="open")[1]) == {open_one.tracking_id, other.tracking_id}
    assert ids(get_json(client, "requests", status="closed")[1]) == {closed.tracking_id}
    assert ids(get_json(client, "requests", service_code="jalan-berlubang")[1]) == {other.tracking_id}
    assert ids(get_json(client, "requests", service_request_id=f"{open_one.tracking_id},{closed.tracking_id}")[1]) \
        == {open_one.tracking_id, closed.tracking_id}


def test_without_dates_only_the_last_90_days_are_listed(client, world):
    old = services.report_submit(reporter=world.citizen, title="Lama", body="Lama",
                                 now=timezone.now() - datetime.timedelta(days=120))
    services.report_verify(report=old, by=world.national_admin, agency=world.pupr,
                           now=timezone.now() - datetime.timedelta(days=119))
    recent = published(world)
    assert [r["service_request_id"] for r in get_json(client, "requests")[1]] == [recent.tracking_id]
    start = (timezone.now() - datetime.timedelta(days=200)).isoformat()
    assert len(get_json(client, "requests", start_date=start)[1]) == 2


def test_the_page_and_page_size_extension(client, world):
    made = [published(world) for _ in range(3)]
    first = get_json(client, "requests", page_size=2)[1]
    second = get_json(client, "requests", page_size=2, page=2)[1]
    assert len(first) == 2 and len(second) == 1
    assert {r["service_request_id"] for r in first + second} == {r.tracking_id for r in made}


@pytest.mark.parametrize("params", [{"start_date": "kemarin"}, {"status": "selesai"}, {"page": "0"},
                                    {"page_size": "abc"}, {"page_size": "5000"}])
def test_bad_query_parameters_are_400(client, world, params):
    status, body = get_json(client, "requests", **params)
    assert status == 400 and body[0]["code"] == 400


def test_an_unknown_request_is_404(client, world):
    assert get_json(client, "requests/123456789")[0] == 404
    assert get_json(client, "tokens/nope")[0] == 404


# --- servicerequestupdates (FixMyStreet) --------------------------------------------------


def test_updates_list_the_public_history_since_a_date(client, world):
    report = published(world)
    services.report_add_note(report=report, by=world.officer, text="Catatan internal rahasia")
    services.report_answer(report=report, by=world.unit_admin, body="Sudah ditambal.")
    start = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    status, body = get_json(client, "servicerequestupdates", start_date=start)
    assert status == 200
    texts = [u["description"] for u in body]
    assert "Sudah ditambal." in texts and "Catatan internal rahasia" not in texts
    assert all(u["service_request_id"] == report.tracking_id for u in body)
    status, root = get_xml(client, "servicerequestupdates", start_date=start)
    assert root.tag == "service_request_updates" and root.find("request_update/update_id") is not None


def test_updates_give_the_staffs_reasons_only_to_the_reporter_and_the_staff(client, world, city_app):
    """As the report's page does (policy.visible_events): the public reads the answers and
    that the report was closed, not the closing reason, which may name people."""
    report = published(world)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah ditambal.")
    services.report_close(report=report, by=world.agency_admin, reason="Pelapor Bu Siti puas lewat telepon")
    public = [u["description"] for u in get_json(client, "servicerequestupdates")[1]]
    assert "Sudah ditambal." in public and "Ditutup" in public
    assert not any("Bu Siti" in text for text in public)
    stranger = [u["description"] for u in get_json(client, "servicerequestupdates", api_key=city_app.api_key)[1]]
    assert not any("Bu Siti" in text for text in stranger)  # an app of another citizen
    own = connected("Aplikasi Siti", world.citizen)  # the reporter's own app
    mine = [u["description"] for u in get_json(client, "servicerequestupdates", api_key=own.api_key)[1]]
    assert "Pelapor Bu Siti puas lewat telepon" in mine
    city = connected("Sistem Pemkot", world.agency_admin)  # the city's own system
    theirs = [u["description"] for u in get_json(client, "servicerequestupdates", api_key=city.api_key)[1]]
    assert "Pelapor Bu Siti puas lewat telepon" in theirs


def test_updates_of_confidential_reports_never_appear(client, world):
    report = published(world, is_confidential=True)
    services.report_answer(report=report, by=world.unit_admin, body="Rahasia")
    assert get_json(client, "servicerequestupdates")[1] == []


def test_a_connected_agency_system_posts_an_answer_as_an_update(client, world):
    report = published(world)
    agency_system = connected("SIMPEL PUPR", world.unit_admin)
    response = client.post(f"{BASE}/servicerequestupdates.json", {
        "api_key": agency_system.api_key, "service_request_id": report.tracking_id, "status": "OPEN",
        "description": "Tim sudah meninjau lokasi.", "updated_datetime": timezone.now().isoformat(),
    })
    assert response.status_code == 200, response.content
    assert json.loads(response.content)[0]["update_id"]
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.followups.get().body == "Tim sudah meninjau lokasi."


def test_an_update_posted_as_a_liaison_officer_waits_for_the_unit_admin(client, world):
    from lapor.reports import drafts

    report = published(world)
    agency_system = connected("SIMPEL PUPR", world.officer)
    response = client.post(f"{BASE}/servicerequestupdates.json", {
        "api_key": agency_system.api_key, "service_request_id": report.tracking_id, "status": "OPEN",
        "description": "Tim sudah meninjau lokasi.",
    })
    assert response.status_code == 202, response.content
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED and not report.followups.exists()
    # The public update feed shows nothing of it until approved.
    start = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    status, body = get_json(client, "servicerequestupdates", start_date=start)
    assert status == 200 and "meninjau" not in json.dumps(body)
    assert drafts.open_draft(report).body == "Tim sudah meninjau lokasi."


def test_a_reporters_app_relays_their_reply_and_their_satisfaction(client, world, city_app):
    report = services.report_submit(reporter=city_app.account, title="Lampu", body="Mati",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diganti")
    client.post(f"{BASE}/servicerequestupdates.json", {"api_key": city_app.api_key, "status": "OPEN",
                                                       "service_request_id": report.tracking_id,
                                                       "description": "Masih mati"})
    assert Report.objects.get(pk=report.pk).status == Status.DISPATCHED
    services.report_answer(report=report, by=world.unit_admin, body="Kabel diganti")
    client.post(f"{BASE}/servicerequestupdates.json", {"api_key": city_app.api_key, "status": "CLOSED",
                                                       "service_request_id": report.tracking_id,
                                                       "description": "Terima kasih"})
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED


def test_an_app_without_a_role_cannot_post_an_update_to_someone_elses_report(client, world, city_app):
    report = published(world)
    response = client.post(f"{BASE}/servicerequestupdates.json", {
        "api_key": city_app.api_key, "service_request_id": report.tracking_id, "description": "Palsu"})
    assert response.status_code == 403
    assert not report.followups.exists()


def test_posting_an_update_needs_an_api_key(client, world):
    report = published(world)
    response = client.post(f"{BASE}/servicerequestupdates.json", {"service_request_id": report.tracking_id,
                                                                   "description": "x"})
    assert response.status_code == 403


def test_a_nul_byte_in_a_parameter_is_a_400_not_a_server_error(client, world):
    status, body = get_json(client, "requests", service_code="jalan\x00rusak")
    assert status == 400 and body[0]["code"] == 400


def test_a_date_with_an_offset_beyond_what_postgresql_stores_still_filters(client, world):
    status, body = get_json(client, "requests", start_date="3367-01-12T02:19:48+18:57")
    assert status == 200 and body == []


def test_an_impossible_date_is_a_400(client, world):
    status, body = get_json(client, "requests", start_date="2026-13-45T00:00:00+07:00")
    assert status == 400 and body[0]["code"] == 400


def test_a_client_past_its_hourly_allowance_gets_a_429_saying_when_and_others_go_on(
        client, world, city_app, pothole, settings):
    settings.LAPOR_OPEN311_SUBMITS_PER_HOUR = 2
    request = {"service_code": "jalan-berlubang", "lat": "-3.44", "long": "114.83", "description": "Lubang"}
    assert [post(client, api_key=city_app.api_key, **request).status_code for _ in range(2)] == [200, 200]
    refused = post(client, api_key=city_app.api_key, **request)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3601
    body = json.loads(refused.content)
    assert body[0]["code"] == 429 and "coba lagi dalam" in body[0]["description"]
    assert Report.objects.count() == 2
    other = connected("Aplikasi kabupaten", world.citizen)
    assert post(client, api_key=other.api_key, **request).status_code == 200
    settings.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS = [city_app.account.username]  # a city's forwarding system
    assert post(client, api_key=city_app.api_key, **request).status_code == 200


def own_requests(client, key) -> int:
    return client.get(f"{BASE}/requests.json", {"api_key": key}).status_code


def stored_keys() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Client._meta.db_table}")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_only_a_keyed_hash_of_the_api_key_is_stored(client, city_app):
    assert own_requests(client, city_app.api_key) == 200
    assert city_app.api_key not in stored_keys()


@pytest.mark.django_db(transaction=True)
def test_keys_stored_in_clear_before_are_hashed_by_the_migration_and_keep_working(client, world):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("open311", "0001_initial")])  # the table as it was: keys in clear
    before = executor.loader.project_state([("open311", "0001_initial")]).apps.get_model("open311", "Client")
    before.objects.create(name="Aplikasi lama", account_id=world.citizen.pk, api_key="kunci-lama-dari-tahun-lalu")
    executor = MigrationExecutor(connection)
    executor.migrate([("open311", "0002_api_key_hashed")])
    assert own_requests(client, "kunci-lama-dari-tahun-lalu") == 200
    assert "kunci-lama" not in stored_keys()


def test_an_administrator_connects_a_client_sees_its_key_once_and_can_replace_it(admin_client, client, world):
    response = admin_client.post("/admin/open311/client/add/", {
        "name": "Aplikasi kota", "account": world.other_citizen.pk, "is_active": "on"}, follow=True)
    [shown] = [str(m) for m in response.context["messages"] if "api_key untuk" in str(m)]
    key = shown.split(": ", 1)[1].split(" ", 1)[0]
    assert own_requests(client, key) == 200 and key not in stored_keys()
    app = Client.objects.get(name="Aplikasi kota")
    assert key not in admin_client.get(f"/admin/open311/client/{app.pk}/change/").content.decode()
    response = admin_client.post("/admin/open311/client/", {
        "action": "issue_new_keys", "_selected_action": [app.pk]}, follow=True)
    [shown] = [str(m) for m in response.context["messages"] if "api_key untuk" in str(m)]
    new_key = shown.split(": ", 1)[1].split(" ", 1)[0]
    assert own_requests(client, new_key) == 200 and own_requests(client, key) == 403
