"""Health and metrics endpoints for load balancers and Prometheus (SPEC §13)."""
from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


@never_cache
def live(request):
    """Liveness: the process answers. Nothing else is checked (a database outage must not
    make an orchestrator kill every web process)."""
    return HttpResponse("ok\n", content_type="text/plain")


def _check_database(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    # A key of its own per check: processes probed at the same moment share one cache.
    key = f"lapor:readiness:{uuid.uuid4().hex}"
    value = str(time.time())
    cache.set(key, value, 30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("cache did not return what was stored")
    finally:
        cache.delete(key)


def _check_broker():
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith("redis"):
        return "not configured (tasks run in process)"
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    return None


@never_cache
def ready(request):
    """Readiness: the database(s), the cache and the broker answer. 503 names what failed."""
    checks = {}
    ok = True
    for name, check in [(f"database:{alias}", (lambda a=alias: _check_database(a))) for alias in settings.DATABASES] + [
        ("cache", _check_cache), ("broker", _check_broker),
    ]:
        started = time.monotonic()
        try:
            note = check()
            checks[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
            if note:
                checks[name]["note"] = note
        except Exception as error:  # a readiness probe reports every failure, it never raises
            ok = False
            # The answer is public (load balancers ask over plain HTTP): it names the kind of
            # failure only. The message, with host names, ports and database users, is logged.
            checks[name] = {"ok": False, "error": type(error).__name__}
            log.warning("readiness: %s failed: %s: %s", name, type(error).__name__, error)
    return JsonResponse({"ok": ok, "checks": checks, "at": timezone.now().isoformat()}, status=200 if ok else 503)


@never_cache
def metrics(request):
    """Prometheus text format: request latency (from the middleware), overdue reports and
    queue depth (read now). Protected by ``METRICS_TOKEN`` when set."""
    from lapor.ops import metrics as m

    token = getattr(settings, "METRICS_TOKEN", "")
    if token and request.headers.get("Authorization", "") != f"Bearer {token}":
        return HttpResponse("unauthorized\n", status=401, content_type="text/plain")
    body, content_type = m.render()
    return HttpResponse(body, content_type=content_type)


PROBES = ("/healthz", "/readyz", "/metrics")


class ProbesAnswerAnyHost:
    """A load balancer or Prometheus calls the probes by the machine's address (Host:
    10.1.2.3:8000), which is not the site's name in ALLOWED_HOSTS: Django would answer 400
    and the machine would look dead. The probes show nothing that depends on the host
    name, so for them alone a host the site does not serve is read as the site's first
    allowed name. Every other path keeps Django's host check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in PROBES:
            try:
                request.get_host()
            except DisallowedHost:
                allowed = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*" and h.lstrip(".")), None)
                if allowed:
                    request.META["HTTP_HOST"] = allowed
                    request.META.pop("HTTP_X_FORWARDED_HOST", None)
        return self.get_response(request)
