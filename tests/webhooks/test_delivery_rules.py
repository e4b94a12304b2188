"""Which deliveries a subscriber gets, what they say and when they go, with real receivers on
127.0.0.1: one hanging receiver does not hold up the others, a payload describes the report
as its event left it, and an agency hears of the event by which a report left it."""
import datetime
import hashlib
import hmac

import pytest

from lapor.reports import services
from lapor.reports.models import Report
from lapor.webhooks.delivery import webhooks_deliver_due, webhooks_fan_out, webhooks_run
from lapor.webhooks.models import Delivery, Subscriber
from tests.webhooks.test_webhooks import Receiver


@pytest.fixture
def receivers():
    made = []

    def make():
        made.append(Receiver())
        return made[-1]

    yield make
    for receiver in made:
        receiver.hang.set()
        receiver.server.shutdown()


def report_for(world, title="Lampu mati"):
    return services.report_submit(reporter=world.citizen, title=title, body="Jl. A. Yani",
                                  addressed_agency=world.pemkot)


# --- one slow receiver ------------------------------------------------------------------------


def test_a_hanging_receiver_does_not_delay_or_stale_the_deliveries_of_a_healthy_one(world, receivers, settings):
    settings.LAPOR_WEBHOOK_TIMEOUT = 1
    dead, healthy = receivers(), receivers()
    dead.hangs = True
    # The dead one is older: its deliveries come first in the queue.
    Subscriber.objects.create(name="Sistem mati", url=dead.url, agency=world.pemkot, secret="k" * 32)
    Subscriber.objects.create(name="SIMPEL Banjarbaru", url=healthy.url, agency=world.pemkot, secret="r" * 32)
    for number in range(5):
        report_for(world, title=f"Lampu mati {number}")

    webhooks_run()

    assert len(healthy.received) == 5
    for (headers, body), received_at in zip(healthy.received, healthy.received_at, strict=True):
        # Signed when sent: a receiver that refuses old timestamps (docs/api.md) takes them.
        assert abs(received_at - int(headers["X-Lapor-Timestamp"])) <= 1.5
        expected = hmac.new(b"r" * 32, headers["X-Lapor-Timestamp"].encode() + b"." + body, hashlib.sha256)
        assert headers["X-Lapor-Signature"] == "sha256=" + expected.hexdigest()
    waiting = Delivery.objects.filter(subscriber__name="Sistem mati").order_by("id")
    # Tried once; the rest wait for the next pass without using up a try.
    assert [d.attempts for d in waiting] == [1, 0, 0, 0, 0]
    assert {d.status for d in waiting} == {"pending"}


def test_a_pass_stops_sending_when_its_time_is_up_and_leaves_the_rest_untried(world, receivers):
    healthy = receivers()
    Subscriber.objects.create(name="SIMPEL Banjarbaru", url=healthy.url, agency=world.pemkot, secret="r" * 32)
    report_for(world)
    webhooks_fan_out()
    assert webhooks_deliver_due(budget=datetime.timedelta(0)) == 0
    assert Delivery.objects.get().attempts == 0
    assert webhooks_deliver_due() == 1


# --- the report as the event left it --------------------------------------------------------


def payloads_of(receiver):
    return {p["event"]: p for p in receiver.payloads()}


def test_each_event_shows_the_agency_and_status_it_left_the_report_in(world, receivers):
    city = receivers()
    Subscriber.objects.create(name="SIMPEL Banjarbaru", url=city.url, agency=world.pemkot, secret="r" * 32)
    report = report_for(world)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_dispose(report=report, by=world.unit_admin, unit=world.bina_marga)
    services.report_answer(report=report, by=world.unit_admin, body="Lampu sudah diganti.")
    services.report_rate(report=report, by=world.citizen, comment="Terima kasih")
    assert Report.objects.get(pk=report.pk).status == "closed"

    webhooks_run()

    got = payloads_of(city)
    assert got["submit"]["report"]["status"] == "submitted"
    assert got["verify"]["report"]["agency"]["slug"] == "pupr"
    assert got["verify"]["report"]["status"] == "dispatched"
    assert got["dispose"]["report"]["agency"]["slug"] == "bina-marga"
    assert got["answer"]["report"]["status"] == "in_progress"
    assert got["rate"]["report"]["status"] == "closed"


