"""`manage.py deadline <start> <working days> [--zone]` prints when a deadline ends."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_the_deadline_as_an_iso_datetime_in_wib_by_default():
    assert run("2026-03-17T10:00:00+07:00", "3") == "2026-03-27T23:59:59+07:00"


def test_a_start_without_offset_is_read_in_the_given_zone():
    assert run("2026-03-17T10:00", "3") == "2026-03-27T23:59:59+07:00"
    assert run("2026-03-17T10:00", "3", "--zone", "Asia/Jayapura") == "2026-03-27T23:59:59+09:00"


def test_a_start_with_an_offset_is_converted_to_the_given_zone_first():
    # Mon 23 Nov 23:30 WIB is Tue 24 Nov in WIT, so the first working day after it is Wed 25.
    assert run("2026-11-23T23:30+07:00", "1", "--zone", "Asia/Jayapura") == "2026-11-25T23:59:59+09:00"
    assert run("2026-11-23T23:30+07:00", "1") == "2026-11-24T23:59:59+07:00"


def test_an_unreadable_start_is_refused_with_an_example():
    with pytest.raises(CommandError, match="Cannot read 'kemarin' as an ISO date"):
        run("kemarin", "3")


@pytest.mark.parametrize("days", ["0", "-1"])
def test_fewer_than_one_working_day_is_refused(days):
    with pytest.raises(CommandError, match="at least 1"):
        run("2026-03-17T10:00", days)


def test_a_number_of_days_that_is_not_a_number_is_refused():
    with pytest.raises(CommandError, match="whole number"):
        run("2026-03-17T10:00", "tiga")


def test_an_unknown_zone_is_refused_with_the_three_known_ones():
    with pytest.raises(CommandError, match="Asia/Tokyo.*Asia/Jakarta, Asia/Makassar, Asia/Jayapura"):
        run("2026-03-17T10:00", "3", "--zone", "Asia/Tokyo")
