"""An administrator's WorkdayOverride wins over the package, and every process sees it at once."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from lapor.workdays import calendar
from lapor.workdays.calendar import deadline_for, holiday_name, is_working_day, overrides_changed, working_days_between
from lapor.workdays.models import WorkdayOverride

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
D = datetime.date
BEFORE_IDUL_FITRI_2026 = datetime.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)  # Tuesday


def end_of(day):
    return datetime.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=WIB)


def test_an_override_turns_a_cuti_bersama_day_into_a_working_day():
    WorkdayOverride.objects.create(date=D(2026, 3, 23), is_working_day=True, note="Cuti bersama dibatalkan")

    assert is_working_day(D(2026, 3, 23))
    assert holiday_name(D(2026, 3, 23)) is None
    # Mon 23 (now working), Tue 24 cuti bersama, Wed 25, Thu 26.
    assert deadline_for(BEFORE_IDUL_FITRI_2026, 3, "Asia/Jakarta") == end_of(D(2026, 3, 26))


def test_an_override_turns_a_working_day_into_a_holiday_named_by_its_note():
    WorkdayOverride.objects.create(date=D(2026, 3, 25), is_working_day=False, note="Pemungutan suara Pilkada")

    assert not is_working_day(D(2026, 3, 25))
    assert holiday_name(D(2026, 3, 25)) == "Pemungutan suara Pilkada"
    # Thu 26, Fri 27, (weekend), Mon 30.
    assert deadline_for(BEFORE_IDUL_FITRI_2026, 3, "Asia/Jakarta") == end_of(D(2026, 3, 30))


def test_an_override_makes_a_saturday_a_working_day():
    WorkdayOverride.objects.create(date=D(2026, 3, 28), is_working_day=True, note="Hari kerja pengganti")

    assert is_working_day(D(2026, 3, 28))
    assert deadline_for(BEFORE_IDUL_FITRI_2026, 4, "Asia/Jakarta") == end_of(D(2026, 3, 28))


def test_the_calendar_sees_a_new_changed_and_deleted_override_immediately():
    assert deadline_for(BEFORE_IDUL_FITRI_2026, 3, "Asia/Jakarta") == end_of(D(2026, 3, 27))
    # A countdown (kept per pair of days) counts the same days before and after.
    assert working_days_between(BEFORE_IDUL_FITRI_2026, end_of(D(2026, 3, 30)), "Asia/Jakarta") == 4

    override = WorkdayOverride.objects.create(date=D(2026, 3, 25), is_working_day=False, note="Libur daerah")
    assert deadline_for(BEFORE_IDUL_FITRI_2026, 3, "Asia/Jakarta") == end_of(D(2026, 3, 30))
    assert working_days_between(BEFORE_IDUL_FITRI_2026, end_of(D(2026, 3, 30)), "Asia/Jakarta") == 3

    override.date = D(2026, 3, 26)
    override.save()
    assert is_working_day(D(2026, 3, 25))
    assert not is_working_day(D(2026, 3, 26))

    override.delete()
    assert deadline_for(BEFORE_IDUL_FITRI_2026, 3, "Asia/Jakarta") == end_of(D(2026, 3, 27))


def test_the_calendar_sees_bulk_changes_such_as_the_admins_delete_selected():
    WorkdayOverride.objects.bulk_create(
        [
            WorkdayOverride(date=D(2026, 3, 25), is_working_day=False, note="Libur daerah"),
            WorkdayOverride(date=D(2026, 3, 26), is_working_day=False, note="Libur daerah"),
        ]
    )
    assert not is_working_day(D(2026, 3, 25))

    WorkdayOverride.objects.filter(date=D(2026, 3, 25)).update(is_working_day=True)
    assert is_working_day(D(2026, 3, 25))

    WorkdayOverride.objects.all().delete()
    assert is_working_day(D(2026, 3, 26))


def aged(snapshot, seconds=2.0):
    """The snapshot as a process that last confirmed it ``seconds`` ago holds it."""
    version, overrides, checked = snapshot
    return (version, overrides, checked - seconds)


def test_another_process_reloads_the_overrides_within_a_second_of_a_change():
    is_working_day(D(2026, 3, 25))
    stale = calendar._overrides_snapshot  # what a second process still holds in memory

    WorkdayOverride.objects.create(date=D(2026, 3, 25), is_working_day=False, note="Libur daerah")
    calendar._overrides_snapshot = stale  # only the version in the shared cache has moved
    assert is_working_day(D(2026, 3, 25))  # it confirmed its copy less than a second ago

    calendar._overrides_snapshot = aged(stale)
    assert not is_working_day(D(2026, 3, 25))


def test_a_flushed_cache_makes_every_process_reload_the_overrides():
    is_working_day(D(2026, 3, 25))
    stale = calendar._overrides_snapshot

    # Written behind the model's back, then the cache is flushed (a Redis restart).
    WorkdayOverride.objects.bulk_create([WorkdayOverride(date=D(2026, 3, 25), is_working_day=False, note="x")])
    calendar._overrides_snapshot = aged(stale)
    cache.clear()

    assert not is_working_day(D(2026, 3, 25))


def test_the_version_is_bumped_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    # Another process may reload between our write and our commit and would see the old
    # rows under the new version; the second bump on commit makes it reload once more.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        WorkdayOverride.objects.create(date=D(2026, 3, 25), is_working_day=False, note="Libur daerah")
    version = cache.get(calendar._VERSION_KEY)

    for callback in callbacks:
        callback()

    assert cache.get(calendar._VERSION_KEY) != version


def test_a_warm_deadline_computation_makes_no_query(django_assert_num_queries):
    WorkdayOverride.objects.create(date=D(2026, 3, 25), is_working_day=False, note="Libur daerah")
    overrides_changed()  # as another process sees it: cold (saving read the new calendar here already)
    with django_assert_num_queries(1):
        deadline_for(BEFORE_IDUL_FITRI_2026, 60, "Asia/Jakarta")
    with django_assert_num_queries(0):
        for days in range(1, 51):
            deadline_for(BEFORE_IDUL_FITRI_2026, days, "Asia/Jakarta")


def test_a_calendar_without_any_working_day_stops_with_a_clear_error():
    start = D(2026, 1, 1)
    WorkdayOverride.objects.bulk_create(
        WorkdayOverride(date=start + datetime.timedelta(days=i), is_working_day=False, note="Libur")
        for i in range(366 * 3 + 10)
    )
    with pytest.raises(RuntimeError, match="No working day"):
        deadline_for(datetime.datetime(2026, 1, 1, 10, 0, tzinfo=WIB), 1, "Asia/Jakarta")


def test_the_countdown_over_years_agrees_with_counting_each_day_including_overrides():
    # The countdown counts weekdays by arithmetic and then corrects for holidays and
    # overrides; here each range is also counted the slow way, day by day.
    WorkdayOverride.objects.create(date=D(2026, 3, 23), is_working_day=True, note="Masuk (cuti bersama dibatalkan)")
    WorkdayOverride.objects.create(date=D(2026, 3, 28), is_working_day=True, note="Sabtu masuk")
    WorkdayOverride.objects.create(date=D(2026, 4, 2), is_working_day=False, note="Libur daerah")
    WorkdayOverride.objects.create(date=D(2026, 4, 4), is_working_day=False, note="Sabtu tetap libur")
    rng = random.Random(2026)
    starts = [D(2026, 3, 15), D(2025, 12, 20), D(2023, 6, 1), D(2026, 4, 3)]
    for _ in range(40):
        starts.append(D(2023, 1, 1) + datetime.timedelta(days=rng.randrange(4 * 365)))
    for first in starts:
        for length in (0, 1, 6, 7, 8, 13, 20, rng.randrange(30, 1500)):
            last = first + datetime.timedelta(days=length)
            by_day = sum(is_working_day(first + datetime.timedelta(days=n)) for n in range(1, length + 1))
            start = datetime.datetime(first.year, first.month, first.day, 9, tzinfo=WIB)
            end = datetime.datetime(last.year, last.month, last.day, 9, tzinfo=WIB)
            assert working_days_between(start, end, "Asia/Jakarta") == by_day, (first, last)
            assert working_days_between(end, start, "Asia/Jakarta") == -by_day, (first, last)
