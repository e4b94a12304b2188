"""/admin/ asks every superuser and every ``is_staff`` account for the second factor, not
only those holding a role: the Django admin grants roles and issues API tokens, so a
password alone must not open it (lapor/office/middleware.py)."""
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from lapor.accounts.models import User
from lapor.api.models import ApiToken
from tests.office.staff import give_totp

PASSWORD = "rahasia-uji-123"


def current_code(secret: str) -> str:
    # RFC 6238: HOTP of the number of 30-second periods since the epoch.
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def operator(db):
    """The first administrator as `manage.py createsuperuser` makes them: no agency role."""
    user = User.objects.create_superuser("operator", "operator@example.id", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in_with_password(user, *, where="/akun/login/") -> Client:
    client = Client()
    if where == "/admin/login/":
        response = client.post(where, {"username": user.username, "password": PASSWORD})
    else:
        response = client.post(where, {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("where", ["/akun/login/", "/admin/login/"])
def test_a_superuser_without_a_role_is_sent_to_set_up_the_second_factor_before_the_admin(operator, where):
    client = signed_in_with_password(operator, where=where)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/totp/activate/"


def test_a_superuser_with_only_a_password_cannot_issue_an_api_token_for_someone_else(operator, world):
    client = signed_in_with_password(operator)
    response = client.post("/admin/api/apitoken/add/", {"user": world.citizen.pk, "label": "aplikasi kota"})
    assert response.status_code == 302 and response["Location"] == "/akun/2fa/totp/activate/"
    assert not ApiToken.objects.filter(user=world.citizen).exists()


def test_a_staff_account_without_a_role_is_asked_for_the_second_factor_too(db):
    clerk = User.objects.create_user("juru.tulis", "juru.tulis@example.id", PASSWORD, is_staff=True)
    client = signed_in_with_password(clerk, where="/admin/login/")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/totp/activate/"


def test_a_superuser_who_signed_in_at_the_admins_own_form_is_asked_for_their_code(operator):
    """Django's /admin/login/ checks the password only: the code is asked before any page."""
    secret = give_totp(operator)
    client = signed_in_with_password(operator, where="/admin/login/")
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/2fa/reauthenticate/?next=")
    passed = client.post(response["Location"], {"code": current_code(secret)})
    assert passed.status_code == 302 and passed["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_superuser_signs_in_with_password_and_code_and_reaches_the_admin(operator):
    secret = give_totp(operator)
    client = Client()
    response = client.post("/akun/login/", {"login": operator.username, "password": PASSWORD})
    assert response["Location"] == "/akun/2fa/authenticate/"  # allauth asks for the code
    assert client.get("/admin/").status_code == 302  # not signed in yet
    client.post("/akun/2fa/authenticate/", {"code": current_code(secret)})
    page = client.get("/admin/")
    assert page.status_code == 200
    assert 'href="/admin/accounts/user/"' in page.content.decode()  # the accounts, to grant roles
