"""Properties that hold for every start and every number of working days."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lapor.workdays.calendar import ZONES, deadline_for, is_working_day, working_days_between
from lapor.workdays.models import WorkdayOverride

starts = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1),
    max_value=datetime.datetime(2027, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([ZoneInfo(z) for z in ZONES] + [datetime.UTC]),
)
zones = st.sampled_from(list(ZONES))


@pytest.fixture
def some_overrides():
    WorkdayOverride.objects.bulk_create(
        [
            WorkdayOverride(date=datetime.date(2026, 3, 23), is_working_day=True, note="Cuti bersama dibatalkan"),
            WorkdayOverride(date=datetime.date(2026, 6, 13), is_working_day=True, note="Sabtu hari kerja"),
            WorkdayOverride(date=datetime.date(2026, 11, 24), is_working_day=False, note="Libur daerah"),
        ]
    )


@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=starts, days=st.integers(min_value=1, max_value=60), zone=zones)
def test_the_countdown_to_a_deadline_of_n_working_days_starts_at_n(some_overrides, start, days, zone):
    deadline = deadline_for(start, days, zone)

    assert working_days_between(start, deadline, zone) == days
    assert is_working_day(deadline.date())
    assert deadline > start


@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=starts, end=starts, zone=zones)
def test_counting_backwards_gives_the_same_number_negated(start, end, zone):
    assert working_days_between(end, start, zone) == -working_days_between(start, end, zone)
