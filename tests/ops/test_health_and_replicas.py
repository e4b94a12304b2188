"""Health, readiness and metrics for operators; replica routing that never loses a write."""
import datetime

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from lapor.ops import replicas
from lapor.reports import services

pytestmark = pytest.mark.urls("lapor.ops.urls")


@pytest.mark.django_db
def test_liveness_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_probes_answer_a_prober_that_names_the_machine_not_the_site(client, db, settings):
    """A load balancer checks each machine by its address: the probes answer, every other
    page still refuses a host the site does not serve."""
    settings.ALLOWED_HOSTS = ["lapor.kalselprov.go.id"]
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/tidak-ada", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.mark.django_db
def test_readiness_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database:default"]["ok"] and checks["cache"]["ok"]


@pytest.mark.django_db
def test_readiness_stays_ready_and_names_a_broker_that_does_not_answer_as_degraded(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["degraded"] == ["broker"]
    assert response.json()["checks"]["broker"]["ok"] is False
    assert "Connection" in response.json()["checks"]["broker"]["error"]
    # Public: the kind of failure, not where the broker lives (that goes to the log).
    assert "127.0.0.1" not in response.content.decode()


def test_metrics_count_overdue_reports_and_request_latency(client, world):
    long_ago = datetime.datetime(2026, 1, 5, 2, tzinfo=datetime.timezone.utc)
    services.report_submit(reporter=world.citizen, title="Lama", body="Belum diverifikasi", now=long_ago)
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert 'lapor_reports_overdue{status="submitted"} 1.0' in body
    assert 'lapor_request_seconds_count{method="GET",view="health-live"}' in body


def test_metrics_count_the_tasks_waiting_in_the_queue_the_tasks_go_to(client, db, settings):
    """The "workers down" alert of docs/operations.md watches this gauge: it must count the
    queue Lapor's tasks are sent to (CELERY_QUEUE), not Celery's default one."""
    import os

    import redis

    url = "redis://127.0.0.1:6379/12"
    try:
        broker = redis.Redis.from_url(url, socket_connect_timeout=2)
        broker.ping()
    except redis.RedisError as error:
        if os.environ.get("LAPOR_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"no Redis at {url}: {error}")
        pytest.skip(f"no Redis at {url}: {error}")
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_DEFAULT_QUEUE = "lapor-uji-antrean"
    broker.delete("lapor-uji-antrean")
    broker.rpush("lapor-uji-antrean", "a", "b", "c")
    try:
        body = client.get("/metrics").content.decode()
    finally:
        broker.delete("lapor-uji-antrean")
    assert 'lapor_queue_depth{queue="lapor-uji-antrean"} 3.0' in body


def test_metrics_can_be_closed_with_a_token(client, db, settings):
    settings.METRICS_TOKEN = "rahasia"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer rahasia").status_code == 200


def test_without_a_token_metrics_answer_this_machine_only(client, db, settings):
    settings.METRICS_TOKEN, settings.DEBUG = "", False
    # The embedded default's operator, on the machine itself.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    # Anyone else, straight or through the site's nginx (on this machine, with the client
    # in X-Forwarded-For), is refused.
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 403
    settings.LAPOR_PROXY_COUNT = 1
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


def test_check_deploy_warns_while_the_metrics_token_is_unset(settings):
    from django.core import checks

    def warnings():
        return [message.id for message in checks.run_checks(include_deployment_checks=True)]

    settings.METRICS_TOKEN, settings.DEBUG = "", False
    assert "lapor.W001" in warnings()
    assert "lapor.W001" not in [message.id for message in checks.run_checks()]  # a plain `check` (start) stays quiet
    settings.METRICS_TOKEN = "rahasia"
    assert "lapor.W001" not in warnings()


def seen_by_view(request, settings, replica_configured=True):
    settings.DATABASES = {"default": settings.DATABASES["default"], **({"replica1": settings.DATABASES["default"]} if replica_configured else {})}
    observed = {}

    def view(req):
        observed["replica"] = replicas.using_replica()
        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(view)(request)
    return observed["replica"], response


def test_public_pages_read_from_a_replica_when_one_is_configured(settings):
    assert seen_by_view(RequestFactory().get("/laporan/123456789/"), settings)[0] is True
    assert seen_by_view(RequestFactory().get("/laporan/123456789/"), settings, replica_configured=False)[0] is False


@pytest.mark.django_db
def test_every_read_of_one_request_goes_to_the_same_replica(settings):
    """A report's row and its history from replicas at different points would disagree
    (and the public's kept copy of the page would keep that)."""
    from lapor.reports.models import Report

    from .databases import replica_aliases

    seen = []

    def view(request):
        seen.append({replicas.ReplicaRouter().db_for_read(Report) for _ in range(40)})
        return HttpResponse("ok")

    with replica_aliases(settings, working=["replica1", "replica2"]):
        for _ in range(20):
            replicas.ReplicaMiddleware(view)(RequestFactory().get("/laporan/123456789/"))
    assert all(len(aliases) == 1 for aliases in seen)
    assert set().union(*seen) == {"replica1", "replica2"}  # still spread over the replicas, request by request


def test_staff_pages_and_writes_always_use_the_primary(settings):
    assert seen_by_view(RequestFactory().get("/kantor/"), settings)[0] is False
    assert seen_by_view(RequestFactory().post("/laporan/baru/"), settings)[0] is False


def test_after_a_write_the_same_browser_reads_from_the_primary_for_a_while(settings):
    _, response = seen_by_view(RequestFactory().post("/laporan/baru/"), settings)
    cookie = response.cookies[replicas.PIN_COOKIE]
    follow_up = RequestFactory().get("/laporan/123456789/")
    follow_up.COOKIES[replicas.PIN_COOKIE] = cookie.value
    assert seen_by_view(follow_up, settings)[0] is False


def test_behind_pgbouncer_server_side_cursors_are_turned_off_on_every_database():
    """``DB_DISABLE_SERVER_SIDE_CURSORS=true`` (docs/operations.md) reaches the primary and
    each replica (a fresh interpreter: settings are read once, at start-up)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import django; from django.conf import settings; django.setup(); "
            "print(sorted((alias, db.get('DISABLE_SERVER_SIDE_CURSORS', False)) for alias, db in settings.DATABASES.items()))")

    def databases(**environment):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lapor.settings",
               "DATABASE_REPLICA_URLS": "postgres://lapor_ro@db2:5432/lapor", **environment}
        out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
                             capture_output=True, text=True, check=True)
        return out.stdout.strip().splitlines()[-1]

    assert databases() == "[('default', False), ('replica1', False)]"
    assert databases(DB_DISABLE_SERVER_SIDE_CURSORS="true") == "[('default', True), ('replica1', True)]"


def test_made_up_request_methods_do_not_each_make_a_metric_series(client, db):
    """Anyone can send ``BREW /``; every label value is a series kept until the restart."""
    for method in ("BREW", "XYZZY"):
        client.generic(method, "/healthz")
    body = client.get("/metrics").content.decode()
    assert "BREW" not in body and "XYZZY" not in body
    assert 'lapor_request_seconds_count{method="other",view="health-live"} 2.0' in body
