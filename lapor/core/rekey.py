"""Sealing again, under the first key, everything sealed with the personal-data keys
(``python manage.py reencrypt``; rotating ``FIELD_ENCRYPTION_KEY``: docs/operations.md).

What the keys in ``settings.FIELD_ENCRYPTION_KEYS`` seal:

- every column of an ``EncryptedTextField`` (and ``EncryptedDateField``), Fernet, and of a
  sealed e-mail field (``User.email``, allauth's ``EmailAddress.email``), AES-SIV: found in
  the model registry, so a field added later is covered without a change here;
- allauth's ``Authenticator.data``: the TOTP secret, the recovery-code seed and migrated
  recovery codes, which ``MFAAdapter`` passes through ``lapor.core.crypto.encrypt``;
- sessions (``lapor.core.sessions.EncryptedJSONSerializer``), in the sessions table; the
  cached copy of a session sealed again is dropped, so it is read from the table next.

A value is read as stored, opened with any listed key and, unless the first key already
opens it, sealed again under the first key and written back only if it is still what was
read (a conditional UPDATE). So the site may keep running, and a run may be repeated or
stopped at any point. Fernet keeps a token's timestamp when it re-seals it; a session keeps
its contents and expiry.
"""
from __future__ import annotations

import base64
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import Callable

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core import signing
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lapor.core import crypto

# What a value is, seen with the keys of this process.
CURRENT = "current"  # the first key opens it: nothing to do
OLD = "old"  # only a later key opens it: to be sealed again
UNREADABLE = "unreadable"  # no listed key opens it
CONFLICT = "conflict"  # sealed again, it would equal a row that must stay unique
CHANGED = "changed"  # written by the site while being read: the next run takes it

# The values allauth passes through its adapter's encrypt(), per authenticator type
# (as accounts.0003_mfa_secrets_encrypted, which encrypted them first).
MFA_VALUES = {"totp": ["secret"], "recovery_codes": ["seed"]}
MFA_LISTS = {"recovery_codes": ["migrated_codes"]}


@lru_cache(maxsize=4)
def _first_fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def fernet_state(token: str) -> tuple[str, str | None]:
    """What ``token`` (a Fernet token) is, and its form under the first key when it is OLD."""
    try:
        _first_fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode())
        return CURRENT, None
    except InvalidToken:
        pass
    try:
        return OLD, crypto.fernet().rotate(token.encode()).decode()
    except InvalidToken:
        return UNREADABLE, None


def email_state(token: str) -> tuple[str, str | None]:
    """The same for a sealed e-mail address (AES-SIV, lapor/core/crypto.py)."""
    if not crypto.is_sealed_email(token):
        return UNREADABLE, None
    body = token[len(crypto.EMAIL_TOKEN_PREFIX):].upper()
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError:
        return UNREADABLE, None
    sivs = crypto._email_sivs()
    for position, siv in enumerate(sivs):
        try:
            address = siv.decrypt(raw, None).decode()
        except InvalidTag:
            continue
        return (CURRENT, None) if position == 0 else (OLD, crypto._email_token(sivs[0], address))
    return UNREADABLE, None


class _SealedBytes:
    """A session "serializer" that hands over the Fernet token as it is: Django's signing
    unwraps (and wraps again) the signed, compressed envelope around it."""

    def dumps(self, obj: bytes) -> bytes:
        return obj

    def loads(self, data: bytes) -> bytes:
        return data


def session_state(store, session_data: str) -> tuple[str, str | None]:
    try:
        token = signing.loads(session_data, salt=store.key_salt, serializer=_SealedBytes)
    except (signing.BadSignature, ValueError):
        return UNREADABLE, None  # signed with a SECRET_KEY no longer listed, or damaged
    state, new = fernet_state(token.decode())
    if state != OLD:
        return state, None
    return OLD, signing.dumps(new.encode(), salt=store.key_salt, serializer=_SealedBytes, compress=True)


@dataclass
class Column:
    """One column of sealed values, walked in primary-key order."""

    label: str  # the model, for the totals
    name: str  # what the progress line says
    table: str
    pk: str
    column: str
    state: Callable[[str], tuple[str, str | None]]
    unique: bool = False  # deterministic tokens: sealing again may meet a unique index
    where: str = ""
    params: list = field(default_factory=list)
    after: Callable[[object], None] | None = None  # told each primary key sealed again
    disposable: bool = False  # an unreadable value loses nothing (a session: signed out)


def sealed_columns() -> list[Column]:
    """Every model column of our encrypted field types, from the model registry."""
    columns = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for model_field in meta.local_concrete_fields:
            if isinstance(model_field, crypto.EncryptedTextField):
                state, unique = fernet_state, False
            elif isinstance(model_field, crypto.SealedEmailMixin):
                state, unique = email_state, True
            else:
                continue
            columns.append(Column(label=meta.label, name=f"{meta.label}.{model_field.name}", table=meta.db_table,
                                  pk=meta.pk.column, column=model_field.column, state=state, unique=unique))
    return columns


