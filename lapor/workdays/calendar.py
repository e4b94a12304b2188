"""Working-day arithmetic: the one place that knows what a hari kerja is (SPEC §4).

A working day is Monday–Friday, minus Indonesian national holidays and joint leave days
(cuti bersama) as the ``holidays`` package knows them, with ``WorkdayOverride`` rows
winning over both. Deadlines end at 23:59:59 of the N-th working day after the event, in
the responsible agency's own time zone.

Caching: holidays are computed once per year per process. Overrides are loaded from the
database into a per-process dict and reused for as long as a version token in Django's
cache stays the same; ``WorkdayOverride`` changes the token on every write, so every
process reloads on its next call. A warm call makes no query and one cache read.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
import time
import uuid
from zoneinfo import ZoneInfo

import holidays
from django.core.cache import cache

__all__ = [
    "ZONES",
    "as_if",
    "deadline_for",
    "holiday_name",
    "is_working_day",
    "overrides_changed",
    "working_days_between",
]

#: The three Indonesian time zones an agency can be in.
ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

# "government" is where the holidays package keeps cuti bersama.
_HOLIDAY_CATEGORIES = ("public", "government")

# Far more than any real stretch of holidays; only a broken override set gets here.
_MAX_DAYS_WITHOUT_WORK = 366 * 3

_VERSION_KEY = "workdays:overrides:version"
END_OF_DAY = datetime.time(23, 59, 59)  # every deadline ends then, in its zone

# {date: (is_working_day, note)}
_Overrides = dict[datetime.date, tuple[bool, str]]

# (version token, overrides); replaced as a whole, never mutated.
# (version, overrides, when this process last confirmed the version: time.monotonic())
_overrides_snapshot: tuple[str, _Overrides, float] | None = None
_VERSION_CHECK_SECONDS = 1.0
# Answers kept per overrides set, by store name: "deadlines" {(local day, working days,
# zone): deadline} (a bulk import asks for the same few days thousands of times) and
# "between" {(first, last): working days} (an inbox page counts 25 countdowns, most of
# them between the same few days). {name: (the overrides they were computed with, {...})}
_kept: dict[str, tuple[_Overrides, dict]] = {}
_KEPT_PER_STORE = 20_000
# Set by ``as_if``: the overrides this context counts with instead of the stored ones.
_pinned: contextvars.ContextVar[_Overrides | None] = contextvars.ContextVar("workdays_pinned", default=None)


# --- public API -------------------------------------------------------------------------


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day: Mon–Fri, not a holiday or cuti bersama, unless overridden.

    Reads the override cache (at most one query when cold, none when warm).
    """
    return _is_working_day(_check_date(day), _overrides())


def holiday_name(day: datetime.date) -> str | None:
    """The Indonesian name of the holiday on ``day``, for display; ``None`` on other days.

    An override that makes ``day`` a holiday gives its note as the name; an override that
    makes it a working day hides the package's holiday. Plain weekends have no name.
    """
    day = _check_date(day)
    override = _overrides().get(day)
    if override is not None:
        is_working, note = override
        return None if is_working else (note or "Libur")
    return _holidays_of_year(day.year).get(day)


def deadline_for(start: datetime.datetime, working_days: int, zone: str) -> datetime.datetime:
    """The end of the ``working_days``-th working day after ``start``, in ``zone``.

    ``start`` must be aware; it is read in ``zone`` first, and its own local day never
    counts. The result is 23:59:59 on that day, as an aware datetime in ``zone``.

    Raises ``ValueError`` for a naive ``start``, ``working_days < 1`` or an unknown zone,
    and ``RuntimeError`` if no working day turns up for years (a broken override set).
    """
    tz = _zone(zone)
    if isinstance(working_days, bool) or not isinstance(working_days, int):
        raise TypeError(f"working_days must be an int, not {type(working_days).__name__}")
    if working_days < 1:
        raise ValueError(f"working_days must be at least 1, got {working_days}")
    day = _local_date(start, tz)
    overrides = _overrides()
    # The answer depends only on the local day, the count, the zone and the overrides.
    kept = _kept_with(overrides, "deadlines")
    key = (day, working_days, zone)
    found = kept.get(key)
    if found is not None:
        return found
    counted = 0
    days_without_work = 0
    while counted < working_days:
        day += datetime.timedelta(days=1)
        if _is_working_day(day, overrides):
            counted += 1
            days_without_work = 0
        else:
            days_without_work += 1
            if days_without_work > _MAX_DAYS_WITHOUT_WORK:
                raise RuntimeError(
                    f"No working day in the {_MAX_DAYS_WITHOUT_WORK} days before {day:%Y-%m-%d}; "
                    "check the workday overrides (koreksi hari kerja)."
                )
    kept[key] = deadline = datetime.datetime.combine(day, END_OF_DAY, tzinfo=tz)
    return deadline


