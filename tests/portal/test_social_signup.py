"""Signing up with Google asks for the same identity as a password sign-up (SPEC §6), and
an account without a NIK completes it on the profile page.

Google itself cannot be reached here: a small HTTP server on loopback answers as Google's
token and user-info endpoints do, so allauth's real callback runs end to end."""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter

from lapor.accounts.models import ReporterProfile, User

NIK = "6372024107900002"  # a woman born 1 July 1990 in Banjarbaru Selatan
IDENTITY = {"nik": NIK, "sex": "F", "birth_date": "1990-07-01"}


class FakeGoogle(BaseHTTPRequestHandler):
    def _answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # the token endpoint
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer({"access_token": "ya29.uji", "token_type": "Bearer", "expires_in": 3600})

    def do_GET(self):  # the user-info endpoint
        self._answer({"id": "108000000000000000001", "email": "rina.marlina@gmail.com", "verified_email": True,
                      "name": "Rina Marlina", "given_name": "Rina", "family_name": "Marlina"})

    def log_message(self, *args):
        pass


@pytest.fixture
def google(settings, monkeypatch):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {"APPS": [{"client_id": "google-id", "secret": "google-secret"}]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    server = HTTPServer(("127.0.0.1", 0), FakeGoogle)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setattr(GoogleOAuth2Adapter, "access_token_url", f"{base}/token")
    monkeypatch.setattr(GoogleOAuth2Adapter, "identity_url", f"{base}/userinfo")
    yield
    server.shutdown()


def sign_in_with_google(client):
    authorize = client.post("/akun/google/login/")["Location"]
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize).query)["state"][0]
    return client.get("/akun/google/login/callback/", {"code": "kode-uji", "state": state})


def test_a_first_google_sign_in_asks_for_the_nik_before_the_account_exists(client, kalsel, google):
    response = sign_in_with_google(client)
    assert response.status_code == 302 and response["Location"] == "/akun/3rdparty/signup/"
    assert not User.objects.filter(email="rina.marlina@gmail.com").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Google" in page and 'name="nik"' in page and "rina.marlina@gmail.com" in page

    form = {"username": "rina", "email": "rina.marlina@gmail.com", "full_name": "Rina Marlina"}
    response = client.post("/akun/3rdparty/signup/", {**form, **IDENTITY, "birth_date": "1991-07-01"})
    page = response.content.decode()
    assert "tidak sesuai dengan tanggal lahir" in page and 'value="Rina Marlina"' in page
    assert not User.objects.filter(username="rina").exists()

    response = client.post("/akun/3rdparty/signup/", {**form, **IDENTITY})
    assert response.status_code == 302
    user = User.objects.get(username="rina")
    assert SocialAccount.objects.get(user=user).provider == "google"
    profile = ReporterProfile.objects.get(user=user)
    assert (profile.nik, profile.sex, str(profile.birth_date)) == (NIK, "F", "1990-07-01")
    assert client.session["_auth_user_id"] == str(user.pk)  # Google vouched for the address


def test_a_nik_held_by_another_account_makes_no_account_at_google_sign_up_and_is_told_by_email(
        client, world, kalsel, google):
    from django.core import mail

    response = sign_in_with_google(client)
    response = client.post(response["Location"], {
        "username": "rina", "email": "rina.marlina@gmail.com", "full_name": "Rina Marlina",
        "nik": world.citizen.profile.nik, "sex": "F", "birth_date": "1990-07-01",
    })
    assert response.status_code == 302 and "sudah terdaftar" not in response.content.decode()
    assert not User.objects.filter(username="rina").exists()
    assert "_auth_user_id" not in client.session
    told, = [m for m in mail.outbox if m.to == ["rina.marlina@gmail.com"]]
    assert "sudah terdaftar pada akun lain" in told.body


def test_an_account_without_a_nik_completes_it_on_the_profile(client, world, kalsel):
    user = User.objects.create_user(username="lama", full_name="Akun Lama", email="lama@example.id")
    client.force_login(user)
    page = client.get("/profil/").content.decode()
    assert "Lengkapi identitas" in page and 'name="nik"' in page

    response = client.post("/profil/", {"part": "identity", "nik": NIK, "sex": "M", "birth_date": "1990-07-01"})
    page = response.content.decode()
    assert response.status_code == 400 and "tidak sesuai dengan jenis kelamin" in page and NIK in page
    assert client.post("/profil/", {"part": "identity", **IDENTITY}).status_code == 302
    profile = ReporterProfile.objects.get(user=user)
    assert (profile.nik, profile.sex) == (NIK, "F")
    # Once set, the NIK is fixed: the form is gone and a forged post changes nothing.
    assert "Lengkapi identitas" not in client.get("/profil/").content.decode()
    client.post("/profil/", {"part": "identity", "nik": "6372025507900003", "sex": "F", "birth_date": "1990-07-15"})
    profile.refresh_from_db()
    assert profile.nik == NIK


def test_an_account_may_not_try_nik_after_nik_on_the_profile_and_each_holder_is_told(client, world, kalsel,
                                                                                     settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    holder = world.citizen
    user = User.objects.create_user(username="lama", full_name="Akun Lama", email="lama@example.id")
    client.force_login(user)
    held = {"part": "identity", "nik": holder.profile.nik, "sex": holder.profile.sex,
            "birth_date": str(holder.profile.birth_date)}
    page = client.post("/profil/", held).content.decode()
    assert "sudah terdaftar pada akun lain" in page
    warned, = [m for m in mail.outbox if m.to == [holder.email]]
    assert "mencoba mencatat NIK akun Anda" in warned.body and "lama" not in warned.body
    client.post("/profil/", held)
    client.post("/profil/", held)
    # After three taken NIKs the account waits a day, even for its own free NIK.
    page = client.post("/profil/", {"part": "identity", **IDENTITY}).content.decode()
    assert "Coba lagi besok" in page
    assert not ReporterProfile.objects.filter(user=user, nik_hash__isnull=False).exists()
    assert [m.to for m in mail.outbox].count([holder.email]) == 1  # told once an hour


def test_google_never_signs_into_an_existing_account_by_its_address_alone(client, world, kalsel, google):
    """Someone holding rina.marlina@gmail.com at Google is not let into the Lapor account
    registered under that address, and nothing is linked to it. As at any sign-up with a
    taken address (allauth's guard against telling who has an account), the page asks to
    check the mailbox, and the address's owner is told an account exists."""
    from allauth.account.models import EmailAddress
    from django.core import mail

    owner = User.objects.create_user(username="rina.lama", email="rina.marlina@gmail.com", password="sandi-lama-123x")
    EmailAddress.objects.create(user=owner, email="rina.marlina@gmail.com", verified=True, primary=True)
    sign_in_with_google(client)
    assert "_auth_user_id" not in client.session
    posted = client.post("/akun/3rdparty/signup/", {"username": "rina", "email": "rina.marlina@gmail.com",
                                                    "full_name": "Rina Marlina", **IDENTITY})
    assert posted.status_code == 302 and "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists() and not User.objects.filter(username="rina").exists()
    assert mail.outbox[-1].to == ["rina.marlina@gmail.com"]
