"""A database (or Redis) that cannot be reached is an outage, not a fault of the request:
503 with ``Retry-After``, in the visitor's language, never Django's bare "Server Error (500)".

Django calls ``handler500`` for any exception nothing else handled, from inside the
``except`` block that caught it (a view, or a middleware reading the session or the
user), so the exception is at hand in ``sys.exc_info()``. Connection-level database
errors (refused, dropped, the server shutting down; SQLite's file unreadable or locked past
its timeout: ``is_outage``) get the 503; everything else, other database errors included,
keeps Django's 500.
A value this process cannot decrypt (``InvalidToken``: a FIELD_ENCRYPTION_KEY missing from
its list) is a 503 too, logged as a key problem.
The page and the JSON answer read nothing from the database.
"""
from __future__ import annotations

import logging
import sys

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MACHINE_PATHS = ("/api/", "/open311/")


# SQLSTATEs of a connection that failed or a server shutting down (PostgreSQL class 08,
# admin_shutdown, crash_shutdown, cannot_connect_now); other OperationalErrors (a deadlock,
# a timeout, a full disk, a missing table) are faults and keep the 500.
_CONNECTION_STATES = ("57P01", "57P02", "57P03")
_SQLITE_OUTAGES = ("unable to open database file", "database is locked", "disk i/o error")


def is_outage(error: BaseException | None) -> bool:
    """Could the database, or Redis (sessions, cache, broker), not be reached at all (as
    opposed to refusing this request)?"""
    if isinstance(error, InterfaceError):  # the connection is already closed
        return True
    if _redis_unreachable(error):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None)
    if cause is not None and type(cause).__module__.startswith("psycopg"):
        # No SQLSTATE at all: refused, unreachable, dropped before an answer.
        return state is None or state.startswith("08") or state in _CONNECTION_STATES
    return any(text in str(error).lower() for text in _SQLITE_OUTAGES)


def _redis_unreachable(error: BaseException | None) -> bool:
    """Redis refused, timed out or dropped the connection (redis-py), or the broker could
    not be reached to queue a task (kombu). Other Redis errors (a wrong command, a full
    memory) are faults and keep the 500."""
    import redis
    from kombu.exceptions import OperationalError as BrokerUnreachable

    return isinstance(error, (redis.ConnectionError, redis.TimeoutError, BrokerUnreachable))


def server_error(request, *args, **kwargs):
    error = sys.exc_info()[1]
    if isinstance(error, InvalidToken):
        return _key_missing(request, error)
    if not is_outage(error):
        return django_server_error(request, *args, **kwargs)
    log.error("database or Redis unavailable: %s: %s", type(error).__name__, error)
    if request.method in ("GET", "HEAD"):
        message = _("Layanan sedang tidak dapat menjangkau basis datanya. Coba lagi dalam beberapa saat.")
    else:
        # It may have failed after a commit (a lost connection mid-answer): say so, so that
        # nobody files the same report twice without looking.
        message = _("Layanan sedang tidak dapat menjangkau basis datanya, dan belum pasti apakah kiriman "
                    "Anda sempat tersimpan. Dalam beberapa saat, periksa dulu (mis. di Laporan saya) "
                    "sebelum mengirim ulang.")
    return _unavailable(request, message)


def _key_missing(request, error):
    # A value sealed under a key this process does not list (FIELD_ENCRYPTION_KEY differs
    # between processes, e.g. a rotation done in the wrong order, or a key dropped too
    # early). The stored data is fine and another process may read it: the server's fault,
    # so 503, never a sign-in error, which would send the person to sign in or sign up
    # again on a process that cannot see their account.
    log.error("field encryption key missing: %s (this process lists %d key(s) in FIELD_ENCRYPTION_KEY; every "
              "process must list every key still in use: docs/operations.md, rotating FIELD_ENCRYPTION_KEY)",
              error, len(settings.FIELD_ENCRYPTION_KEYS))
    return _unavailable(request, _("Layanan sedang tidak dapat membuka sebagian datanya. Coba lagi dalam "
                                   "beberapa saat."))


def _unavailable(request, message):
    if request.path.startswith(MACHINE_PATHS) or "json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message, "code": "unavailable"}, status=503)
    else:
        response = HttpResponse(render_to_string("ops/unavailable.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response.lapor_outage = True  # ReplicaMiddleware reads a page again whose replica died
    return response
