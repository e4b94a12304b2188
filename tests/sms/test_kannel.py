"""SMS through a real Kannel (SPEC §7): a phone texts 1708, bearerbox and smsbox carry the
message to our endpoint, the report lands in the agency's inbox, and the replies (the
tracking ID, later the agency's answer) come back to the phone through the gateway."""
import os
import urllib.parse

import pytest

from lapor.reports import policy, services
from lapor.reports.enums import Channel
from lapor.reports.models import Report

from .kannel import Kannel, kannel_missing

PHONE = "+6281299990002"


@pytest.fixture
def kannel(live_server, settings, tmp_path):
    missing = kannel_missing()
    if missing:
        if os.environ.get("LAPOR_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"Kannel is required in CI: {missing}")
        pytest.skip(missing)
    settings.KANNEL_INBOUND_SECRET = "rahasia-uji-kannel"
    gateway = Kannel(tmp_path, lapor_url=live_server.url, secret=urllib.parse.quote(settings.KANNEL_INBOUND_SECRET))
    try:
        gateway.start()
        settings.KANNEL_SENDSMS_URL = gateway.sendsms_url
        settings.KANNEL_USERNAME, settings.KANNEL_PASSWORD = "lapor", "rahasia-sendsms"
        yield gateway
    finally:
        gateway.stop()


@pytest.mark.django_db(transaction=True)
def test_an_sms_through_kannel_files_a_report_and_the_reply_carries_its_tracking_id(world, kannel):
    kannel.send(PHONE, "BANJARBARU Jalan rusak di depan SDN 1 Guntung Manggis")
    reply = kannel.wait_for_sms(PHONE, "Laporan diterima")
    report = Report.objects.get()
    assert report.channel == Channel.SMS
    assert report.addressed_agency == world.pemkot
    assert report.tracking_id in reply
    # It reaches the agency's inbox.
    assert policy.scoped_reports(world.agency_admin).filter(pk=report.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_long_sms_in_parts_becomes_one_report(world, kannel):
    kannel.send_parts(PHONE, ["BANJAR Jalan di depan pasar rusak parah ", "dan berlubang sejak bulan lalu."])
    kannel.wait_for_sms(PHONE, "Laporan diterima")
    assert Report.objects.get().body == "Jalan di depan pasar rusak parah dan berlubang sejak bulan lalu."


@pytest.mark.django_db(transaction=True)
def test_an_unknown_keyword_through_kannel_gets_the_help_text(world, kannel):
    kannel.send(PHONE, "HALO selamat pagi")
    assert "Format" in kannel.wait_for_sms(PHONE, "CEK")
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_agencys_answer_reaches_the_phone_and_cek_shows_it(world, kannel):
    from lapor.notifications.services import run_background_pass

    kannel.send(PHONE, "BANJARBARU Lampu jalan mati di Jl. Ahmad Yani km 30")
    kannel.wait_for_sms(PHONE, "Laporan diterima")
    report = Report.objects.get()
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_answer(report=report, by=world.unit_admin, body="Lampu sudah diganti petugas PJU.")
    so_far = 1  # the receipt
    run_background_pass(deliver=True)  # notifications go out as SMS to phone-only reporters
    # The news of the answer reaches the phone through Kannel's sendsms interface.
    kannel.wait_for_sms(PHONE, "tindak lanjut", after=so_far)
    so_far = len(kannel.received())
    kannel.send(PHONE, f"CEK {report.tracking_id}")
    assert "Lampu sudah diganti" in kannel.wait_for_sms(PHONE, "Ditindaklanjuti", after=so_far)


@pytest.mark.django_db(transaction=True)
def test_a_phone_told_what_is_missing_completes_its_report_by_sms(world, kannel):
    from lapor.notifications.services import run_background_pass
    from lapor.reports.enums import Status

    kannel.send(PHONE, "BANJARBARU Lampu jalan mati sejak minggu lalu")
    kannel.wait_for_sms(PHONE, "Laporan diterima")
    report = Report.objects.get()
    services.report_return(report=report, by=world.agency_admin, missing="Sebutkan nama jalan dan RT.")
    so_far = len(kannel.received())
    run_background_pass(deliver=True)
    # A long SMS (Kannel sends it in parts; the phone shows it whole): what is missing, and how to answer.
    told = kannel.wait_for_sms(PHONE, "LENGKAPI", after=so_far)
    assert "Sebutkan nama jalan dan RT." in told and f"LENGKAPI {report.tracking_id}" in told

    so_far = len(kannel.received())
    kannel.send(PHONE, f"LENGKAPI {report.tracking_id} Jl. Karang Anyar RT 03")
    kannel.wait_for_sms(PHONE, "Kelengkapan laporan", after=so_far)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and "Jl. Karang Anyar RT 03" in report.body


@pytest.mark.django_db(transaction=True)
def test_the_sms_reporter_takes_the_account_over_on_the_web_with_a_code_sent_through_kannel(world, kannel, client):
    """SPEC §6: the phone-only account becomes the citizen's web account, reports and all."""
    import re

    from lapor.accounts.models import User
    from lapor.regions.loading import load_regions

    load_regions(progress=False, provinces={"63"})  # the NIK's district must exist

    kannel.send(PHONE, "BANJARBARU Saluran air tersumbat di Jl. Mistar Cokrokusumo")
    kannel.wait_for_sms(PHONE, "Laporan diterima")
    report = Report.objects.get()
    so_far = len(kannel.received())
    assert client.post("/akun/klaim/", {"phone": "0812-9999-0002"}).status_code == 302
    code = re.search(r"\b(\d{6})\b", kannel.wait_for_sms(PHONE, "Kode Lapor", after=so_far)).group(1)
    assert client.post("/akun/klaim/kode/", {"code": code})["Location"] == "/akun/klaim/lengkapi/"
    so_far = len(kannel.received())
    response = client.post("/akun/klaim/lengkapi/", {
        "full_name": "Rina Marlina", "username": "rina", "email": "rina@example.id", "nik": "6372024107900002",
        "sex": "F", "birth_date": "1990-07-01", "password1": "kata-sandi-panjang-42",
        "password2": "kata-sandi-panjang-42",
    })
    assert response.status_code == 302
    assert User.objects.get(username="rina") == report.reporter
    assert "rina" in kannel.wait_for_sms(PHONE, "nama pengguna", after=so_far)
