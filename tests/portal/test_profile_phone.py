"""Changing the phone number on the profile (SPEC §5, §6): the new number is the
account's only once the citizen types the code sent to it by SMS, the way /akun/klaim/
proves numbers (lapor/accounts/claims.py). Until then SMS from that number are not the
account's, and the account's SMS go to its old number."""
import re

import pytest
from django.test import Client

from lapor.accounts.models import PhoneClaim, ReporterProfile
from lapor.reports.models import Report

from .conftest import submitted

PASSWORD = "rahasia-uji-123"  # tests/factories.py
NEW = "+6281377770001"
STRANGER_REPORT = "BANJARBARU Jalan berlubang di depan pasar"


@pytest.fixture(autouse=True)
def outbox(sms_sent):
    return sms_sent


def text(client, phone, message):
    return client.get("/sms/kannel/", {"sender": phone, "text": message, "secret": "rahasia-kannel"}).content.decode()


def change_phone(client, world, phone, password=PASSWORD):
    return client.post("/profil/", {"full_name": world.citizen.full_name, "occupation": "", "phone": phone,
                                    "current_password": password})


def code_in(message):
    return re.search(r"\b(\d{6})\b", message).group(1)


def phone_of(user):
    return ReporterProfile.objects.get(user=user).phone


def test_a_number_nobody_proved_never_joins_the_account_to_its_owners_sms(citizen_client, world, kalsel, outbox):
    old = phone_of(world.citizen)
    secret = submitted(world, is_confidential=True)
    response = change_phone(citizen_client, world, "0813-7777-0001")
    assert response.status_code == 302 and response["Location"] == "/profil/telepon/"
    page = citizen_client.get("/profil/").content.decode()
    assert "Kode telah kami kirim lewat SMS ke +6281377770001" in page and 'href="/profil/telepon/"' in page
    assert "Profil Anda tersimpan" not in page
    assert phone_of(world.citizen) == old
    assert "untuk memakai nomor ini di akun Lapor" in outbox(NEW)[-1]

    # The number's real owner texts a report: it is theirs, not Siti's.
    assert "Laporan diterima" in text(citizen_client, NEW, STRANGER_REPORT)
    theirs = Report.objects.exclude(pk=secret.pk).get()
    assert theirs.reporter != world.citizen
    assert theirs.tracking_id not in citizen_client.get("/laporan-saya/").content.decode()
    # Nor can they read Siti's confidential report by SMS.
    assert "tidak ditemukan" in text(citizen_client, NEW, f"CEK {secret.tracking_id}")
    # Without the code (only the number's owner has it) Siti's number stays what it was.
    assert "Kode salah" in citizen_client.post("/profil/telepon/", {"code": "000000"}).content.decode()
    assert phone_of(world.citizen) == old


def test_the_code_from_the_sms_makes_the_number_the_accounts(citizen_client, world, kalsel, outbox):
    change_phone(citizen_client, world, "0813 7777 0001")
    page = citizen_client.get("/profil/telepon/").content.decode()
    assert "+6281377770001" in page and "tidak masuk ke akun Anda" in page
    response = citizen_client.post("/profil/telepon/", {"code": code_in(outbox(NEW)[-1])}, follow=True)
    assert "Nomor +6281377770001 kini nomor telepon akun Anda" in response.content.decode()
    assert phone_of(world.citizen) == NEW

    # From now on an SMS from the number is Siti's report.
    assert "Laporan diterima" in text(citizen_client, NEW, STRANGER_REPORT)
    report = Report.objects.get()
    assert report.reporter == world.citizen
    assert report.tracking_id in citizen_client.get("/laporan-saya/").content.decode()
    # The code opened the change once; the waiting number is gone from the profile.
    assert citizen_client.get("/profil/telepon/")["Location"] == "/profil/"
    assert "Nomor baru menunggu kode" not in citizen_client.get("/profil/").content.decode()


def test_an_sms_from_the_new_number_before_its_code_stays_out_and_points_to_the_claim(
        citizen_client, world, kalsel, outbox):
    old = phone_of(world.citizen)
    change_phone(citizen_client, world, NEW)
    code = code_in(outbox(NEW)[-1])
    text(citizen_client, NEW, STRANGER_REPORT)
    assert Report.objects.get().reporter != world.citizen

    response = citizen_client.post("/profil/telepon/", {"code": code})
    page = response.content.decode()
    assert response.status_code == 400 and "ambil alih akun nomor itu di /akun/klaim/" in page
    assert phone_of(world.citizen) == old


