"""The second factor's code box on a phone: the number keypad and the code the phone
offers from an SMS or its authenticator app, without refusing a recovery code."""
from html.parser import HTMLParser

from allauth.account.models import EmailAddress
from django.test import Client

from ..office.staff import give_totp, sign_in

PASSWORD = "rahasia-uji-123"  # tests/factories.py UserFactory


class CodeBox(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.attrs = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input" and dict(attrs).get("name") == "code":
            self.attrs = dict(attrs)


def verified_email(user):
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def code_box(response) -> dict:
    assert response.status_code == 200
    box = CodeBox(response.content.decode()).attrs
    assert box is not None, "no code box on the page"
    return box


def test_the_sign_in_code_box_asks_for_the_number_keypad_and_lets_a_recovery_code_through(world):
    give_totp(world.officer)
    verified_email(world.officer)
    client = Client()
    client.post("/akun/login/", {"login": world.officer.username, "password": PASSWORD})
    box = code_box(client.get("/akun/2fa/authenticate/"))
    assert box["inputmode"] == "numeric" and box["autocomplete"] == "one-time-code"
    # A recovery code is accepted in the same box, pasted as printed ("1234 5678"): no
    # pattern may refuse it before it reaches the server.
    assert "pattern" not in box


def test_the_reauthentication_code_box_asks_for_the_number_keypad(world):
    give_totp(world.officer)
    client = sign_in(Client(), world.officer, second_factor=False)
    box = code_box(client.get("/akun/2fa/reauthenticate/"))
    assert box["inputmode"] == "numeric" and box["autocomplete"] == "one-time-code" and "pattern" not in box


def test_setting_up_the_authenticator_app_asks_for_its_digits_on_the_number_keypad(world):
    client = Client()
    verified_email(world.officer)
    client.post("/akun/login/", {"login": world.officer.username, "password": PASSWORD})
    client.post("/akun/reauthenticate/", {"password": PASSWORD})  # allauth asks again before a new factor
    box = code_box(client.get("/akun/2fa/totp/activate/"))
    assert box["inputmode"] == "numeric" and box["autocomplete"] == "one-time-code"
    assert box["pattern"] == "[0-9]*"
