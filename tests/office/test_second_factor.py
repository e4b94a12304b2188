"""Staff sign in with a second factor (SPEC §6; issue #4): every user with a role in an
agency must have TOTP set up and must have entered a code in this session before the back
office opens."""
import time

import pytest

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from .staff import give_totp, sign_in

PASSWORD = "rahasia-uji-123"  # tests/factories.py UserFactory


def current_code(secret: str) -> str:
    # RFC 6238: HOTP of the number of 30-second periods since the epoch.
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def verified_email(user):
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def test_an_officer_without_totp_is_sent_to_set_it_up_before_the_inbox(world):
    client = sign_in(Client(), world.officer, second_factor=False)
    response = client.get("/kantor/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/totp/activate/"


def test_an_officer_with_totp_who_has_not_entered_a_code_this_session_is_asked_for_one(world):
    give_totp(world.officer)
    client = sign_in(Client(), world.officer, second_factor=False)
    response = client.get("/kantor/laporan/123/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/2fa/reauthenticate/?next=")


def test_an_officer_signs_in_with_password_and_a_real_totp_code_and_reaches_the_inbox(world):
    secret = give_totp(world.officer)
    verified_email(world.officer)
    client = Client()
    response = client.post("/akun/login/", {"login": world.officer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/authenticate/"  # allauth asks for the code
    assert client.get("/kantor/").status_code == 302  # not signed in yet
    wrong = client.post("/akun/2fa/authenticate/", {"code": "000000" if current_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200  # the form again, with an error
    signed_in = client.post("/akun/2fa/authenticate/", {"code": current_code(secret)})
    assert signed_in["Location"] == "/kantor/"  # staff land on their inbox, not the portal's front page
    response = client.get("/kantor/")
    assert response.status_code == 200
    assert "Kotak masuk" in response.content.decode()


def test_an_officer_who_skipped_the_code_can_pass_it_later_through_reauthentication(world):
    secret = give_totp(world.officer)
    client = sign_in(Client(), world.officer, second_factor=False)
    response = client.post("/akun/2fa/reauthenticate/?next=/kantor/", {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/kantor/"
    assert client.get("/kantor/").status_code == 200


def test_a_citizen_is_turned_away_from_the_back_office_without_any_second_factor_prompt(world):
    client = sign_in(Client(), world.citizen)
    response = client.get("/kantor/")
    assert response.status_code == 403


def test_nobody_signed_in_is_sent_to_the_sign_in_page(world):
    response = Client().get("/kantor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/?next=/kantor/")


def test_the_public_site_does_not_ask_staff_for_the_second_factor(world):
    client = sign_in(Client(), world.officer, second_factor=False)
    assert client.get("/").status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth announces the new authenticator on commit, in the request
def test_an_officer_who_has_just_set_up_totp_reaches_the_inbox_without_a_second_code(world):
    # Signed in with the password only, sent to set TOTP up: the code that activates it is
    # the second factor of this session. Another session of the same person is still asked.
    verified_email(world.officer)
    client = Client()
    client.post("/akun/login/", {"login": world.officer.username, "password": PASSWORD})
    assert client.get("/kantor/")["Location"] == "/akun/2fa/totp/activate/"
    page = client.get("/akun/2fa/totp/activate/")
    secret = page.context["form"].secret
    activated = client.post("/akun/2fa/totp/activate/", {"code": current_code(secret)})
    assert activated.status_code == 302
    inbox = client.get("/kantor/")
    assert inbox.status_code == 200 and "Kotak masuk" in inbox.content.decode()
    other = sign_in(Client(), world.officer, second_factor=False)
    assert other.get("/kantor/")["Location"].startswith("/akun/2fa/reauthenticate/?next=")