def test_a_number_of_an_sms_account_is_answered_as_any_and_named_only_after_its_code(
        citizen_client, world, kalsel, outbox):
    """Any account holder could otherwise try number after number here: the page and the
    SMS are those of a free number (docs/decisions/0010-phone-held-at-sign-up.md)."""
    text(citizen_client, NEW, STRANGER_REPORT)
    free = "+6281377770002"
    answers = [change_phone(citizen_client, world, number) for number in (free, NEW)]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, "/profil/telepon/")] * 2
    sent = [m for m in outbox(NEW) if "Kode" in m]
    assert len(sent) == 1 and re.sub(r"\d{6}", "KODE", sent[0]) == re.sub(r"\d{6}", "KODE", outbox(free)[-1])
    # Only whoever types the code learns it; the number stays the SMS account's.
    page = citizen_client.post("/profil/telepon/", {"code": code_in(sent[0])}).content.decode()
    assert "sudah punya akun Lapor sendiri" in page and "/akun/klaim/" in page
    assert phone_of(Report.objects.get().reporter) == NEW and phone_of(world.citizen) != NEW
    assert citizen_client.get("/profil/telepon/")["Location"] == "/profil/"  # nothing waits any more


def test_changing_the_number_asks_for_the_current_password(citizen_client, world, kalsel, outbox):
    old = phone_of(world.citizen)
    response = change_phone(citizen_client, world, NEW, password="bukan-sandinya")
    assert response.status_code == 400 and "Kata sandi salah" in response.content.decode()
    response = change_phone(citizen_client, world, "", password="")
    assert response.status_code == 400 and "Kata sandi salah" in response.content.decode()
    assert outbox(NEW) == [] and phone_of(world.citizen) == old
    # The name alone changes without it.
    response = citizen_client.post("/profil/", {"full_name": "Siti R.", "occupation": "Guru", "phone": old})
    assert response.status_code == 302 and phone_of(world.citizen) == old
    # Removing the number, with the password, takes effect at once.
    assert change_phone(citizen_client, world, "").status_code == 302
    assert phone_of(world.citizen) == ""


def test_an_account_with_no_password_is_told_to_make_one_first(client, world, kalsel, outbox):
    world.citizen.set_unusable_password()
    world.citizen.save()
    client.force_login(world.citizen)
    page = change_phone(client, world, NEW, password="").content.decode()
    assert "Buat kata sandi dahulu" in page and outbox(NEW) == []


def test_five_wrong_codes_spend_the_code(citizen_client, world, kalsel, outbox):
    change_phone(citizen_client, world, NEW)
    code = code_in(outbox(NEW)[-1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = citizen_client.post("/profil/telepon/", {"code": wrong})
        assert response.status_code == 400 and "Kode salah" in response.content.decode()
    assert "Terlalu banyak kode yang salah" in citizen_client.post("/profil/telepon/", {"code": code}).content.decode()
    assert phone_of(world.citizen) != NEW


def test_codes_for_a_new_number_share_the_claims_hourly_limit(citizen_client, world, kalsel, outbox):
    # Someone asked to claim the number: one of the hour's three codes for it.
    assert Client().post("/akun/klaim/", {"phone": NEW}).status_code == 302
    for _ in range(2):
        assert change_phone(citizen_client, world, NEW).status_code == 302
    response = change_phone(citizen_client, world, NEW)
    assert response.status_code == 400 and "Coba lagi setelah pukul" in response.content.decode()
    assert len(outbox(NEW)) == 2
    # The table holds neither the number nor a code.
    stored = " ".join(str(v) for row in PhoneClaim.objects.values() for v in row.values())
    assert "81377770001" not in stored and code_in(outbox(NEW)[-1]) not in stored


def test_cancelling_keeps_the_old_number(citizen_client, world, kalsel, outbox):
    old = phone_of(world.citizen)
    change_phone(citizen_client, world, NEW)
    response = citizen_client.post("/profil/telepon/", {"part": "cancel"})
    assert response["Location"] == "/profil/"
    assert phone_of(world.citizen) == old
    assert "Nomor baru menunggu kode" not in citizen_client.get("/profil/").content.decode()
