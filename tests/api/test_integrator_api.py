"""What a city's developer (Banjarbaru Rancak) needs from the OpenAPI document alone when
generating a client: which answer of a submit is a resend (docs/api.md, *Retrying safely*)."""
import uuid

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    return schema, schema["paths"]["/api/v1/reports/"]["post"]["responses"]


def test_the_schema_says_a_submits_200_is_a_resend_marked_idempotent_replayed(submit_schema):
    schema, responses = submit_schema
    assert "Kiriman ulang" in responses["200"]["description"]
    assert responses["200"]["headers"]["Idempotent-Replayed"]["schema"] == {"type": "string", "enum": ["true"]}
    assert "Idempotent-Replayed" not in responses["201"].get("headers", {})
    assert {"Location"} <= set(responses["201"]["headers"]) and {"Location"} <= set(responses["200"]["headers"])
    validate(schema)  # still OpenAPI 3.0.3 that a strict validator accepts


def test_a_resend_answers_what_the_schema_says(client, world, submit_schema):
    from lapor.api.tokens import token_issue

    _schema, responses = submit_schema
    token = token_issue(user=world.citizen, label="uji", by_password=True)
    sent = {"title": "Jalan berlubang", "body": "Lubang besar di lajur kiri."}
    headers = {"HTTP_AUTHORIZATION": f"Token {token}", "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    first = client.post("/api/v1/reports/", sent, content_type="application/json", **headers)
    again = client.post("/api/v1/reports/", sent, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert set(responses["200"]["headers"]) <= set(again.headers) and again.headers["Idempotent-Replayed"] == "true"
    assert set(responses["201"]["headers"]) <= set(first.headers)


def test_a_bearer_token_is_read_as_a_token_not_ignored(client, world):
    from lapor.api.tokens import token_issue
    from lapor.reports import services

    token = token_issue(user=world.citizen, label="uji", by_password=True)
    mine = services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Sudah seminggu.")
    for scheme in ("Bearer", "bearer", "Token"):
        detail = client.get(f"/api/v1/reports/{mine.tracking_id}/", HTTP_AUTHORIZATION=f"{scheme} {token}")
        assert detail.status_code == 200, (scheme, detail.content)  # not verified yet: only its reporter sees it
        assert client.get("/api/v1/me/reports/", HTTP_AUTHORIZATION=f"{scheme} {token}").json()["count"] == 1
    # A wrong one is a 401 there too, never served as the public.
    wrong = client.get("/api/v1/reports/", HTTP_AUTHORIZATION="Bearer 0123456789abcdef", HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 401 and wrong.json() == {
        "detail": "The token is not valid: wrong, revoked or replaced. Sign in again for a new token."}
    # In the site's language by default, saying what to do next.
    wrong = client.get("/api/v1/reports/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert wrong.status_code == 401 and wrong.json() == {
        "detail": "Token tidak berlaku: salah, dicabut, atau sudah diganti. Masuk lagi untuk mendapatkan token baru."}


def _photo(name):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize("limit", [2, 7])
def test_the_api_takes_as_many_files_as_lapor_max_attachments_says(client, world, settings, limit):
    from lapor.api.tokens import token_issue
    from lapor.reports.models import Report

    settings.LAPOR_MAX_ATTACHMENTS = limit
    token = token_issue(user=world.citizen, label="uji", by_password=True)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    too_many = client.post("/api/v1/reports/", {"title": "Lampu mati", "body": "Sudah seminggu.",
                                                "attachments": [_photo(f"f{i}.jpg") for i in range(limit + 1)]}, **auth)
    assert too_many.status_code == 400 and set(too_many.json()) == {"attachments"}
    assert not Report.objects.exists()
    enough = client.post("/api/v1/reports/", {"title": "Lampu mati", "body": "Sudah seminggu.",
                                              "attachments": [_photo(f"f{i}.jpg") for i in range(limit)]}, **auth)
    assert enough.status_code == 201, enough.content
    assert len(enough.json()["attachments"]) == limit


@pytest.mark.parametrize("path, name", [("/api/v1/inbox/", "open"), ("/api/v1/me/notifications/", "unread")])
def test_a_yes_no_parameter_that_is_neither_is_a_400_naming_it(client, world, path, name):
    from lapor.api.tokens import token_issue

    user = world.unit_admin if name == "open" else world.citizen
    auth = {"HTTP_AUTHORIZATION": f"Token {token_issue(user=user, label='uji')}"}
    for value in ("true", "false", "False", "0", "1", ""):
        assert client.get(path, {name: value}, **auth).status_code == 200, value
    for language, words in (("id", "Isi bidang ini harus berupa nilai benar/salah (true atau false)."),
                            ("en", "Must be a valid boolean.")):
        refused = client.get(path, {name: "mungkin"}, HTTP_ACCEPT_LANGUAGE=language, **auth)
        assert refused.status_code == 400
        assert refused.json() == {name: [words]}


def test_the_inbox_still_reads_open_false_as_every_report(client, world):
    from lapor.api.tokens import token_issue
    from lapor.reports import services

    report = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang.",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diaspal.")
    services.report_rate(report=report, by=world.citizen, comment="Terima kasih.")
    auth = {"HTTP_AUTHORIZATION": f"Token {token_issue(user=world.unit_admin, label='uji')}"}
    assert client.get("/api/v1/inbox/", **auth).json()["count"] == 0
    assert client.get("/api/v1/inbox/", {"open": "false"}, **auth).json()["count"] == 1
    assert client.get("/api/v1/inbox/", {"open": "no"}, **auth).json()["count"] == 1
