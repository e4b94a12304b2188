"""GeoReport v2's ``media_url`` ("a URL to media associated with the request, e.g. an
image"): the public address of a published report's first photo, in JSON and XML, and of
an answer's photo in FixMyStreet's updates; null where there is none, and never an address
the public could not open."""
import io
import json
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lapor.reports import services
from lapor.reports.attachments import attachment_store, clean_upload
from lapor.reports.models import Report

from ..api.conftest import photo_with_gps
from ..factories import CategoryFactory
from .test_georeport_v2 import BASE, connected, published
from tests.pdfs import pdf

PDF = pdf()


@pytest.fixture
def pothole(world):
    return CategoryFactory(name="Jalan berlubang", slug="jalan-berlubang", parent=world.category)


@pytest.fixture
def city_app_of_the_reporter(world):
    """The reporter's own app, connected with an api_key of the reporter's account."""
    return connected("Aplikasi pelapor", world.citizen)


def attach(report, *, by, followup=None, pdf=False):
    if pdf:
        upload = io.BytesIO(PDF)
        upload.name = "surat.pdf"
    else:
        upload = photo_with_gps()
    return attachment_store(report=report, clean=clean_upload(upload), by=by, followup=followup)


def public_url(report, attachment):
    return f"http://testserver/laporan/{report.tracking_id}/lampiran/{attachment.pk}/"


def request_json(client, report, **params):
    response = client.get(f"{BASE}/requests/{report.tracking_id}.json", params)
    assert response.status_code == 200
    return json.loads(response.content)[0]


def test_a_published_requests_media_url_is_its_first_photo_anyone_opens(client, world):
    report = published(world)
    attach(report, by=world.citizen, pdf=True)  # a letter first: not an image
    first = attach(report, by=world.citizen)
    attach(report, by=world.citizen)

    media_url = request_json(client, report)["media_url"]

    assert media_url == public_url(report, first)
    download = Client().get(media_url)
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"


def test_media_url_is_the_same_in_xml(client, world):
    report = published(world)
    photo = attach(report, by=world.citizen)

    response = client.get(f"{BASE}/requests.xml")

    root = ET.fromstring(response.content)
    assert root.find("request/media_url").text == public_url(report, photo)


def test_a_request_without_a_photo_has_a_null_media_url(client, world):
    only_a_pdf = published(world)
    attach(only_a_pdf, by=world.citizen, pdf=True)
    nothing = published(world)

    listed = {r["service_request_id"]: r for r in json.loads(client.get(f"{BASE}/requests.json").content)}

    assert listed[only_a_pdf.tracking_id]["media_url"] is None
    assert listed[nothing.tracking_id]["media_url"] is None
    root = ET.fromstring(client.get(f"{BASE}/requests/{nothing.tracking_id}.xml").content)
    assert root.find("request/media_url").text is None


def test_an_answers_photo_is_not_the_requests_media(client, world):
    report = published(world)
    followup = services.report_answer(report=report, by=world.unit_admin, body="Sudah diaspal.")
    attach(report, by=world.unit_admin, followup=followup)

    assert request_json(client, report)["media_url"] is None


def test_an_anonymous_reports_photo_is_public_as_on_the_website(client, world):
    report = published(world, is_anonymous=True)
    photo = attach(report, by=world.citizen)

    assert request_json(client, report)["media_url"] == public_url(report, photo)
    assert Client().get(f"/laporan/{report.tracking_id}/").content.decode().count(
        f"/laporan/{report.tracking_id}/lampiran/{photo.pk}/") == 1


def test_a_clients_own_request_before_verification_has_no_public_media_url(client, world, pothole):
    app = connected("Banjarbaru Ku", world.other_citizen)
    report = services.report_submit(reporter=world.other_citizen, title="Lubang", body="Jl. A. Yani km 30",
                                    category=pothole, addressed_agency=world.pemkot)
    photo = attach(report, by=world.other_citizen)

    seen = request_json(client, report, api_key=app.api_key)

    assert seen["service_request_id"] == report.tracking_id and seen["media_url"] is None
    assert Client().get(public_url(report, photo)).status_code == 404  # what a URL would have been


def test_a_confidential_reports_photo_appears_nowhere(client, world, city_app_of_the_reporter):
    report = published(world, is_confidential=True)
    photo = attach(report, by=world.citizen)

    for params in ({}, {"api_key": city_app_of_the_reporter.api_key}):
        for path in ("requests.json", "servicerequestupdates.json", "requests.xml"):
            body = client.get(f"{BASE}/{path}", params).content.decode()
            assert report.tracking_id not in body and f"lampiran/{photo.pk}/" not in body


def test_an_answers_photo_is_the_media_url_of_its_update(client, world):
    report = published(world)
    followup = services.report_answer(report=report, by=world.unit_admin, body="Sudah diaspal.")
    photo = attach(report, by=world.unit_admin, followup=followup)
    services.report_reply(report=Report.objects.get(pk=report.pk), by=world.citizen, text="Belum rata.")

    updates = json.loads(client.get(f"{BASE}/servicerequestupdates.json").content)

    by_text = {u["description"]: u["media_url"] for u in updates}
    assert by_text["Sudah diaspal."] == public_url(report, photo)
    assert by_text["Belum rata."] is None
    root = ET.fromstring(client.get(f"{BASE}/servicerequestupdates.xml").content)
    assert [u.find("media_url").text for u in root.findall("request_update")
            if u.find("description").text == "Sudah diaspal."] == [public_url(report, photo)]


def queries(client, path) -> int:
    client.get(path)  # the reference rows each process keeps, read once before
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["requests.json", "servicerequestupdates.json"])
def test_lists_make_as_many_queries_for_many_photos_as_for_few(client, world, path):
    def add(n):
        for _ in range(n):
            report = published(world)
            attach(report, by=world.citizen)
            followup = services.report_answer(report=report, by=world.unit_admin, body="Sudah.")
            attach(report, by=world.unit_admin, followup=followup)

    add(2)
    few = queries(client, f"{BASE}/{path}")
    add(6)
    assert queries(client, f"{BASE}/{path}") == few
    assert all(item["media_url"] for item in json.loads(client.get(f"{BASE}/{path}").content)
               if path == "requests.json" or item["description"] == "Sudah.")


@pytest.mark.parametrize("path", ["requests.json", "servicerequestupdates.json"])
@pytest.mark.parametrize("owner", ["agency_admin", "citizen"])
def test_a_connected_systems_lists_cost_as_many_queries_for_many_reports_as_for_few(client, world, path, owner):
    """An api_key of a staff account (the city's own system) or of the reporter reads staff
    reasons: whether it may is asked per report, from what the page read already and the
    agencies kept in memory, not one query each."""
    city = connected("Sistem", getattr(world, owner))

    def add(n):
        for _ in range(n):
            report = published(world)
            services.report_answer(report=report, by=world.unit_admin, body="Sudah.")

    add(2)
    few = queries(client, f"{BASE}/{path}?api_key={city.api_key}")
    add(6)
    assert queries(client, f"{BASE}/{path}?api_key={city.api_key}") == few
