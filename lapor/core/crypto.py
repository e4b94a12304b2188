"""Encryption at rest and keyed hashes for personal data (SPEC §5).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
``settings.FIELD_ENCRYPTION_KEYS``; the first key encrypts, all of them decrypt. A new key
is added second on every process, then made first, then ``manage.py reencrypt`` seals the
old values again (lapor/core/rekey.py) and the old key can go (docs/operations.md).
Lookups (is this NIK already registered, which account owns this phone number) use an HMAC
of a canonical form instead, so the database never needs the clear value to answer them.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models
from django.db.models import lookups


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


def encrypted_once(value: str) -> str:
    """``value`` encrypted, unless it already is (for migrations that encrypt stored rows:
    running one twice changes nothing)."""
    try:
        fernet().decrypt(value.encode())
        return value
    except InvalidToken:
        return encrypt(value)


def decrypted_if_encrypted(value: str) -> str:
    """The reverse of ``encrypted_once``."""
    try:
        return fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return value


def rewrite_column(connection, table: str, column: str, change) -> None:
    """Pass every non-empty value of ``table.column`` through ``change`` and store what
    changed, in raw SQL: for migrations that encrypt or seal a column, whose field class
    already expects the new form while the rows still hold the old one."""
    quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {quoted_column} FROM {quoted_table} WHERE {quoted_column} <> ''")
        changed = [(new, pk) for pk, value in cursor.fetchall() if (new := change(value)) != value]
        cursor.executemany(f"UPDATE {quoted_table} SET {quoted_column} = %s WHERE id = %s", changed)


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


# --- E-mail addresses: sealed deterministically -------------------------------------------
#
# django-allauth finds accounts by e-mail address with plain equality (`email=…`, `email__in`),
# on its own `EmailAddress` table and on `User.email`, and keeps verified addresses unique in
# the database. Fernet cannot serve that (equal addresses give different tokens), so these two
# columns hold AES-SIV tokens instead: deterministic authenticated encryption, where one address
# under one key always gives the same token. Equality, `IN` and unique constraints keep working
# on tokens; the database never sees the address. What it reveals is what a keyed hash reveals:
# which rows share an address. See docs/decisions/0004-account-email-sealed.md.

EMAIL_TOKEN_PREFIX = "e1:"
# A token is the prefix, then base32 of (16-byte tag + address): it must fit allauth's
# varchar(254) column, which allows addresses up to 140 characters; 128 leaves a margin.
EMAIL_MAX_LENGTH = 128


@lru_cache(maxsize=4)
def _sivs(keys: tuple[str, ...]) -> tuple[AESSIV, ...]:
    # One AES-SIV key per Fernet key, derived from it, so rotating FIELD_ENCRYPTION_KEY
    # rotates these too.
    derived = []
    for key in keys:
        material = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=b"lapor e-mail aes-siv")
        derived.append(AESSIV(material.derive(base64.urlsafe_b64decode(key.encode()))))
    return tuple(derived)


def _email_sivs() -> tuple[AESSIV, ...]:
    return _sivs(tuple(settings.FIELD_ENCRYPTION_KEYS))


def normalize_email(value: str) -> str:
    # Lower case, as allauth stores its addresses: "Siti@X.id" and "siti@x.id" are one person.
    return value.strip().lower()


def _email_token(siv: AESSIV, address: str) -> str:
    sealed = base64.b32encode(siv.encrypt(address.encode(), None)).decode().rstrip("=")
    # Lower-case base32: a token survives SQL's LOWER()/UPPER() (allauth once lower-cased
    # its column in a data migration, and indexes UPPER(email)).
    return EMAIL_TOKEN_PREFIX + sealed.lower()


def seal_email(value: str) -> str:
    """The stored form of an e-mail address: its token under the first key."""
    address = normalize_email(value)
    if len(address) > EMAIL_MAX_LENGTH:
        raise ValueError(f"an e-mail address longer than {EMAIL_MAX_LENGTH} characters cannot be stored")
    return _email_token(_email_sivs()[0], address)


def email_tokens(value: str) -> list[str]:
    """Every stored form the address may have: its token under each key, in the list's order, so
    a look-up finds rows written before a key rotation."""
    address = normalize_email(value)
    if len(address) > EMAIL_MAX_LENGTH:
        return []  # never stored, so nothing to find
    return [_email_token(siv, address) for siv in _email_sivs()]


def is_sealed_email(value: str) -> bool:
    return value.startswith(EMAIL_TOKEN_PREFIX)


def open_email(token: str) -> str:
    if not is_sealed_email(token):
        raise InvalidToken("an e-mail column holds a value that is not a sealed address: run the migrations")
    body = token[len(EMAIL_TOKEN_PREFIX):].upper()
    raw = base64.b32decode(body + "=" * (-len(body) % 8))
    for siv in _email_sivs():
        try:
            return siv.decrypt(raw, None).decode()
        except InvalidTag:
            continue
    raise InvalidToken("cannot decrypt an e-mail address: is FIELD_ENCRYPTION_KEY right?")


class AnyKeyIn(lookups.In):
    """``email = x``, ``email__iexact = x`` and ``email__in = [...]`` on a sealed column:
    ``email IN (token of x under each key)``. (Registered under all three names; it keeps
    the lookup name "in" so that no UPPER() is put around the column for iexact.)"""

    def get_prep_lookup(self):
        if self.rhs is None or hasattr(self.rhs, "resolve_expression"):
            return self.rhs  # None becomes IS NULL; a subquery compares tokens with tokens
        values = [self.rhs] if isinstance(self.rhs, str) else list(self.rhs)
        prepared = []
        for value in values:
            if value is None:
                continue
            prepared.extend(email_tokens(value) if value else [""])
        return prepared


class SealedEmailMixin:
    """An e-mail column holding sealed addresses; Python sees the address (lower case)."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return seal_email(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return open_email(value)

    def get_lookup(self, lookup_name):
        # Only equality can be answered on tokens; anything else (contains, startswith,
        # ordering by address) would silently match nothing.
        if lookup_name not in ("exact", "iexact", "in", "isnull"):
            raise TypeError(f"sealed e-mail fields cannot be filtered with '{lookup_name}'; use the exact address")
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": EMAIL_MAX_LENGTH, **kwargs})


class SealedEmailField(SealedEmailMixin, models.EmailField):
    """``User.email``: an address kept sealed (see above)."""


for _name in ("exact", "iexact", "in"):
    SealedEmailField.register_lookup(AnyKeyIn, lookup_name=_name)


class SealedForeignEmailField(SealedEmailField):
    """Put in place of another app's ``EmailField`` (allauth's ``EmailAddress.email``) at
    start-up: the column stays what that app's migrations made it, and so does its state."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.EmailField", args, kwargs


def seal_foreign_email_field(field: models.EmailField) -> None:
    field.__class__ = SealedForeignEmailField
