"""The answers to a request that went wrong before or outside any view's own checks: in the
visitor's language, as a page for people and as JSON for programs (the API and Open311).

Django's defaults are bare English ("Bad Request (400)", "Not Found"); these render
templates of ours (lapor/core/templates/4xx.html) and, for the machine paths, the JSON
shape the API's own errors have (``detail`` and ``code``). A request whose text fields
together pass ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is told so with the limit: nothing of it
can be read, so nothing of it can be kept (the forms' own length limits say it sooner).
"""
from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from lapor.ops.outage import MACHINE_PATHS


def _for_machines(request) -> bool:
    return request.path.startswith(MACHINE_PATHS)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        if _for_machines(request):
            return JsonResponse({"detail": _("Kiriman terlalu besar: paling banyak %(mb)s MB sekaligus.") % {
                "mb": f"{megabytes:g}"}, "code": "too_big"}, status=413)
        return HttpResponse(render_to_string("400.html", {"too_big": f"{megabytes:g}"}, request), status=413)
    if _for_machines(request):
        return JsonResponse({"detail": _("Permintaan tidak dapat dibaca."), "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _for_machines(request):
        return JsonResponse({"detail": _("Anda tidak diizinkan melakukan tindakan ini."),
                             "code": "permission_denied"}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _for_machines(request):
        return JsonResponse({"detail": _("Tidak ditemukan."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


# The report an action's address belongs to: /laporan/<id>/dukung/, /kantor/laporan/<id>/tindakan/…
_REPORT_OF_ACTION = re.compile(r"^(/(?:kantor/)?laporan/\d+/)")


class MethodNotAllowedPage:
    """A form's address opened as a page (typed, bookmarked, or reached after signing in
    from a form sent while signed out) answers Django's 405 with no body: a blank page.
    Here it says what the address is for and links to the report it belongs to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET" or response.content or _for_machines(request):
            return response
        found = _REPORT_OF_ACTION.match(request.path)
        page = HttpResponse(render_to_string("405.html", {"back": found.group(1) if found else "/"}, request),
                            status=405)
        page["Allow"] = response.get("Allow", "")
        return page