def _forget_cached_session(session_key: str) -> None:
    # The cached copy is under the old key: read the table's copy next time.
    caches[settings.SESSION_CACHE_ALIAS].delete(CachedDBStore.cache_key_prefix + session_key)


def session_column() -> Column | None:
    """The sessions table, when sessions are kept there sealed with these keys."""
    if settings.SESSION_SERIALIZER != "lapor.core.sessions.EncryptedJSONSerializer":
        return None
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(store_class, DBStore):
        return None  # kept only in the cache or in the browser: nothing here to seal again
    model = store_class.get_model_class()
    store = store_class()
    after = _forget_cached_session if issubclass(store_class, CachedDBStore) else None
    # Expired sessions are skipped: nobody can use them, and `clearsessions` removes them.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return Column(label=model._meta.label, name=f"{model._meta.label}.session_data", table=model._meta.db_table,
                  pk="session_key", column="session_data", state=lambda data: session_state(store, data),
                  where="expire_date > %s", params=[now], after=after, disposable=True)


class Rekey:
    """One pass over everything sealed. ``write=False`` only counts (the check mode).
    Side effects when writing: each OLD value rewritten under the first key, in batches of
    ``batch_size`` rows per transaction; cached copies of sessions sealed again dropped."""

    def __init__(self, *, write: bool, batch_size: int = 500, progress: Callable[[str, int], None] = lambda n, c: None):
        self.write, self.batch_size, self.progress = write, batch_size, progress
        self.totals: dict[str, Counter] = {}
        self.disposable: set[str] = set()  # labels whose unreadable values lose nothing

    def run(self) -> dict[str, Counter]:
        for column in sealed_columns():
            self._column(column)
        self._authenticators()
        sessions = session_column()
        if sessions is not None:
            self._column(sessions)
        return self.totals

    def _count(self, label: str, state: str) -> None:
        self.totals.setdefault(label, Counter())[state] += 1

    def _column(self, column: Column) -> None:
        quote = connection.ops.quote_name
        table, pk, value = quote(column.table), quote(column.pk), quote(column.column)
        conditions = [f"{value} IS NOT NULL", f"{value} <> ''"] + ([column.where] if column.where else [])
        self.totals.setdefault(column.label, Counter())
        if column.disposable:
            self.disposable.add(column.label)
        last, seen = None, 0
        while True:
            where = " AND ".join(conditions + ([f"{pk} > %s"] if last is not None else []))
            params = [*column.params, *([last] if last is not None else [])]
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {pk}, {value} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",
                                   [*params, self.batch_size])
                    rows = cursor.fetchall()
                for key, stored in rows:
                    state, new = column.state(stored)
                    if state == OLD and self.write:
                        state = self._rewrite(column, key, stored, new)
                    self._count(column.label, state)
            if not rows:
                break
            seen += len(rows)
            last = rows[-1][0]
            self.progress(column.name, seen)

    def _rewrite(self, column: Column, key, stored: str, new: str) -> str:
        quote = connection.ops.quote_name
        sql = (f"UPDATE {quote(column.table)} SET {quote(column.column)} = %s "
               f"WHERE {quote(column.pk)} = %s AND {quote(column.column)} = %s")
        try:
            # A savepoint only where a unique index may refuse the new token: an account
            # that somehow holds one address under two keys keeps both rows as they are.
            with transaction.atomic() if column.unique else nullcontext():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [new, key, stored])
                    changed = cursor.rowcount
        except IntegrityError:
            return CONFLICT
        if changed and column.after is not None:
            column.after(key)
        return OLD if changed else CHANGED

    def _authenticators(self) -> None:
        from allauth.mfa.models import Authenticator

        label = Authenticator._meta.label
        self.totals.setdefault(label, Counter())
        last, seen = 0, 0
        while True:
            with transaction.atomic():
                batch = list(Authenticator.objects.filter(pk__gt=last, type__in=[*MFA_VALUES, *MFA_LISTS])
                             .order_by("pk").values_list("pk", "type", "data")[:self.batch_size])
                for pk, kind, data in batch:
                    self._authenticator(Authenticator, label, pk, kind, data or {})
            if not batch:
                break
            seen += len(batch)
            last = batch[-1][0]
            self.progress(f"{label}.data", seen)

    def _authenticator(self, Authenticator, label, pk, kind, data: dict) -> None:
        new_data, states = dict(data), []
        for key in MFA_VALUES.get(kind, []):
            if data.get(key):
                state, new = fernet_state(data[key])
                states.append(state)
                if state == OLD:
                    new_data[key] = new
        for key in MFA_LISTS.get(kind, []):
            if data.get(key):
                sealed = []
                for value in data[key]:
                    state, new = fernet_state(value)
                    states.append(state)
                    sealed.append(new if state == OLD else value)
                new_data[key] = sealed
        if self.write and OLD in states:
            # Only if unchanged since read: a recovery code used meanwhile (used_mask)
            # must not come back to life.
            if not Authenticator.objects.filter(pk=pk, data=data).update(data=new_data):
                states = [CHANGED if state == OLD else state for state in states]
        for state in states:
            self._count(label, state)

