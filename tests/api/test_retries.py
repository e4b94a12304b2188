"""Retried submits are safe (SPEC §7): the same Idempotency-Key, or the same external id
from a connected system, delivered twice (also at once) makes one report."""
import pytest
from rest_framework.test import APIClient

from lapor.api.models import ExternalReference
from lapor.api.tokens import token_issue
from lapor.reports.models import Report

from .concurrency import concurrently

NEW_REPORT = {"title": "Jalan berlubang", "body": "Di depan SDN 1.", "addressed_agency": "pemkot"}


def test_the_same_idempotency_key_twice_gives_the_same_report(world, api):
    client = api(world.citizen)
    first = client.post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="kirim-1")
    again = client.post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="kirim-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    assert Report.objects.count() == 1


def test_different_keys_make_different_reports(world, api):
    client = api(world.citizen)
    client.post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="a")
    client.post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert Report.objects.count() == 2


def test_one_citizens_key_does_not_collide_with_anothers(world, api):
    api(world.citizen).post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="1")
    response = api(world.other_citizen).post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="1")
    assert response.status_code == 201
    assert Report.objects.count() == 2


def test_reusing_a_key_for_a_different_report_is_refused(world, api):
    client = api(world.citizen)
    client.post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="k")
    response = client.post("/api/v1/reports/", {**NEW_REPORT, "title": "Lain"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400 and "idempotency_key" in response.json()
    assert Report.objects.count() == 1


def test_a_retry_with_the_same_photo_is_replayed_and_one_with_another_photo_refused(world, api):
    import io

    from PIL import Image

    from .conftest import photo_with_gps

    client = api(world.citizen)
    first = client.post("/api/v1/reports/", {**NEW_REPORT, "attachments": [photo_with_gps()]}, format="multipart",
                        HTTP_IDEMPOTENCY_KEY="foto")
    again = client.post("/api/v1/reports/", {**NEW_REPORT, "attachments": [photo_with_gps()]}, format="multipart",
                        HTTP_IDEMPOTENCY_KEY="foto")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    other = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 0, 255)).save(other, format="JPEG")
    other.seek(0)
    other.name = "jalan.jpg"  # the same name, another picture
    changed = client.post("/api/v1/reports/", {**NEW_REPORT, "attachments": [other]}, format="multipart",
                          HTTP_IDEMPOTENCY_KEY="foto")
    assert changed.status_code == 400 and "idempotency_key" in changed.json()
    assert Report.objects.get().attachments.count() == 1


def test_a_refused_submit_does_not_use_up_its_key(world, api):
    client = api(world.citizen)
    bad = client.post("/api/v1/reports/", {**NEW_REPORT, "latitude": 52.0, "longitude": 13.0}, format="json",
                      HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400
    good = client.post("/api/v1/reports/", {**NEW_REPORT, "latitude": 52.0, "longitude": 13.0}, format="json",
                       HTTP_IDEMPOTENCY_KEY="k")
    assert good.status_code == 400  # the same bad request is judged again, not replayed as success
    assert Report.objects.count() == 0


def test_a_connected_system_pushing_the_same_external_id_twice_gets_one_report(world, api):
    system = api(world.other_citizen)  # the city's app signs in with its own account
    first = system.post("/api/v1/reports/", {**NEW_REPORT, "external_id": "SILAPAT-77"}, format="json")
    again = system.post("/api/v1/reports/", {**NEW_REPORT, "external_id": "SILAPAT-77"}, format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    assert ExternalReference.objects.get().report.tracking_id == first.json()["tracking_id"]
    # Its database id sent as a number is the same id.
    numbered = system.post("/api/v1/reports/", {**NEW_REPORT, "external_id": 12345}, format="json")
    as_text = system.post("/api/v1/reports/", {**NEW_REPORT, "external_id": "12345"}, format="json")
    assert numbered.status_code == 201 and as_text.status_code == 200
    assert as_text.json()["tracking_id"] == numbered.json()["tracking_id"]


def _post_as(user, body, **headers):
    key = token_issue(user=user)

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client.post("/api/v1/reports/", body, format="json", **headers)

    return post


@pytest.mark.django_db(transaction=True)
def test_the_same_idempotency_key_twice_at_once_makes_one_report(world):
    responses = concurrently(_post_as(world.citizen, NEW_REPORT, HTTP_IDEMPOTENCY_KEY="bersamaan"))
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert Report.objects.count() == 1
    assert len({r.json()["tracking_id"] for r in responses}) == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_external_id_twice_at_once_makes_one_report(world):
    responses = concurrently(_post_as(world.other_citizen, {**NEW_REPORT, "external_id": "APP-1"}))
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert Report.objects.count() == 1
