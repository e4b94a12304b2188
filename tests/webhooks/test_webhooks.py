"""Webhooks to a connected local system (SPEC §7), received by a real HTTP server on
127.0.0.1: signed payloads, retries with backoff, a delivery log for the agency admin."""
import datetime
import hashlib
import hmac
import http.server
import importlib
import json
import threading
import time
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from lapor.reports import services
from lapor.webhooks.delivery import webhooks_deliver_due, webhooks_fan_out, webhooks_run
from lapor.webhooks.models import Delivery, Subscriber


class Receiver:
    """A city system's webhook endpoint: records what it gets (and when), answers with
    ``status``, or hangs until ``hang`` is set (then fails, as a dead one would)."""

    def __init__(self):
        self.received, self.status, self.received_at = [], 200, []
        self.hangs, self.hang = False, threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.hangs:
                    receiver.hang.wait(30)
                    return
                receiver.received_at.append(time.time())
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/lapor-hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def payloads(self):
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.hang.set()
    receiver.server.shutdown()


@pytest.fixture
def city_system(world, receiver):
    return Subscriber.objects.create(name="SIMPEL Banjarbaru", url=receiver.url, agency=world.pemkot,
                                     secret="rahasia-kota")


def filed_and_answered(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Jl. A. Yani",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_add_note(report=report, by=world.officer, text="Catatan internal")
    services.report_answer(report=report, by=world.unit_admin, body="Lampu sudah diganti.")
    return report


def test_the_agencys_system_receives_every_public_event_of_its_reports_in_order(world, city_system, receiver):
    report = filed_and_answered(world)
    webhooks_run()
    events = [p["event"] for p in receiver.payloads()]
    assert events == ["submit", "verify", "answer"]
    answer = receiver.payloads()[-1]
    assert answer["report"]["tracking_id"] == report.tracking_id
    assert answer["report"]["status"] == "in_progress"
    assert answer["followup"]["body"] == "Lampu sudah diganti."
    # Times as the API writes them: with the site's offset (WIB), not UTC.
    assert answer["at"].endswith("+07:00") and answer["followup"]["at"].endswith("+07:00")


def test_payloads_are_signed_with_the_subscribers_secret(world, city_system, receiver):
    filed_and_answered(world)
    webhooks_run()
    headers, body = receiver.received[0]
    expected = hmac.new(b"rahasia-kota", headers["X-Lapor-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-Lapor-Signature"] == "sha256=" + expected.hexdigest()
    assert headers["X-Lapor-Event"] == "submit"


def stored_secret(subscriber) -> str:
    table = connection.ops.quote_name(Subscriber._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT secret FROM {table} WHERE id = %s", [subscriber.pk])
        return cursor.fetchone()[0]


def test_the_secret_is_encrypted_at_rest_and_still_signs(world, city_system, receiver):
    """With the secret, a copy of the database could sign forged events the city would trust."""
    assert "rahasia-kota" not in stored_secret(city_system)
    migration = importlib.import_module("lapor.webhooks.migrations.0002_secret_encrypted")
    editor = SimpleNamespace(connection=connection)
    migration.decrypt_secrets(apps, editor)  # as a database from before this change holds it
    assert stored_secret(city_system) == "rahasia-kota"
    migration.encrypt_secrets(apps, editor)
    assert "rahasia-kota" not in stored_secret(city_system)
    filed_and_answered(world)
    webhooks_run()
    headers, body = receiver.received[0]
    expected = hmac.new(b"rahasia-kota", headers["X-Lapor-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-Lapor-Signature"] == "sha256=" + expected.hexdigest()


def test_internal_notes_and_the_reporters_identity_are_never_sent(world, city_system, receiver):
    filed_and_answered(world)
    webhooks_run()
    raw = b"".join(body for _h, body in receiver.received).decode()
    assert "Catatan internal" not in raw
    assert "Siti" not in raw and "6372024107900001" not in raw and world.citizen.profile.phone not in raw


def test_another_agencys_system_receives_nothing(world, receiver):
    Subscriber.objects.create(name="Sistem Banjar", url=receiver.url, agency=world.pemkab)
    filed_and_answered(world)
    webhooks_run()
    assert receiver.received == []


def test_the_citys_system_hears_nothing_of_whistle_blowing_and_the_inspectorates_does(world, city_system, receiver):
    from lapor.agencies.models import Role
    from lapor.reports.enums import Kind
    from tests.personas import staff

    inspectorate_system = Subscriber.objects.create(name="SIMWAS Inspektorat", url=receiver.url,
                                                    agency=world.inspektorat, secret="rahasia-irban")
    whistle = services.report_submit(reporter=world.citizen, kind=Kind.WHISTLEBLOWING, title="Pungli di loket",
                                     body="Petugas meminta uang.", addressed_agency=world.pemkot)
    services.report_verify(report=whistle, by=staff("admin.inspektorat", world.inspektorat, Role.AGENCY_ADMIN))
    webhooks_run()
    assert {d.subscriber_id for d in Delivery.objects.all()} == {inspectorate_system.pk}
    assert "Pungli di loket" in b"".join(body for _h, body in receiver.received).decode()


def test_running_twice_sends_each_event_once(world, city_system, receiver):
    filed_and_answered(world)
    webhooks_run()
    webhooks_run()
    assert len(receiver.received) == 3
    assert Delivery.objects.filter(status="sent").count() == 3


def test_a_failing_receiver_is_retried_with_growing_waits_and_then_given_up(world, city_system, receiver, settings):
    settings.LAPOR_WEBHOOK_MAX_ATTEMPTS = 3
    settings.LAPOR_WEBHOOK_RETRY_BASE_SECONDS = 60
    receiver.status = 503
    services.report_submit(reporter=world.citizen, title="Lampu", body="Mati", addressed_agency=world.pemkot)
    now = timezone.now()
    webhooks_fan_out(now=now)
    sent_from = timezone.now()
    webhooks_deliver_due(now=now)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code == 503
    # Counted from the failure, not from the start of the pass.
    assert sent_from + datetime.timedelta(seconds=60) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=60)
    assert webhooks_deliver_due(now=now + datetime.timedelta(seconds=30)) == 0  # not yet due
    later = now + datetime.timedelta(seconds=61)
    sent_from = timezone.now()
    webhooks_deliver_due(now=later)
    delivery.refresh_from_db()
    assert sent_from + datetime.timedelta(seconds=120) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=120)
    webhooks_deliver_due(now=later + datetime.timedelta(seconds=121))
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 3
    assert len(receiver.received) == 3


def test_a_receiver_that_recovers_gets_the_delivery_on_the_retry(world, city_system, receiver):
    receiver.status = 500
    services.report_submit(reporter=world.citizen, title="Lampu", body="Mati", addressed_agency=world.pemkot)
    now = timezone.now()
    webhooks_run(now=now)
    receiver.status = 204
    webhooks_deliver_due(now=now + datetime.timedelta(hours=1))
    assert Delivery.objects.get().status == "sent"


def test_a_connected_system_hears_about_the_reports_it_pushed_under_its_external_id(world, receiver, api):
    Subscriber.objects.create(name="Aplikasi Kota", url=receiver.url, system=world.other_citizen)
    response = api(world.other_citizen).post("/api/v1/reports/", {
        "title": "Jalan rusak", "body": "Depan pasar", "addressed_agency": "pemkot", "external_id": "KOTA-9"},
        format="json")
    report_id = response.json()["tracking_id"]
    from lapor.reports.models import Report

    report = Report.objects.get(tracking_id=report_id)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    webhooks_run()
    assert [(p["event"], p["report"]["external_id"]) for p in receiver.payloads()] == [
        ("submit", "KOTA-9"), ("verify", "KOTA-9")]


def test_the_agency_admin_sees_the_delivery_log_of_their_agencys_subscribers_only(world, city_system, receiver,
                                                                                 client, settings):
    # Signed in with the second factor (tests/office cover asking for it): this test is
    # about which log an agency admin sees once in.
    from tests.office.staff import sign_in

    other = Subscriber.objects.create(name="Sistem Banjar", url=receiver.url, agency=world.pemkab)
    filed_and_answered(world)
    webhooks_run()
    sign_in(client, world.agency_admin)
    page = client.get("/admin/webhooks/delivery/")
    assert page.status_code == 200
    assert "SIMPEL Banjarbaru" in page.content.decode()
    assert client.get(f"/admin/webhooks/subscriber/{other.pk}/change/").status_code in (302, 404)


def test_the_admin_shows_the_secret_to_give_to_the_receiving_system(admin_client, city_system):
    page = admin_client.get(f"/admin/webhooks/subscriber/{city_system.pk}/change/").content.decode()
    assert 'name="secret"' in page and 'value="rahasia-kota"' in page
