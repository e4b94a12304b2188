"""Health and metrics endpoints for load balancers and Prometheus (SPEC §13)."""
from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import time
import uuid

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lapor.ops import replicas

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


def _check_replica(alias):
    """A replica that does not answer is remembered as down (its reads go to the primary)."""
    replicas.short_connect_timeout(alias)
    try:
        _check_database(alias)
    except DatabaseError as error:
        replicas.mark_down(alias, error)
        raise
    replicas.mark_up(alias)


def _check_cache():
    # Our Redis cache answers a miss when Redis is away (lapor/core/cache.py): ask it.
    ping = getattr(cache, "ping", None)
    if ping:
        ping()
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


class StaleStaticManifest(Exception):
    """Static files of this code are missing from the manifest the process loaded."""

    def __init__(self, missing: list[str]):
        super().__init__(f"{len(missing)} static file(s) not in the manifest: {', '.join(missing[:20])}")
        # Public: the names of static files are public anyway.
        self.public = {"missing": missing[:5], "missing_count": len(missing),
                       "fix": "collectstatic --noinput, then restart this process"}


def _check_static():
    """Every static file of this code has an entry in the manifest this process loaded at
    start-up. A process started on new code before ``collectstatic`` (or before its
    manifest was written) fails every page that names a new file ("Missing staticfiles
    manifest entry"): it must not get traffic."""
    from django.apps import apps
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return "no manifest (files are served by their own names)"
    manifest = staticfiles_storage.hashed_files  # read once, when the process started
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    names = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore):
            prefix = getattr(storage, "prefix", None)  # as collectstatic names it
            names.add(f"{prefix}/{path}" if prefix else path)
    missing = sorted(name for name in names if name not in manifest)
    if missing:
        raise StaleStaticManifest(missing)
    return None


# What the site does without a shared part whose failure leaves a machine ready.
DEGRADES = {
    "cache": "pages built from the database, sessions read from it; burst limits let requests through",
    "broker": "tasks wait: the sweep queues them when the broker is back",
}


@never_cache
def ready(request):
    """Readiness: the primary database and the static manifest are fine. 503 names what
    failed. A replica, the cache or the broker that fails is reported as degraded, with 200:
    the site works without it (reads go to the primary; pages are built from the database
    and sessions read from it; tasks wait for the sweep), and every web machine shares it,
    so taking them all out for it would stop the whole site (docs/operations.md, *Redis*)."""
    checks = {}
    ok = True
    degraded = []
    standby = set(replicas.replica_aliases())
    probes = [(f"database:{alias}", functools.partial(_check_replica if alias in standby else _check_database, alias))
              for alias in settings.DATABASES]
    for name, check in probes + [("cache", _check_cache), ("broker", _check_broker), ("static", _check_static)]:
        started = time.monotonic()
        try:
            note = check()
            checks[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
            if note:
                checks[name]["note"] = note
        except Exception as error:  # a readiness probe reports every failure, it never raises
            # The answer is public (load balancers ask over plain HTTP): it names the kind of
            # failure only. The message, with host names, ports and database users, is logged.
            checks[name] = {"ok": False, "error": type(error).__name__, **getattr(error, "public", {})}
            fallback = "reads go to the primary" if name.removeprefix("database:") in standby else DEGRADES.get(name)
            if fallback:
                checks[name]["degraded"] = True
                checks[name]["note"] = fallback
                degraded.append(name)
            else:
                ok = False
            log.warning("readiness: %s failed: %s: %s", name, type(error).__name__, error)
    body = {"ok": ok, "degraded": degraded, "checks": checks, "at": timezone.now().isoformat()}
    return JsonResponse(body, status=200 if ok else 503)


def _from_loopback(request) -> bool:
    """The request was made on this machine: it reached us from a loopback address and,
    behind a proxy (LAPOR_PROXY_COUNT), the proxy says its client was on loopback too. A
    proxy on this machine forwarding someone else's request is not "this machine"."""
    from lapor.core.security import client_ip

    def loopback(address: str) -> bool:
        try:
            return ipaddress.ip_address(address.split("%")[0]).is_loopback
        except ValueError:
            return False

    return loopback(request.META.get("REMOTE_ADDR", "")) and loopback(client_ip(request))


@never_cache
def metrics(request):
    """Prometheus text format: request latency (from the middleware), overdue reports and
    queue depth (read now). With ``METRICS_TOKEN`` set it wants ``Authorization: Bearer
    <token>``; without, it answers requests made on this machine only (the embedded
    default's operator), or anyone with DEBUG on. The numbers tell an outsider how many
    reports wait where and how busy the site is: not for the internet."""
    from lapor.ops import metrics as m

    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, f"Bearer {token}".encode()):
            return HttpResponse("unauthorized\n", status=401, content_type="text/plain")
    elif not settings.DEBUG and not _from_loopback(request):
        return HttpResponse("METRICS_TOKEN is not set: /metrics answers requests from this machine only\n",
                            status=403, content_type="text/plain")
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
