"""What Lapor keeps of a Google, Facebook or X account it signs people in with.

allauth stores the provider's answer about the person in ``SocialAccount.extra_data`` (a
JSON column, in clear): name, picture, and for most providers the e-mail address, for some
a phone number or birthday. Those are personal data that SPEC §5 wants encrypted at rest;
the account already holds the address sealed (``User.email``, ``EmailAddress``). So they
are left out of what is stored. allauth reads them from the provider's answer at sign-in,
not from this column, and falls back to the account's ID where it would show them.
"""
from __future__ import annotations

from django.db.models.signals import pre_save

PERSONAL_KEY_PARTS = ("email", "phone", "birth", "mobile")


def without_personal_data(data):
    if isinstance(data, dict):
        return {
            key: without_personal_data(value)
            for key, value in data.items()
            if not any(part in str(key).lower() for part in PERSONAL_KEY_PARTS)
        }
    if isinstance(data, list):
        return [without_personal_data(item) for item in data]
    return data


def _strip_extra_data(sender, instance, **kwargs):
    instance.extra_data = without_personal_data(instance.extra_data)


def connect() -> None:
    from allauth.socialaccount.models import SocialAccount

    pre_save.connect(_strip_extra_data, sender=SocialAccount, dispatch_uid="lapor-social-extra-data")
