"""SMS to 1708 as a phone user experiences it (SPEC §7), through the endpoint Kannel calls."""
import pytest

from lapor.accounts.models import ReporterProfile
from lapor.core.crypto import lookup_hash
from lapor.reports import services
from lapor.reports.enums import Channel, Status
from lapor.reports.models import Report
from lapor.sms.inbound import receive_sms
from lapor.sms.models import InboundSms

from ..api.concurrency import concurrently

PHONE = "+6281299990001"


def test_a_keyword_message_files_a_report_for_that_agency(world, sms):
    reply = sms(PHONE, "banjarbaru   Jalan rusak di depan SDN 1 Guntung Manggis")
    report = Report.objects.get()
    assert report.addressed_agency == world.pemkot
    assert report.channel == Channel.SMS
    assert report.body == "Jalan rusak di depan SDN 1 Guntung Manggis"
    assert report.status == Status.SUBMITTED
    assert report.tracking_id in reply
    assert "paling lambat" in reply


def test_the_reply_names_the_date_an_answer_is_due(world, sms):
    reply = sms(PHONE, "BANJAR Lampu jalan mati")
    report = Report.objects.get()
    from django.conf import settings

    from lapor.workdays.calendar import deadline_for

    answer_by = deadline_for(report.due_at, settings.LAPOR_FIRST_ANSWER_DAYS, world.pemkab.time_zone)
    assert f"{answer_by:%d-%m-%Y}" in reply


def test_the_sender_becomes_a_phone_only_reporter(world, sms):
    sms("0812-9999-0001", "BANJAR Sampah menumpuk")
    profile = ReporterProfile.objects.get(phone_hash=lookup_hash(PHONE))
    assert profile.is_phone_only
    assert profile.phone == PHONE
    assert Report.objects.get().reporter == profile.user


def test_a_second_message_from_the_same_number_uses_the_same_account(world, sms):
    sms(PHONE, "BANJAR Sampah menumpuk", ts="1")
    sms("6281299990001", "BANJAR Got mampet", ts="2")
    assert Report.objects.count() == 2
    assert len({r.reporter_id for r in Report.objects.all()}) == 1


def test_a_registered_citizen_texting_from_their_number_reports_as_themselves(world, sms):
    sms(world.citizen.profile.phone, "BANJARBARU Jalan berlubang")
    assert Report.objects.get().reporter == world.citizen


def test_a_gateway_retry_of_the_same_message_creates_nothing_new(world, sms):
    first = sms(PHONE, "BANJAR Jembatan retak", id="kannel-1")
    again = sms(PHONE, "BANJAR Jembatan retak", id="kannel-1")
    assert Report.objects.count() == 1
    assert again == first


def test_the_same_message_delivered_twice_by_the_smsc_with_new_ids_creates_one_report(world, sms):
    sms(PHONE, "BANJAR Jembatan retak", id="a", ts="1795451099")
    sms(PHONE, "BANJAR Jembatan retak", id="b", ts="1795451099")
    assert Report.objects.count() == 1


def test_the_same_words_sent_again_later_are_a_new_report(world, sms):
    sms(PHONE, "BANJAR Jembatan retak", id="a", ts="1795451099")
    sms(PHONE, "BANJAR Jembatan retak", id="b", ts="1795459999")
    assert Report.objects.count() == 2


@pytest.mark.parametrize("text", ["", "   ", "HALO apa kabar", "TIDAKADA jalan rusak"])
def test_an_unknown_keyword_or_empty_text_gets_a_help_reply(world, sms, text):
    reply = sms(PHONE, text)
    assert Report.objects.count() == 0
    assert "Format" in reply and "BANJAR" in reply and "CEK" in reply


def test_a_keyword_without_text_asks_for_the_report(world, sms):
    reply = sms(PHONE, "BANJAR")
    assert Report.objects.count() == 0
    assert "Tulis isi laporan" in reply


def test_a_foreign_number_is_refused_politely(world, sms):
    reply = sms("+60123456789", "BANJAR Jalan rusak")
    assert Report.objects.count() == 0
    assert "nomor Indonesia" in reply


def test_a_long_message_is_kept_whole(world, sms):
    text = "Jalan di depan pasar rusak parah " * 12  # ~400 characters, three SMS parts
    sms(PHONE, "BANJAR " + text)
    report = Report.objects.get()
    assert report.body == text.strip()
    assert len(report.title) <= 80


def test_the_endpoint_refuses_calls_without_kannels_secret(world, sms):
    sms(PHONE, "BANJAR Jalan rusak", secret="tebakan", expect=403)
    assert Report.objects.count() == 0


def _published(world, reporter, **kwargs):
    report = services.report_submit(reporter=reporter, title="Jalan rusak", body="Di depan pasar",
                                    addressed_agency=world.pemkot, **kwargs)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_answer(report=report, by=world.officer, body="Sudah kami tambal minggu ini.")
    return Report.objects.get(pk=report.pk)


def test_cek_replies_with_the_status_and_the_last_answer(world, sms):
    report = _published(world, world.citizen)
    reply = sms("+6281277770000", f"cek {report.tracking_id}")
    assert "Ditindaklanjuti" in reply
    assert "Sudah kami tambal" in reply


def test_cek_of_a_confidential_report_answers_only_the_reporters_own_number(world, sms):
    report = _published(world, world.citizen, is_confidential=True)
    stranger = sms("+6281277770000", f"CEK {report.tracking_id}")
    own = sms(world.citizen.profile.phone, f"CEK {report.tracking_id}")
    assert "tidak ditemukan" in stranger and "tambal" not in stranger
    assert "Ditindaklanjuti" in own and "tambal" in own


def test_cek_of_an_unverified_report_of_someone_else_says_not_found(world, sms):
    sms(PHONE, "BANJAR Jalan rusak", ts="1")
    report = Report.objects.get()
    assert "tidak ditemukan" in sms("+6281277770000", f"CEK {report.tracking_id}")
    assert "Belum terverifikasi" in sms(PHONE, f"CEK #{report.tracking_id}", ts="2")


def test_cek_with_a_mistyped_number_says_the_number_is_invalid(world, sms):
    report = _published(world, world.citizen)
    wrong = report.tracking_id[:-1] + str((int(report.tracking_id[-1]) + 1) % 10)
    assert "tidak valid" in sms(PHONE, f"CEK {wrong}")


@pytest.mark.django_db(transaction=True)
def test_the_same_message_delivered_twice_at_once_creates_one_report(world):
    results = concurrently(lambda: receive_sms(sender=PHONE, text="BANJAR Jembatan putus", gateway_id="same-id",
                                               timestamp="1795451099"))
    assert Report.objects.count() == 1
    assert InboundSms.objects.count() == 1
    assert results[0].reply == results[1].reply


def test_a_nul_byte_in_an_sms_is_dropped(world, sms):
    sms(PHONE, "BANJAR Jalan\x00 rusak")
    assert Report.objects.get().body == "Jalan rusak"


def test_kannels_post_url_with_the_text_as_body_works_too(world, client, settings):
    settings.KANNEL_INBOUND_SECRET = "rahasia-kannel"
    response = client.post("/sms/kannel/?secret=rahasia-kannel&sender=%2B6281299990001&id=p-1&ts=1",
                           data="BANJAR Jalan rusak".encode(), content_type="text/plain; charset=utf-8")
    assert response.status_code == 200 and "Laporan diterima" in response.content.decode()
    assert Report.objects.get().body == "Jalan rusak"
