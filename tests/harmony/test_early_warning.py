"""Early warning: a threshold crossed in a district raises exactly one alert to the
Kesbangpol head and the regional leadership, however often the check runs."""
import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from lapor.harmony import selectors, services
from lapor.harmony.models import HarmonyAlert
from lapor.notifications.models import Channel, Notification
from lapor.notifications.services import unread_count

from .conftest import NOW

HIGH, CRITICAL, LOW = 3, 4, 1


def test_an_incident_above_the_threshold_raises_exactly_one_alert(harmony, incident,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident(level=HIGH)
        incident(level=HIGH, village="63.72.02.1004")
        assert HarmonyAlert.objects.count() == 0
        incident(level=CRITICAL)  # the third high-or-worse incident in Landasan Ulin within 30 days

    alert = HarmonyAlert.objects.get()
    assert (alert.region_id, alert.incident_count, alert.max_level) == ("63.72.02", 3, CRITICAL)
    told = Notification.objects.filter(key=f"harmony-alert:{alert.pk}", channel=Channel.IN_APP)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["kepala.kesbangpol", "sekda.banjarbaru"]
    warnings = [m for m in mail.outbox if m.subject.startswith("Peringatan dini SILAPAT")]
    assert sorted(m.to[0] for m in warnings) == ["kepala.kesbangpol@example.id", "sekda.banjarbaru@example.id"]
    assert warnings[0].subject == "Peringatan dini SILAPAT: Landasan Ulin"
    assert "Pak" not in warnings[0].body and "Ketegangan soal" not in warnings[0].body


def test_checking_again_and_again_raises_no_second_alert(harmony, incident, django_capture_on_commit_callbacks):
    for village in ("63.72.02.1005", "63.72.02.1004", "63.72.02.1005"):
        incident(level=HIGH, village=village)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.harmony_periodic_check(now=NOW)
        second = services.harmony_periodic_check(now=NOW + datetime.timedelta(hours=1))
        incident(level=HIGH)  # a fourth one: the same ongoing crossing

    assert first["raised"] == 0 and second["raised"] == 0  # the assessment already raised it
    assert HarmonyAlert.objects.count() == 1


def test_the_database_refuses_a_second_alert_for_the_same_crossing(harmony, incident):
    for _ in range(3):
        incident(level=HIGH)
    alert = HarmonyAlert.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        HarmonyAlert.objects.create(threshold=alert.threshold, region=alert.region, window_start=alert.window_start,
                                    window_end=alert.window_end, incident_count=3, max_level=HIGH, raised_at=NOW)


def test_incidents_below_the_level_or_in_other_districts_raise_nothing(harmony, incident):
    incident(level=HIGH)
    incident(level=HIGH)
    incident(level=LOW)
    incident(level=HIGH, village="63.72.04.1001")
    incident()  # not assessed yet

    services.harmony_periodic_check(now=NOW)

    assert HarmonyAlert.objects.count() == 0


def test_an_alert_clears_when_the_window_passes_and_a_later_crossing_raises_a_new_one(harmony, incident):
    for _ in range(3):
        incident(level=HIGH)
    later = NOW + datetime.timedelta(days=31)

    services.harmony_periodic_check(now=later)
    assert HarmonyAlert.objects.get().cleared_on == datetime.date(2026, 6, 12)

    for _ in range(3):
        incident(level=HIGH, now=later)
    assert HarmonyAlert.objects.count() == 2
    assert HarmonyAlert.objects.filter(cleared_on__isnull=True).count() == 1


def test_the_early_warning_page_is_for_the_office_people_only(harmony, incident, as_user):
    for _ in range(3):
        incident(level=HIGH)
    world = harmony.world

    for person in (harmony.operator, harmony.head, harmony.leadership, world.national_admin):
        response = as_user(person).get(f"/kantor/silapat/peringatan/?kantor={harmony.office.pk}")
        assert response.status_code == 200, person
        assert "Landasan Ulin" in response.content.decode()
    for person in (world.citizen, world.agency_admin, world.other_unit_officer):
        assert as_user(person).get("/kantor/silapat/peringatan/").status_code == 403, person
    assert as_user(None).get("/kantor/silapat/peringatan/").status_code == 302


def test_opening_the_early_warning_page_marks_the_alerts_read(harmony, incident, as_user):
    for _ in range(3):
        incident(level=HIGH)
    head_page = as_user(harmony.head)
    assert '<span class="badge">1</span>' in head_page.get("/kantor/silapat/").content.decode()

    head_page.get("/kantor/silapat/peringatan/")

    assert unread_count(harmony.head) == 0
    assert unread_count(harmony.leadership) == 1
    assert '<span class="badge">' not in head_page.get("/kantor/silapat/").content.decode()


def test_an_incident_reported_after_midnight_in_banjarbaru_is_of_that_day(harmony, incident):
    # 00:30 WITA on 1 December is still 30 November in Jakarta: the office counts its own day.
    from zoneinfo import ZoneInfo

    from lapor.harmony.models import HarmonyIncident

    assert harmony.kesbangpol.time_zone == "Asia/Makassar"
    report = incident(now=datetime.datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("Asia/Makassar")))
    assert HarmonyIncident.objects.get(report=report).occurred_on == datetime.date(2026, 12, 1)


