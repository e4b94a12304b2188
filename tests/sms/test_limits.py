"""Limits per phone number on SMS 1708 (issue #10): a number that files too many reports,
or sends too many messages of any kind, hears once when it may send again and then
nothing, so a misbehaving phone or an auto-responder costs one SMS, not one per message."""
import datetime
import time

import pytest
from django.utils import timezone

from lapor.reports.models import Report
from lapor.sms.inbound import receive_sms
from lapor.sms.models import InboundSms

from .test_kannel import kannel  # noqa: F401  (the real Kannel fixture)

PHONE = "+6281299990003"
OTHER_PHONE = "+6281299990004"


@pytest.fixture
def limits(settings):
    settings.LAPOR_SMS_REPORTS_PER_HOUR = 2
    settings.LAPOR_SMS_REPORTS_PER_DAY = 3
    settings.LAPOR_SMS_MESSAGES_PER_HOUR = 6
    return settings


def at(minutes, start=datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.timezone.utc)):
    return start + datetime.timedelta(minutes=minutes)


def text(phone, message, minutes):
    return receive_sms(sender=phone, text=message, timestamp=str(minutes), now=at(minutes)).reply


def test_a_number_over_its_hourly_report_limit_hears_once_when_it_may_report_again(world, limits, sms):
    assert "Laporan diterima" in sms(PHONE, "BANJAR Jalan rusak di km 3", ts="1")
    assert "Laporan diterima" in sms(PHONE, "BANJAR Jalan rusak di km 4", ts="2")
    refused = sms(PHONE, "BANJAR Jalan rusak di km 5", ts="3")
    assert "batas laporan" in refused and "CEK tetap dijawab" in refused
    # A second refusal costs nothing: no reply at all (Kannel's omit-empty, docs/sms.md).
    assert sms(PHONE, "BANJAR Jalan rusak di km 6", ts="4") == ""
    assert Report.objects.count() == 2


def test_the_reply_names_the_moment_the_oldest_report_leaves_the_hour(world, limits):
    text(PHONE, "BANJAR Jalan rusak di km 3", 0)
    text(PHONE, "BANJAR Jalan rusak di km 4", 20)
    refused = text(PHONE, "BANJAR Jalan rusak di km 5", 30)
    local = timezone.localtime(at(60))
    assert f"setelah {local:%H:%M} {local.tzname()} {local:%d-%m-%Y}" in refused


def test_the_refused_report_is_kept_as_a_received_sms_for_the_admin(world, limits):
    text(PHONE, "BANJAR Jalan rusak di km 3", 0)
    text(PHONE, "BANJAR Jalan rusak di km 4", 1)
    text(PHONE, "BANJAR Jembatan putus di desa Sungai", 2)
    kept = InboundSms.objects.get(outcome=InboundSms.Outcome.LIMITED)
    assert kept.text == "BANJAR Jembatan putus di desa Sungai"
    assert kept.report is None


def test_cek_and_help_are_still_answered_while_reports_are_limited(world, limits):
    text(PHONE, "BANJAR Jalan rusak di km 3", 0)
    text(PHONE, "BANJAR Jalan rusak di km 4", 1)
    text(PHONE, "BANJAR Jalan rusak di km 5", 2)
    tracking_id = Report.objects.order_by("created_at").first().tracking_id
    assert f"Laporan {tracking_id}" in text(PHONE, f"CEK {tracking_id}", 3)
    assert "Format" in text(PHONE, "HALO", 4)


def test_the_number_may_report_again_once_an_hour_has_passed(world, limits):
    text(PHONE, "BANJAR Jalan rusak di km 3", 0)
    text(PHONE, "BANJAR Jalan rusak di km 4", 10)
    assert "batas laporan" in text(PHONE, "BANJAR Jalan rusak di km 5", 30)
    assert "Laporan diterima" in text(PHONE, "BANJAR Jalan rusak di km 5", 61)
    # Limited again: and told again, once, since this is a new wait.
    assert "batas laporan" in text(PHONE, "BANJAR Jalan rusak di km 6", 62)
    assert text(PHONE, "BANJAR Jalan rusak di km 7", 63) == ""


