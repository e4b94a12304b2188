"""Prometheus metrics. With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (an
empty directory per deployment) so every worker's counts are summed; see docs/operations.md."""
from __future__ import annotations

import os
import time

from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest, multiprocess
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY

REQUEST_SECONDS = Histogram(
    "lapor_request_seconds", "Time to answer an HTTP request", ["method", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    # Read-now gauges live in their own registry so they are computed once per scrape.
    now_registry = CollectorRegistry()
    _overdue(now_registry)
    _queue(now_registry)
    return generate_latest(registry) + generate_latest(now_registry), CONTENT_TYPE_LATEST


def _overdue(registry):
    from django.db.models import Count
    from django.utils import timezone

    from lapor.reports.enums import Status
    from lapor.reports.models import Report

    gauge = Gauge("lapor_reports_overdue", "Open reports past their current deadline", ["status"], registry=registry)
    open_statuses = [s.value for s in Status if s in Status.open()]
    counts = dict.fromkeys(open_statuses, 0)
    overdue = (Report.objects.filter(status__in=open_statuses, due_at__lt=timezone.now())
               .values("status").order_by().annotate(n=Count("id")).values_list("status", "n"))
    for status, count in overdue:
        counts[status] = count
    for status, count in counts.items():
        gauge.labels(status=status).set(count)


def _queue(registry):
    """Depth of the Celery queue the tasks go to (``CELERY_QUEUE``, "lapor" by default)
    when Redis is the broker (0 otherwise: tasks run in process)."""
    from django.conf import settings

    gauge = Gauge("lapor_queue_depth", "Tasks waiting in the broker", ["queue"], registry=registry)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith("redis"):
        gauge.labels(queue=queue).set(0)
        return
    import redis

    try:
        depth = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).llen(queue)
    except redis.RedisError:
        depth = -1  # unknown: the readiness probe says why
    gauge.labels(queue=queue).set(depth)


class RequestTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match and match.view_name else "unmatched"
        REQUEST_SECONDS.labels(method=request.method, view=view).observe(time.perf_counter() - started)
        return response
