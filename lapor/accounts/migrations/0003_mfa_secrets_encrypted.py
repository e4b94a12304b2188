"""TOTP secrets and recovery-code seeds encrypted at rest (lapor.accounts.adapter.MFAAdapter).

Encrypts what allauth stored in clear before; reversing decrypts them again."""
from django.db import migrations

from lapor.core.crypto import decrypted_if_encrypted, encrypted_once

# The values allauth passes through its adapter's encrypt(), per authenticator type.
FIELDS = {"totp": ["secret"], "recovery_codes": ["seed"]}
LISTS = {"recovery_codes": ["migrated_codes"]}


def _rewrite(apps, schema_editor, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.using(schema_editor.connection.alias).iterator():
        data = dict(authenticator.data or {})
        for key in FIELDS.get(authenticator.type, []):
            if data.get(key):
                data[key] = change(data[key])
        for key in LISTS.get(authenticator.type, []):
            if data.get(key):
                data[key] = [change(value) for value in data[key]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    _rewrite(apps, schema_editor, encrypted_once)


def decrypt_secrets(apps, schema_editor):
    _rewrite(apps, schema_editor, decrypted_if_encrypted)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_email_sealed"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
