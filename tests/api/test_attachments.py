"""A report's photos and PDFs through the API (SPEC §5, §7): listed with the report for
whoever may see it, each with a URL that reader can open with the same rights, never a
URL to a file the reader may not have, and nothing at all of a confidential report to
anyone the policy does not name. The rule is the website's: every file of a report (its
own and its answers') goes to whoever may see the report."""
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lapor.reports import drafts, services
from lapor.reports.attachments import attachment_store, clean_upload
from lapor.reports.models import Attachment, Report

from .conftest import photo_with_gps
from tests.pdfs import pdf

PDF = pdf()


def filed(world, *, reporter=None, verify=True, **kwargs):
    report = services.report_submit(reporter=reporter or world.citizen, title="Lampu jalan mati",
                                    body="Jl. A. Yani km 30", addressed_agency=world.pemkot, **kwargs)
    if verify:
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    return Report.objects.get(pk=report.pk)


def attach(report, *, by, followup=None, name="jalan.jpg", pdf=False) -> Attachment:
    if pdf:
        upload = io.BytesIO(PDF)
        upload.name = name
    else:
        upload = photo_with_gps(name)
    return attachment_store(report=report, clean=clean_upload(upload), by=by, followup=followup)


def with_photo(world, **kwargs):
    report = filed(world, **kwargs)
    return report, attach(report, by=report.reporter)


def portal_url(report, attachment):
    return f"http://testserver/laporan/{report.tracking_id}/lampiran/{attachment.pk}/"


def api_url(report, attachment):
    return f"http://testserver/api/v1/reports/{report.tracking_id}/attachments/{attachment.pk}/"


def stored_bytes(attachment) -> bytes:
    with attachment.file.open("rb") as stored:
        return stored.read()


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


# --- a published report: the portal's URL, which anyone opens ---------------------------------


def test_a_published_reports_photo_is_listed_with_the_public_url_anyone_opens(world, api):
    report, photo = with_photo(world)

    answer = api().get(f"/api/v1/reports/{report.tracking_id}/").json()

    assert answer["attachments"] == [{
        "id": photo.pk, "url": portal_url(report, photo), "name": f"lampiran-{photo.pk}.jpg",
        "content_type": "image/jpeg", "size": photo.size, "created_at": answer["attachments"][0]["created_at"],
    }]
    download = Client().get(answer["attachments"][0]["url"])
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert body_of(download) == stored_bytes(photo) and len(stored_bytes(photo)) == photo.size


def test_the_public_list_shows_each_reports_own_files(world, api):
    report, photo = with_photo(world)
    bare = filed(world)

    results = {r["tracking_id"]: r for r in api().get("/api/v1/reports/").json()["results"]}

    assert [a["url"] for a in results[report.tracking_id]["attachments"]] == [portal_url(report, photo)]
    assert results[bare.tracking_id]["attachments"] == []


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.parametrize("reader", [None, "other_citizen", "other_agency_officer"])
def test_the_api_offers_a_reader_exactly_the_files_the_website_shows_them(world, api, anonymous, reader):
    """An anonymous report hides who filed it, not its photos: the website shows them with
    the published report, and so does the API."""
    report, photo = with_photo(world, is_anonymous=anonymous)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diganti.")
    answer_pdf = attach(report, by=world.unit_admin, followup=report.followups.get(), pdf=True, name="ba.pdf")
    user = getattr(world, reader) if reader else None
    page = Client()
    if user is not None:
        page.force_login(user)

    html = page.get(f"/laporan/{report.tracking_id}/").content.decode()
    on_the_website = set(re.findall(rf"/laporan/{report.tracking_id}/lampiran/\d+/", html))
    answer = api(user).get(f"/api/v1/reports/{report.tracking_id}/").json()
    in_the_api = {a["url"] for a in answer["attachments"]} | {
        a["url"] for f in answer["followups"] for a in f["attachments"]}

    assert {u.removeprefix("http://testserver") for u in in_the_api} == on_the_website
    assert in_the_api == {portal_url(report, photo), portal_url(report, answer_pdf)}
    if anonymous:
        assert world.citizen.display_name not in str(answer)


# --- a confidential report: only its reporter and its desks, through the API's download -------


