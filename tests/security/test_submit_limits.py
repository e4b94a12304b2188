"""Limits on filing reports per account (issue #10): on the web form and through the API
alike (lapor/reports/quota.py), counted from the reports in the database. The citizen is
told from when they may file again, and nothing they typed is lost."""
import datetime

import pytest
from django.utils import timezone

from lapor.api.models import IdempotencyKey
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.quota import submit_retry_at
from tests.api.conftest import api  # noqa: F401  (fixture)

FORM = {
    "kind": "complaint",
    "title": "Lampu jalan mati di Jalan Panglima Batur",
    "body": "Sudah dua minggu lampu jalan mati sehingga jalan gelap di malam hari.",
    "incident_date": "2026-01-05",
    "checked": "True",
}
API_REPORT = {"title": "Jalan berlubang", "body": "Di depan SDN 1 Guntung Manggis, sudah sebulan.",
              "addressed_agency": "pemkot"}


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LAPOR_SUBMIT_PER_HOUR = 2
    settings.LAPOR_SUBMIT_PER_DAY = 3
    return settings


def filed(world, user, minutes_ago, **fields):
    return services.report_submit(
        reporter=fields.pop("reporter", user), title="Got mampet di gang Melati", body="Air meluap ke jalan.",
        addressed_agency=world.pemkot, now=timezone.now() - datetime.timedelta(minutes=minutes_ago), **fields,
    )


def test_a_citizen_over_the_hourly_limit_is_told_when_and_keeps_everything_typed(world, client):
    filed(world, world.citizen, 50)
    filed(world, world.citizen, 10)
    client.force_login(world.citizen)
    response = client.post("/lapor/", FORM)
    assert response.status_code == 429
    page = response.content.decode()
    assert "laporan berikutnya dapat dikirim setelah" in page
    expected = timezone.localtime(Report.objects.order_by("created_at").first().created_at
                                  + datetime.timedelta(hours=1))
    assert f"{expected:%H:%M}" in page
    assert "Semua yang sudah Anda tulis tetap tersimpan di formulir ini." in page
    assert FORM["title"] in page and FORM["body"] in page
    assert Report.objects.count() == 2


def test_the_message_speaks_english_to_an_english_reader(world, client):
    filed(world, world.citizen, 50)
    filed(world, world.citizen, 10)
    client.force_login(world.citizen)
    client.cookies["django_language"] = "en"
    assert "your next report can be sent after" in client.post("/lapor/", FORM).content.decode()


def test_once_the_hour_has_passed_the_citizen_files_again(world, client):
    filed(world, world.citizen, 70)
    filed(world, world.citizen, 65)
    client.force_login(world.citizen)
    response = client.post("/lapor/", FORM)
    assert response.status_code == 302 and "/terkirim/" in response["Location"]


def test_the_daily_limit_counts_the_last_day(world, client):
    for minutes_ago in (23 * 60, 20 * 60, 3 * 60):
        filed(world, world.citizen, minutes_ago)
    client.force_login(world.citizen)
    assert client.post("/lapor/", FORM).status_code == 429
    retry_at = submit_retry_at(user=world.citizen)
    assert timezone.now() + datetime.timedelta(minutes=59) < retry_at < timezone.now() + datetime.timedelta(hours=1)


def test_another_citizens_reports_do_not_count(world, client):
    filed(world, world.other_citizen, 5)
    filed(world, world.other_citizen, 4)
    client.force_login(world.citizen)
    assert client.post("/lapor/", FORM).status_code == 302


def test_reports_a_proxy_filed_for_residents_count_for_the_proxy_not_the_residents(world, settings):
    settings.LAPOR_PROXY_SUBMIT_PER_HOUR, settings.LAPOR_PROXY_SUBMIT_PER_DAY = 2, 3
    resident = world.other_citizen
    filed(world, world.proxy, 5, reporter=resident, filed_by=world.proxy)
    filed(world, world.proxy, 4, reporter=resident, filed_by=world.proxy)
    assert submit_retry_at(user=world.proxy) is not None
    assert submit_retry_at(user=resident) is None


