"""Redis goes away (SPEC §12, ground rule: never a 500). What it holds for the web is a
copy of the database (kept pages, figures, the sessions' second copy) and short-lived
burst counters, so pages, sign-in and filing a report go on from the database; what
cannot be done without it answers 503 with Retry-After, as a database outage does."""
import logging
import os
import shutil
import signal
import subprocess
import time

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client

from lapor.core import cache as lapor_cache
from lapor.ops.views import DEGRADES
from lapor.reports.models import Report
from lapor.reports.services import report_submit, report_verify

from .test_nginx_site import free_port

PASSWORD = "rahasia-uji-123"  # tests/factories.py UserFactory
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


def use_redis(settings, url):
    settings.CACHES = {"default": {"BACKEND": "lapor.core.cache.RedisCache", "LOCATION": url}}
    settings.SESSION_ENGINE = "lapor.core.sessions"  # as production with REDIS_URL


@pytest.fixture(autouse=True)
def fresh_redis_memory():
    for memory in (lapor_cache._down_until, lapor_cache._pending, lapor_cache._overflowed):
        memory.clear()
    yield
    for memory in (lapor_cache._down_until, lapor_cache._pending, lapor_cache._overflowed):
        memory.clear()


@pytest.fixture
def redis_away(settings):
    use_redis(settings, NOBODY_LISTENS)


@pytest.fixture
def published(world):
    report = report_submit(reporter=world.citizen, title="Saluran air tersumbat di Jalan Mawar",
                           body="Air meluap ke jalan setiap hujan.", category=world.category,
                           addressed_agency=world.pupr)
    return report_verify(report=report, by=world.national_admin)


def test_public_pages_are_built_from_the_database_while_redis_is_away(published, redis_away, caplog):
    visitor = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING, "lapor.core.cache"):
        pages = {path: visitor.get(path) for path in [
            "/", "/laporan/", f"/laporan/{published.tracking_id}/", "/statistik/", "/peta/",
            "/laporan/?q=saluran", "/api/v1/reports/", "/open311/v2/requests.json"]}
    assert {path: page.status_code for path, page in pages.items()} == dict.fromkeys(pages, 200)
    assert "Saluran air tersumbat" in pages["/laporan/"].content.decode()
    assert "Air meluap ke jalan setiap hujan." in pages[f"/laporan/{published.tracking_id}/"].content.decode()
    told = [r for r in caplog.records if "cannot be reached" in r.getMessage()]
    assert len(told) == 1  # once, not on every call
    assert ":1" in told[0].getMessage()


