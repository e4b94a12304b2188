"""The cache backends: Django's Redis cache with one client kept per process (production),
and a cache on disk shared by the processes of one machine (the embedded default).

Redis: Django's Redis cache, with one client per server for the life of the process.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` around the shared
connection pool on every cache call, and each one fills a table of ~170 response
callbacks: about 0.15 ms of CPU per call, several calls a page (kept rows, fragments,
counts). A ``redis.Redis`` is safe to share between threads and holds no connection of
its own (it borrows one from the pool per command), so one is kept per pool. After a
fork the pool notices the new process id and opens fresh connections, as before.

Redis that cannot be reached (stopped, restarting, a dead port) does not take the site down
with it: what is kept here is a copy of what the database says (rendered rows and pages,
figures, counts, the sessions' second copy) or a short-lived counter (burst limits). While
Redis is away a read finds nothing and a write is skipped: pages are built from the
database, sessions are read from it, and the burst limits let requests through (lockouts
and the per-account report quotas are counted in the database). After a failure this
process does not try Redis again for ``DOWN_SECONDS``, so no call waits for a timeout
meanwhile; the outage is logged once, and again when Redis answers.

Skipped writes that undo something are done when Redis answers again, before anything else
is asked of it: deletions (a signed-out session, whose copy would otherwise sign its
cookie in again should Redis come back with its data), counters moved on (``forget_map``:
a report made confidential leaves the kept map views) and keys written without expiry
(the generations of kept pages and of the working-day calendar). Errors from Redis other
than an unreachable server (a wrong command, memory full) are raised.
"""
from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections.abc import Callable

import diskcache
import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

log = logging.getLogger(__name__)

UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
DOWN_SECONDS = 5
# redis-py waits 5 s for an answer by default, and the OS far longer to connect to a
# machine that does not answer; every page asks the cache, so it gives up sooner.
DEFAULT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
# Writes to do again are kept up to this many per server (a sign-out each, mostly).
MOST_PENDING = 100_000

# Per server list (one process, every thread): not tried again before this time.monotonic(),
# and the writes to do once it answers, latest per key.
_down_until: dict[str, float] = {}
_pending: dict[str, dict[tuple, Callable]] = {}
_overflowed: set[str] = set()
_lock = threading.Lock()


class KeptClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
        self._where = ",".join(self._servers)
        # For the log: where, without a password the URL may carry.
        self._shown = re.sub(r"//[^@/]*@", "//", self._where)

    # Reads find nothing; writes of copies are skipped (the answers an empty cache gives).
    def get(self, key, default=None, version=None):
        return self._tolerant(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._tolerant(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._tolerant(super().has_key, False, key, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolerant(super().touch, False, key, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # As if this process took the key: a lock ("one request computes the figures for
        # all") then lets each request compute for itself instead of waiting for nobody.
        return self._tolerant(super().add, True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        redo = self._lasting({key: value}, timeout, version)
        return self._tolerant(super().set, None, key, value, timeout, version, redo=redo)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        redo = self._lasting(data, timeout, version)
        return self._tolerant(super().set_many, [], data, timeout, version, redo=redo)

    # Writes that undo something: skipped now, done when Redis answers again.
    def incr(self, key, delta=1, version=None):
        redo = {("incr", key, version): functools.partial(super().incr, key, delta, version)}
        return self._tolerant(super().incr, delta, key, delta, version, redo=redo)

    def delete(self, key, version=None):
        redo = {("delete", key, version): functools.partial(super().delete, key, version)}
        return self._tolerant(super().delete, False, key, version, redo=redo)

    def delete_many(self, keys, version=None):
        keys, delete = list(keys), super().delete
        redo = {("delete", key, version): functools.partial(delete, key, version) for key in keys}
        return self._tolerant(super().delete_many, None, keys, version, redo=redo)

    def ping(self) -> None:
        """Raise if Redis does not answer now: the readiness probe tolerates nothing."""
        self._cache.get_client(None, write=True).ping()

    def _lasting(self, data: dict, timeout, version) -> dict:
        if self.get_backend_timeout(timeout) is not None:
            return {}  # a copy that expires: nothing to do again
        write = super().set
        return {("set", key, version): functools.partial(write, key, value, None, version)
                for key, value in data.items()}

    def _tolerant(self, call, fallback, *args, redo: dict | None = None):
        where = self._where
        if _down_until.get(where, 0.0) > time.monotonic():
            self._keep(redo)
            return fallback
        try:
            if _pending.get(where):
                self._do_pending()
            result = call(*args)
        except UNREACHABLE as error:
            with _lock:
                first = where not in _down_until
                _down_until[where] = time.monotonic() + DOWN_SECONDS
            if first:
                log.warning("the Redis cache at %s cannot be reached: pages are built without it until it "
                            "answers: %s: %s", self._shown, type(error).__name__, error)
            self._keep(redo)
            return fallback
        if where in _down_until:
            with _lock:
                _down_until.pop(where, None)
            log.warning("the Redis cache at %s answers again", self._shown)
        return result

    def _keep(self, redo: dict | None) -> None:
        if not redo:
            return
        with _lock:
            pending = _pending.setdefault(self._where, {})
            full = len(pending) + len(redo) > MOST_PENDING
            if not full:
                for key, write in redo.items():
                    pending.pop(key, None)  # the latest last
                    pending[key] = write
        if full and self._where not in _overflowed:
            _overflowed.add(self._where)
            log.error("the Redis cache at %s has been away too long: writes skipped from now on are not done "
                      "again when it answers (signed-out sessions may be read from it until they expire)",
                      self._shown)

    def _do_pending(self) -> None:
        with _lock:
            todo = _pending.pop(self._where, {})
        done = 0
        try:
            for key, write in list(todo.items()):
                try:
                    write()
                except ValueError:  # incr of a key gone meanwhile: a new generation anyway
                    pass
                except UNREACHABLE:
                    raise
                except redis.RedisError as error:  # memory full, say: this one is lost, not the request
                    log.error("the Redis cache at %s refused a write skipped while it was away: %s: %s",
                              self._shown, type(error).__name__, error)
                del todo[key]
                done += 1
        except UNREACHABLE:
            with _lock:  # what was kept meanwhile is newer
                _pending[self._where] = {**todo, **_pending.get(self._where, {})}
            raise
        _overflowed.discard(self._where)
        if done:
            log.warning("the Redis cache at %s: %d writes skipped while it was away are done now", self._shown, done)


class DiskCache(diskcache.DjangoCache):
    """The embedded default's cache (docs/decisions/0006-shared-cache-on-disk.md): SQLite
    files under ``var/cache`` (diskcache), one cache for the web workers, their threads
    and the scheduler, so that a rate limit counts every process's requests and a kept
    page or figure dropped by one is dropped for all. Each thread keeps its connection
    between requests (diskcache reopens it after a fork): Django's end-of-request close,
    which would reopen the files and read their settings again on every request, does
    nothing here."""

    def close(self, **kwargs):
        pass