def test_an_rt_files_for_a_whole_village_past_a_citizens_limit(world, client, settings):
    """After a flood the RT files for many households in an hour: a citizen's limit (2 an
    hour here) would stop them at the third; theirs is LAPOR_PROXY_SUBMIT_PER_HOUR."""
    settings.LAPOR_PROXY_SUBMIT_PER_HOUR, settings.LAPOR_PROXY_SUBMIT_PER_DAY = 5, 8
    for minutes_ago in (40, 30, 20, 10):
        filed(world, world.proxy, minutes_ago, reporter=world.other_citizen, filed_by=world.proxy)
    assert submit_retry_at(user=world.proxy) is None  # four filed, five allowed
    filed(world, world.proxy, 5, reporter=world.other_citizen, filed_by=world.proxy)
    assert submit_retry_at(user=world.proxy) is not None
    # A citizen who is not an RT keeps the citizen's limit.
    filed(world, world.citizen, 50)
    filed(world, world.citizen, 10)
    assert submit_retry_at(user=world.citizen) is not None


def test_the_api_refuses_a_report_over_the_limit_with_when_to_retry(world, api):
    filed(world, world.citizen, 50)
    filed(world, world.citizen, 10)
    response = api(world.citizen).post("/api/v1/reports/", API_REPORT, format="json")
    assert response.status_code == 429
    assert "laporan berikutnya dapat dikirim setelah" in response.json()["detail"]
    assert 10 * 60 - 5 <= int(response["Retry-After"]) <= 10 * 60  # when the report of 50 minutes ago is an hour old
    assert Report.objects.count() == 2


def test_an_api_resend_of_a_report_already_filed_is_answered_not_refused(world, api):
    client = api(world.citizen)
    filed(world, world.citizen, 10)
    first = client.post("/api/v1/reports/", API_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="ponsel-1")
    assert first.status_code == 201
    assert IdempotencyKey.objects.filter(user=world.citizen, key="ponsel-1").exists()
    # The phone lost the answer and sends the same report again: the limit is reached,
    # but this is the report already filed, not a new one.
    again = client.post("/api/v1/reports/", API_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="ponsel-1")
    assert again.status_code == 200
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    assert client.post("/api/v1/reports/", API_REPORT, format="json",
                       HTTP_IDEMPOTENCY_KEY="ponsel-2").status_code == 429


def test_a_connected_system_named_in_the_settings_is_not_limited(world, api, limits):
    system = world.other_citizen
    limits.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS = [system.username]
    client = api(system)
    codes = [client.post("/api/v1/reports/", {**API_REPORT, "external_id": f"kota-{n}"}, format="json").status_code
             for n in range(4)]
    assert codes == [201, 201, 201, 201]


def test_a_limit_of_zero_is_no_limit(world, client, limits):
    limits.LAPOR_SUBMIT_PER_HOUR = 0
    limits.LAPOR_SUBMIT_PER_DAY = 0
    for minutes_ago in range(5):
        filed(world, world.citizen, minutes_ago)
    client.force_login(world.citizen)
    assert client.post("/lapor/", FORM).status_code == 302


def test_the_service_itself_holds_an_account_to_its_limit_and_writes_nothing_past_it(world):
    from lapor.reports.errors import OverQuota

    filed(world, world.citizen, 50)
    filed(world, world.citizen, 10)
    with pytest.raises(OverQuota) as refused:
        filed(world, world.citizen, 0, limited_by=world.citizen)
    assert "laporan berikutnya dapat dikirim setelah" in refused.value.message
    assert Report.objects.count() == 2
    # A channel with limits of its own (SMS, imports) does not pass limited_by.
    filed(world, world.citizen, 0)
    assert Report.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("channel", ["web", "api"])
def test_reports_sent_all_at_once_at_the_limit_get_in_only_as_far_as_the_limit(limits, channel):
    import itertools

    from django.test import Client
    from rest_framework.test import APIClient

    from lapor.api.tokens import token_issue
    from tests.api.concurrency import concurrently
    from tests.personas import build_world

    world = build_world()
    limits.LAPOR_SUBMIT_PER_HOUR = 2
    filed(world, world.citizen, 10)  # one left this hour
    token = token_issue(user=world.citizen)
    numbers = itertools.count()

    def send():
        n = next(numbers)
        if channel == "api":
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            return client.post("/api/v1/reports/", {**API_REPORT, "title": f"Laporan {n}"}, format="json").status_code
        client = Client()
        client.force_login(world.citizen)
        return client.post("/lapor/", {**FORM, "title": f"Lampu jalan mati nomor {n}"}).status_code

    codes = concurrently(send, times=4)  # at once on PostgreSQL; one after the other on SQLite
    assert sorted(codes) == ([201] if channel == "api" else [302]) + [429, 429, 429]
    assert Report.objects.filter(reporter=world.citizen).count() == 2
