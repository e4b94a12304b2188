"""Which agencies' systems hear of each event of a report that changes hands several times,
read through the real lifecycle: exactly the agencies holding the report as the event left
it, and the one it left by that event (SPEC §5, §7)."""
import pytest

from lapor.reports import services
from lapor.webhooks.delivery import webhooks_fan_out
from lapor.webhooks.models import Delivery, Subscriber


@pytest.fixture
def systems(world):
    """The systems of Kota Banjarbaru and of Kabupaten Banjar."""
    return (Subscriber.objects.create(name="SIMPEL Banjarbaru", url="https://kota.example.id/hook",
                                      agency=world.pemkot, secret="r" * 32),
            Subscriber.objects.create(name="SIMPEL Banjar", url="https://kab.example.id/hook",
                                      agency=world.pemkab, secret="s" * 32))


def heard(subscriber):
    return [(d.payload["event"], d.payload["report"]["title"])
            for d in Delivery.objects.filter(subscriber=subscriber).order_by("event__at", "event_id")]


def as_it_happens(*steps):
    """Each step, with the periodic job's pass after it (as the scheduler runs every minute)."""
    for step in steps:
        result = step()
        webhooks_fan_out()
    return result


def readdressed_back(world):
    """A confidential report sent to the city, handed unverified to the regency, then verified
    by the national admin straight to the city's Dinas PUPR (which addresses it there again),
    handed back as "bukan wewenang" and transferred by the city to its Dinas Kesehatan."""
    report = as_it_happens(lambda: services.report_submit(
        reporter=world.citizen, title="Pungutan di puskesmas", body="Nama petugas …", addressed_agency=world.pemkot,
        is_confidential=True))
    as_it_happens(
        lambda: services.report_transfer(report=report, by=world.agency_admin, agency=world.pemkab,
                                         reason="Puskesmas milik kabupaten"),
        lambda: services.report_verify(report=report, by=world.national_admin, agency=world.pupr),
        lambda: services.report_not_our_authority(report=report, by=world.unit_admin, reason="Urusan kesehatan"),
        lambda: services.report_transfer(report=report, by=world.agency_admin, agency=world.dinkes,
                                         reason="Urusan Dinkes"))
    return report


def test_a_verification_that_readdresses_a_report_takes_it_from_the_government_it_was_handed_to(world, systems):
    city, regency = systems
    readdressed_back(world)

    # The regency held it from the transfer to the verification, and hears nothing after.
    assert heard(regency) == [("transfer", "Pungutan di puskesmas"), ("verify", None)]
    # The city routes it again once its unit hands it back, and hears every step.
    assert heard(city) == [("submit", "Pungutan di puskesmas"), ("transfer", None),
                           ("verify", "Pungutan di puskesmas"), ("not_our_authority", "Pungutan di puskesmas"),
                           ("transfer", "Pungutan di puskesmas")]


def test_a_report_handed_back_stays_with_its_city_until_transferred_to_another_government(world, systems):
    city, regency = systems
    report = as_it_happens(lambda: services.report_submit(
        reporter=world.citizen, title="Jembatan putus", body="Desa Sungai Tiung", addressed_agency=world.pemkot,
        is_confidential=True))
    as_it_happens(
        lambda: services.report_verify(report=report, by=world.agency_admin, agency=world.pupr),
        lambda: services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jembatan kabupaten"),
        lambda: services.report_transfer(report=report, by=world.agency_admin, agency=world.pemkab,
                                         reason="Milik kabupaten"))

    assert heard(city) == [("submit", "Jembatan putus"), ("verify", "Jembatan putus"),
                           ("not_our_authority", "Jembatan putus"), ("transfer", None)]
    assert heard(regency) == [("transfer", "Jembatan putus")]


def test_an_agency_that_no_longer_exists_in_a_history_is_logged_and_the_others_still_hear(world, systems, caplog):
    """A history that names a deleted unit (an imported legacy history, a unit removed by
    hand): the fan-out skips what it cannot place and goes on."""
    from lapor.reports.enums import Action
    from lapor.reports.models import ReportEvent
    from tests.factories import AgencyFactory

    city, regency = systems
    gone = AgencyFactory(name="Dinas Lama", slug="dinas-lama", parent=world.pemkot)
    gone_pk = gone.pk
    gone.delete()
    moved = services.report_submit(reporter=world.citizen, title="Arsip lama", body="Dipindahkan",
                                   addressed_agency=world.pemkot)
    services.report_verify(report=moved, by=world.agency_admin, agency=world.pupr)
    ReportEvent.objects.create(report=moved, at=moved.updated_at, actor=world.national_admin,
                               actor_role="national_admin", action=Action.TRANSFER, from_status="dispatched",
                               to_status="dispatched", agency=world.pupr_banjar, data={"from": gone_pk})
    services.report_submit(reporter=world.citizen, title="Lampu mati", body="Martapura",
                           addressed_agency=world.pemkab)

    webhooks_fan_out()

    assert ("submit", "Lampu mati") in heard(regency)
    assert ("transfer", "Arsip lama") in heard(regency)  # where it went is known
    assert ("verify", "Arsip lama") in heard(city)
    assert f"agency {gone_pk!r}" in caplog.text and "does not exist" in caplog.text


def test_a_system_switched_on_late_still_hears_of_a_report_the_national_admin_took_from_its_government(
        world, systems):
    city, regency = systems
    Subscriber.objects.filter(pk=regency.pk).update(is_active=False)  # down for maintenance
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Km 30",
                                    addressed_agency=world.pemkab)
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)  # the city's, in fact
    Subscriber.objects.filter(pk=regency.pk).update(is_active=True)

    webhooks_fan_out()

    assert heard(regency) == [("submit", "Jalan rusak"), ("verify", "Jalan rusak")]
    assert heard(city) == [("verify", "Jalan rusak")]


def test_a_unit_that_a_report_was_addressed_to_hears_it_from_the_start_when_it_is_transferred_away(world):
    """A citizen writes straight to the city's Dinas PUPR, whose own system is connected;
    the national admin later transfers the verified report to the regency. The transfer
    names the old address, so a pass run only afterwards (the scheduler was down) still
    tells the unit's system of the report from its submission."""
    unit = Subscriber.objects.create(name="SIMPEL PUPR", url="https://pupr.example.id/hook", agency=world.pupr,
                                     secret="p" * 32)
    report = services.report_submit(reporter=world.citizen, title="Drainase tersumbat", body="Jl. Karang Anyar",
                                    addressed_agency=world.pupr)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_transfer(report=report, by=world.national_admin, agency=world.pemkab,
                             reason="Saluran milik kabupaten")

    webhooks_fan_out()

    assert [event for event, _title in heard(unit)] == ["submit", "verify", "transfer"]
