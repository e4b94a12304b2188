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


@pytest.mark.parametrize("text", ["BANJARBARU, Jalan rusak", "Banjarbaru: Jalan rusak", "banjarbaru.Jalan rusak"])
def test_a_comma_colon_or_full_stop_after_the_keyword_is_understood(world, sms, text):
    reply = sms(PHONE, text)

    report = Report.objects.get()
    assert (report.addressed_agency, report.body) == (world.pemkot, "Jalan rusak")
    assert report.tracking_id in reply


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


@pytest.mark.parametrize("text", ["BANJAR", "BANJAR \U0001F621\U0001F621", "BANJAR ... !!!"])
def test_a_keyword_without_words_asks_for_the_report(world, sms, text):
    reply = sms(PHONE, text)
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


def basic(password: str, user: str = "kannel") -> str:
    """The Authorization header Kannel sends for get-url = "https://kannel:<password>@host/…"."""
    import base64

    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_kannel_may_send_the_secret_as_the_urls_password_out_of_the_query_string(world, client, settings):
    settings.KANNEL_INBOUND_SECRET = "rahasia-kannel"
    query = {"sender": PHONE, "text": "BANJAR Jalan rusak", "id": "h-1", "ts": "1"}
    assert client.get("/sms/kannel/", query, HTTP_AUTHORIZATION=basic("tebakan")).status_code == 403
    # A wrong password is not saved by a right secret in the query string.
    assert client.get("/sms/kannel/", {**query, "secret": "rahasia-kannel"},
                      HTTP_AUTHORIZATION=basic("tebakan")).status_code == 403
    assert not Report.objects.exists()
    response = client.get("/sms/kannel/", query, HTTP_AUTHORIZATION=basic("rahasia-kannel"))
    assert response.status_code == 200 and "Laporan diterima" in response.content.decode()


def test_only_the_gateways_network_may_call_when_the_operator_names_it(world, client, settings):
    settings.KANNEL_INBOUND_SECRET = "rahasia-kannel"
    settings.LAPOR_SMS_GATEWAY_NETWORKS = ["10.20.0.5/32"]
    query = {"sender": PHONE, "text": "BANJAR Jalan rusak", "id": "n-1", "ts": "1"}
    # The secret leaked (an old access log): from elsewhere it files nothing.
    assert client.get("/sms/kannel/", query, REMOTE_ADDR="203.0.113.9",
                      HTTP_AUTHORIZATION=basic("rahasia-kannel")).status_code == 403
    assert not Report.objects.exists()
    assert client.get("/sms/kannel/", query, REMOTE_ADDR="10.20.0.5",
                      HTTP_AUTHORIZATION=basic("rahasia-kannel")).status_code == 200
    assert Report.objects.count() == 1


def _published(world, reporter, **kwargs):
    report = services.report_submit(reporter=reporter, title="Jalan rusak", body="Di depan pasar",
                                    addressed_agency=world.pemkot, **kwargs)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah kami tambal minggu ini.")
    return Report.objects.get(pk=report.pk)


def test_cek_replies_with_the_status_and_the_last_answer(world, sms):
    report = _published(world, world.citizen)
    reply = sms("+6281277770000", f"cek {report.tracking_id}")
    assert "Ditindaklanjuti" in reply
    assert "Sudah kami tambal" in reply
    assert "Ditindaklanjuti" in sms("+6281277770000", f"Cek: {report.tracking_id}", id="kedua")


def test_cek_gives_the_day_of_the_answer_in_the_reports_zone(world, sms):
    """Answered at 00:30 WITA on 24 November, which is still the 23rd in the server's WIB."""
    import datetime

    late = datetime.datetime(2026, 11, 23, 16, 30, tzinfo=datetime.timezone.utc)
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Di depan pasar",
                                    addressed_agency=world.pemkot, now=late - datetime.timedelta(hours=3))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr,
                           now=late - datetime.timedelta(hours=2))
    services.report_answer(report=report, by=world.unit_admin, body="Sudah kami tambal.", now=late)

    reply = sms("+6281277770000", f"cek {report.tracking_id}")

    assert "24-11-2026: Sudah kami tambal." in reply


def test_cek_of_a_confidential_report_answers_only_the_reporters_own_number(world, sms):
    report = _published(world, world.citizen, is_confidential=True)
    stranger = sms("+6281277770000", f"CEK {report.tracking_id}")
    own = sms(world.citizen.profile.phone, f"CEK {report.tracking_id}")
    assert "tidak ditemukan" in stranger and "tambal" not in stranger
    assert "Ditindaklanjuti" in own and "tambal" in own


def test_cek_from_a_staff_members_phone_reads_as_a_citizen(world, sms):
    # A number proves no second factor: their unit's confidential report stays in the back office.
    report = _published(world, world.citizen, is_confidential=True)
    ReporterProfile.objects.update_or_create(user=world.unit_admin, defaults={"phone": "+6281233330000"})
    assert "tidak ditemukan" in sms("+6281233330000", f"CEK {report.tracking_id}")


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


# --- the reporter's moves by SMS ----------------------------------------------------------


