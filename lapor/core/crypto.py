"""Encryption at rest and keyed hashes for personal data (SPEC §5).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
``settings.FIELD_ENCRYPTION_KEYS``; the first key encrypts, all of them decrypt, so an
operator rotates by putting a new key first. Lookups (is this NIK already registered,
which account owns this phone number) use an HMAC of a canonical form instead, so the
database never needs the clear value to answer them.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # A wrong or missing key must be loud: silently returning garbage or '' would let
        # an operator overwrite real data with blanks.
        raise InvalidToken("cannot decrypt a personal-data field: is FIELD_ENCRYPTION_KEY right?") from None


def lookup_hash(value: str) -> str:
    """Keyed hash of an already-normalised value (a NIK, a +62 phone, a lower-case e-mail)."""
    key = settings.LOOKUP_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose stored value is a Fernet token; Python sees the clear text."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        # Equality on ciphertext can never match (Fernet is randomised): use the *_hash column.
        if lookup_name not in ("isnull",):
            raise TypeError(f"encrypted fields cannot be filtered with '{lookup_name}'; use the keyed hash")
        return super().get_lookup(lookup_name)


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted as its ISO form."""

    def get_prep_value(self, value):
        # Not through TextField.get_prep_value: it calls self.to_python, which here turns the
        # ISO string back into a date just before it would be encrypted.
        value = self.to_python(models.Field.get_prep_value(self, value))
        return encrypt(value.isoformat()) if value else None

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return datetime.date.fromisoformat(value) if value else None

    def to_python(self, value):
        if isinstance(value, datetime.date) or value in (None, ""):
            return value or None
        return datetime.date.fromisoformat(value)
