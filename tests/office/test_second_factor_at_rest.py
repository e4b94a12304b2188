"""Officers' second factor stays a second factor when the database is read: their TOTP
secrets and recovery-code seeds are encrypted at rest (lapor.accounts.adapter.MFAAdapter)."""
import importlib
import json
import time
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.apps import apps
from django.db import connection

from .staff import give_totp

pytestmark = pytest.mark.django_db


def raw_data(user) -> str:
    """The authenticators' stored data, as a database dump shows it."""
    table = connection.ops.quote_name(Authenticator._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {table} WHERE user_id = %s", [user.pk])
        return " ".join(str(row[0]) for row in cursor.fetchall())


def code_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_no_column_holds_an_officers_totp_secret_or_recovery_codes(world):
    secret = give_totp(world.officer)
    codes = RecoveryCodes.activate(world.officer).get_unused_codes()
    stored = raw_data(world.officer)
    assert secret not in stored
    seed = RecoveryCodes(Authenticator.objects.get(user=world.officer, type="recovery_codes"))
    assert seed.instance.data["seed"] in stored  # the stored form...
    assert all(code not in stored for code in codes)  # ...from which no code can be read
    # The codes from the officer's app and the recovery codes are still accepted.
    totp = TOTP(Authenticator.objects.get(user=world.officer, type="totp"))
    assert totp.validate_code(code_now(secret))
    assert seed.validate_code(codes[0])


def test_the_migration_encrypts_secrets_stored_in_clear_and_the_codes_still_work(world):
    migration = importlib.import_module("lapor.accounts.migrations.0003_mfa_secrets_encrypted")
    secret = give_totp(world.officer)
    editor = SimpleNamespace(connection=connection)
    migration.decrypt_secrets(apps, editor)  # as allauth stored them before
    assert secret in raw_data(world.officer)
    migration.encrypt_secrets(apps, editor)
    migration.encrypt_secrets(apps, editor)  # twice is once
    assert secret not in raw_data(world.officer)
    totp = TOTP(Authenticator.objects.get(user=world.officer, type="totp"))
    assert totp.validate_code(code_now(secret))
    assert json.dumps(Authenticator.objects.get(user=world.officer, type="totp").data).count("gAAAA") == 1
