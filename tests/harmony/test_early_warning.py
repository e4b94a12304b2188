"""Early warning: a threshold crossed in a district raises exactly one alert to the
Kesbangpol head and the regional leadership, however often the check runs."""
import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from lapor.harmony import services
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
