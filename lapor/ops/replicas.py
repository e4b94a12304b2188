"""Reading from PostgreSQL replicas without losing what a user just wrote (SPEC §13).

When ``DATABASE_REPLICA_URLS`` is set, anonymous-safe reads of public pages (the list,
report pages, search, map, statistics) go to a replica; everything else, and every read
by someone who changed something in the last ``LAPOR_REPLICA_PIN_SECONDS`` seconds, goes
to the primary. The pin is a cookie set after any successful write request, so a citizen
who just submitted sees their report even if the replica lags a few seconds ("my report
vanished" never happens), and it works across stateless web processes.
"""
from __future__ import annotations

import contextvars
import random
import time

from django.conf import settings

# The replica this request reads from ("" for the primary): one for the whole request, so
# that its reads see one moment (a report's row and its history from replicas at
# different points would disagree, and a page kept in the cache would keep that).
_replica = contextvars.ContextVar("lapor_replica", default="")
PIN_COOKIE = "lapor_primary_until"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    """Send reads to a replica only inside a request the middleware marked as safe."""

    def db_for_read(self, model, **hints):
        return _replica.get() or "default"

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
        token = _replica.set(random.choice(aliases) if safe else "")
        try:
            response = self.get_response(request)
        finally:
            _replica.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            until = int(time.time()) + settings.LAPOR_REPLICA_PIN_SECONDS
            response.set_cookie(PIN_COOKIE, str(until), max_age=settings.LAPOR_REPLICA_PIN_SECONDS,
                                httponly=True, samesite="Lax", secure=request.is_secure())
        return response


def _pinned(request) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def using_replica() -> bool:
    """For tests and the metrics: is this request reading from a replica?"""
    return bool(_replica.get())
