"""What the API promises an app developer, kept: dates as people type them in a URL, a
`code` in every error body (docs/api.md, Errors), and an OpenAPI schema that says what
the API really answers, strictly enough for a validating client."""
import datetime
import importlib.util

import pytest
from django.utils import timezone

from lapor.reports import services
from lapor.reports.models import Report

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji-123"  # every persona's (tests/factories.py)


def published(world, *, title="Lampu jalan mati", category=None, received=None):
    report = services.report_submit(reporter=world.citizen, title=title, body="Jl. A. Yani km 30",
                                    addressed_agency=world.pemkot, category=category)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    if received is not None:
        Report.objects.filter(pk=report.pk).update(created_at=received)
    return Report.objects.get(pk=report.pk)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


# --- since/until with the '+' of the offset left unencoded --------------------------------


def test_since_and_until_read_an_unencoded_plus_of_the_offset_as_the_offset(world, api):
    wib = datetime.timezone(datetime.timedelta(hours=7))
    published(world, title="Sebelum", received=datetime.datetime(2026, 12, 6, 12, 0, tzinfo=wib))
    published(world, title="Sesudah", received=datetime.datetime(2026, 12, 7, 8, 0, tzinfo=wib))

    # Typed into a URL as written in the docs: the '+' reaches the server as a space.
    assert titles(api().get("/api/v1/reports/?since=2026-12-07T00:00:00+07:00")) == ["Sesudah"]
    assert titles(api().get("/api/v1/reports/?until=2026-12-07T00:00:00+07:00")) == ["Sebelum"]
    # Encoded, and a space between the date and the time, as before.
    assert titles(api().get("/api/v1/reports/?since=2026-12-07T00:00:00%2B07:00")) == ["Sesudah"]
    assert titles(api().get("/api/v1/reports/?since=2026-12-07%2000:00:00%2B07:00")) == ["Sesudah"]


def test_a_date_without_its_offset_is_still_refused(world, api):
    response = api().get("/api/v1/reports/?since=2026-12-07T00:00:00")
    assert response.status_code == 400 and "since" in response.json()


# --- every error body carries its code ---------------------------------------------------


