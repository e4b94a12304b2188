"""The phone number typed at sign-up (SPEC §5, §6): it is the new account's only once the
citizen types the code sent to it by SMS, as a new number on the profile is
(tests/portal/test_profile_phone.py). Until then SMS from the number are not the account's,
the number stays free for its owner, and the form never tells whose a number is."""
import re

import pytest
from django.core import mail
from django.test import Client

from lapor.accounts.models import ReporterProfile, User
from lapor.reports.models import Report

from .test_accounts import NIK, SIGNUP, confirm_email

PHONE = "+6281234567890"  # SIGNUP's "0812-3456-7890"
SMS_REPORT = "BANJARBARU Jalan berlubang di depan pasar"


@pytest.fixture(autouse=True)
def outbox(sms_sent):
    return sms_sent


def text(phone, message):
    return Client().get("/sms/kannel/", {"sender": phone, "text": message, "secret": "rahasia-kannel"}).content.decode()


def code_in(message):
    return re.search(r"\b(\d{6})\b", message).group(1)


def signed_in_elsewhere(username="rina"):
    """Sign in on another device (the mail was opened on the phone): a new session."""
    device = Client()
    response = device.post("/akun/login/", {"login": username, "password": SIGNUP["password1"]})
    return device, response


def profile_of(username):
    return ReporterProfile.objects.get(user__username=username)


def test_a_number_given_at_sign_up_is_not_the_accounts_until_its_code_comes_back(client, world, kalsel, outbox):
    response = client.post("/akun/signup/", SIGNUP)
    assert response.status_code == 302
    assert profile_of("rina").phone == "" and profile_of("rina").phone_hash is None
    assert "untuk memakai nomor ini di akun Lapor" in outbox(PHONE)[-1]

    # Before the code: an SMS from the number is its sender's own report, not Rina's.
    assert "Laporan diterima" in text(PHONE, SMS_REPORT)
    report = Report.objects.get()
    assert report.reporter.username != "rina" and report.reporter.profile.is_phone_only


def test_the_code_is_asked_after_the_email_is_confirmed_even_on_another_device(client, world, kalsel, outbox):
    client.post("/akun/signup/", SIGNUP)
    code = code_in(outbox(PHONE)[-1])
    confirm_email(client)
    device, response = signed_in_elsewhere()
    assert response["Location"] == "/profil/telepon/"
    page = device.get("/profil/telepon/").content.decode()
    assert f"Masukkan kode 6 angka yang kami kirim lewat SMS ke {PHONE}" in page
    assert f"Kode telah kami kirim lewat SMS ke {PHONE}" in device.get("/profil/").content.decode()

    response = device.post("/profil/telepon/", {"code": code}, follow=True)
    assert f"Nomor {PHONE} kini nomor telepon akun Anda" in response.content.decode()
    assert profile_of("rina").phone == PHONE
    # After the code: an SMS from the number is Rina's report, on her list.
    assert "Laporan diterima" in text(PHONE, SMS_REPORT)
    report = Report.objects.get()
    assert report.reporter.username == "rina"
    assert report.tracking_id in device.get("/laporan-saya/").content.decode()
    assert signed_in_elsewhere()[1]["Location"] == "/"


def test_signing_up_with_someone_elses_number_neither_tells_nor_takes_it(client, world, kalsel, outbox):
    owner = world.citizen
    theirs = owner.profile.phone
    response = client.post("/akun/signup/", {**SIGNUP, "phone": theirs})
    # The form says nothing about the number: the account is made as with a free one.
    assert response.status_code == 302 and User.objects.filter(username="rina").exists()
    assert profile_of("rina").pending_phone == theirs and profile_of("rina").phone == ""
    # Its owner is sent no code, so nobody can prove it for the new account.
    assert [m for m in outbox(theirs) if "Kode" in m] == []
    confirm_email(client)
    device, response = signed_in_elsewhere()
    assert response["Location"] == "/profil/telepon/"
    assert "Kode salah" in device.post("/profil/telepon/", {"code": "000000"}).content.decode()
    # The owner's SMS reports stay the owner's.
    assert "Laporan diterima" in text(theirs, SMS_REPORT)
    assert Report.objects.get().reporter == owner
    assert profile_of(owner.username).phone == theirs


def test_an_impostors_sign_up_does_not_stop_the_owner_registering_the_number(client, world, kalsel, outbox):
    client.post("/akun/signup/", {**SIGNUP, "username": "penyamar", "email": "penyamar@example.id",
                                  "full_name": "Penyamar", "nik": "6372024107900003"})
    assert profile_of("penyamar").phone == ""

    owner = Client()
    response = owner.post("/akun/signup/", SIGNUP)
    assert response.status_code == 302, response.content.decode()
    code = code_in(outbox(PHONE)[-1])
    confirm_email(owner)
    device, _response = signed_in_elsewhere()
    assert device.post("/profil/telepon/", {"code": code}).status_code == 302
    assert profile_of("rina").phone == PHONE and profile_of("rina").nik == NIK
    assert "Laporan diterima" in text(PHONE, SMS_REPORT)
    assert Report.objects.get().reporter.username == "rina"


def test_a_number_an_sms_reporter_uses_is_pointed_to_the_claim(client, world, kalsel, outbox):
    text(PHONE, SMS_REPORT)
    page = client.post("/akun/signup/", SIGNUP).content.decode()
    assert "/akun/klaim/" in page and "sudah terdaftar pada akun lain" not in page
    assert not User.objects.filter(username="rina").exists()
    assert [m for m in outbox(PHONE) if "Kode" in m] == []


def test_a_code_that_cannot_be_sent_leaves_the_account_without_a_number(client, world, kalsel, outbox, settings):
    settings.LAPOR_CLAIM_CODES_PER_PHONE = 1
    Client().post("/akun/klaim/", {"phone": PHONE})  # the hour's one code for the number
    response = client.post("/akun/signup/", SIGNUP, follow=True)
    assert "Tambahkan nomor itu nanti di halaman Profil" in response.content.decode()
    assert (profile_of("rina").phone, profile_of("rina").pending_phone) == ("", None)
    assert len(mail.outbox) == 1  # the account stands: its confirmation mail went
