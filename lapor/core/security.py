"""Pieces of the security hardening (issue #10) that several surfaces share.

- ``client_ip``: the one reading of the client's address behind our proxies, for the
  lockouts (django-axes) and the rate limits (settings ``LAPOR_PROXY_COUNT``).
- ``axes_username``, ``lockout_response``: how django-axes names a sign-in attempt and
  what a locked-out person sees.
- ``csp_relaxed``: a per-view relaxation of the Content-Security-Policy for the few
  third-party pages that need one.
- ``PrivatePagesMiddleware``: what a signed-in person is sent is theirs alone.
"""
from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from lapor.core.crypto import lookup_hash


def client_ip(request) -> str:
    """The address the request came from. Behind ``LAPOR_PROXY_COUNT`` proxies that each
    append to X-Forwarded-For, the client is that many entries from the right; whatever a
    client wrote into the header itself sits further left and is ignored."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.LAPOR_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return remote
    return addresses[-min(count, len(addresses))]


def axes_username(request, credentials) -> str | None:
    """What a sign-in attempt is counted under: a keyed hash of the login as typed (user
    name or e-mail, case folded), so the lockout records hold no e-mail address in clear.
    The portal's form calls it ``login``, the admin's and the API's ``username``."""
    credentials = credentials or {}
    login = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if not login and request is not None:
        data = getattr(request, "POST", None) or {}
        login = data.get("login") or data.get("username") or data.get("email")
    if not login:
        return None
    return lookup_hash("login:" + str(login).strip().casefold())


def locked_until(request, credentials=None):
    """When the lockout of this login from this address ends: its last counted failure
    plus the cool-off (an attempt during the lockout does not count, see settings)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    last = (
        AccessAttempt.objects.filter(
            username=axes_username(request, credentials), ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (last or timezone.now()) + cool_off


def lockout_message(until) -> str:
    """The lockout in one sentence, for answers that are not a page (the API)."""
    return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah %(time)s.") % {
        "time": date_format(timezone.localtime(until), "j F Y, H:i T")}


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out person sees (429): what happened and when to try again, in
    their language. Scripts asking with X-Requested-With get the same as JSON."""
    until = locked_until(request, credentials)
    if request.META.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest":
        return JsonResponse(
            {"detail": "locked_out", "retry_at": until.isoformat() if until else None}, status=429,
            headers=_retry_after(until),
        )
    response = render(
        request, "security/locked_out.html",
        {"until": timezone.localtime(until) if until else None, "failures": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    for name, value in _retry_after(until).items():
        response[name] = value
    return response


def _retry_after(until) -> dict:
    if until is None:
        return {}
    return {"Retry-After": str(max(1, int((until - timezone.now()).total_seconds())))}


def csp_relaxed(directives: dict):
    """Add sources to the Content-Security-Policy of one view only (enforced or
    report-only, whichever is configured); for third-party pages we cannot change."""
    from csp.decorators import csp_update

    def decorator(view):
        return csp_update(directives)(csp_update(directives, REPORT_ONLY=True)(view))

    return decorator


def _posted_api_key(request) -> bool:
    # Open311 sends its key in the form body; its views have read that body already (a
    # body that could not be read, say of a 404's request, is no key).
    if request.method != "POST" or not request.path.startswith("/open311/"):
        return False
    try:
        return "api_key" in request.POST
    except Exception:  # noqa: BLE001 — an unreadable body (e.g. a broken multipart boundary)
        return False


class PrivatePagesMiddleware:
    """A response to a signed-in person (their profile with its NIK, a confidential
    report, the back office) that says nothing of caching is sent ``private, no-cache``:
    no shared cache (a proxy, a CDN) may keep it, whatever else is set up before the site,
    and the browser asks again before showing it anew. ``Vary: Cookie`` alone leaves that
    to each cache's reading of it. So is an answer to a request that carried a key (an
    Open311 ``api_key``, an ``Authorization`` header): what the key's holder reads. Pages
    for visitors who are not signed in stay as their views make them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and (
                request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META
                or "api_key" in request.GET or _posted_api_key(request)):
            patch_cache_control(response, private=True, no_cache=True)
        return response