CONFIDENTIAL_READERS = [
    ("citizen", True), ("officer", True), ("unit_admin", True), ("agency_admin", True), ("inspector", True),
    ("national_admin", True),
    (None, False), ("other_citizen", False), ("other_agency_officer", False), ("other_unit_officer", False),
    ("other_agency_admin", False),
]


@pytest.mark.parametrize("persona,sees", CONFIDENTIAL_READERS)
def test_a_confidential_reports_photo_reaches_only_those_the_policy_lets_see_it(world, api, persona, sees):
    report, photo = with_photo(world, is_confidential=True)
    reader = api(getattr(world, persona) if persona else None)

    detail = reader.get(f"/api/v1/reports/{report.tracking_id}/")
    download = reader.get(api_url(report, photo))

    if sees:
        # Not the portal's URL: it would refuse the public, and knows no API token.
        assert [a["url"] for a in detail.json()["attachments"]] == [api_url(report, photo)]
        assert download.status_code == 200 and body_of(download) == stored_bytes(photo)
    else:
        assert detail.status_code == 404 and download.status_code == 404
        assert "lampiran" not in download.content.decode().lower()
    assert Client().get(portal_url(report, photo)).status_code == 404


def test_no_list_shows_a_confidential_reports_files_to_anyone_it_is_not_for(world, api):
    report, photo = with_photo(world, is_confidential=True)
    for reader in (None, world.other_citizen, world.other_agency_officer):
        for path in ("/api/v1/reports/", "/api/v1/me/reports/", "/api/v1/inbox/"):
            response = api(reader).get(path)
            assert str(photo.pk) not in str([r.get("attachments") for r in response.json().get("results", [])])
            assert report.tracking_id not in response.content.decode()
    mine = api(world.citizen).get("/api/v1/me/reports/").json()["results"]
    assert [a["url"] for a in mine[0]["attachments"]] == [api_url(report, photo)]
    inbox = api(world.unit_admin).get("/api/v1/inbox/").json()["results"]
    assert [a["url"] for a in inbox[0]["attachments"]] == [api_url(report, photo)]


def test_a_report_made_confidential_after_publication_takes_its_files_off_the_public_url(world, api):
    report, photo = with_photo(world)
    assert Client().get(portal_url(report, photo)).status_code == 200
    services.report_set_flags(report=report, by=world.agency_admin, is_confidential=True,
                              reason="Menyebut nama korban.")

    assert Client().get(portal_url(report, photo)).status_code == 404
    assert api().get(api_url(report, photo)).status_code == 404
    assert [a["url"] for a in api(world.citizen).get(f"/api/v1/reports/{report.tracking_id}/").json()[
        "attachments"]] == [api_url(report, photo)]


# --- the reporter's app before verification ------------------------------------------------------


def test_the_reporter_fetches_the_photo_of_a_report_not_yet_verified_with_the_apps_token(world, api):
    app = api(world.citizen)

    filed_now = app.post("/api/v1/reports/", {"title": "Jalan berlubang", "body": "Sudah sebulan.",
                                              "addressed_agency": "pemkot", "attachments": [photo_with_gps()]},
                         format="multipart")

    assert filed_now.status_code == 201, filed_now.json()
    report = Report.objects.get()
    photo = report.attachments.get()
    assert [a["url"] for a in filed_now.json()["attachments"]] == [api_url(report, photo)]
    assert filed_now.json() == app.get(f"/api/v1/reports/{report.tracking_id}/").json()
    assert app.get(api_url(report, photo)).status_code == 200
    assert api().get(api_url(report, photo)).status_code == 404
    assert api(world.other_citizen).get(api_url(report, photo)).status_code == 404


def test_the_uploaders_own_file_name_is_never_shown(world, api):
    app = api(world.citizen)
    filed_now = app.post("/api/v1/reports/", {"title": "Pungli di kelurahan", "body": "Diminta uang.",
                                              "attachments": [photo_with_gps("KTP Siti Rahmawati.jpg")]},
                         format="multipart").json()
    photo = Attachment.objects.get()

    assert filed_now["attachments"][0]["name"] == f"lampiran-{photo.pk}.jpg"
    assert "KTP" not in str(filed_now)
    download = app.get(filed_now["attachments"][0]["url"])
    assert f'filename="lampiran-{photo.pk}.jpg"' in download["Content-Disposition"]


# --- answers --------------------------------------------------------------------------------


