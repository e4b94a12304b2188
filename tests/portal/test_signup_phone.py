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


def holder_of(phone):
    from lapor.core.crypto import lookup_hash

    return ReporterProfile.objects.get(phone_hash=lookup_hash(phone))


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
    # The form says nothing about the number: the account is made as with a free one, and
    # the number is sent the code any number is (docs/decisions/0010-phone-held-at-sign-up.md).
    assert response.status_code == 302 and User.objects.filter(username="rina").exists()
    assert profile_of("rina").pending_phone == theirs and profile_of("rina").phone == ""
    sent, = [m for m in outbox(theirs) if "Kode" in m]
    assert "untuk memakai nomor ini di akun Lapor" in sent and "Bila Anda tidak memintanya, abaikan" in sent
    confirm_email(client)
    device, response = signed_in_elsewhere()
    assert response["Location"] == "/profil/telepon/"
    assert "Kode salah" in device.post("/profil/telepon/", {"code": "000000"}).content.decode()
    # Even the right code (say its owner was talked into reading it out) only says the
    # number is another account's: it stays the owner's, and nothing waits any more.
    page = device.post("/profil/telepon/", {"code": code_in(sent)}).content.decode()
    assert "Nomor telepon ini sudah terdaftar pada akun lain" in page
    assert (profile_of("rina").phone, profile_of("rina").pending_phone) == ("", None)
    assert signed_in_elsewhere()[1]["Location"] == "/"
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


FREE = {**SIGNUP, "full_name": "Dewi Lestari", "username": "dewi", "email": "dewi@example.id",
        "nik": "6372024107900003", "phone": "0813-5555-0002"}