def test_the_inbox_refuses_a_citizens_token_with_the_forbidden_code_in_the_callers_language(world, api):
    response = api(world.citizen).get("/api/v1/inbox/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json() == {"detail": "For agency staff only.", "code": "forbidden"}


def test_the_token_endpoint_refuses_staff_with_the_forbidden_code(world, api):
    response = api().post("/api/v1/auth/token/", {"username": world.officer.username, "password": PASSWORD})
    assert response.status_code == 403
    assert response.json() == {"detail": "Token staf diterbitkan oleh administrator, bukan lewat kata sandi.",
                               "code": "forbidden"}


def test_a_missing_attachment_is_not_found_with_the_same_code_as_a_missing_report(world, api):
    report = published(world)
    missing_file = api().get(f"/api/v1/reports/{report.tracking_id}/attachments/999999/", HTTP_ACCEPT_LANGUAGE="en")
    missing_report = api().get("/api/v1/reports/999999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing_file.status_code == missing_report.status_code == 404
    assert missing_file.json() == {"detail": "Attachment not found.", "code": "not_found"}
    assert missing_report.json()["code"] == "not_found"


def test_a_stale_token_is_refused_even_on_the_public_list_as_the_schema_says(world, api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/v1/reports/").status_code == 401


# --- the OpenAPI schema says what really happens -----------------------------------------


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operation(schema, path, method="get"):
    return schema["paths"][f"/api/v1/{path}"][method]


def test_the_schema_documents_the_400_of_a_bad_filter_or_page_on_the_callers_own_lists(schema):
    assert "400" in operation(schema, "me/reports/")["responses"]
    assert "400" in operation(schema, "inbox/")["responses"]


def test_the_schema_documents_a_401_wherever_a_token_is_read_even_where_it_is_optional(schema):
    for path in ("reports/", "reports/{tracking_id}/", "reports/{tracking_id}/attachments/{id}/",
                 "categories/", "regions/", "agencies/"):
        assert "401" in operation(schema, path)["responses"], path
    # Signing in reads no token.
    assert "401" not in operation(schema, "auth/token/", "post")["responses"]


def test_the_schema_documents_the_403_of_the_token_endpoint(schema):
    refused = operation(schema, "auth/token/", "post")["responses"]["403"]
    assert "staf" in refused["description"] and "e-mail" in refused["description"]


@pytest.mark.parametrize("path, most", [("reports/", 100), ("me/reports/", 100), ("inbox/", 100),
                                        ("categories/", 500)])
def test_the_schema_gives_page_and_page_size_the_bounds_the_api_enforces(schema, path, most):
    parameters = {p["name"]: p["schema"] for p in operation(schema, path)["parameters"]}
    assert parameters["page"]["minimum"] == 1
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, most)


@pytest.mark.parametrize("component", ["ReportOut", "ReportDetailOut", "AttachmentOut", "FollowUpOut"])
def test_every_field_of_a_reports_answer_is_required_in_the_schema(schema, component):
    shape = schema["components"]["schemas"][component]
    assert set(shape["required"]) == set(shape["properties"])


@pytest.mark.parametrize("field", ["category", "addressed_agency", "assigned_agency"])
def test_a_reports_references_are_nullable_objects_a_strict_openapi_3_0_validator_accepts(schema, field):
    shape = schema["components"]["schemas"]["ReportOut"]["properties"][field]
    assert "allOf" not in shape  # nullable beside allOf is ignored by OpenAPI 3.0 validators
    assert shape["type"] == "object" and shape["nullable"] is True
    assert set(shape["required"]) == {"slug", "name"}


def test_the_schema_is_a_valid_openapi_document(schema):
    if importlib.util.find_spec("openapi_spec_validator") is None:
        pytest.skip("openapi-spec-validator is not installed")
    from openapi_spec_validator import validate

    validate(schema)


def test_a_real_list_with_a_report_handed_back_unassigned_validates_against_the_schema(world, api, schema):
    if importlib.util.find_spec("openapi_schema_validator") is None:
        pytest.skip("openapi-schema-validator is not installed")
    from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

    # Published, without a category, and handed back as "bukan wewenang": no unit assigned.
    report = published(world)
    services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jalan provinsi.")
    answer = api().get("/api/v1/reports/")
    assert answer.status_code == 200
    item = answer.json()["results"][0]
    assert item["category"] is None and item["assigned_agency"] is None and item["addressed_agency"] is not None

    page = schema["paths"]["/api/v1/reports/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    # The "#/components/…" references resolve against the schema's own components.
    validator = OAS30ReadValidator({**page, "components": schema["components"]}, format_checker=oas30_format_checker)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(answer.json())]
    assert errors == []


def test_every_success_answer_with_a_body_is_described_in_the_schema(schema):
    """A client generated from the schema gets a type for every answer it reads: marking
    notifications read answers ``{"marked": n}``, not an undescribed body."""
    undescribed = [f"{method.upper()} {path} {code}" for path, operations in schema["paths"].items()
                   for method, op in operations.items() for code, answer in op["responses"].items()
                   if code.startswith("2") and code != "204" and "content" not in answer]
    assert undescribed == []
    marked = schema["paths"]["/api/v1/me/notifications/read/"]["post"]["responses"]["200"]["content"]
    shape = schema["components"]["schemas"][marked["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert shape["properties"]["marked"]["type"] == "integer" and shape["required"] == ["marked"]



def test_every_wrong_list_filter_is_named_in_one_answer(world, api):
    """A developer with several wrong filters hears of all of them at once, not of the
    first one per try."""
    answer = api().get("/api/v1/reports/", {"status": "open", "kind": "keluhan", "category": "tidak-ada",
                                            "agency": "tidak-ada", "region": "99", "since": "kemarin"})
    assert answer.status_code == 400
    assert set(answer.json()) == {"status", "kind", "category", "agency", "region", "since"}
    assert answer.json()["status"] == ["Tidak dikenal: open. Pilihan: submitted, returned, postponed, dispatched, "
                                       "in_progress, closed, archived."]
