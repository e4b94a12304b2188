"""An officer's first sign-in: the back office sends them to set up the second factor
(lapor/office/middleware.py), and the password they have just typed is not asked for again
on the way (allauth's re-authentication before TOTP activation). A session signed in longer
ago than ACCOUNT_REAUTHENTICATION_TIMEOUT is still asked."""
import datetime
import time

import time_machine
from allauth.account import app_settings
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from ..office.staff import sign_in

PASSWORD = "rahasia-uji-123"  # tests/factories.py UserFactory


def signed_in_with_password(user) -> Client:
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    client = Client()
    response = client.post("/akun/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return client


def code_for(secret: str) -> str:
    """What the officer's authenticator app shows for the secret on the page."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_an_officer_who_just_signed_in_sets_up_the_second_factor_without_typing_the_password_again(world):
    client = signed_in_with_password(world.officer)
    assert client.get("/kantor/")["Location"] == "/akun/2fa/totp/activate/"

    page = client.get("/akun/2fa/totp/activate/")

    assert page.status_code == 200  # the QR code, not /akun/reauthenticate/
    activated = client.post("/akun/2fa/totp/activate/", {"code": code_for(page.context["form"].secret)})
    assert activated.status_code == 302 and "reauthenticate" not in activated["Location"]
    assert Authenticator.objects.filter(user=world.officer, type=Authenticator.Type.TOTP).exists()


def after_the_timeout():
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=app_settings.REAUTHENTICATION_TIMEOUT + 60)


def test_a_session_signed_in_longer_ago_is_still_asked_for_the_password(world):
    client = signed_in_with_password(world.officer)
    with time_machine.travel(after_the_timeout(), tick=False):
        response = client.get("/akun/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/reauthenticate/?next=%2Fakun%2F2fa%2Ftotp%2Factivate%2F"


def test_a_session_that_never_typed_the_password_is_asked_for_it(world):
    # Signed in some other way than the password form (here directly): nothing proves the
    # person at the keyboard knows the password.
    client = sign_in(Client(), world.officer, second_factor=False)
    response = client.get("/akun/2fa/totp/activate/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/reauthenticate/")


def test_changing_the_address_right_after_signing_in_still_asks_for_the_password(world):
    # Only the second factor's pages take the sign-in as proof: a mailbox change stays asked.
    client = signed_in_with_password(world.citizen)
    response = client.post("/akun/email/", {"action_add": "", "email": "baru@example.id"})
    assert response.status_code == 302 and response["Location"].startswith("/akun/reauthenticate/")