def critical_in_seven_days(harmony):
    from lapor.harmony.models import HarmonyThreshold

    HarmonyThreshold.objects.filter(pk=harmony.threshold.pk).update(is_active=False)
    return HarmonyThreshold.objects.create(office=harmony.office, name="Satu kejadian kritis dalam 7 hari",
                                           min_level=CRITICAL, count=1, days=7)


def test_a_new_crossing_by_the_same_incident_after_its_alert_cleared_raises_a_new_alert(
        harmony, incident, django_capture_on_commit_callbacks):
    threshold = critical_in_seven_days(harmony)
    report = incident(level=CRITICAL)
    first = HarmonyAlert.objects.get(threshold=threshold)
    services.harmony_assess(report=report, by=harmony.operator, level=LOW, now=NOW + datetime.timedelta(hours=1))
    first.refresh_from_db()
    assert first.cleared_on == datetime.date(2026, 5, 12)

    with django_capture_on_commit_callbacks(execute=True):
        services.harmony_assess(report=report, by=harmony.operator, level=CRITICAL,
                                now=NOW + datetime.timedelta(hours=2))

    second = HarmonyAlert.objects.get(threshold=threshold, cleared_on__isnull=True)
    assert second.pk != first.pk and second.window_start == first.window_start
    told = Notification.objects.filter(key=f"harmony-alert:{second.pk}", channel=Channel.IN_APP)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["kepala.kesbangpol", "sekda.banjarbaru"]
    assert services.harmony_periodic_check(now=NOW + datetime.timedelta(hours=3))["raised"] == 0


def test_switching_a_threshold_off_and_on_again_raises_the_ongoing_crossing_anew(harmony, incident):
    from lapor.harmony import thresholds

    threshold = critical_in_seven_days(harmony)
    incident(level=CRITICAL)
    thresholds.threshold_set_active(threshold=threshold, by=harmony.head, is_active=False, now=NOW)
    thresholds.threshold_set_active(threshold=threshold, by=harmony.head, is_active=True,
                                    now=NOW + datetime.timedelta(minutes=5))

    alerts = HarmonyAlert.objects.filter(threshold=threshold)
    assert alerts.count() == 2
    assert alerts.filter(cleared_on__isnull=True).count() == 1


def test_an_alert_cleared_by_switching_off_is_dated_on_the_offices_day(harmony, incident):
    from lapor.harmony import thresholds

    threshold = critical_in_seven_days(harmony)
    incident(level=CRITICAL)
    # 13 May, 00:20 in Banjarbaru (WITA); still 12 May in Jakarta.
    thresholds.threshold_set_active(threshold=threshold, by=harmony.head, is_active=False,
                                    now=datetime.datetime(2026, 5, 12, 16, 20, tzinfo=datetime.timezone.utc))

    assert HarmonyAlert.objects.get(threshold=threshold).cleared_on == datetime.date(2026, 5, 13)


