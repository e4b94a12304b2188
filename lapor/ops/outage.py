"""A database that cannot be reached is an outage, not a fault of the request: 503 with
``Retry-After``, in the visitor's language, never Django's bare "Server Error (500)".

Django calls ``handler500`` for any exception nothing else handled, from inside the
``except`` block that caught it (a view, or a middleware reading the session or the
user), so the exception is at hand in ``sys.exc_info()``. Connection-level database
errors (``OperationalError``, ``InterfaceError``: refused, dropped, the server shutting
down, SQLite locked past its timeout) get the 503; everything else keeps Django's 500.
The page and the JSON answer read nothing from the database.
"""
from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MACHINE_PATHS = ("/api/", "/open311/")


def server_error(request, *args, **kwargs):
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return django_server_error(request, *args, **kwargs)
    log.error("database unavailable: %s: %s", type(error).__name__, error)
    message = _("Layanan sedang tidak dapat menjangkau basis datanya. Coba lagi dalam beberapa saat; "
                "tidak ada yang tersimpan dari permintaan ini.")
    if request.path.startswith(MACHINE_PATHS) or "json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message, "code": "unavailable"}, status=503)
    else:
        response = HttpResponse(render_to_string("ops/unavailable.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
