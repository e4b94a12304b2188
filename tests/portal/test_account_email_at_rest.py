"""SPEC §5: an account's e-mail address is encrypted at rest, in every table, while signing in,
signing up, confirming and resetting a password by e-mail work as before
(docs/decisions/0004-account-email-sealed.md)."""
import importlib
import re
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import override_settings

from lapor.accounts.models import User
from lapor.core.crypto import EMAIL_MAX_LENGTH

from .test_accounts import SIGNUP, confirm_email

pytestmark = pytest.mark.django_db

PASSWORD = SIGNUP["password1"]


@pytest.fixture
def rina(client, kalsel):
    """A citizen who signed up as Rina@Example.id and confirmed the address."""
    client.post("/akun/signup/", {**SIGNUP, "email": "Rina@Example.id"})
    confirm_email(client)
    return User.objects.get(username="rina")


def text_in_every_column() -> str:
    """Every text and JSON value in every table of the database, as one string."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            columns = [
                field.column for field in model._meta.local_fields
                if field.get_internal_type() in ("CharField", "TextField", "EmailField", "JSONField")
            ]
            if not columns or model._meta.proxy or not model._meta.managed:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {table}")
            found.extend(str(value) for row in cursor.fetchall() for value in row if value)
    return "\n".join(found).lower()


def raw_email(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT email FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def signed_in_as(client, login) -> int | None:
    client.logout()
    client.post("/akun/login/", {"login": login, "password": PASSWORD})
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def test_no_table_holds_the_address_of_a_citizen_who_signed_up_signed_in_and_changed_it(client, rina):
    assert signed_in_as(client, "rina@example.id") == rina.pk
    client.post("/akun/reauthenticate/", {"password": PASSWORD})  # asked before a change of address
    client.post("/akun/email/", {"action_add": "", "email": "rina.baru@example.id"})
    confirm_email(client)
    assert signed_in_as(client, "rina.baru@example.id") == rina.pk
    stored = text_in_every_column()
    for address in ("rina@example.id", "rina.baru@example.id", "rina.baru", "example.id"):
        assert address not in stored
    # ...while the account, its addresses and the page that lists them read in clear.
    assert User.objects.get(pk=rina.pk).email == "rina.baru@example.id"
    assert set(EmailAddress.objects.filter(user=rina).values_list("email", flat=True)) == {"rina.baru@example.id"}
    assert "rina.baru@example.id" in client.get("/akun/email/").content.decode()


def test_the_address_is_found_in_any_case_for_signing_in(client, rina):
    assert signed_in_as(client, "RINA@example.ID") == rina.pk
    assert signed_in_as(client, "rina@example.i") is None


def test_a_password_reset_by_e_mail_reaches_the_account(client, rina):
    mail.outbox.clear()
    client.post("/akun/password/reset/", {"email": "rina@EXAMPLE.id"})
    assert [message.to for message in mail.outbox] == [["rina@example.id"]]
    link = re.search(r"https?://testserver(/akun/password/reset/key/[^\s]+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": "sandi-baru-yang-panjang-7", "password2": "sandi-baru-yang-panjang-7"})
    client.logout()
    client.post("/akun/login/", {"login": "rina@example.id", "password": "sandi-baru-yang-panjang-7"})
    assert client.session.get("_auth_user_id") == str(rina.pk)


def test_an_address_taken_by_another_account_is_not_signed_up_again_whatever_its_case(client, rina):
    client.logout()
    response = client.post("/akun/signup/", {**SIGNUP, "username": "rina2", "email": "RINA@example.id",
                                              "nik": "6372024107900010", "phone": ""})
    # allauth does not tell a stranger that the address is taken (no account enumeration):
    # the form is accepted as if a confirmation were sent, and no account is made.
    assert response.status_code == 302 and response["Location"] == "/akun/confirm-email/"
    assert not User.objects.filter(username="rina2").exists()
    # With a free address the same form makes the account.
    client.post("/akun/signup/", {**SIGNUP, "username": "rina2", "email": "rina2@example.id",
                                  "nik": "6372024107900010", "phone": ""})
    assert User.objects.filter(username="rina2").exists()


def test_an_address_too_long_to_seal_gets_a_clear_message_and_keeps_the_rest(client, kalsel):
    long_address = "a" * (EMAIL_MAX_LENGTH - len("@example.id") + 1) + "@example.id"
    response = client.post("/akun/signup/", {**SIGNUP, "email": long_address})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Alamat e-mail paling panjang {EMAIL_MAX_LENGTH} karakter" in page
    assert 'value="Rina Marlina"' in page and 'value="rina"' in page
    assert not User.objects.filter(username="rina").exists()


def test_after_a_key_rotation_old_addresses_are_still_found_and_move_to_the_new_key_when_saved(client, rina):
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    table = User._meta.db_table
    before = raw_email(table, rina.pk)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        assert signed_in_as(client, "rina@example.id") == rina.pk
        user = User.objects.get(email="rina@example.id")
        user.save()
        assert raw_email(table, rina.pk) != before
        for address in EmailAddress.objects.filter(user=rina):
            address.save()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert signed_in_as(client, "rina@example.id") == rina.pk
    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]), pytest.raises(InvalidToken):
        User.objects.get(pk=rina.pk)


def test_the_migration_seals_addresses_stored_in_clear_and_can_open_them_again(rina):
    migration = importlib.import_module("lapor.accounts.migrations.0002_email_sealed")
    address = EmailAddress.objects.get(user=rina)
    tables = {User._meta.db_table: rina.pk, EmailAddress._meta.db_table: address.pk}
    editor = SimpleNamespace(connection=connection)
    migration.open_(apps, editor)  # as a database from before this change holds them
    assert {raw_email(t, pk) for t, pk in tables.items()} == {"rina@example.id"}
    migration.seal(apps, editor)
    for t, pk in tables.items():
        assert "rina" not in raw_email(t, pk)
    assert User.objects.get(email="rina@example.id") == rina
    assert EmailAddress.objects.get(email="rina@example.id") == address


def test_what_is_kept_of_a_social_account_leaves_out_the_address_phone_and_birthday(rina):
    account = SocialAccount.objects.create(user=rina, provider="google", uid="1234", extra_data={
        "id": "1234", "name": "Rina Marlina", "email": "rina@example.id", "email_verified": True,
        "birthday": "1990-07-01", "data": {"phone_number": "+6281234567890", "username": "rinam"},
    })
    account.refresh_from_db()
    assert account.extra_data == {"id": "1234", "name": "Rina Marlina", "data": {"username": "rinam"}}


def test_the_admin_finds_an_account_by_its_whole_address_and_never_fails_on_a_part_of_it(admin_client, rina):
    users = admin_client.get("/admin/accounts/user/", {"q": "Rina@example.id"})
    assert users.status_code == 200 and list(users.context["cl"].result_list) == [rina]
    partial = admin_client.get("/admin/accounts/user/", {"q": "rina@exam"})
    assert partial.status_code == 200 and list(partial.context["cl"].result_list) == []
    addresses = admin_client.get("/admin/account/emailaddress/", {"q": "rina@example.id"})
    assert addresses.status_code == 200 and "rina@example.id" in addresses.content.decode()
    assert admin_client.get("/admin/account/emailaddress/", {"q": "rina"}).status_code == 200
    assert admin_client.get("/admin/socialaccount/socialaccount/", {"q": "rina"}).status_code == 200


def admin_form_data(response) -> dict:
    """What the admin's change page would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        widget_data = field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
        if name in ("last_login", "date_joined") and value:
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.time().strftime("%H:%M:%S")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name == "groups":
            data[name] = [g.pk for g in value] if value else []
        elif value is not None and name != "password":
            data[name] = widget_data
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, management[name].value())
    return data


def test_the_admin_changes_an_address_which_is_stored_sealed_and_refuses_one_too_long(admin_client, rina):
    url = f"/admin/accounts/user/{rina.pk}/change/"
    page = admin_client.get(url)
    assert 'value="rina@example.id"' in page.content.decode() and 'maxlength="128"' in page.content.decode()
    data = admin_form_data(page)
    too_long = admin_client.post(url, {**data, "email": "a" * 130 + "@example.id"})
    assert too_long.status_code == 200 and "email" in too_long.context["adminform"].form.errors
    assert User.objects.get(pk=rina.pk).email == "rina@example.id"
    response = admin_client.post(url, {**data, "email": "Rina.Admin@Example.id"})
    assert response.status_code == 302
    assert User.objects.get(email="rina.admin@example.id") == rina
    assert "rina.admin" not in raw_email(User._meta.db_table, rina.pk)