def test_the_daily_limit_counts_the_reports_of_the_last_day(world, limits):
    text(PHONE, "BANJAR Jalan rusak di km 1", 0)
    text(PHONE, "BANJAR Jalan rusak di km 2", 90)
    text(PHONE, "BANJAR Jalan rusak di km 3", 180)
    refused = text(PHONE, "BANJAR Jalan rusak di km 4", 300)
    assert "batas laporan" in refused
    local = timezone.localtime(at(24 * 60))
    assert f"{local:%H:%M}" in refused and f"{local:%d-%m-%Y}" in refused
    assert "Laporan diterima" in text(PHONE, "BANJAR Jalan rusak di km 4", 24 * 60 + 1)


def test_another_number_is_not_limited_by_this_one(world, limits):
    for minute in range(3):
        text(PHONE, f"BANJAR Jalan rusak di km {minute}", minute)
    assert "Laporan diterima" in text(OTHER_PHONE, "BANJAR Jalan rusak di km 9", 4)


def test_each_please_wait_reply_fits_in_one_sms(world, limits):
    for minute in range(2):
        text(PHONE, f"BANJAR Jalan rusak di km {minute}", minute)
    for_reports = text(PHONE, "BANJAR Jalan rusak di km 9", 3)
    for n in range(6):
        text(OTHER_PHONE, f"HALO {n}", n)
    for_flood = text(OTHER_PHONE, "HALO lagi", 7)
    assert for_reports and for_flood
    assert len(for_reports) <= 160 and len(for_flood) <= 160
    assert for_reports.isascii() and for_flood.isascii()


def test_a_number_flooding_1708_gets_one_reply_and_then_silence(world, limits):
    # An auto-responder answering our help text with another message, and so on.
    replies = [text(PHONE, f"Pesan otomatis nomor {n}", n) for n in range(9)]
    assert all("Format" in reply for reply in replies[:6])
    assert "terlalu banyak SMS" in replies[6] and "Kirim lagi setelah" in replies[6]
    assert replies[7:] == ["", ""]
    assert InboundSms.objects.filter(outcome=InboundSms.Outcome.LIMITED).count() == 3


def test_a_report_within_a_flood_is_not_filed(world, limits):
    for n in range(6):
        text(PHONE, f"HALO {n}", n)
    assert "terlalu banyak SMS" in text(PHONE, "BANJAR Jalan rusak", 7)
    assert not Report.objects.exists()


def test_a_limit_of_zero_is_no_limit(world, settings):
    settings.LAPOR_SMS_REPORTS_PER_HOUR = 0
    settings.LAPOR_SMS_REPORTS_PER_DAY = 0
    settings.LAPOR_SMS_MESSAGES_PER_HOUR = 0
    for minute in range(8):
        assert "Laporan diterima" in text(PHONE, f"BANJAR Jalan rusak di km {minute}", minute)


def test_a_refused_message_delivered_again_by_the_gateway_gets_the_same_silence(world, limits, sms):
    sms(PHONE, "BANJAR Jalan rusak di km 3", ts="1")
    sms(PHONE, "BANJAR Jalan rusak di km 4", ts="2")
    first = sms(PHONE, "BANJAR Jalan rusak di km 5", id="k-5", ts="3")
    assert sms(PHONE, "BANJAR Jalan rusak di km 5", id="k-5", ts="3") == first
    assert InboundSms.objects.filter(outcome=InboundSms.Outcome.LIMITED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_through_kannel_a_limited_number_hears_once_and_then_nothing(world, kannel, settings):  # noqa: F811
    settings.LAPOR_SMS_REPORTS_PER_HOUR = 1
    phone = "+6281299990005"
    kannel.send(phone, "BANJARBARU Jalan rusak di depan SDN 1")
    kannel.wait_for_sms(phone, "Laporan diterima")
    kannel.send(phone, "BANJARBARU Jalan rusak di depan SDN 2")
    # One SMS, not a two-part one: the text fits in 160 characters.
    assert "batas laporan" in kannel.wait_for_sms(phone, "batas", after=1)
    kannel.send(phone, "BANJARBARU Jalan rusak di depan SDN 3")
    time.sleep(1)  # fakesmsc reads one line per read of its stdin
    tracking_id = Report.objects.get().tracking_id
    kannel.send(phone, f"CEK {tracking_id}")
    kannel.wait_for_sms(phone, f"Laporan {tracking_id}:", after=2)
    time.sleep(2)  # time enough for a reply to the third report, if one were sent
    to_phone = [message for _sender, to, message in kannel.received() if to == phone]
    assert len(to_phone) == 3, to_phone  # the receipt, the one "please wait", the CEK answer
    assert InboundSms.objects.filter(outcome=InboundSms.Outcome.LIMITED).count() == 2
    assert Report.objects.count() == 1