def ends_a_day(moment: datetime.datetime, zone: str) -> bool:
    """Whether ``moment`` is the end of a day in ``zone``, as every deadline counted here is."""
    return moment.astimezone(_zone(zone)).time().replace(microsecond=0) == END_OF_DAY


def same_day_in(deadline: datetime.datetime, counted_in: str, zone: str) -> datetime.datetime:
    """A deadline counted in ``counted_in``, as the end of the same day in ``zone``: where a
    report handed to a unit in another zone keeps its clock, the unit's day is the limit
    (SPEC §4: the responsible agency's own zone), not 01:59 of the next one. A moment
    that is not the end of a day in ``counted_in`` (not counted in working days) stays."""
    if counted_in == zone or not ends_a_day(deadline, counted_in):
        return deadline
    return datetime.datetime.combine(_local_date(deadline, _zone(counted_in)), END_OF_DAY, tzinfo=_zone(zone))


def working_days_between(start: datetime.datetime, end: datetime.datetime, zone: str) -> int:
    """Working days after ``start``'s local day, up to and including ``end``'s local day.

    Both are read in ``zone``. Negative when ``end`` falls on an earlier local day than
    ``start``; zero on the same day. Consistent with ``deadline_for``:
    ``working_days_between(s, deadline_for(s, n, zone), zone) == n``.
    Used for countdowns ("2 hari kerja lagi") and statistics.
    """
    tz = _zone(zone)
    first = _local_date(start, tz)
    last = _local_date(end, tz)
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    overrides = _overrides()
    kept = _kept_with(overrides, "between")
    count = kept.get((first, last))
    if count is None:
        count = kept[(first, last)] = _working_days_after(first, last, overrides)
    return sign * count


def _working_days_after(first: datetime.date, last: datetime.date, overrides: _Overrides) -> int:
    """Working days d with first < d <= last, without walking day by day: weekdays by
    arithmetic, then the holidays and overrides in the range (an inbox shows reports
    overdue for years; a walk cost ~2,000 steps per countdown)."""
    total = (last - first).days
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    day = first + datetime.timedelta(days=weeks * 7)
    for _ in range(rest):
        day += datetime.timedelta(days=1)
        count += day.weekday() < 5
    for year in range(first.year, last.year + 1):
        for holiday in _holidays_of_year(year):
            if first < holiday <= last and holiday.weekday() < 5:
                count -= 1
    for day, (is_working, _note) in overrides.items():
        if first < day <= last:
            usual = day.weekday() < 5 and day not in _holidays_of_year(day.year)
            count += int(is_working) - int(usual)
    return count


def working_day_start_before(end: datetime.datetime, working_days: int, zone: str) -> datetime.datetime:
    """00:00 (in ``zone``) of the ``working_days``-th last working day up to ``end``'s local day.

    ``working_days=1`` is the start of ``end``'s own day if it is a working day (else of the
    working day before it). The sweep reminds from this instant before a deadline.
    """
    tz = _zone(zone)
    if working_days < 1:
        raise ValueError(f"working_days must be at least 1, got {working_days}")
    day = _local_date(end, tz)
    overrides = _overrides()
    counted = 0
    for _step in range(_MAX_DAYS_WITHOUT_WORK + working_days * 7):
        if _is_working_day(day, overrides):
            counted += 1
            if counted >= working_days:
                return datetime.datetime.combine(day, datetime.time(0), tzinfo=tz)
        day -= datetime.timedelta(days=1)
    raise RuntimeError(f"No working day found before {end.isoformat()}; check the workday overrides.")


