"""The reporter of a duplicate hears what happens to the original (SPEC §8: a duplicate is
linked to the original; SPEC §7: an SMS reporter has only their phone)."""
import pytest

from lapor.following.services import follow_create
from lapor.notifications.models import Channel, Notification
from lapor.reports import services
from lapor.sms.inbound import receive_sms
from tests.sweep.conftest import at

PHONE = "+6281299990001"



@pytest.fixture
def original(world, act):
    report = act(services.report_submit, reporter=world.other_citizen, title="Banjir di Jl. A. Yani",
                 body="Air setinggi lutut sejak pagi.", addressed_agency=world.pemkot, category=world.category,
                 now=at(2026, 11, 23, 8))
    return act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 23, 9))


def test_an_sms_reporter_of_a_duplicate_gets_the_originals_answer_by_sms(world, act, kannel, original):
    record = act(receive_sms, sender=PHONE, text="BANJARBARU Banjir Jl A Yani air masuk rumah", now=at(2026, 11, 23, 10))
    act(services.report_mark_duplicate, report=record.report, by=world.agency_admin, original=original,
        now=at(2026, 11, 23, 11))
    kannel.received.clear()  # the duplicate's own status SMS

    act(services.report_answer, report=original, by=world.unit_admin, body="Pompa air dikirim siang ini.",
        now=at(2026, 11, 24, 9))

    [sms] = kannel.received
    assert sms["to"] == PHONE and f"#{original.tracking_id}" in sms["text"]


def test_a_follower_with_an_email_address_is_not_sent_sms_about_the_original(world, act, kannel, original):
    duplicate = act(services.report_submit, reporter=world.citizen, title="Banjir", body="Air masuk rumah.",
                    addressed_agency=world.pemkot, now=at(2026, 11, 23, 10))
    act(services.report_mark_duplicate, report=duplicate, by=world.agency_admin, original=original,
        now=at(2026, 11, 23, 11))

    act(services.report_answer, report=original, by=world.unit_admin, body="Pompa air dikirim.", now=at(2026, 11, 24, 9))

    told = Notification.objects.filter(recipient=world.citizen, report=original)
    assert sorted(told.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.IN_APP]
    assert kannel.received == []


def test_an_ordinary_follower_without_email_is_not_sent_sms(world, act, kannel, original):
    """SMS costs money: only the duplicate's reporter, whose own report's news came by SMS."""
    follower = world.citizen
    profile = follower.profile
    profile.email, follower.email = "", ""
    profile.save()
    follower.save()
    follow_create(user=follower, report=original)

    act(services.report_answer, report=original, by=world.unit_admin, body="Pompa air dikirim.", now=at(2026, 11, 24, 9))

    assert list(Notification.objects.filter(recipient=follower, report=original).values_list("channel", flat=True)) \
        == [Channel.IN_APP]
    assert kannel.received == []
