"""What counts as a working day, and when a deadline of N working days ends (SPEC §4).

Expected dates are worked out by hand from the 2026–2027 calendars of holidays==0.109,
which the first tests pin down: if a new release moves a holiday, they say so first.
"""

import datetime
from zoneinfo import ZoneInfo

import holidays
import pytest

from lapor.workdays.calendar import (
    deadline_for,
    holiday_name,
    is_working_day,
    working_day_start_before,
    working_days_between,
)

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
D = datetime.date


def at(year, month, day, hour=10, minute=0, tz=WIB):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)


def end_of(day, tz=WIB):
    return datetime.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=tz)


# --- the package's calendar, as these tests assume it -----------------------------------


def test_the_package_lists_nyepi_idul_fitri_and_their_cuti_bersama_in_march_2026():
    found = holidays.country_holidays("ID", years=2026, categories=("public", "government"))
    assert sorted(d for d in found if D(2026, 3, 16) <= d <= D(2026, 3, 31)) == [
        D(2026, 3, 18),  # Wed, cuti bersama Nyepi
        D(2026, 3, 19),  # Thu, Nyepi
        D(2026, 3, 20),  # Fri, cuti bersama Idul Fitri
        D(2026, 3, 21),  # Sat, Idul Fitri
        D(2026, 3, 22),  # Sun, Idul Fitri day two
        D(2026, 3, 23),  # Mon, cuti bersama
        D(2026, 3, 24),  # Tue, cuti bersama
    ]


def test_the_package_lists_christmas_and_new_year_around_the_end_of_2026_and_2027():
    found = holidays.country_holidays("ID", years=[2026, 2027, 2028], categories=("public", "government"))
    assert sorted(d for d in found if D(2026, 12, 20) <= d <= D(2027, 1, 10)) == [
        D(2026, 12, 24),  # Thu, cuti bersama Natal
        D(2026, 12, 25),  # Fri, Natal
        D(2027, 1, 1),  # Fri, Tahun Baru
        D(2027, 1, 5),  # Tue, Isra Mikraj
    ]
    assert sorted(d for d in found if D(2027, 12, 20) <= d <= D(2028, 1, 3)) == [
        D(2027, 12, 24),  # Fri, cuti bersama Natal
        D(2027, 12, 25),  # Sat, Natal
        D(2027, 12, 26),  # Sun, Isra Mikraj
        D(2028, 1, 1),  # Sat, Tahun Baru
    ]


# --- is_working_day and holiday_name ----------------------------------------------------


def test_an_ordinary_weekday_is_a_working_day():
    assert is_working_day(D(2026, 3, 17))  # Tuesday


def test_saturday_and_sunday_are_not_working_days():
    assert not is_working_day(D(2026, 3, 28))
    assert not is_working_day(D(2026, 3, 29))


def test_a_national_holiday_on_a_weekday_is_not_a_working_day():
    assert not is_working_day(D(2026, 3, 19))  # Nyepi, Thursday


def test_a_cuti_bersama_day_is_not_a_working_day():
    assert not is_working_day(D(2026, 3, 23))  # Monday after Idul Fitri


def test_a_datetime_is_refused_where_a_date_is_expected_because_its_day_depends_on_the_zone():
    with pytest.raises(TypeError):
        is_working_day(at(2026, 3, 17))


