"""Taking over the account SMS or an RT/RW made (SPEC §6): a code by SMS to the number,
then the rest of the sign-up; the reports stay in the account. With no gateway configured
the SMS goes to the outbox file (the embedded default); tests/sms/test_kannel.py sends the
code through a real Kannel."""
import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from lapor.accounts.models import PhoneClaim, ReporterProfile, User
from lapor.accounts.proxies import resident_for_proxy
from lapor.reports.models import Report

PHONE = "+6281255550001"
# A woman born 1 July 1990 in Banjarbaru Selatan (63.72.02): day 01 + 40 = 41.
NIK = "6372024107900002"
COMPLETE = {
    "full_name": "Rina Marlina", "username": "rina", "email": "rina@example.id", "nik": NIK, "sex": "F",
    "birth_date": "1990-07-01", "occupation": "Pedagang",
    "password1": "kata-sandi-panjang-42", "password2": "kata-sandi-panjang-42",
}


@pytest.fixture(autouse=True)
def outbox(sms_sent):
    return lambda to=PHONE: sms_sent(to)


def code_in(text):
    return re.search(r"\b(\d{6})\b", text).group(1)


def text_a_report(client, phone=PHONE):
    reply = client.get("/sms/kannel/", {"sender": phone, "text": "BANJARBARU Jalan berlubang di depan pasar",
                                        "secret": "rahasia-kannel"}).content.decode()
    assert "Laporan diterima" in reply
    return Report.objects.get()


def claim_until_complete(client, outbox, phone=PHONE):
    assert client.post("/akun/klaim/", {"phone": phone}).status_code == 302
    return client.post("/akun/klaim/kode/", {"code": code_in(outbox(phone)[-1])})