def test_the_database_refuses_a_second_ongoing_alert_for_a_region_whatever_its_window(harmony, incident):
    for _ in range(3):
        incident(level=HIGH)
    alert = HarmonyAlert.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        HarmonyAlert.objects.create(threshold=alert.threshold, region=alert.region,
                                    window_start=alert.window_start + datetime.timedelta(days=1),
                                    window_end=alert.window_end, incident_count=3, max_level=HIGH, raised_at=NOW)


def map_points(page) -> list[dict]:
    import html
    import json
    import re

    found = re.search(r'data-points="([^"]*)"', page.content.decode())
    return json.loads(html.unescape(found.group(1))) if found else []



def test_the_map_shows_a_confidential_incident_only_to_who_may_open_it(harmony, as_user):
    from django.utils import timezone

    from lapor.reports import services as lifecycle

    now = timezone.now()  # the page shows the last 180 days before today

    def located(groups, latitude):
        report = services.harmony_report_submit(
            reporter=harmony.world.citizen, title="Ketegangan di lokasi pembangunan", body="Warga berkumpul.",
            tension_kind="antar", groups=groups, region=harmony.region("63.72.02.1005"), latitude=latitude,
            longitude=114.788, now=now)
        lifecycle.report_verify(report=report, by=harmony.world.agency_admin, agency=harmony.kesbangpol, now=now)
        services.harmony_assess(report=report, by=harmony.operator, level=CRITICAL, now=now)
        return report

    public, confidential = located("", -3.466), located("Dua kelompok pemuda", -3.471)
    assert confidential.is_confidential and not public.is_confidential
    page = f"/kantor/silapat/peringatan/?kantor={harmony.office.pk}"

    leaders_map = map_points(as_user(harmony.leadership).get(page))
    operators_map = map_points(as_user(harmony.operator).get(page))

    assert [p["lat"] for p in leaders_map] == [-3.466]
    assert sorted(p["lat"] for p in operators_map) == [-3.471, -3.466]
    leaders_page = as_user(harmony.leadership).get(page).content.decode()
    assert confidential.tracking_id not in leaders_page
    assert "<td class=\"num\">2</td>" in leaders_page  # still counted in Landasan Ulin's row of the trend


def test_alert_and_assessment_times_are_in_the_office_zone(harmony, incident, as_user):
    for _ in range(3):
        report = incident(level=HIGH)  # at 03:00 UTC, 11:00 in Banjarbaru
    operator = as_user(harmony.operator)

    warning = operator.get(f"/kantor/silapat/peringatan/?kantor={harmony.office.pk}").content.decode()
    assessment = operator.get(f"/kantor/silapat/kejadian/{report.tracking_id}/").content.decode()

    assert "12 Mei 2026 11:00 WITA" in warning and "WIB" not in warning
    assert "12 Mei 2026 11:00 WITA" in assessment


def test_the_trend_starts_a_new_month_at_the_offices_midnight_not_jakartas(harmony, incident, as_user, time_machine):
    # 1 June 2026, 00:30 in Banjarbaru (WITA) is still 31 May, 23:30 in Jakarta.
    first_of_june = datetime.datetime(2026, 5, 31, 16, 30, tzinfo=datetime.timezone.utc)
    time_machine.move_to(first_of_june, tick=False)
    incident(now=first_of_june, occurred=datetime.date(2026, 6, 1))

    trend = selectors.trend(harmony.office)
    page = as_user(harmony.operator).get(f"/kantor/silapat/peringatan/?kantor={harmony.office.pk}").content.decode()

    assert trend["per_month"][-1] == ("Jun 26", 1)
    assert "Jun 26" in page
