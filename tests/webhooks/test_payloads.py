"""What a payload says of the report: as the event left it (its title, text, topic, place and
flags then, whenever the delivery is queued), enough for a connected system to route it,
and nothing of a confidential report to an agency it is no longer with (SPEC §5, §7)."""
import json

import pytest

from lapor.reports import services
from lapor.webhooks.delivery import webhooks_fan_out
from lapor.webhooks.models import Delivery, Subscriber
from tests.factories import RegionFactory


@pytest.fixture
def city(world):
    return Subscriber.objects.create(name="SIMPEL Banjarbaru", url="https://kota.example.id/hook",
                                     agency=world.pemkot, secret="r" * 32)


@pytest.fixture
def banjarbaru():
    return RegionFactory(code="63.72", name="Kota Banjarbaru")


def sent(subscriber) -> dict:
    """Each event's payload to ``subscriber``, by event."""
    return {d.payload["event"]: d.payload for d in Delivery.objects.filter(subscriber=subscriber)}


def test_each_event_says_what_the_report_was_when_it_happened(world, city, banjarbaru):
    report = services.report_submit(reporter=world.citizen, title="lampu mati", body="Jl. A. Yani",
                                    addressed_agency=world.pemkot)
    services.report_return(report=report, by=world.agency_admin, missing="Patokan lokasi")
    services.report_complete(report=report, by=world.citizen, addition="Depan toko Sinar")
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, title="Lampu jalan mati",
                           category=world.category, region=banjarbaru, is_confidential=True)
    services.report_set_flags(report=report, by=world.agency_admin, is_anonymous=True,
                              reason="Pelapor meminta namanya disembunyikan")

    webhooks_fan_out()  # one pass after all of it: each event still reads as it was

    got = {event: p["report"] for event, p in sent(city).items()}
    assert got["submit"]["title"] == "lampu mati" and got["submit"]["body"] == "Jl. A. Yani"
    assert (got["submit"]["category"], got["submit"]["region"]) == (None, None)
    assert (got["submit"]["is_confidential"], got["submit"]["is_anonymous"]) == (False, False)
    assert got["complete"]["body"] == "Jl. A. Yani\n\nDepan toko Sinar"
    assert got["verify"]["title"] == "Lampu jalan mati"
    assert got["verify"]["category"] == {"slug": "jalan-rusak", "name": "Jalan Rusak"}
    assert got["verify"]["region"] == {"code": "63.72", "name": "Kota Banjarbaru"}
    assert (got["verify"]["is_confidential"], got["verify"]["is_anonymous"]) == (True, False)
    assert (got["set_flags"]["is_confidential"], got["set_flags"]["is_anonymous"]) == (True, True)


def test_an_anonymous_report_routes_by_topic_and_place_and_never_names_its_reporter(world, city, banjarbaru):
    report = services.report_submit(reporter=world.citizen, title="Pungli KTP", body="Di kantor kecamatan",
                                    addressed_agency=world.pemkot, category=world.category, region=banjarbaru,
                                    is_anonymous=True)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)

    webhooks_fan_out()

    verified = sent(city)["verify"]["report"]
    assert verified["category"] == {"slug": "jalan-rusak", "name": "Jalan Rusak"}
    assert verified["region"] == {"code": "63.72", "name": "Kota Banjarbaru"}
    assert verified["is_anonymous"] is True
    raw = json.dumps([d.payload for d in Delivery.objects.all()], ensure_ascii=False)
    profile = world.citizen.profile
    for personal in ("Siti", "warga", profile.nik, profile.phone, profile.email):
        assert personal not in raw


def test_a_report_made_confidential_after_it_left_is_not_sent_whole_to_the_agency_it_left(world, banjarbaru):
    regency = Subscriber.objects.create(name="SIMPEL Banjar", url="https://kab.example.id/hook",
                                        agency=world.pemkab, secret="s" * 32)
    # The city's dashboard, switched off for maintenance while this happens.
    dashboard = Subscriber.objects.create(name="Dasbor Banjarbaru", url="https://dasbor.example.id/hook",
                                          agency=world.pemkot, secret="d" * 32, is_active=False)
    report = services.report_submit(reporter=world.citizen, title="Jalan amblas", body="Nama mandor …",
                                    addressed_agency=world.pemkot, category=world.category, region=banjarbaru)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_transfer(report=report, by=world.agency_admin, agency=world.pupr_banjar,
                             reason="Ruas jalan kabupaten")
    webhooks_fan_out()
    assert sent(regency)["transfer"]["report"]["title"] == "Jalan amblas"  # public then, and the regency's
    services.report_set_flags(report=report, by=world.other_agency_admin, is_confidential=True,
                              reason="Menyebut nama pekerja")
    Subscriber.objects.filter(pk=dashboard.pk).update(is_active=True)

    webhooks_fan_out()

    late = sent(dashboard)
    assert set(late) == {"submit", "verify", "transfer"}
    for event in late.values():
        assert event["report"]["content_withheld"] is True
        assert [event["report"][f] for f in ("title", "body", "category", "region")] == [None] * 4
    assert late["transfer"]["report"]["agency"]["slug"] == "pupr-banjar"  # where it went
    assert "Jalan amblas" not in json.dumps(late)
