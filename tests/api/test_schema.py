"""The OpenAPI schema is served, documented, and true: schemathesis generates requests from
it and every answer must be a non-5xx that matches the schema (SPEC §7)."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings as hypothesis_settings
from lapor.api.tokens import token_issue
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from lapor.reports import services


def test_the_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/reports/" in schema["paths"]


def test_the_schema_describes_the_answers_not_our_serializer_machinery(client):
    """A report's description in the docs is for app developers: not how our serializers
    cache their fields (lapor/api/serializers.py, BuiltOnce)."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    described = {name: shape.get("description", "") for name, shape in schema["components"]["schemas"].items()}
    assert "ReportOut" in described
    assert [name for name, text in described.items() if "once per class" in text or "DRF" in text] == []


def test_the_docs_page_is_served_with_its_assets_from_our_own_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html and "jsdelivr" not in html


def _load_schema():
    # The schema comes from our own /api/schema/ through the WSGI application (no server,
    # no database: the schema view reads only code).
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


schema = _load_schema()


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    # Requests through the bare WSGI handler end with close_old_connections, which closes
    # the connection holding the test's transaction on PostgreSQL. Django's test client
    # switches it off the same way.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def a_published_report(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Jl. A. Yani",
                                    addressed_agency=world.pemkot)
    return services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)


@schema.parametrize()
@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_without_a_server_error_and_as_documented(
    case, world, a_published_report
):
    from django.core.cache import cache

    cache.clear()  # no throttling in the fuzzing run: it checks shapes, not rates
    case.call_and_validate(
        headers={"Authorization": f"Token {token_issue(user=world.citizen)}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
