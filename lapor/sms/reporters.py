"""The phone-only reporter behind an SMS sender (SPEC §6: an account is created for an
SMS reporter). Found by the keyed hash of the normalised number, so "0812…" and
"+62812…" are one person, and a citizen who registered that number on the web gets their
SMS reports in the same account."""
from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from lapor.accounts.models import PHONE_ONLY_USERNAME_PREFIX, ReporterProfile, User
from lapor.core.crypto import lookup_hash


def find_phone_reporter(phone: str) -> User | None:
    """The account owning ``phone`` (E.164), or None."""
    profile = ReporterProfile.objects.select_related("user").filter(phone_hash=lookup_hash(phone)).first()
    return profile.user if profile else None


def phone_reporter(phone: str) -> User:
    """The account owning ``phone`` (E.164), created as a phone-only reporter when there is
    none. Side effect: may create a User (no usable password) and its ReporterProfile.

    Two first messages from one number at once create one account: the unique
    ``phone_hash`` refuses the second insert, which then reads the first one's account.
    """
    user = find_phone_reporter(phone)
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User(username=f"{PHONE_ONLY_USERNAME_PREFIX}{secrets.token_hex(6)}", full_name="")
            user.set_unusable_password()
            user.save()
            ReporterProfile.objects.create(user=user, phone=phone, is_phone_only=True)
            return user
    except IntegrityError:
        user = find_phone_reporter(phone)
        if user is None:
            raise
        return user
