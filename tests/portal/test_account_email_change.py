"""Changing the account's e-mail address (/akun/email/, allauth): the password is asked
again, the new address confirms with a message about a change (not a sign-up), and the old
address is told, with the new one masked. Password changes are told to the address too."""
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from lapor.accounts.models import User

from .test_accounts import SIGNUP, confirm_email

PASSWORD = SIGNUP["password1"]


@pytest.fixture
def rina(client, kalsel):
    """Rina signed up as rina@example.id, confirmed it and is signed in."""
    client.post("/akun/signup/", SIGNUP)
    confirm_email(client)
    client.post("/akun/login/", {"login": "rina", "password": PASSWORD})
    return User.objects.get(username="rina")


def reauthenticate(client, password=PASSWORD):
    return client.post("/akun/reauthenticate/", {"password": password})


def test_changing_the_address_asks_for_the_password_and_tells_the_old_address(client, rina):
    mail.outbox.clear()
    response = client.post("/akun/email/", {"action_add": "", "email": "rina.baru@example.id"})
    assert response.status_code == 302 and response["Location"].startswith("/akun/reauthenticate/")
    assert mail.outbox == [] and not EmailAddress.objects.filter(email="rina.baru@example.id").exists()
    assert reauthenticate(client, "bukan-sandinya").status_code == 200
    assert mail.outbox == []

    reauthenticate(client)
    client.post("/akun/email/", {"action_add": "", "email": "rina.baru@example.id"})
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["rina.baru@example.id"]
    assert "meminta agar alamat ini menjadi alamat e-mail akunnya" in confirmation.body
    assert "tetap memakai alamat lamanya" in confirmation.body
    confirm_email(client)
    assert User.objects.get(pk=rina.pk).email == "rina.baru@example.id"

    notice = mail.outbox[-1]
    assert notice.to == ["rina@example.id"]
    assert notice.subject == "[Lapor] Alamat e-mail akun Anda diubah"
    assert "dari rina@example.id menjadi r***@example.id" in notice.body
    assert "rina.baru" not in notice.body and "Bila bukan Anda yang melakukannya" in notice.body


def test_the_sign_up_confirmation_keeps_its_own_wording(client, kalsel):
    client.post("/akun/signup/", SIGNUP)
    body = mail.outbox[-1].body
    assert "meminta agar alamat ini" not in body
    assert re.search(r"/akun/confirm-email/\S+", body)


def test_a_changed_password_is_told_to_the_accounts_address(client, rina):
    mail.outbox.clear()
    reauthenticate(client)
    response = client.post("/akun/password/change/", {
        "oldpassword": PASSWORD, "password1": "sandi-baru-yang-panjang-7", "password2": "sandi-baru-yang-panjang-7"})
    assert response.status_code == 302
    notice = mail.outbox[-1]
    assert notice.to == ["rina@example.id"] and notice.subject == "[Lapor] Kata sandi akun Anda diubah"
    assert "Kata sandi akun Anda diubah." in notice.body


def test_an_account_with_no_password_changes_its_address_without_being_locked_out(client, world):
    """Signed up with Google: no password to ask for, as allauth lets through."""
    user = User.objects.create_user(username="google-rina", email="rina.g@example.id")
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email="rina.g@example.id", verified=True, primary=True)
    client.force_login(user)
    response = client.post("/akun/email/", {"action_add": "", "email": "rina.lain@example.id"})
    assert not response.get("Location", "").startswith("/akun/reauthenticate/")
    assert mail.outbox[-1].to == ["rina.lain@example.id"]


def test_a_first_address_is_not_told_it_keeps_an_old_one(client, kalsel, monkeypatch):
    """The first administrator (docs/operations.md, First start) is made by createsuperuser
    and confirms the address at the first sign-in: that account has no address before."""
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="admin.pertama", email="admin@example.id",
                 verbosity=0)
    mail.outbox.clear()
    client.post("/akun/login/", {"login": "admin.pertama", "password": PASSWORD})

    confirmation = mail.outbox[-1]
    assert confirmation.to == ["admin@example.id"]
    assert "meminta agar alamat ini menjadi alamat e-mail akunnya" in confirmation.body
    assert "alamat lamanya" not in confirmation.body