def test_holidays_are_named_in_indonesian():
    assert holiday_name(D(2026, 3, 19)) == "Hari Suci Nyepi"
    assert holiday_name(D(2026, 3, 23)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert holiday_name(D(2026, 12, 25)) == "Hari Raya Natal"


def test_an_ordinary_day_and_a_plain_weekend_have_no_holiday_name():
    assert holiday_name(D(2026, 3, 17)) is None
    assert holiday_name(D(2026, 3, 28)) is None


# --- deadline_for -----------------------------------------------------------------------


def test_a_deadline_ends_at_the_end_of_the_nth_working_day_after_the_event():
    # Tue 10 Nov 2026 → Wed 11, Thu 12, Fri 13.
    assert deadline_for(at(2026, 11, 10), 3, "Asia/Jakarta") == end_of(D(2026, 11, 13))


def test_the_day_of_the_event_never_counts_even_when_it_is_a_working_day():
    assert deadline_for(at(2026, 11, 10, 0, 1), 1, "Asia/Jakarta") == end_of(D(2026, 11, 11))


def test_a_deadline_skips_the_weekend():
    # Thu 12 Nov 2026 → Fri 13, (Sat, Sun), Mon 16, Tue 17.
    assert deadline_for(at(2026, 11, 12), 3, "Asia/Jakarta") == end_of(D(2026, 11, 17))


def test_an_event_on_a_weekend_starts_counting_on_monday():
    assert deadline_for(at(2026, 11, 14), 1, "Asia/Jakarta") == end_of(D(2026, 11, 16))


def test_a_deadline_skips_idul_fitri_and_its_cuti_bersama():
    # Tue 17 Mar 2026; 18–24 Mar are Nyepi, Idul Fitri, cuti bersama and a weekend.
    assert deadline_for(at(2026, 3, 17), 3, "Asia/Jakarta") == end_of(D(2026, 3, 27))


def test_a_deadline_over_the_2026_year_end_skips_christmas_cuti_bersama_and_new_year():
    # Wed 23 Dec: 24 cuti bersama, 25 Natal, weekend, 28–31 four days, 1 Jan Tahun Baru,
    # weekend, Mon 4 Jan the fifth.
    assert deadline_for(at(2026, 12, 23), 3, "Asia/Jakarta") == end_of(D(2026, 12, 30))
    assert deadline_for(at(2026, 12, 23), 5, "Asia/Jakarta") == end_of(D(2027, 1, 4))


def test_a_deadline_over_the_2027_year_end_skips_the_christmas_cuti_bersama():
    # Thu 23 Dec 2027: Fri 24 cuti bersama, Sat 25 Natal, Sun; Mon 27 is the first.
    assert deadline_for(at(2027, 12, 23), 1, "Asia/Jakarta") == end_of(D(2027, 12, 27))


def test_a_deadline_is_returned_at_23_59_59_in_the_agencys_zone():
    deadline = deadline_for(at(2026, 11, 10), 1, "Asia/Makassar")
    assert (deadline.hour, deadline.minute, deadline.second, deadline.microsecond) == (23, 59, 59, 0)
    assert deadline.tzinfo == WITA
    assert deadline.utcoffset() == datetime.timedelta(hours=8)


def test_the_same_late_evening_event_starts_the_count_a_day_later_in_wit_than_in_wib():
    # Mon 23 Nov 2026 23:30 WIB is already Tue 24 Nov 00:30 WITA and 01:30 WIT.
    event = datetime.datetime(2026, 11, 23, 23, 30, tzinfo=WIB)

    in_wib = deadline_for(event, 1, "Asia/Jakarta")
    in_wita = deadline_for(event, 1, "Asia/Makassar")
    in_wit = deadline_for(event, 1, "Asia/Jayapura")

    assert in_wib == end_of(D(2026, 11, 24), WIB)
    assert in_wita == end_of(D(2026, 11, 25), WITA)
    assert in_wit == end_of(D(2026, 11, 25), WIT)
    assert in_wit.date() - in_wib.date() == datetime.timedelta(days=1)
    # Each zone's midnight comes an hour earlier in absolute time than the one west of it.
    assert in_wita - in_wit == datetime.timedelta(hours=1)


def test_a_start_in_utc_is_read_in_the_agencys_zone():
    # Fri 13 Nov 2026 18:00 UTC is Sat 14 Nov 01:00 WIB: counting starts after Saturday.
    event = datetime.datetime(2026, 11, 13, 18, 0, tzinfo=datetime.UTC)
    assert deadline_for(event, 1, "Asia/Jakarta") == end_of(D(2026, 11, 16))


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="naive"):
        deadline_for(datetime.datetime(2026, 11, 10, 10, 0), 1, "Asia/Jakarta")


@pytest.mark.parametrize("days", [0, -3])
def test_a_deadline_needs_at_least_one_working_day(days):
    with pytest.raises(ValueError, match="at least 1"):
        deadline_for(at(2026, 11, 10), days, "Asia/Jakarta")


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC", "WIB", ""])
def test_a_zone_outside_indonesia_is_refused_by_name(zone):
    with pytest.raises(ValueError, match="Unknown time zone .*Asia/Jakarta.*Asia/Makassar.*Asia/Jayapura"):
        deadline_for(at(2026, 11, 10), 1, zone)


# --- working_days_between ---------------------------------------------------------------


def test_the_countdown_is_zero_on_the_day_of_the_event():
    assert working_days_between(at(2026, 3, 17, 8), at(2026, 3, 17, 22), "Asia/Jakarta") == 0


def test_the_countdown_counts_only_working_days_after_the_start():
    # After Tue 17 Mar 2026 the next working day is Wed 25 Mar.
    assert working_days_between(at(2026, 3, 17), at(2026, 3, 24, 23), "Asia/Jakarta") == 0
    assert working_days_between(at(2026, 3, 17), at(2026, 3, 25, 0, 5), "Asia/Jakarta") == 1
    assert working_days_between(at(2026, 3, 17), at(2026, 3, 31), "Asia/Jakarta") == 5


def test_the_countdown_is_negative_when_the_end_comes_before_the_start():
    assert working_days_between(at(2026, 3, 31), at(2026, 3, 17), "Asia/Jakarta") == -5


def test_the_countdown_reads_both_moments_in_the_agencys_zone():
    start = datetime.datetime(2026, 11, 23, 23, 30, tzinfo=WIB)  # Tue 24 Nov in WIT
    end = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=WIB)
    assert working_days_between(start, end, "Asia/Jakarta") == 1
    assert working_days_between(start, end, "Asia/Jayapura") == 0


def test_the_countdown_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="naive"):
        working_days_between(at(2026, 3, 17), datetime.datetime(2026, 3, 31), "Asia/Jakarta")


def test_a_reminder_two_working_days_before_a_deadline_after_christmas_starts_on_wednesday():
    # Deadline Monday 28 December 2026; Thu 24 (cuti bersama) and Fri 25 (Natal) are off,
    # so the second-last working day up to it is Wednesday the 23rd, from 00:00 WITA.
    due = datetime.datetime(2026, 12, 28, 23, 59, 59, tzinfo=ZoneInfo("Asia/Makassar"))
    assert working_day_start_before(due, 1, "Asia/Makassar") == datetime.datetime(
        2026, 12, 28, 0, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    assert working_day_start_before(due, 2, "Asia/Makassar") == datetime.datetime(
        2026, 12, 23, 0, 0, tzinfo=ZoneInfo("Asia/Makassar"))