def signed_up(data):
    """Sign up from a fresh browser; the pages seen (follow=True), the database queries made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = Client().post("/akun/signup/", data, follow=True)
    return response, len(queries)


def test_a_number_an_sms_reporter_uses_is_answered_as_any_and_named_only_after_its_code(world, kalsel, outbox):
    """Anyone may type anyone's number: the sign-up must not tell whether it has reported
    by SMS (SPEC §5; docs/decisions/0010-phone-held-at-sign-up.md). Only whoever types the
    code sent to it, i.e. holds the phone, learns it, with what to do."""
    text(PHONE, SMS_REPORT)
    sms_report = Report.objects.get()
    signed_up({**FREE, "username": "pemanasan", "email": "pemanasan@example.id", "nik": "6372024107900004",
               "phone": "0813-5555-0003"})  # the first sign-up fills caches; not compared

    free, free_queries = signed_up(FREE)
    held, held_queries = signed_up(SIGNUP)  # PHONE: the SMS reporter's number

    # The same answer: redirect, page, status, and the same work done (queries, one SMS).
    assert held.redirect_chain == free.redirect_chain == [("/akun/confirm-email/", 302)]

    def seen(response, *typed):
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        for value in typed:
            page = page.replace(value, "TYPED")
        return page

    assert held.status_code == free.status_code == 200
    assert seen(held, SIGNUP["email"]) == seen(free, FREE["email"])
    assert held_queries == free_queries
    free_sms, held_sms = outbox("+6281355550002"), [m for m in outbox(PHONE) if "Kode" in m]
    assert len(free_sms) == len(held_sms) == 1
    assert re.sub(r"\d{6}", "KODE", held_sms[0]) == re.sub(r"\d{6}", "KODE", free_sms[0])
    assert profile_of("rina").pending_phone == PHONE and profile_of("rina").phone == ""

    # Without the code the account gets neither the number nor its reports.
    confirm_email(Client())
    device, response = signed_in_elsewhere()
    assert response["Location"] == "/profil/telepon/"
    assert "Kode salah" in device.post("/profil/telepon/", {"code": "000000"}).content.decode()
    assert sms_report.tracking_id not in device.get("/laporan-saya/").content.decode()

    # With it, the page says where those reports are and how to reach them.
    response = device.post("/profil/telepon/", {"code": code_in(held_sms[0])})
    page = response.content.decode()
    assert response.status_code == 400 and "sudah punya akun Lapor sendiri" in page and "/akun/klaim/" in page
    # The number stays on the SMS account alone, and nothing waits on Rina's any more.
    assert (profile_of("rina").phone, profile_of("rina").pending_phone) == ("", None)
    assert ReporterProfile.objects.get(phone_hash__isnull=False, user=sms_report.reporter).phone == PHONE
    assert signed_in_elsewhere()[1]["Location"] == "/"
    assert sms_report.tracking_id not in device.get("/laporan-saya/").content.decode()
    assert "Laporan diterima" in text(PHONE, SMS_REPORT)
    assert set(Report.objects.values_list("reporter", flat=True)) == {sms_report.reporter_id}


def test_a_number_taken_between_the_forms_check_and_the_save_is_answered_as_any(client, kalsel, outbox):
    """Two at once: the form found the number free, then the number's first SMS made its
    account (a real row) before this sign-up saved its own. Not an error page: the sign-up
    ends as any other, nothing half made, the number waiting for its code."""
    from django.db.models.signals import pre_save

    from lapor.sms.reporters import phone_reporter

    def number_texts_first(sender, instance, **kwargs):
        if instance.username == "rina" and instance.pk is None:
            pre_save.disconnect(number_texts_first, sender=User)
            phone_reporter(PHONE)

    pre_save.connect(number_texts_first, sender=User)
    try:
        response = client.post("/akun/signup/", SIGNUP)
    finally:
        pre_save.disconnect(number_texts_first, sender=User)
    assert response.status_code == 302 and response["Location"] == "/akun/confirm-email/"
    assert (profile_of("rina").phone, profile_of("rina").pending_phone) == ("", PHONE)
    assert holder_of(PHONE).is_phone_only
    assert not User.objects.filter(profile__isnull=True).exists()  # no account left half made
    assert "untuk memakai nomor ini di akun Lapor" in outbox(PHONE)[-1]


def test_a_number_taken_between_the_codes_check_and_the_save_is_a_clear_error(client, world, kalsel, outbox):
    """Two at once after the code: the number was free when checked, then its first SMS
    made its account (a real row, committed first) before Rina's profile took it: the
    unique phone hash refuses. The page says so, no 500, and nothing waits any more."""
    from django.db import connection

    from lapor.sms.reporters import phone_reporter

    client.post("/akun/signup/", SIGNUP)
    code = code_in(outbox(PHONE)[-1])
    confirm_email(client)
    device, _response = signed_in_elsewhere()
    fired = []

    def number_texts_first(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        head, _where, where = sql.partition("WHERE")
        if not fired and head.lstrip().startswith("SELECT") and "accounts_reporterprofile" in head.split("FROM")[-1] \
                and "phone_hash" in where:  # the check whether another account holds the number
            fired.append(sql)
            phone_reporter(PHONE)
        return result

    with connection.execute_wrapper(number_texts_first):
        response = device.post("/profil/telepon/", {"code": code})
    assert fired
    assert response.status_code == 400 and "sudah terdaftar pada akun lain" in response.content.decode()
    assert (profile_of("rina").phone, profile_of("rina").pending_phone) == ("", None)
    assert holder_of(PHONE).is_phone_only


def test_a_code_that_cannot_be_sent_leaves_the_account_without_a_number(client, world, kalsel, outbox, settings):
    settings.LAPOR_CLAIM_CODES_PER_PHONE = 1
    Client().post("/akun/klaim/", {"phone": PHONE})  # the hour's one code for the number
    response = client.post("/akun/signup/", SIGNUP, follow=True)
    assert "Tambahkan nomor itu nanti di halaman Profil" in response.content.decode()
    assert (profile_of("rina").phone, profile_of("rina").pending_phone) == ("", None)
    assert len(mail.outbox) == 1  # the account stands: its confirmation mail went