def test_a_citizen_signs_in_reads_their_reports_and_signs_out_while_redis_is_away(world, published, redis_away):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=world.citizen, email=world.citizen.email, verified=True, primary=True)
    citizen = Client(raise_request_exception=False)
    signed_in = citizen.post("/akun/login/", {"login": world.citizen.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    mine = citizen.get("/laporan-saya/")
    assert mine.status_code == 200 and "Saluran air tersumbat" in mine.content.decode()
    assert citizen.post("/akun/logout/").status_code == 302
    assert citizen.get("/laporan-saya/").status_code == 302  # to the sign-in page


def test_reports_filed_on_the_web_the_api_and_open311_while_redis_is_away_are_stored_once(world, redis_away):
    """The burst limits kept in Redis let them through (the per-account quotas are counted
    in the database); notifications wait for the sweep (docs/background.md)."""
    from lapor.api.tokens import token_issue
    from lapor.open311.models import Client as Open311Client

    web = Client(raise_request_exception=False)
    web.force_login(world.citizen)
    form = web.post("/lapor/", {"kind": "complaint", "title": "Lampu jalan mati di Jalan Panglima Batur",
                                "body": "Sudah dua minggu lampu jalan mati.", "incident_date": "2026-01-05"})
    app = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token_issue(user=world.citizen)}")
    api = app.post("/api/v1/reports/", {"title": "Jalan berlubang", "body": "Di depan pasar",
                                        "addressed_agency": "pemkot"}, content_type="application/json")
    city_app = Open311Client(name="Banjarbaru Ku", account=world.other_citizen)
    key = city_app.issue_key()
    city_app.save()
    open311 = Client(raise_request_exception=False).post("/open311/v2/requests.json", {
        "api_key": key, "service_code": world.category.slug, "lat": "-3.44", "long": "114.83",
        "description": "Pohon tumbang menutup jalan."})
    assert (form.status_code, api.status_code, open311.status_code) == (302, 201, 200)
    assert Report.objects.filter(title="Lampu jalan mati di Jalan Panglima Batur").count() == 1
    assert Report.objects.filter(title="Jalan berlubang").count() == 1
    assert Report.objects.filter(body__contains="Pohon tumbang").count() == 1


def test_readiness_stays_ready_and_names_the_cache_as_degraded_when_redis_is_away(db, redis_away):
    # Every web machine shares the one Redis: a 503 would take them all out of the balancer,
    # while each of them serves from the database (the tests above).
    ready = Client(raise_request_exception=False).get("/readyz")
    assert ready.status_code == 200 and "cache" in ready.json()["degraded"]
    assert ready.json()["checks"]["cache"] == {
        "ok": False, "error": "ConnectionError", "degraded": True, "note": DEGRADES["cache"]}


@pytest.mark.parametrize("path", ["/laporan/", "/api/v1/reports/", "/open311/v2/requests.json"])
def test_what_needs_redis_and_cannot_reach_it_answers_503_as_in_a_database_outage(rf, path):
    """The safety net: a Redis or broker connection error that reaches Django's error
    handler is an outage (503, Retry-After, the same message), not a 500."""
    from kombu.exceptions import OperationalError as BrokerUnreachable

    from lapor.ops.outage import server_error

    for error in (redis.ConnectionError("Error 111 connecting to redis1:6379"), redis.TimeoutError("Timeout"),
                  BrokerUnreachable("[Errno 111] Connection refused")):
        try:
            raise error
        except Exception:
            response = server_error(rf.get(path))
        assert response.status_code == 503 and response["Retry-After"] == "30"
        text = response.content.decode()
        assert "Coba lagi dalam beberapa saat" in text
        assert path == "/laporan/" or '"code": "unavailable"' in text


def test_other_redis_errors_are_still_a_500(rf):
    from lapor.ops.outage import server_error

    try:
        raise redis.ResponseError("OOM command not allowed when used memory > 'maxmemory'")
    except redis.ResponseError:
        response = server_error(rf.get("/laporan/"))
    assert response.status_code == 500


# --- a Redis that stops and comes back with its data -----------------------------------


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own, on a free port, that the test can pause
    (SIGSTOP: it answers nothing, as a machine cut off) and resume with its data."""
    server = shutil.which("redis-server")
    if not server:
        if os.environ.get("LAPOR_REQUIRE_POSTGRES") == "1":
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield url, process
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(timeout=10)


def test_a_sign_out_made_while_redis_was_cut_off_reaches_it_when_it_answers_again(world, settings, own_redis,
                                                                                   monkeypatch):
    """Signing out deletes the session from the database and from Redis. Skipped in a
    Redis that did not answer, the copy there would sign the old cookie in again (one a
    thief copied) once Redis is back with its data; it is deleted as soon as it answers."""
    url, process = own_redis
    use_redis(settings, url)
    monkeypatch.setattr(lapor_cache, "DOWN_SECONDS", 0.5)
    citizen = Client(raise_request_exception=False)
    citizen.force_login(world.citizen)
    assert citizen.get("/laporan-saya/").status_code == 200  # its session is kept in Redis too
    stolen = citizen.cookies[django_settings.SESSION_COOKIE_NAME].value

    os.kill(process.pid, signal.SIGSTOP)
    try:
        assert citizen.post("/akun/logout/").status_code == 302
    finally:
        os.kill(process.pid, signal.SIGCONT)
    time.sleep(0.6)

    thief = Client(raise_request_exception=False)
    thief.cookies[django_settings.SESSION_COOKIE_NAME] = stolen
    assert thief.get("/laporan-saya/").status_code == 302  # signed out: sent to sign in


def test_a_report_made_confidential_while_redis_is_cut_off_is_so_and_stays_off_the_map_after(
        world, settings, own_redis, monkeypatch, django_capture_on_commit_callbacks):
    """The map keeps its country view in Redis for minutes; making a report confidential
    moves that view on (SPEC §5). With Redis not answering, the change is made all the
    same, and the view kept from before does not show the report once Redis is back."""
    from lapor.reports.services import report_set_flags

    url, process = own_redis
    use_redis(settings, url)
    settings.LAPOR_STATS_CACHE_SECONDS = 300  # kept, as in production
    monkeypatch.setattr(lapor_cache, "DOWN_SECONDS", 0.5)
    report = report_submit(reporter=world.citizen, title="Pungutan liar di loket KTP", body="Diminta uang tambahan.",
                           category=world.category, addressed_agency=world.pupr, latitude=-3.44, longitude=114.83)
    report_verify(report=report, by=world.national_admin)
    visitor = Client(raise_request_exception=False)
    country = "/peta/data.json?bbox=94,-11.5,141.5,6.5&zoom=5"
    assert visitor.get(country).json()["total"] == 1  # and kept in Redis

    os.kill(process.pid, signal.SIGSTOP)
    try:
        assert visitor.get("/laporan/").status_code == 200  # Redis does not answer: built without it
        with django_capture_on_commit_callbacks(execute=True):
            report_set_flags(report=Report.objects.get(pk=report.pk), by=world.national_admin, is_confidential=True,
                             reason="Menyebut nama petugas.")
    finally:
        os.kill(process.pid, signal.SIGCONT)
    time.sleep(0.6)

    assert Report.objects.get(pk=report.pk).is_confidential
    assert visitor.get(country).json()["total"] == 0