@contextlib.contextmanager
def as_if(statuses: dict[datetime.date, bool]):
    """Count, inside the block, as if ``statuses`` (date → is it a working day) were the
    calendar's overrides on those dates, the stored ones elsewhere: the calendar as it was
    before later corrections, for deciding an earlier one's deadline moves
    (lapor/reports/recalendar.py). The stored ones are read afresh from the database: this
    process's copy may be a second old, from before the correction being decided."""
    overrides = _load_overrides()
    overrides.update({day: (is_working, "") for day, is_working in statuses.items()})
    token = _pinned.set(overrides)
    try:
        yield
    finally:
        _pinned.reset(token)


def overrides_changed() -> None:
    """Forget the cached overrides in this process and in every other one.

    ``WorkdayOverride`` calls this on every write; call it yourself after writing
    overrides in a way that bypasses the model (raw SQL, ``loaddata``).
    """
    global _overrides_snapshot
    _overrides_snapshot = None
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


# --- internals --------------------------------------------------------------------------


def _kept_with(overrides: _Overrides, store: str) -> dict:
    """The answers of ``store`` computed with this overrides set: emptied when the set is
    replaced (an override changed) or the store grows past ``_KEPT_PER_STORE``."""
    kept_for, kept = _kept.get(store, (None, None))
    if kept_for is not overrides or len(kept) > _KEPT_PER_STORE:
        kept = {}
        _kept[store] = (overrides, kept)
    return kept


def _is_working_day(day: datetime.date, overrides: _Overrides) -> bool:
    override = overrides.get(day)
    if override is not None:
        return override[0]
    return day.weekday() < 5 and day not in _holidays_of_year(day.year)


@functools.cache
def _holidays_of_year(year: int) -> dict[datetime.date, str]:
    # A plain dict: the package's HolidayBase silently adds years when asked about a date
    # outside them, which we do not want on a shared object.
    found = holidays.country_holidays("ID", years=year, categories=_HOLIDAY_CATEGORIES, language="id")
    return dict(found.items())


def _overrides() -> _Overrides:
    global _overrides_snapshot
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    snapshot = _overrides_snapshot
    # Asking the shared cache for the version on every deadline costs a round trip each
    # (a submit, a sweep batch, an import row compute several): within a second of the
    # last check this process trusts its copy. Its own writes reset it at once
    # (overrides_changed); another process's writes reach it within that second.
    if snapshot is not None and time.monotonic() - snapshot[2] < _VERSION_CHECK_SECONDS:
        return snapshot[1]
    version = cache.get(_VERSION_KEY)
    if version is None:
        # First process up, or the cache was flushed: start a new version, so that no
        # process keeps overrides it loaded under a version that has been forgotten.
        cache.add(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(_VERSION_KEY)
    if snapshot is not None and snapshot[0] == version:
        _overrides_snapshot = (version, snapshot[1], time.monotonic())
        return snapshot[1]

    overrides = _load_overrides()
    _overrides_snapshot = (version, overrides, time.monotonic())
    return overrides


def _load_overrides() -> _Overrides:
    from lapor.workdays.models import WorkdayOverride

    return {
        day: (is_working, note)
        for day, is_working, note in WorkdayOverride.objects.values_list("date", "is_working_day", "note")
    }


def _zone(zone: str) -> ZoneInfo:
    if zone not in ZONES:
        known = ", ".join(f"{name} ({label})" for name, label in ZONES.items())
        raise ValueError(f"Unknown time zone {zone!r}; expected one of {known}")
    return ZoneInfo(zone)


def _local_date(moment: datetime.datetime, tz: ZoneInfo) -> datetime.date:
    if not isinstance(moment, datetime.datetime):
        raise TypeError(f"expected a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: give a time zone")
    return moment.astimezone(tz).date()


def _check_date(day: datetime.date) -> datetime.date:
    # A datetime is a date subclass; taking its date would silently pick a time zone.
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"expected a date, not {type(day).__name__}")
    return day
