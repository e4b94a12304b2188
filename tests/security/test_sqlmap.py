"""sqlmap, the SQL injection tool an attacker would run first, finds nothing injectable in
the public search and filters, the map, the API (list filters, the lookups an app files
with, and a submit with a token) and Open311 (issue #10). Debian's sqlmap (installed by script/test and .ci/run) attacks a
live server with some published reports; the test also fails when sqlmap did not really
test the parameters, and when the server answered any of its requests with a 500.
"""
import logging
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from django.db import connection

from lapor.api.tokens import token_issue
from lapor.reports import services
from tests.factories import RegionFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SQLMAP = shutil.which("sqlmap") or "/usr/bin/sqlmap"
# Bounded effort: the whole test stays under ~3 minutes on a small shared machine.
EFFORT = ["--batch", "--level", "1", "--risk", "1", "--technique", "BEUST", "--time-sec", "2", "--skip-waf",
          "--disable-coloring", "--timeout", "15", "--retries", "1", "--union-cols", "1-6"]
# What sqlmap prints once it has confirmed an injection.
FOUND = ("is vulnerable", "identified the following injection point", "sqlmap resumed the following injection point")


class ServerErrors(logging.Handler):
    """Collects what Django logs for a request that ended in a 5xx."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        if getattr(record, "status_code", 500) >= 500:
            self.records.append(f"{record.getMessage()} {record.exc_info[1] if record.exc_info else ''}")


@pytest.fixture
def server_errors():
    handler = ServerErrors()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.fixture
def no_rate_limits(settings):
    # sqlmap sends hundreds of requests from one address and one account: the limits that
    # would stop it (rightly) would also stop it from testing anything.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.LAPOR_SUBMIT_PER_HOUR = settings.LAPOR_SUBMIT_PER_DAY = 1_000_000


@pytest.fixture
def published_reports(world):
    RegionFactory(code="63", name="Kalimantan Selatan")
    city = RegionFactory(code="63.72", name="Kota Banjarbaru")
    for title in ("Jalan berlubang di Jalan Ahmad Yani", "Lampu jalan mati di Panglima Batur"):
        report = services.report_submit(reporter=world.citizen, title=title, body="Sudah dua minggu, mohon diperbaiki.",
                                        addressed_agency=world.pemkot, category=world.category, region=city,
                                        latitude=-3.44, longitude=114.83)
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    return city


def sqlmap(tmp_path, name, *args, timeout) -> str:
    out = tmp_path / name
    command = [SQLMAP, *EFFORT, "--threads", "2" if connection.vendor == "postgresql" else "1",
               "--output-dir", str(out), *args]
    started = time.monotonic()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as expired:
        partial = (expired.stdout or b"").decode(errors="replace")
        (tmp_path / f"sqlmap-{name}.log").write_text(partial)
        pytest.fail(f"sqlmap {name} did not finish within {timeout} s; its output so far:\n{partial[-3000:]}")
    (tmp_path / f"sqlmap-{name}.log").write_text(result.stdout)
    print(f"sqlmap {name}: {time.monotonic() - started:.0f} s")
    return result.stdout + result.stderr


def assert_tested_and_clean(output: str, place: str, parameters):
    found = [line for line in output.splitlines() if any(marker in line for marker in FOUND)]
    assert not found, "sqlmap found an injection:\n" + "\n".join(found)
    for parameter in parameters:
        # sqlmap's verdict on a parameter it attacked (after its own false-positive check;
        # a changing page, like a POST that files a new report each time, can look
        # injectable to the first test and then be cleared). No verdict: not tested.
        assert f"testing for SQL injection on {place} parameter '{parameter}'" in output, (
            f"sqlmap did not test {place} {parameter}:\n{output[-3000:]}")
        assert f"{place} parameter '{parameter}' does not seem to be injectable" in output, (
            f"no clean verdict for {place} {parameter}:\n{output[-3000:]}")


def test_sqlmap_finds_nothing_injectable_in_the_public_filters_the_map_the_api_and_open311(
        world, published_reports, live_server, no_rate_limits, server_errors, tmp_path):
    if not shutil.which(SQLMAP):
        pytest.fail("sqlmap is missing: run script/test (it installs Debian's sqlmap)")
    base = live_server.url
    dbms = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    pages = {
        f"{base}/laporan/?" + urlencode({
            "q": "jalan", "kind": "complaint", "category": world.category.pk, "province": "63", "regency": "63.72",
            "agency": world.pupr.pk, "status": "dispatched", "date_from": "2026-01-01", "date_to": "2030-12-31",
            "halaman": "1"}): ["q", "category", "regency", "agency", "status", "date_from", "halaman"],
        f"{base}/peta/data.json?" + urlencode({
            "bbox": "114.5,-3.6,115.0,-3.3", "zoom": "13", "wilayah": "63.72", "kategori": world.category.slug,
            "status": "dispatched", "instansi": world.pemkot.slug, "dari": "2026-01-01"}):
            ["bbox", "zoom", "wilayah", "kategori", "instansi", "dari"],
        f"{base}/api/v1/reports/?" + urlencode({
            "status": "dispatched", "kind": "complaint", "category": world.category.slug, "agency": "pupr",
            "region": "63.72", "since": "2026-01-01T00:00:00+07:00", "page": "1"}):
            ["status", "category", "agency", "region", "since", "page"],
        # What an app reads to file a report (lapor/api/lookups.py): a name search reaches SQL.
        f"{base}/api/v1/agencies/?" + urlencode({"q": "pupr", "region": "63.72", "page": "1"}): ["q", "region"],
        f"{base}/api/v1/regions/?" + urlencode({"parent": "63", "q": "banjar"}): ["parent", "q"],
        f"{base}/open311/v2/requests.json?" + urlencode({
            "service_code": world.category.slug, "status": "open", "start_date": "2026-01-01T00:00:00Z",
            "page": "1", "page_size": "10"}): ["service_code", "status", "start_date", "page_size"],
    }
    targets = tmp_path / "targets.txt"
    targets.write_text("\n".join(pages) + "\n")
    tested = sorted({p for names in pages.values() for p in names})
    token = token_issue(user=world.citizen)
    body = urlencode({"title": "Jalan rusak parah", "body": "Aspal mengelupas sepanjang 100 meter.",
                      "addressed_agency": "pemkot", "category": world.category.slug, "region": "63.72"})
    posted = ["title", "addressed_agency", "category", "region"]
    # The two runs go at once: the server, not sqlmap, is what takes the time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        gets = pool.submit(sqlmap, tmp_path, "get", "-m", str(targets), "--dbms", dbms, "-p", ",".join(tested),
                           timeout=240)
        post = pool.submit(sqlmap, tmp_path, "post", "-u", f"{base}/api/v1/reports/", "--data", body, "--dbms", dbms,
                           "--headers", f"Authorization: Token {token}", "-p", ",".join(posted), timeout=240)
        get_output, post_output = gets.result(), post.result()

    # In -m mode sqlmap announces each target with "testing URL '<url>'".
    by_target = {part.split("'", 1)[0].split("?")[0]: part for part in get_output.split("testing URL '")[1:]}
    for url, names in pages.items():
        assert url.split("?")[0] in by_target, f"sqlmap never tested {url}:\n{get_output[-3000:]}"
        assert_tested_and_clean(by_target[url.split("?")[0]], "GET", names)
    assert_tested_and_clean(get_output, "GET", [])
    assert_tested_and_clean(post_output, "POST", posted)
    assert not server_errors, "the server answered sqlmap with 500s:\n" + "\n".join(server_errors[:20])
