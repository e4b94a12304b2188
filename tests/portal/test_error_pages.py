"""What a visitor reads when a request goes wrong outside any form's own checks: a page in
their language (never Django's bare English one), and JSON on the API and Open311."""
import pytest
from django.test import Client

from lapor.reports.models import Report

from .test_report_form import FORM

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_a_page_in_indonesian_with_ways_back(client):
    response = client.get("/tidak-ada/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="id"' in page
    assert "Halaman tidak ditemukan" in page and 'href="/lacak/"' in page


def test_an_unknown_address_is_answered_in_english_to_an_english_reader(client):
    response = client.get("/tidak-ada/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_unknown_api_address_is_answered_in_json(client):
    response = client.get("/api/v1/tidak-ada/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Tidak ditemukan.", "code": "not_found"}


def test_a_page_a_citizen_may_not_open_says_so_in_their_language(citizen_client):
    response = citizen_client.get("/kinerja/pengawasan/")

    assert response.status_code == 403
    assert "Tidak diizinkan" in response.content.decode()


def test_a_form_sent_from_a_page_no_longer_valid_is_explained_not_refused_in_english(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.citizen)

    response = client.post("/lapor/", FORM)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulir tidak dapat dikirim" in page and "tombol Kembali" in page
    assert "CSRF verification failed" not in page
    assert not Report.objects.exists()


def test_a_request_too_big_to_read_says_so_with_the_limit(citizen_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000

    response = citizen_client.post("/lapor/", {**FORM, "body": "x" * 60_000})

    assert response.status_code == 413
    page = response.content.decode()
    assert "Kiriman terlalu besar" in page and "MB" in page
    assert not Report.objects.exists()


def test_too_many_sign_ups_get_a_page_in_indonesian(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    client.post("/akun/signup/", {"username": "a"})

    response = client.post("/akun/signup/", {"username": "b"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak permintaan" in page and "Too Many Requests" not in page


def test_a_forms_address_opened_as_a_page_says_so_and_leads_to_its_report(world, citizen_client):
    from .conftest import submitted

    report = submitted(world)

    response = citizen_client.get(f"/laporan/{report.tracking_id}/dukung/")

    assert response.status_code == 405
    page = response.content.decode()
    assert "Alamat ini untuk mengirim formulir" in page and f'href="/laporan/{report.tracking_id}/"' in page
    assert response["Allow"] == "POST"


def test_the_region_cascade_answers_an_unknown_code_in_json(client):
    response = client.get("/wilayah.json", {"induk": "abc"})

    assert response.status_code == 404
    assert response.json() == {"error": "Kode wilayah tidak dikenal."}