def filed_by_sms(world, sms, text="BANJARBARU Lampu jalan mati di Jl. Ahmad Yani km 30"):
    sms(PHONE, text, ts="filed")
    return Report.objects.get()


def test_a_returned_sms_report_is_completed_by_sms(world, sms):
    report = filed_by_sms(world, sms)
    services.report_return(report=report, by=world.agency_admin, missing="Sebutkan RT dan patokan terdekat.")

    reply = sms(PHONE, f"lengkapi {report.tracking_id}  RT 05, depan Masjid Al-Falah", ts="2")

    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and "RT 05, depan Masjid Al-Falah" in report.body
    assert f"Kelengkapan laporan {report.tracking_id} diterima" in reply
    assert InboundSms.objects.get(text__startswith="lengkapi").outcome == InboundSms.Outcome.ACTION


def test_an_sms_reporter_replies_then_accepts_the_answer_then_reopens(world, sms):
    report = filed_by_sms(world, sms)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_answer(report=report, by=world.unit_admin, body="Akan diganti pekan depan.")

    assert "wajib menindaklanjuti lagi" in sms(PHONE, f"BALAS {report.tracking_id} Belum diganti sampai sekarang", ts="3")
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    services.report_answer(report=report, by=world.unit_admin, body="Lampu sudah diganti.")
    assert "selesai" in sms(PHONE, f"PUAS {report.tracking_id}", ts="4")
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.followups.order_by("-created_at").first().satisfied
    assert "dibuka kembali" in sms(PHONE, f"BUKA {report.tracking_id} Mati lagi setelah hujan", ts="5")
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED and report.reopen_count == 1


def test_a_move_the_status_does_not_allow_is_refused_with_the_reason(world, sms):
    report = filed_by_sms(world, sms)
    reply = sms(PHONE, f"PUAS {report.tracking_id}", ts="6")
    # Nothing to be satisfied with yet; the sentence reads for every action, not
    # "Laporan berstatus ... tidak dapat tanggapan pelapor".
    assert reply == 'Tindakan "dinilai pelapor" tidak dapat dilakukan pada laporan berstatus "Belum terverifikasi".'
    reply = sms(PHONE, f"BALAS {report.tracking_id} Belum diperbaiki", ts="7")
    assert reply == 'Tindakan "tanggapan pelapor" tidak dapat dilakukan pada laporan berstatus "Belum terverifikasi".'
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_another_number_cannot_act_on_the_report_and_cannot_tell_it_exists(world, sms):
    report = filed_by_sms(world, sms)
    services.report_return(report=report, by=world.agency_admin, missing="Sebutkan RT.")
    reply = sms("+6281299990009", f"LENGKAPI {report.tracking_id} RT 01", ts="7")
    assert reply == f"Laporan {report.tracking_id} tidak ditemukan."
    report.refresh_from_db()
    assert report.status == Status.RETURNED


@pytest.mark.parametrize("text, expected", [
    ("LENGKAPI", "Format: LENGKAPI <nomor laporan> <kelengkapan>"),
    ("BALAS 12345", "Format: BALAS <nomor laporan> <tanggapan>"),
])
def test_a_command_without_its_parts_explains_the_format(world, sms, text, expected):
    assert expected in sms(PHONE, text, ts=text)


def test_a_command_without_its_text_explains_the_format_and_changes_nothing(world, sms):
    report = filed_by_sms(world, sms)
    services.report_return(report=report, by=world.agency_admin, missing="Sebutkan RT.")
    assert "Format: LENGKAPI" in sms(PHONE, f"LENGKAPI {report.tracking_id}", ts="8")
    report.refresh_from_db()
    assert report.status == Status.RETURNED


def test_an_agency_cannot_take_a_command_word_as_its_keyword(world):
    from django.core.exceptions import ValidationError

    world.pemkot.sms_keyword = "balas"
    with pytest.raises(ValidationError) as refused:
        world.pemkot.full_clean()
    assert "BALAS dipakai untuk perintah SMS" in str(refused.value)


def test_staff_read_an_sms_reporter_who_gave_no_name_as_pelapor_sms_not_a_made_up_username(world, sms, client):
    from rest_framework.test import APIClient

    from lapor.api.tokens import token_issue
    from tests.office.staff import sign_in

    report = filed_by_sms(world, sms)
    assert report.reporter.username.startswith("sms-")
    sign_in(client, world.agency_admin)
    page = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    # Named by the phone it wrote from, not the account's made-up username.
    assert "<strong>Pelapor SMS</strong></p>" in page and report.reporter.username not in page
    assert report.reporter.profile.phone in page
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=world.agency_admin, label='t')}")
    for language, words in (("id", "Pelapor SMS"), ("en", "SMS reporter")):
        answer = api.get(f"/api/v1/reports/{report.tracking_id}/", HTTP_ACCEPT_LANGUAGE=language).json()
        assert answer["reporter_name"] == words and answer["history"][0]["by"] == words
    # Once they give a name (claiming the account on the web), that is the name.
    report.reporter.full_name = "Siti Aminah"
    report.reporter.save()
    assert "Siti Aminah" in client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