def test_one_event_reads_the_same_for_every_subscriber_whenever_it_is_queued(world, receivers):
    first, second = receivers(), receivers()
    Subscriber.objects.create(name="SIMPEL Banjarbaru", url=first.url, agency=world.pemkot, secret="r" * 32)
    late = Subscriber.objects.create(name="Dasbor PUPR", url=second.url, agency=world.pemkot, secret="s" * 32,
                                     is_active=False)
    report = report_for(world)
    webhooks_run()
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)  # a new deadline
    late.is_active = True
    late.save()

    webhooks_run()

    submitted = [p for p in first.payloads() + second.payloads() if p["event"] == "submit"]
    assert len(submitted) == 2 and submitted[0] == submitted[1]


# --- a report leaving an agency ---------------------------------------------------------------


@pytest.fixture
def two_governments(world, receivers):
    banjarbaru, banjar = receivers(), receivers()
    Subscriber.objects.create(name="SIMPEL Banjarbaru", url=banjarbaru.url, agency=world.pemkot, secret="r" * 32)
    Subscriber.objects.create(name="SIMPEL Banjar", url=banjar.url, agency=world.pemkab, secret="s" * 32)
    return banjarbaru, banjar


def transferred(world, **verify):
    report = report_for(world)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, **verify)
    services.report_transfer(report=report, by=world.agency_admin, agency=world.pupr_banjar,
                             reason="Ruas jalan milik Kabupaten Banjar")
    services.report_answer(report=report, by=world.other_agency_admin, body="Sudah diperbaiki.")
    return report


def test_the_agency_a_report_left_hears_of_the_transfer_and_then_nothing(world, two_governments):
    banjarbaru, banjar = two_governments
    transferred(world)
    webhooks_run()
    assert [p["event"] for p in banjarbaru.payloads()] == ["submit", "verify", "transfer"]
    assert banjarbaru.payloads()[-1]["report"]["agency"]["slug"] == "pupr-banjar"
    assert [p["event"] for p in banjar.payloads()] == ["transfer", "answer"]


def test_the_agency_a_report_left_hears_of_bukan_wewenang(world, two_governments):
    banjarbaru, _banjar = two_governments
    report = report_for(world)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    unit_system = Subscriber.objects.create(name="Sistem PUPR", url=banjarbaru.url, agency=world.pupr, secret="u" * 32)
    services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jalan kabupaten")
    webhooks_run()
    sent = Delivery.objects.filter(subscriber=unit_system).values_list("payload__event", flat=True)
    assert "not_our_authority" in list(sent)


def test_a_confidential_report_leaves_without_its_content(world, two_governments):
    banjarbaru, banjar = two_governments
    transferred(world, is_confidential=True)
    webhooks_run()
    left = banjarbaru.payloads()[-1]
    assert left["event"] == "transfer"
    assert left["report"]["title"] is None and left["report"]["body"] is None
    assert left["report"]["content_withheld"] is True and left["text"] == ""
    assert "Lampu mati" not in b"".join(body for _h, body in banjarbaru.received[2:]).decode()
    arrived = banjar.payloads()[0]
    assert arrived["report"]["title"] == "Lampu mati" and "content_withheld" not in arrived["report"]


# --- two passes at once ------------------------------------------------------------------------


def test_a_pass_counts_only_the_deliveries_it_queued_when_another_queued_some_meanwhile(world, receivers):
    """The sweep's ``webhooks_queued`` (and its log line) says what this pass queued: a
    delivery another worker's pass queued between this one's reading and its insert is that
    pass's."""
    from django.db import connection

    subscriber = Subscriber.objects.create(name="SIMPEL Banjarbaru", url=receivers().url, agency=world.pemkot,
                                           secret="r" * 32)
    report = report_for(world)
    report_for(world, title="Jalan berlubang")
    first_event = report.events.order_by("at", "id").first()
    earlier = first_event.at

    raced = []

    def other_pass_first(execute, sql, params, many, context):
        if not raced and sql.lstrip().upper().startswith("INSERT") and "webhooks_delivery" in sql:
            raced.append(True)  # the other pass's row, in just before this pass's insert
            Delivery.objects.create(subscriber=subscriber, event=first_event, created_at=earlier,
                                    next_attempt_at=earlier, payload={})
        return execute(sql, params, many, context)

    with connection.execute_wrapper(other_pass_first):
        queued = webhooks_fan_out()

    assert Delivery.objects.filter(subscriber=subscriber).count() == 2
    assert queued == 1
