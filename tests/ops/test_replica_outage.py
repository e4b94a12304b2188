"""A read replica that goes away is a slower site, never a closed one (SPEC §13): public
pages read from the primary, the readiness probe stays ready and says the replica is
degraded, and nobody waits for the dead replica on every page."""
import logging
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from lapor.ops import replicas
from lapor.reports.services import report_submit, report_verify

from .databases import install, replica_aliases, silent_server, uninstall


@pytest.fixture
def published(world):
    report = report_submit(reporter=world.citizen, title="Lampu jalan padam di Jalan Sudirman",
                           body="Sudah tiga malam gelap.", category=world.category, addressed_agency=world.pupr)
    return report_verify(report=report, by=world.national_admin)


def test_public_pages_read_from_the_primary_while_the_replica_is_down(published, settings, caplog):
    visitor = Client(raise_request_exception=False)
    with replica_aliases(settings, unreachable=["replica1"]), caplog.at_level(logging.WARNING, "lapor.ops.replicas"):
        pages = {path: visitor.get(path) for path in
                 ["/", "/laporan/", f"/laporan/{published.tracking_id}/", "/statistik/", "/laporan/?q=lampu"]}
    assert {path: page.status_code for path, page in pages.items()} == dict.fromkeys(pages, 200)
    assert "Lampu jalan padam" in pages["/laporan/"].content.decode()
    assert "Sudah tiga malam gelap." in pages[f"/laporan/{published.tracking_id}/"].content.decode()
    # Said once, not on every page.
    told = [r for r in caplog.records if "replica1 cannot be reached" in r.getMessage()]
    assert len(told) == 1


def test_readiness_stays_ready_and_names_the_replica_as_degraded(db, settings):
    """A load balancer must not take every web machine out for a replica: the primary
    serves. Monitoring reads the degraded replica in the body and in /metrics."""
    prober = Client(raise_request_exception=False)
    with replica_aliases(settings, unreachable=["replica1"]):
        ready = prober.get("/readyz")
        prober.get("/laporan/")
        metrics = prober.get("/metrics").content.decode()
    assert ready.status_code == 200
    body = ready.json()
    assert body["ok"] is True and body["degraded"] == ["database:replica1"]
    assert body["checks"]["database:replica1"]["ok"] is False
    assert body["checks"]["database:default"]["ok"] is True
    assert 'lapor_replica_fallbacks_total{replica="replica1"}' in metrics


@pytest.mark.django_db(transaction=True)
def test_the_primary_going_away_still_makes_the_machine_unready(settings):
    from .test_outage import database_unreachable

    with replica_aliases(settings, working=["replica1"]), database_unreachable():
        ready = Client(raise_request_exception=False).get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database:default"]["ok"] is False


def test_with_two_replicas_the_reads_of_the_one_that_is_down_go_to_the_other(db, settings):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from lapor.reports.models import Report

    read_from = []

    def view(request):
        read_from.append(replicas.ReplicaRouter().db_for_read(Report))
        return HttpResponse("ok")

    with replica_aliases(settings, working=["replica2"], unreachable=["replica1"]):
        for _ in range(20):
            replicas.ReplicaMiddleware(view)(RequestFactory().get("/laporan/"))
    # Only the request that met replica1 first read from the primary; then replica2 carried them all.
    assert read_from.count("default") <= 1
    assert read_from.count("replica2") >= 19


@pytest.mark.django_db(transaction=True)
def test_a_replica_that_hangs_costs_one_page_a_short_wait_and_the_next_ones_none(settings):
    """A replica machine that stopped answering (packets dropped) would hold a page for as
    long as the operating system tries to connect: minutes. The replica gets a short
    connect timeout, and is then remembered as down."""
    timings, statuses = [], []

    def visit(hanging):
        install("replica1", hanging)  # connections are per thread
        visitor = Client(raise_request_exception=False)
        try:
            for _ in range(3):
                started = time.monotonic()
                statuses.append(visitor.get("/laporan/").status_code)
                timings.append(time.monotonic() - started)
        finally:
            uninstall("replica1")
            connections.close_all()

    with silent_server() as address, replica_aliases(settings, unreachable=["replica1"], hanging_at=address) as added:
        thread = threading.Thread(target=visit, args=(added["replica1"],))
        thread.start()
        thread.join(timeout=20)
        finished = not thread.is_alive()
    thread.join(timeout=30)  # the server is closed now: whatever waited on it has failed
    assert finished, "a page waited on the replica for more than 20 s"
    assert statuses == [200, 200, 200]
    assert timings[0] < 10 and max(timings[1:]) < 2


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_the_replica_dropped_is_read_again_from_the_primary(settings, caplog):
    """With DB_CONN_MAX_AGE a web process keeps its replica connection between requests;
    a replica restarted or stopped drops it, which shows only at the next query."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (a server process to terminate)")
    kept = {**connection.settings_dict, "CONN_MAX_AGE": 600}
    settings.DATABASES = {**settings.DATABASES, "replica1": kept}
    install("replica1", kept)
    visitor = Client(raise_request_exception=False)
    try:
        assert visitor.get("/laporan/?q=jalan").status_code == 200
        replica = connections["replica1"]
        assert replica.connection is not None  # kept after the request
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [replica.connection.info.backend_pid])
        time.sleep(0.2)
        with caplog.at_level(logging.WARNING, "lapor.ops.replicas"):
            page = visitor.get("/laporan/?q=lampu")  # a search not kept in the cache: it reads
    finally:
        uninstall("replica1")
        replicas._down_until.clear()
    assert page.status_code == 200
    assert any("replica1 cannot be reached" in r.getMessage() for r in caplog.records)
