"""/metrics with PROMETHEUS_MULTIPROC_DIR (several gunicorn workers on a machine) is
something Prometheus can read: each metric once, the workers' request timings summed, the
read-now gauges fresh (docs/operations.md, *Health and monitoring*)."""
import datetime

import pytest
from prometheus_client import Histogram, values
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families

from lapor.reports import services


@pytest.fixture
def gunicorn_worker(monkeypatch, tmp_path):
    """``gunicorn_worker(pid)``: from then on, metrics are kept as that worker process keeps
    them, in files of the multiprocess directory named by its pid (prometheus_client's own
    multiprocess storage, told the pid instead of reading it)."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    current = {"pid": 4100}  # the gunicorn master, before it forks
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue(lambda: current["pid"]))

    def become(pid):
        current["pid"] = pid
        # What the worker's lapor.ops.metrics made at import: its own copy of the histogram.
        return Histogram("lapor_request_seconds", "Time to answer an HTTP request", ["method", "view"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5), registry=None)

    return become


def test_two_workers_scraped_in_turn_give_each_metric_once_and_the_overdue_count_of_now(
        client, world, gunicorn_worker):
    long_ago = datetime.datetime(2026, 1, 5, 2, tzinfo=datetime.timezone.utc)
    services.report_submit(reporter=world.citizen, title="Lama", body="Belum diverifikasi", now=long_ago)
    for pid in (4101, 4102):
        gunicorn_worker(pid).labels(method="GET", view="health-live").observe(0.01)
        assert client.get("/metrics").status_code == 200  # Prometheus scrapes whichever worker answers
    services.report_submit(reporter=world.citizen, title="Lama juga", body="Belum diverifikasi", now=long_ago)

    gunicorn_worker(4101)
    text = client.get("/metrics").content.decode()

    names = [family.name for family in text_string_to_metric_families(text)]
    assert len(names) == len(set(names)), sorted(names)
    families = {family.name: family for family in openmetrics_families(text + "# EOF\n")}  # no "Clashing name"
    overdue = {s.labels["status"]: s.value for s in families["lapor_reports_overdue"].samples}
    assert overdue["submitted"] == 2  # as of this scrape, not a worker's earlier one
    count = [s for s in families["lapor_request_seconds"].samples
             if s.name == "lapor_request_seconds_count" and s.labels["view"] == "health-live"]
    assert [s.value for s in count] == [2]  # both workers' requests, summed
