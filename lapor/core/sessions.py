"""Sessions encrypted at rest (SPEC §5), in the database and in the cache.

A session holds more than who is signed in: while someone signs up, confirms an address or
signs in with Google, django-allauth keeps the e-mail address, the phone number and the
social account's data in it. Django signs session data but does not encrypt it: anyone who
reads the sessions table, a backup of it or Redis could read them. Here the session is
Fernet-encrypted (``FIELD_ENCRYPTION_KEY``) before Django signs it, and the cached copy of
``cached_db`` is that same encrypted form instead of the session's dictionary.

A session that cannot be decrypted (written before this, or under a key no longer listed)
reads as empty: its owner is asked to sign in again.

``SESSION_SERIALIZER = "lapor.core.sessions.EncryptedJSONSerializer"``; with Redis,
``SESSION_ENGINE = "lapor.core.sessions"`` (database + cache, as ``cached_db``).
"""
from __future__ import annotations

import logging

from cryptography.fernet import InvalidToken
from django.contrib.sessions.backends import cached_db
from django.core.signing import JSONSerializer

from lapor.core.crypto import fernet

log = logging.getLogger(__name__)


class EncryptedJSONSerializer:
    def dumps(self, obj) -> bytes:
        return fernet().encrypt(JSONSerializer().dumps(obj))

    def loads(self, data: bytes):
        try:
            clear = fernet().decrypt(data)
        except InvalidToken:
            # Raised on, Django reads the session as empty (SessionBase.decode) and says
            # nothing: say why here, as one process signing out whom another signed in is
            # how a key rotation done in the wrong order shows (docs/operations.md).
            log.warning("a session cannot be decrypted with the keys in FIELD_ENCRYPTION_KEY: it reads as "
                        "signed out (sealed under a key this process does not list, or before sessions "
                        "were encrypted)")
            raise
        return JSONSerializer().loads(clear)


class _EncodedCache:
    """The session cache as ``cached_db`` uses it, holding each session encoded (encrypted
    and signed, as in the database) rather than as a dictionary."""

    def __init__(self, cache, store: SessionStore):
        self._cache, self._store = cache, store

    def _decoded(self, value):
        # An undecodable copy (an old key) is ignored: the database copy is read instead.
        return self._store.decode(value) or None if value is not None else None

    def get(self, key, default=None):
        return self._decoded(self._cache.get(key))

    async def aget(self, key, default=None):
        return self._decoded(await self._cache.aget(key))

    def set(self, key, value, timeout=None):
        self._cache.set(key, self._store.encode(value), timeout)

    async def aset(self, key, value, timeout=None):
        await self._cache.aset(key, self._store.encode(value), timeout)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):  # delete, adelete
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _EncodedCache(self._cache, self)
