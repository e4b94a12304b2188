"""Rotating FIELD_ENCRYPTION_KEY as docs/operations.md says: add the new key second
everywhere, make it first everywhere, `reencrypt`, drop the old key. Nobody is signed out
or locked out on the way, and a process missing a key answers 503, not 500."""
import io
import json
import logging
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from lapor.accounts.models import PendingMail, Pseudonym
from lapor.accounts.pseudonyms import owner_of
from lapor.core.rekey import sealed_columns
from lapor.reports import services
from lapor.webhooks.models import Subscriber
from tests.factories import UserFactory
from tests.office.staff import give_totp
from tests.personas import build_world

PASSWORD = "rahasia-uji-123"  # tests/factories.py UserFactory
K1, K2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def stored(model, field_name: str, pk) -> str:
    """A column as a dump shows it."""
    meta = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(meta.get_field(field_name).column)} FROM {quote(meta.db_table)} "
                       f"WHERE {quote(meta.pk.column)} = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_user_who_signed_up_where_the_new_key_is_second_signs_in_where_it_is_not_listed_yet(settings):
    # Step 1 of the rotation: web1 already lists K1,K2 (encrypts with K1), web2 still K1.
    settings.FIELD_ENCRYPTION_KEYS = [K1, K2]
    user = UserFactory(username="siti")
    settings.FIELD_ENCRYPTION_KEYS = [K1]
    response = Client().post("/akun/login/", {"login": "siti", "password": PASSWORD})
    assert response.status_code == 302  # signed in (or sent on to confirm the address), no error
    settings.FIELD_ENCRYPTION_KEYS = [K2, K1]  # step 2, on web1: it still reads what K1 sealed
    assert type(user).objects.get(pk=user.pk).email == "siti@example.id"


@pytest.mark.django_db
def test_a_process_missing_the_key_of_an_account_answers_503_and_logs_the_key_problem(settings, caplog):
    # The order the docs used to give: web1 restarted with K2,K1, web2 still K1.
    settings.FIELD_ENCRYPTION_KEYS = [K2, K1]
    UserFactory(username="siti")
    settings.FIELD_ENCRYPTION_KEYS = [K1]
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="lapor.ops.outage"):
        response = client.post("/akun/login/", {"login": "siti", "password": PASSWORD})
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Coba lagi" in response.content.decode()
    assert any("field encryption key missing" in record.getMessage() and "FIELD_ENCRYPTION_KEY" in record.getMessage()
               for record in caplog.records)


def sealed_rows() -> dict[str, list]:
    """Every row of every model with a sealed column, read through the ORM (which decrypts)."""
    return {label: list(apps.get_model(label)._base_manager.all())
            for label in {column.label for column in sealed_columns()}}


@pytest.mark.django_db(transaction=True)
def test_after_reencrypt_the_old_key_can_go_and_everything_still_opens(settings):
    settings.SESSION_ENGINE = "lapor.core.sessions"  # production's: table and cache
    settings.FIELD_ENCRYPTION_KEYS = [K1]
    world = build_world()
    # Everything sealed under K1: profiles and addresses (the world), an officer's TOTP and
    # recovery codes, an anonymous report's stand-in, an undelivered account e-mail, a
    # webhook secret, a signed-in citizen's session.
    world.officer.email = "petugas@pupr.example.id"
    world.officer.save()
    EmailAddress.objects.create(user=world.officer, email=world.officer.email, verified=True, primary=True)
    secret = give_totp(world.officer)
    recovery_codes = RecoveryCodes.activate(world.officer).get_unused_codes()
    anonymous = services.report_submit(reporter=world.citizen, title="Pungutan liar", body="Di loket",
                                       addressed_agency=world.pemkot, is_anonymous=True)
    now = timezone.now()
    mail = PendingMail.objects.create(message=json.dumps({"subject": "Konfirmasi", "to": ["warga@example.id"]}),
                                      created_at=now, next_try_at=now)
    subscriber = Subscriber.objects.create(name="SP4N", url="https://sp4n.example.id/hook")
    webhook_secret = subscriber.secret
    citizen = Client()
    citizen.force_login(world.citizen, backend="django.contrib.auth.backends.ModelBackend")
    phone_before = stored(type(world.citizen.profile), "phone", world.citizen.profile.pk)

    # The new key first everywhere; a check counts what is still under K1 and writes nothing.
    settings.FIELD_ENCRYPTION_KEYS = [K2, K1]
    with pytest.raises(CommandError, match="kunci lama"):
        call_command("reencrypt", "--dry-run", stdout=(out := io.StringIO()))
    assert "accounts.ReporterProfile:" in out.getvalue() and "mfa.Authenticator:" in out.getvalue()
    assert "sessions.Session:" in out.getvalue()
    assert stored(type(world.citizen.profile), "phone", world.citizen.profile.pk) == phone_before

    call_command("reencrypt", "--batch-size", "2", stdout=(out := io.StringIO()))
    assert "baris dibaca" in out.getvalue()  # progress, batch by batch
    assert "Disegel ulang dengan kunci pertama: 0 nilai" not in out.getvalue()
    call_command("reencrypt", stdout=(again := io.StringIO()))  # a second run finds nothing to do
    assert "Disegel ulang dengan kunci pertama: 0 nilai" in again.getvalue()
    call_command("reencrypt", "--check", stdout=(check := io.StringIO()))
    assert "Masih tersegel dengan kunci lama: 0 nilai" in check.getvalue()

    # K1 dropped.
    settings.FIELD_ENCRYPTION_KEYS = [K2]
    rows = sealed_rows()  # every sealed column of every row opens
    for label in ("accounts.User", "accounts.ReporterProfile", "account.EmailAddress", "accounts.Pseudonym",
                  "accounts.PendingMail", "webhooks.Subscriber"):
        assert rows[label], label
    assert owner_of(Pseudonym.objects.get(user=anonymous.reporter).user) == world.citizen
    assert json.loads(PendingMail.objects.get(pk=mail.pk).message)["subject"] == "Konfirmasi"
    assert Subscriber.objects.get(pk=subscriber.pk).secret == webhook_secret
    # The citizen is still signed in.
    assert citizen.get("/profil/").status_code == 200
    # The officer signs in with password and a code from their phone, through the real pages.
    officer = Client()
    response = officer.post("/akun/login/", {"login": "petugas@pupr.example.id", "password": PASSWORD})
    assert response["Location"] == "/akun/2fa/authenticate/"
    response = officer.post("/akun/2fa/authenticate/", {"code": current_code(secret)})
    assert response["Location"] == "/kantor/"
    assert officer.get("/kantor/").status_code == 200
    recovery = RecoveryCodes(Authenticator.objects.get(user=world.officer, type="recovery_codes"))
    assert recovery.validate_code(recovery_codes[1])


@pytest.mark.django_db
def test_reencrypt_refuses_to_call_done_what_no_listed_key_opens(settings):
    settings.FIELD_ENCRYPTION_KEYS = [K1]
    Subscriber.objects.create(name="SP4N", url="https://sp4n.example.id/hook")
    settings.FIELD_ENCRYPTION_KEYS = [K2]  # K1 dropped before reencrypt ran
    with pytest.raises(CommandError, match="webhooks.Subscriber: 1"):
        call_command("reencrypt", stdout=io.StringIO())
