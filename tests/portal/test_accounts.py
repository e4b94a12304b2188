"""Signing up as a reporter (SPEC §6): identity checked, e-mail confirmed, social sign-in
configured; the profile and the personal data held."""
import datetime
import importlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import clear_url_caches

from lapor.accounts.models import ReporterProfile, User

# A woman born 1 July 1990, registered in Banjarbaru Selatan (63.72.02): day 01 + 40 = 41.
NIK = "6372024107900002"
SIGNUP = {
    "full_name": "Rina Marlina", "username": "rina", "email": "rina@example.id", "nik": NIK, "sex": "F",
    "birth_date": "1990-07-01", "occupation": "Guru", "phone": "0812-3456-7890",
    "password1": "kata-sandi-panjang-42", "password2": "kata-sandi-panjang-42",
}


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def confirm_email(client):
    """Follow the link in the last e-mail, as the citizen would."""
    path = re.search(r"https?://testserver(/akun/confirm-email/[^\s]+)", mail.outbox[-1].body).group(1)
    return client.post(path)


def test_a_citizen_signs_up_confirms_the_email_and_the_profile_is_stored_encrypted(client, kalsel):
    response = client.post("/akun/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(username="rina")
    profile = ReporterProfile.objects.get(user=user)
    assert (user.full_name, profile.nik, profile.sex) == ("Rina Marlina", NIK, "F")
    # The phone waits for its SMS code (tests/portal/test_signup_phone.py).
    assert (profile.phone, profile.pending_phone) == ("", "+6281234567890")
    assert profile.birth_date == datetime.date(1990, 7, 1) and profile.email == "rina@example.id"
    # Mandatory verification: no sign-in before the link in the e-mail is followed.
    assert client.post("/akun/login/", {"login": "rina", "password": SIGNUP["password1"]}).status_code == 302
    assert "_auth_user_id" not in client.session
    # From Lapor, at its address; not from the host the request came to ("testserver").
    assert mail.outbox[-1].subject.startswith("[Lapor] ") and "Lapor" in mail.outbox[-1].body.split("\n", 1)[0]
    assert "testserver" not in mail.outbox[-1].subject
    confirm_email(client)
    assert EmailAddress.objects.get(user=user).verified
    client.post("/akun/login/", {"login": "rina", "password": SIGNUP["password1"]})
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"birth_date": "1991-07-01"}, "nik", "tidak sesuai dengan tanggal lahir"),
        ({"sex": "M"}, "nik", "tidak sesuai dengan jenis kelamin"),
        ({"nik": "6372014107900002"}, "nik", "bukan kode kecamatan"),  # 63.72.01 does not exist
        ({"nik": "63720241079"}, "nik", "16 digit"),
        ({"phone": "+60 12 345 6789"}, "phone", "Hanya nomor Indonesia"),
        # Made-up accounts' prefixes (an anonymous report's stand-in, an SMS sender).
        ({"username": "anonim-rina"}, "username", "tidak boleh diawali “anonim-”"),
        ({"username": "SMS-rina"}, "username", "tidak boleh diawali “sms-”"),
        ({"username": "ｓｍｓ-rina"}, "username", "tidak boleh diawali “sms-”"),  # full-width letters
    ],
)
def test_a_sign_up_with_an_inconsistent_identity_is_refused_keeping_the_input(client, kalsel, changes, field, message):
    response = client.post("/akun/signup/", {**SIGNUP, **changes})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Rina Marlina"' in page and 'value="rina@example.id"' in page
    assert not User.objects.filter(username="rina").exists()


