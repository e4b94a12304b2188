"""Prometheus metrics. With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (a
directory per machine, emptied at each start) so every worker's counts are summed; see
docs/operations.md."""
from __future__ import annotations

import logging
import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram(
    "lapor_request_seconds", "Time to answer an HTTP request", ["method", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
# Requests meant for a replica that read from the primary because the replica could not
# be reached (lapor/ops/replicas.py): above zero, a replica is down.
REPLICA_FALLBACKS = Counter(
    "lapor_replica_fallbacks", "Requests read from the primary because their replica could not be reached", ["replica"],
)


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    # Read-now gauges are computed at each scrape and handed over as metric families, not
    # as Gauge objects: with PROMETHEUS_MULTIPROC_DIR a Gauge writes its value into this
    # worker's gauge_all_<pid>.db, and the next scrape would read that stale copy back
    # beside the fresh one, a second block of the same name Prometheus refuses.
    now_registry = CollectorRegistry()
    now_registry.register(_ReadNow())
    return generate_latest(registry) + generate_latest(now_registry), CONTENT_TYPE_LATEST


class _ReadNow:
    def collect(self):
        yield _overdue()
        yield _queue()


def _overdue() -> GaugeMetricFamily:
    from django.db.models import Count
    from django.utils import timezone

    from lapor.reports.enums import Status
    from lapor.reports.models import Report

    gauge = GaugeMetricFamily("lapor_reports_overdue", "Open reports past their current deadline", labels=["status"])
    open_statuses = [s.value for s in Status if s in Status.open()]
    counts = dict.fromkeys(open_statuses, 0)
    overdue = (Report.objects.filter(status__in=open_statuses, due_at__lt=timezone.now())
               .values("status").order_by().annotate(n=Count("id")).values_list("status", "n"))
    for status, count in overdue:
        counts[status] = count
    for status, count in counts.items():
        gauge.add_metric([status], count)
    return gauge


def _queue() -> GaugeMetricFamily:
    """Depth of the Celery queue the tasks go to (``CELERY_QUEUE``, "lapor" by default)
    when Redis is the broker (0 otherwise: tasks run in process)."""
    from django.conf import settings

    gauge = GaugeMetricFamily("lapor_queue_depth", "Tasks waiting in the broker", labels=["queue"])
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith("redis"):
        gauge.add_metric([queue], 0)
        return gauge
    import redis

    try:
        depth = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).llen(queue)
    except redis.RedisError:
        depth = -1  # unknown: the readiness probe says why
    gauge.add_metric([queue], depth)
    return gauge


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


class RequestTimingMiddleware:
    """Times every request into ``lapor_request_seconds``. A timing that cannot be kept
    (``PROMETHEUS_MULTIPROC_DIR`` missing after a reboot emptied /run, or full) is logged
    once per process and dropped: the page is answered all the same, and ``/metrics``
    fails, which is where the monitoring notices."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.failing = False

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match and match.view_name else "unmatched"
        try:
            # A made-up method is "other": each label value is a series kept until restart.
            method = request.method if request.method in KNOWN_METHODS else "other"
            REQUEST_SECONDS.labels(method=method, view=view).observe(time.perf_counter() - started)
        except OSError as error:
            if not self.failing:
                log.error("metrics: request timings cannot be kept (%s: %s); pages are served without them. "
                          "PROMETHEUS_MULTIPROC_DIR must be an existing, writable directory (docs/operations.md, "
                          "Web processes)", type(error).__name__, error)
            self.failing = True
        else:
            self.failing = False
        return response