def test_an_answers_files_are_listed_with_the_answer_and_open_to_whoever_sees_the_report(world, api):
    report = filed(world)
    answered = api(world.unit_admin).post(f"/api/v1/reports/{report.tracking_id}/answer/", {
        "body": "Berita acara perbaikan terlampir.", "attachments": [io.BytesIO(PDF)]}, format="multipart")
    assert answered.status_code == 200, answered.json()
    pdf = Attachment.objects.get()

    public = api().get(f"/api/v1/reports/{report.tracking_id}/").json()

    assert public["attachments"] == []  # the report's own files only
    assert public["followups"][0]["attachments"][0]["url"] == portal_url(report, pdf)
    assert public["followups"][0]["attachments"][0]["content_type"] == "application/pdf"
    download = Client().get(portal_url(report, pdf))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_an_officers_draft_files_reach_no_one_until_the_unit_admin_approves_them(world, api):
    report = filed(world)
    drafted = api(world.officer).post(f"/api/v1/reports/{report.tracking_id}/answer/", {
        "body": "Lampu diganti Senin.", "attachments": [photo_with_gps()]}, format="multipart")
    assert drafted.status_code == 202

    for reader in (world.citizen, world.officer, world.unit_admin, None):
        answer = api(reader).get(f"/api/v1/reports/{report.tracking_id}/").json()
        assert answer["attachments"] == [] and answer["followups"] == []

    drafts.draft_approve(draft=drafts.open_draft(report), by=world.unit_admin)
    photo = Attachment.objects.get()
    answer = api(world.citizen).get(f"/api/v1/reports/{report.tracking_id}/").json()
    assert [a["url"] for a in answer["followups"][0]["attachments"]] == [portal_url(report, photo)]


# --- the download itself ---------------------------------------------------------------------


def test_a_visible_report_opens_no_file_of_another_report(world, api):
    public = filed(world)
    secret, photo = with_photo(world, is_confidential=True)

    response = api().get(f"/api/v1/reports/{public.tracking_id}/attachments/{photo.pk}/")

    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert api(world.citizen).get(f"/api/v1/reports/{public.tracking_id}/attachments/{photo.pk}/").status_code == 404


@pytest.mark.parametrize("pk", ["abc", "1.5", "99999999999999999999999"])
def test_a_malformed_attachment_id_is_a_json_404(world, api, pk):
    report, _photo = with_photo(world)
    response = api().get(f"/api/v1/reports/{report.tracking_id}/attachments/{pk}/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_a_download_comes_in_the_files_own_type_whatever_the_app_accepts_and_is_never_cached(world, api):
    report, photo = with_photo(world, is_confidential=True)

    response = api(world.citizen).get(api_url(report, photo), HTTP_ACCEPT="image/*")

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


# --- query counts ----------------------------------------------------------------------------


def queries(client, path) -> int:
    """Queries of a warm read (the reference rows each process keeps read once before)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("reader,path", [(None, "/api/v1/reports/"), ("citizen", "/api/v1/me/reports/"),
                                         ("unit_admin", "/api/v1/inbox/")])
def test_a_list_makes_as_many_queries_for_many_reports_with_files_as_for_few(world, api, reader, path):
    client = api(getattr(world, reader) if reader else None)

    def add(n):
        for _ in range(n):
            report, _photo = with_photo(world)
            attach(report, by=world.citizen, pdf=True, name="surat.pdf")

    add(2)
    few = queries(client, path)
    add(6)
    assert queries(client, path) == few
    assert len(client.get(path).json()["results"][0]["attachments"]) == 2


def test_a_report_reads_its_answers_and_their_files_in_as_many_queries_however_many_there_are(world, api):
    report, _photo = with_photo(world)

    answers = iter(range(100))

    def answer_with_a_file():
        followup = services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin,
                                          body=f"Sudah, tahap {next(answers)}.")
        attach(report, by=world.unit_admin, followup=followup)
        services.report_reply(report=Report.objects.get(pk=report.pk), by=world.citizen, text="Belum.")

    path = f"/api/v1/reports/{report.tracking_id}/"
    answer_with_a_file()
    few = queries(api(), path)
    answer_with_a_file()
    answer_with_a_file()
    assert queries(api(), path) == few
    assert [len(f["attachments"]) for f in api().get(path).json()["followups"]] == [1, 1, 1]