def test_a_nik_already_registered_is_not_told_on_the_page_but_by_email(client, kalsel):
    """Anyone may type someone's NIK into the form: the page must not say whether it has an
    account (docs/decisions/0009-nik-held-at-sign-up.md). The person at the address learns
    it, and the NIK's holder is told."""
    from django.test import Client

    first = client.post("/akun/signup/", SIGNUP, follow=True)
    mail.outbox.clear()
    second = Client().post("/akun/signup/", {**SIGNUP, "username": "rina2", "email": "rina2@example.id",
                                             "phone": ""}, follow=True)
    # The same answer as a sign-up that made an account: "we sent you an e-mail".
    assert second.redirect_chain == first.redirect_chain == [("/akun/confirm-email/", 302)]

    def seen(response, email):
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return text.replace(email, "ALAMAT")

    assert seen(second, "rina2@example.id") == seen(first, "rina@example.id")
    assert not User.objects.filter(username="rina2").exists()
    assert ReporterProfile.objects.filter(nik_hash=ReporterProfile.objects.get().nik_hash).count() == 1
    told, = [m for m in mail.outbox if m.to == ["rina2@example.id"]]
    assert "sudah terdaftar pada akun lain" in told.body and "637202••••••0002" in told.body
    assert "/akun/password/reset/" in told.body and NIK not in told.body
    warned, = [m for m in mail.outbox if m.to == ["rina@example.id"]]
    assert "mencoba mendaftar" in warned.body and "tidak berubah" in warned.body
    assert "rina2" not in warned.body  # nothing of whoever tried
    # Again within the hour: the address is answered again, the holder not told twice.
    Client().post("/akun/signup/", {**SIGNUP, "username": "rina3", "email": "rina3@example.id", "phone": ""})
    assert [m.to for m in mail.outbox].count(["rina@example.id"]) == 1
    assert [m.to for m in mail.outbox].count(["rina3@example.id"]) == 1


