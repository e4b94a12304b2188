"""Account e-mail addresses sealed at rest (SPEC §5; docs/decisions/0004-account-email-sealed.md).

Seals the addresses already in ``User.email`` and allauth's ``EmailAddress.email``, and
drops e-mail, phone and birthday from what allauth kept of social accounts. Reversible for
the addresses (opened back to clear); what was dropped from social accounts stays dropped.
"""
from django.db import migrations

import lapor.core.crypto
from lapor.accounts.social import without_personal_data
from lapor.core.crypto import (
    EMAIL_MAX_LENGTH,
    is_sealed_email,
    normalize_email,
    open_email,
    rewrite_column,
    seal_email,
)


def _email_tables(apps):
    return [apps.get_model("accounts", "User")._meta.db_table, apps.get_model("account", "EmailAddress")._meta.db_table]


def _sealed(email):
    if is_sealed_email(email):
        return email
    if len(normalize_email(email)) > EMAIL_MAX_LENGTH:
        raise ValueError(
            f"an account's e-mail address is longer than {EMAIL_MAX_LENGTH} characters and cannot be "
            f"sealed: shorten or remove it first ({email[:20]}…)"
        )
    return seal_email(email)


def _opened(email):
    return open_email(email) if is_sealed_email(email) else email


def seal(apps, schema_editor):
    for table in _email_tables(apps):
        rewrite_column(schema_editor.connection, table, "email", _sealed)
    SocialAccount = apps.get_model("socialaccount", "SocialAccount")
    for account in SocialAccount.objects.using(schema_editor.connection.alias).iterator():
        kept = without_personal_data(account.extra_data)
        if kept != account.extra_data:
            account.extra_data = kept
            account.save(update_fields=["extra_data"])


def open_(apps, schema_editor):
    for table in _email_tables(apps):
        rewrite_column(schema_editor.connection, table, "email", _opened)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("socialaccount", "0006_alter_socialaccount_extra_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="email",
            field=lapor.core.crypto.SealedEmailField(blank=True, max_length=254, verbose_name="alamat e-mail"),
        ),
        migrations.RunPython(seal, open_),
    ]
