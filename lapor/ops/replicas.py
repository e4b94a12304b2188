"""Reading from PostgreSQL replicas without losing what a user just wrote (SPEC §13).

When ``DATABASE_REPLICA_URLS`` is set, anonymous-safe reads of public pages (the list,
report pages, search, map, statistics) go to a replica; everything else, and every read
by someone who changed something in the last ``LAPOR_REPLICA_PIN_SECONDS`` seconds, goes
to the primary. The pin is a cookie set after any successful write request, so a citizen
who just submitted sees their report even if the replica lags a few seconds ("my report
vanished" never happens), and it works across stateless web processes.

A replica is a speed-up, never a single point of failure: one that cannot be reached is
remembered as down for ``DOWN_SECONDS`` in this process (so that no request waits for a
connect timeout meanwhile), logged once, counted in ``lapor_replica_fallbacks_total``, and
its reads go to the primary. The readiness probe reports it as degraded, not as unready.
"""
from __future__ import annotations

import contextvars
import logging
import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

from lapor.ops.metrics import REPLICA_FALLBACKS

log = logging.getLogger(__name__)

PIN_COOKIE = "lapor_primary_until"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# libpq waits for ever on a machine that does not answer (a dead host drops packets): a
# page must not. 2 s is libpq's shortest; a replica's URL may set its own (?connect_timeout=5).
CONNECT_TIMEOUT_SECONDS = 2
DOWN_SECONDS = 30


@dataclass
class _Reading:
    alias: str  # "" once the request reads from the primary
    checked: bool = False  # the replica's connection was tried in this request


# The replica this request reads from: one for the whole request, so that its reads see
# one moment (a report's row and its history from replicas at different points would
# disagree, and a page kept in the cache would keep that).
_reading: contextvars.ContextVar[_Reading | None] = contextvars.ContextVar("lapor_replica", default=None)

# alias → time.monotonic() until which this process does not try it again.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def is_down(alias: str) -> bool:
    return _down_until.get(alias, 0.0) > time.monotonic()


def mark_down(alias: str, error: BaseException) -> None:
    """Remember ``alias`` as unreachable for ``DOWN_SECONDS``; logged once per outage."""
    with _lock:
        first = alias not in _down_until
        _down_until[alias] = time.monotonic() + DOWN_SECONDS
    if first:
        log.warning("replica %s cannot be reached, its reads go to the primary: %s: %s",
                    alias, type(error).__name__, error)


def mark_up(alias: str) -> None:
    with _lock:
        was_down = _down_until.pop(alias, None) is not None
    if was_down:
        log.warning("replica %s answers again", alias)


def short_connect_timeout(alias: str) -> None:
    """Give a PostgreSQL replica a short connect timeout unless its URL set one."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        connection.settings_dict.setdefault("OPTIONS", {}).setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)


def _usable(alias: str) -> bool:
    """Can this request read from ``alias``? Connects if it is not connected yet (the
    first read of the request): a failure marks it down."""
    if is_down(alias):
        return False
    connection = connections[alias]
    if connection.connection is not None:
        return True  # a kept connection; should it have died, ReplicaMiddleware reads again
    try:
        short_connect_timeout(alias)
        connection.ensure_connection()
    except DatabaseError as error:
        mark_down(alias, error)
        return False
    mark_up(alias)
    return True


class ReplicaRouter:
    """Send reads to a replica only inside a request the middleware marked as safe."""

    def db_for_read(self, model, **hints):
        reading = _reading.get()
        if reading is None or not reading.alias:
            return "default"
        if not reading.checked:
            reading.checked = True
            if not _usable(reading.alias):
                REPLICA_FALLBACKS.labels(replica=reading.alias).inc()
                reading.alias = ""
                return "default"
        return reading.alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same data as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def path_may_use_replica(path: str) -> bool:
    """Exact match for "/" (the home page); other entries ending in "/" are prefixes."""
    return any(path == p or (p != "/" and p.endswith("/") and path.startswith(p)) for p in settings.LAPOR_REPLICA_PATHS)


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        aliases = replica_aliases()
        safe = (bool(aliases) and request.method in SAFE_METHODS and not _pinned(request)
                and path_may_use_replica(request.path_info))
        # A replica remembered as down is not chosen while another is up; with all of them
        # down the router sends the reads to the primary (and counts them).
        candidates = [alias for alias in aliases if not is_down(alias)] or aliases
        reading = _Reading(random.choice(candidates) if safe else "")
        token = _reading.set(reading)
        try:
            response = self.get_response(request)
            if reading.alias and _replica_failed(reading.alias, response):
                # A kept connection the replica dropped (stopped, restarted) fails only at
                # the first query: the page (a GET: reading it twice changes nothing) is
                # read again from the primary instead of answering the outage page.
                connections[reading.alias].close()
                REPLICA_FALLBACKS.labels(replica=reading.alias).inc()
                reading.alias = ""
                response = self.get_response(request)
        finally:
            _reading.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            until = int(time.time()) + settings.LAPOR_REPLICA_PIN_SECONDS
            response.set_cookie(PIN_COOKIE, str(until), max_age=settings.LAPOR_REPLICA_PIN_SECONDS,
                                httponly=True, samesite="Lax", secure=request.is_secure())
        return response


def _replica_failed(alias: str, response) -> bool:
    """Did this request end in the outage page because of the replica's connection?"""
    if response.status_code != 503 or not getattr(response, "lapor_outage", False):
        return False
    connection = connections[alias]
    if not connection.errors_occurred or connection.is_usable():
        return False
    mark_down(alias, DatabaseError("the connection was lost"))
    return True


def _pinned(request) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def using_replica() -> bool:
    """For tests and the metrics: is this request reading from a replica?"""
    reading = _reading.get()
    return bool(reading and reading.alias)