def test_sign_up_attempts_are_limited_per_client_address_behind_the_proxy(client, kalsel, settings):
    settings.LAPOR_PROXY_COUNT = 1  # nginx in front: the client is in X-Forwarded-For
    guesses = [{**SIGNUP, "username": f"tebak{n}", "email": f"tebak{n}@example.id", "phone": "",
                "nik": "6372024107900009"} for n in range(11)]
    answers = [client.post("/akun/signup/", guess, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
               for guess in guesses]
    assert answers[:10] == [302] * 10 and answers[10] == 429
    # Another citizen behind the same nginx is not held up by that address.
    assert client.post("/akun/signup/", SIGNUP, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 302
    assert User.objects.filter(username="rina").exists()


def test_changing_the_email_updates_the_encrypted_copy_once_confirmed(client, kalsel):
    client.post("/akun/signup/", SIGNUP)
    confirm_email(client)
    client.post("/akun/login/", {"login": "rina", "password": SIGNUP["password1"]})
    client.post("/akun/reauthenticate/", {"password": SIGNUP["password1"]})  # asked before a change of address
    client.post("/akun/email/", {"action_add": "", "email": "rina.baru@example.id"})
    confirm_email(client)
    user = User.objects.get(username="rina")
    assert user.email == "rina.baru@example.id"
    assert ReporterProfile.objects.get(user=user).email == "rina.baru@example.id"


def test_the_profile_shows_and_downloads_the_personal_data_held(client, world):
    client.force_login(world.citizen)
    page = client.get("/profil/").content.decode()
    assert "6372024107900001" in page and world.citizen.full_name in page
    response = client.get("/profil/data-pribadi.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.json()
    assert data["account"]["username"] == "warga" and data["profile"]["birth_date"] == "1990-07-01"


def test_the_profile_sends_a_code_to_the_new_phone_number_normalised(client, world, settings, tmp_path):
    settings.KANNEL_SENDSMS_URL, settings.SMS_OUTBOX_PATH = "", tmp_path / "outbox.log"
    client.force_login(world.citizen)
    old = world.citizen.profile.phone
    client.post("/profil/", {"full_name": "Siti R.", "occupation": "Pedagang", "phone": "0813 1111 2222",
                             "current_password": "rahasia-uji-123"})
    profile = ReporterProfile.objects.get(user=world.citizen)
    assert profile.phone == old and profile.occupation == "Pedagang"  # tests/portal/test_profile_phone.py
    assert "+6281311112222" in settings.SMS_OUTBOX_PATH.read_text()
    response = client.post("/profil/", {"full_name": "Siti R.", "occupation": "", "phone": "12"})
    assert response.status_code == 400 and "Nomor telepon tidak valid" in response.content.decode()


@pytest.fixture
def social_providers(monkeypatch, settings):
    """Settings as they are read with the three providers' ids in the environment."""
    for prefix in ("GOOGLE", "FACEBOOK", "X"):
        monkeypatch.setenv(f"{prefix}_CLIENT_ID", f"{prefix.lower()}-id")
        monkeypatch.setenv(f"{prefix}_SECRET", f"{prefix.lower()}-secret")
    import lapor.settings

    fresh = importlib.reload(lapor.settings)
    settings.SOCIALACCOUNT_PROVIDERS = fresh.SOCIALACCOUNT_PROVIDERS
    yield fresh.SOCIALACCOUNT_PROVIDERS
    monkeypatch.undo()
    importlib.reload(lapor.settings)
    clear_url_caches()


def test_google_facebook_and_x_are_configured_from_the_environment(social_providers):
    assert set(social_providers) == {"google", "facebook", "twitter_oauth2"}
    assert social_providers["google"]["APPS"][0] == {"client_id": "google-id", "secret": "google-secret"}


@pytest.mark.parametrize("provider, authorize", [
    ("google", "https://accounts.google.com/o/oauth2/v2/auth"),
    ("facebook", "https://www.facebook.com/"),
    ("twitter_oauth2", "https://x.com/i/oauth2/authorize"),
])
def test_social_sign_in_redirects_to_the_providers_authorize_page(client, db, social_providers, provider, authorize):
    page = client.get("/akun/login/").content.decode()
    assert f"/akun/{provider}/login/" in page
    response = client.post(f"/akun/{provider}/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(authorize)
    assert f"client_id={provider.split('_')[0] if provider != 'twitter_oauth2' else 'x'}-id" in response["Location"]


def test_the_account_pages_use_lapors_words_not_the_libraries_own(client, kalsel):
    # "Kata sandi" everywhere (Django says "Sandi"), "Anda", and a sign-in field that says what to type.
    login = " ".join(client.get("/akun/login/").content.decode().split())
    assert "Nama pengguna atau e-mail" in login
    assert login.count("/akun/password/reset/") == 1  # one "Lupa kata sandi?", beside the button
    refused = client.post("/akun/signup/", {**SIGNUP, "password1": "83920174615", "password2": "83920174615"})
    page = refused.content.decode()
    assert "Kata sandi tidak boleh hanya berisi angka." in page and "Sandi anda" not in page


def test_a_nik_taken_by_another_sign_up_between_check_and_save_gets_the_held_answer_and_leaves_no_account(kalsel):
    """Two sign-ups with one free NIK at the same moment: both forms find it free, the
    other one saves first. This one must not end in an error page with a user left
    without a profile, but as any held NIK does (docs/decisions/0009)."""
    from allauth.core.context import request_context
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    from lapor.accounts.signup import SignupForm

    request = RequestFactory().post("/akun/signup/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    with request_context(request):
        form = SignupForm({**SIGNUP, "phone": ""})
        assert form.is_valid() and not form.nik_held  # checked: free
        # The other sign-up saves now.
        other = User.objects.create(username="rina.lain", email="rina.lain@example.id")
        ReporterProfile.objects.create(user=other, nik=NIK, sex="F", birth_date=datetime.date(1990, 7, 1),
                                       email=other.email)
        mail.outbox.clear()

        user, response = form.try_save(request)

    assert user is None and response.status_code == 302 and response["Location"] == "/akun/confirm-email/"
    assert not User.objects.filter(username="rina").exists()
    assert not User.objects.filter(profile__isnull=True).exists()  # no account left half made
    told, = [m for m in mail.outbox if m.to == ["rina@example.id"]]
    assert "sudah terdaftar pada akun lain" in told.body
    assert [m.to for m in mail.outbox].count(["rina.lain@example.id"]) == 1  # the holder is told
