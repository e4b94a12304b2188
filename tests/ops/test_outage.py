"""The database goes away (SPEC §12, ground rule: never a 500): pages, the API and the
back office answer 503 with Retry-After in the visitor's language, and come back by
themselves when the database does."""
import contextlib

import pytest
from django.db import connection
from django.test import Client


@contextlib.contextmanager
def database_unreachable():
    """The real connection pointed where no database answers (PostgreSQL: a port nothing
    listens on; SQLite: a file in a folder that does not exist), then put back."""
    saved = dict(connection.settings_dict)
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        # The in-memory test database lives as long as its connection: set it aside, open.
        test_database, connection.connection = connection.connection, None
        connection.settings_dict["NAME"] = "/nonexistent-folder/lapor.sqlite3"
    else:
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT="9")
    try:
        yield
    finally:
        if sqlite:
            connection.connection = test_database
        else:
            connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_pages_and_the_api_answer_503_while_the_database_is_away(world):
    citizen = Client(raise_request_exception=False)
    citizen.force_login(world.citizen)
    public = Client(raise_request_exception=False)
    with database_unreachable():
        page = public.get("/laporan/")
        api = public.get("/api/v1/reports/")
        english = public.get("/laporan/", HTTP_ACCEPT_LANGUAGE="en")
        signed_in = citizen.get("/laporan-saya/")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "Layanan sementara tidak tersedia" in page.content.decode()
    assert "Coba lagi dalam beberapa saat" in page.content.decode()
    assert api.status_code == 503 and api.json()["code"] == "unavailable"
    assert "Service temporarily unavailable" in english.content.decode()
    assert signed_in.status_code == 503  # the session itself could not be read
    assert public.get("/laporan/").status_code == 200  # back by itself


@pytest.mark.django_db(transaction=True)
def test_a_submit_during_the_outage_is_refused_and_can_be_sent_again(world):
    from lapor.api.tokens import token_issue
    from lapor.reports.models import Report

    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token_issue(user=world.citizen)}")
    body = {"title": "Jalan berlubang", "body": "Di depan pasar", "addressed_agency": "pemkot"}
    with database_unreachable():
        refused = client.post("/api/v1/reports/", body, content_type="application/json")
    assert refused.status_code == 503 and refused["Retry-After"] == "30"
    assert "periksa dulu" in refused.json()["detail"]  # a POST may have been stored before the loss
    assert client.post("/api/v1/reports/", body, content_type="application/json").status_code == 201
    assert Report.objects.count() == 1


def test_any_other_server_error_is_still_djangos_500(rf):
    from lapor.ops.outage import server_error

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/laporan/"))
    assert response.status_code == 500


@pytest.mark.django_db
def test_a_database_error_that_is_not_an_outage_is_still_a_500(rf):
    """A missing table (say, a deploy that skipped its migrations) is a fault to fix,
    not an outage to wait out."""
    from django.db import OperationalError, ProgrammingError

    from lapor.ops.outage import server_error

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
    except (OperationalError, ProgrammingError):
        response = server_error(rf.get("/laporan/"))
    assert response.status_code == 500