def test_an_sms_reporter_takes_over_the_account_and_finds_the_report_on_the_web(
        client, world, kalsel, outbox, django_capture_on_commit_callbacks):
    report = text_a_report(client)
    # The way in is linked from the sign-in and sign-up pages (a sign-up with the number
    # does not point here: anyone may type it, tests/portal/test_signup_phone.py).
    assert "Ambil alih akun Anda" in client.get("/akun/login/").content.decode()
    assert "Ambil alih akun Anda" in client.get("/akun/signup/").content.decode()

    response = client.post("/akun/klaim/", {"phone": "0812 5555 0001"})
    assert response.status_code == 302 and response["Location"] == "/akun/klaim/kode/"
    assert "+6281255550001" in client.get("/akun/klaim/kode/").content.decode()
    code = code_in(outbox()[-1])
    response = client.post("/akun/klaim/kode/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/akun/klaim/lengkapi/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/akun/klaim/lengkapi/", COMPLETE)
    assert response.status_code == 302

    user = User.objects.get(username="rina")
    assert user == report.reporter  # the same account: the report stays with it
    profile = ReporterProfile.objects.get(user=user)
    assert not profile.is_phone_only and profile.phone == PHONE and profile.nik == NIK
    assert "rina" in outbox()[-1]  # the number is told its account now signs in on the web
    # As after sign-up: the address is confirmed first, then the password signs in.
    link = re.search(r"https?://testserver(/akun/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    client.post("/akun/login/", {"login": "rina", "password": COMPLETE["password1"]})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert report.tracking_id in client.get("/laporan-saya/").content.decode()
    # The code opened the account once: it cannot open it again.
    client.post("/akun/logout/")
    assert client.post("/akun/klaim/kode/", {"code": code}).status_code == 302  # no number in this session
    client.post("/akun/klaim/", {"phone": PHONE})
    assert len(outbox()) == 2  # the code, the "now on the web" note; no code for a completed account
    assert "Kode salah" in client.post("/akun/klaim/kode/", {"code": code}).content.decode()


def test_the_code_table_holds_no_number_and_no_code(client, world, kalsel, outbox):
    text_a_report(client)
    client.post("/akun/klaim/", {"phone": PHONE})
    code = code_in(outbox()[-1])
    row = PhoneClaim.objects.values().get()
    stored = " ".join(str(value) for value in row.values())
    assert "81255550001" not in stored and code not in stored


def test_a_wrong_code_keeps_the_page_and_five_wrong_codes_spend_it(client, world, kalsel, outbox):
    text_a_report(client)
    client.post("/akun/klaim/", {"phone": PHONE})
    code = code_in(outbox()[-1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = client.post("/akun/klaim/kode/", {"code": wrong})
        assert response.status_code == 400 and "Kode salah" in response.content.decode()
    page = client.post("/akun/klaim/kode/", {"code": code}).content.decode()
    assert "Terlalu banyak kode yang salah" in page
    assert User.objects.get(profile__phone_hash__isnull=False, profile__is_phone_only=True)
    assert client.get("/akun/klaim/lengkapi/").status_code == 302  # not unlocked


def test_an_expired_code_asks_for_a_new_one(client, world, kalsel, outbox):
    text_a_report(client)
    client.post("/akun/klaim/", {"phone": PHONE})
    PhoneClaim.objects.update(expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    page = client.post("/akun/klaim/kode/", {"code": code_in(outbox()[-1])}).content.decode()
    assert "tidak berlaku lagi" in page


def test_codes_are_limited_per_number_whether_or_not_it_has_an_account(client, world, kalsel, outbox):
    text_a_report(client)
    for _ in range(3):
        assert client.post("/akun/klaim/", {"phone": PHONE}).status_code == 302
    response = client.post("/akun/klaim/", {"phone": PHONE})
    assert response.status_code == 400 and "Coba lagi setelah pukul" in response.content.decode()
    assert len(outbox()) == 3  # three codes (the receipt was Kannel's answer to the report)
    # A number with no such account: the same pages, the same limit, no SMS.
    stranger = "+6281399990000"
    for _ in range(3):
        assert client.post("/akun/klaim/", {"phone": stranger}).status_code == 302
    assert "Coba lagi setelah pukul" in client.post("/akun/klaim/", {"phone": stranger}).content.decode()
    assert outbox(stranger) == []


def test_the_claim_answers_a_number_with_an_account_as_one_without(client, world, kalsel, outbox):
    """The pages, their status and where they lead are the same whether or not the number
    has an account SMS or an RT/RW made: only its holder learns it, from the SMS."""
    from django.test import Client

    text_a_report(client)
    stranger = "+6281399990000"

    def seen(response, phone):
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return response.status_code, page.replace(phone, "NOMOR")

    held, free = Client(), Client()
    held_typed = held.post("/akun/klaim/", {"phone": PHONE}, follow=True)
    free_typed = free.post("/akun/klaim/", {"phone": stranger}, follow=True)
    wrong = {"code": "111111" if code_in(outbox()[-1]) == "000000" else "000000"}
    held_wrong, free_wrong = seen(held.post("/akun/klaim/kode/", wrong), PHONE), seen(
        free.post("/akun/klaim/kode/", wrong), stranger)
    held_next, free_next = held.get("/akun/klaim/lengkapi/"), free.get("/akun/klaim/lengkapi/")
    held_chain, held_page = held_typed.redirect_chain, seen(held_typed, PHONE)
    free_chain, free_page = free_typed.redirect_chain, seen(free_typed, stranger)
    assert held_chain == free_chain == [("/akun/klaim/kode/", 302)]
    assert held_page == free_page and held_wrong == free_wrong
    assert held_wrong[0] == 400 and "Kode salah" in held_wrong[1]
    assert held_next["Location"] == free_next["Location"] == "/akun/klaim/"
    assert len(outbox()) == 1 and outbox(stranger) == []  # only the holder hears of it


def test_who_proved_their_number_after_signing_up_can_take_over_its_account_as_told(
        client, world, kalsel, outbox, django_capture_on_commit_callbacks):
    """Signing up with the number of one's own SMS account, then typing its code: the page
    says to erase the new, empty account and take over that one (claims._check_free_for).
    That way works: NIK, address and user name are free again, the reports stay."""
    from django.test import Client

    report = text_a_report(client)
    assert client.post("/akun/signup/", {**COMPLETE, "phone": "0812-5555-0001"}).status_code == 302
    link = re.search(r"https?://testserver(/akun/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    client.post(link)
    client.post("/akun/login/", {"login": "rina", "password": COMPLETE["password1"]})
    page = client.post("/profil/telepon/", {"code": code_in(outbox()[-1])}).content.decode()
    assert "hapus akun ini" in page and "ambil alih akun nomor itu di /akun/klaim/" in page
    assert client.post("/profil/hapus-akun/", {"password": COMPLETE["password1"]}).status_code == 302

    browser = Client()
    claim_until_complete(browser, outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/akun/klaim/lengkapi/", COMPLETE)
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="rina")
    assert user == report.reporter and user.profile.nik == NIK and user.profile.phone == PHONE


def test_a_bad_number_is_explained_and_kept(client, db):
    response = client.post("/akun/klaim/", {"phone": "+60 12 345 6789"})
    page = response.content.decode()
    assert response.status_code == 400 and "Hanya nomor Indonesia" in page and "+60 12 345 6789" in page


def test_a_completed_account_is_never_opened_by_sms(client, world, kalsel, outbox):
    phone = world.citizen.profile.phone
    client.post("/akun/klaim/", {"phone": phone})
    assert outbox(phone) == []
    for code in ("000000", "123456"):
        assert "Kode salah" in client.post("/akun/klaim/kode/", {"code": code}).content.decode()
    assert client.get("/akun/klaim/lengkapi/").status_code == 302


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client, world, kalsel, outbox):
    text_a_report(client)
    claim_until_complete(client, outbox)
    taken = {**COMPLETE, "username": "warga", "email": world.citizen.email, "password2": "lain-sekali-99",
             "birth_date": "1991-07-01"}
    response = client.post("/akun/klaim/lengkapi/", taken)
    page = response.content.decode()
    assert response.status_code == 400
    assert "sudah dipakai" in page  # user name and e-mail
    assert "Kedua kata sandi tidak sama" in page and "tidak sesuai dengan tanggal lahir" in page
    assert 'value="Rina Marlina"' in page and 'value="Pedagang"' in page
    assert ReporterProfile.objects.get(phone_hash__isnull=False, user__username__startswith="sms-").is_phone_only


def test_a_resident_an_rt_filed_for_claims_with_the_nik_the_rt_wrote_down(client, world, kalsel, outbox):
    resident = resident_for_proxy(full_name="Rina", phone=PHONE, nik=NIK)
    # Signing up with that NIK makes no account; the e-mail (not the page: anyone can type a
    # NIK) points to the claim.
    response = client.post("/akun/signup/", {**COMPLETE, "phone": ""})
    assert response.status_code == 302 and not User.objects.filter(username="rina").exists()
    told = [m for m in mail.outbox if m.to == [COMPLETE["email"]]][-1]
    assert "RT/RW Anda pernah melapor atas nama Anda" in told.body and "/akun/klaim/" in told.body
    claim_until_complete(client, outbox)
    other = "6372025507900003"  # consistent and free, but not the one recorded
    page = client.post("/akun/klaim/lengkapi/", {**COMPLETE, "nik": other, "birth_date": "1990-07-15"}).content.decode()
    assert "tidak sama dengan yang dicatat RT/RW" in page
    assert client.post("/akun/klaim/lengkapi/", COMPLETE).status_code == 302
    resident.refresh_from_db()
    assert resident.username == "rina" and resident.has_usable_password()


def test_someone_signed_in_is_sent_to_their_profile(client, world):
    client.force_login(world.citizen)
    assert client.get("/akun/klaim/")["Location"] == "/profil/"


def test_a_user_name_taken_at_the_last_moment_is_a_form_error_not_a_crash(world, kalsel):
    """Two people finishing at once: the form checked the name free, then another sign-up
    took it; the claim says so and keeps the account as it was."""
    from django.core.exceptions import ValidationError

    from lapor.accounts import claims
    from lapor.sms.reporters import phone_reporter

    reporter = phone_reporter(PHONE)
    User.objects.create_user(username="rina")
    with pytest.raises(ValidationError) as error:
        claims.claim_complete(user=reporter, username="rina", email="rina@example.id", password="kata-sandi-42x",
                              full_name="Rina", nik=NIK, sex="F", birth_date=datetime.date(1990, 7, 1))
    assert "username" in error.value.message_dict
    reporter.refresh_from_db()
    assert not reporter.has_usable_password() and reporter.username.startswith("sms-")
