"""Deadlines follow a correction of the holiday calendar (SPEC §4: an administrator extends
or corrects the holidays per year).

A deadline is the end of the N-th working day after the event that started its clock. When
an administrator declares a future date a day off (a late cuti bersama, an election day) or
a working day, every stored deadline counted over that date moves by the working days it
gained or lost: the answer due dates of open reports (``due_at``) and the reopening window
of closed ones (``reopen_until``). Only dates after today move anything: a correction of
today or of the past leaves deadlines as they were counted, and the clock of a report that
started today is not known apart from one that started earlier.

The clock's start is not stored; it is not needed. With T = today and L = a deadline's
local day, the working days in (T, L] under the old calendar are those under the new one,
less what the corrected dates in (T, L] gained; the new deadline is the end of that many
working days after today under the new calendar. Reports sharing a deadline (every
deadline is 23:59:59 in its zone) move together.

The correction's request only records it (a ``CalendarCorrection``, in its own
transaction). The background work, one at a time and in the order saved, first *decides*
the moves (``decide_pending``: a ``DeadlineMove`` per report, in a few statements, counted
as of the correction's time and on the calendar as it was right after it), then *makes*
them (``apply_moves``: a batch per transaction, each report once, and only where its
deadline is still the one the move was decided from). Both run in the task the
correction queues and at the start of every sweep (a worker that died half-way). A
deadline an action set anew after the correction (an answer, a reply, a transfer…) was
counted on the corrected calendar already, and is left alone.

Each report moved gets an entry in its history (SPEC §3: every change to a report is an
event), by the system, saying the new deadline; no person is sent a message about it (a
national day off may move every open report in the country at once); connected systems'
webhooks carry it as every other entry.
"""
from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from lapor.agencies.models import TimeZone
from lapor.reports.enums import Action, Status
from lapor.reports.models import CalendarCorrection, DeadlineMove, Report, ReportEvent
from lapor.workdays import calendar
from lapor.workdays.calendar import deadline_for, ends_a_day, is_working_day, working_days_between

log = logging.getLogger(__name__)

FIELDS = (("due_at", Status.open()), ("reopen_until", {Status.CLOSED}))
# Reports moved (and their history entries written) per transaction.
ROWS_PER_BATCH = 2000
ADVISORY_LOCK = 0x4C6170_0C41  # "Lap" + calendar: deciding and making moves, one at a time
# Actions whose event sets the report's deadline anew, on the calendar of that moment: after
# a correction, such a report's deadline is already counted on the corrected calendar. (A
# disposition keeps the clock running, a postponement too; notes and the sweep's entries
# set nothing.)
COUNTS_AFRESH = (Action.SUBMIT, Action.VERIFY, Action.RETURN, Action.COMPLETE, Action.NOT_OUR_AUTHORITY,
                 Action.TRANSFER, Action.ANSWER, Action.REPLY, Action.RATE, Action.CLOSE, Action.AUTO_CLOSE,
                 Action.REOPEN)


def _zone_of(moment: datetime.datetime) -> str | None:
    """The zone in which this deadline is the end of a day (deadline_for's 23:59:59)."""
    for zone in dict.fromkeys([settings.LAPOR_DEFAULT_ZONE, *TimeZone.values]):
        if ends_a_day(moment, zone):
            return zone
    return None


def deadlines_follow_calendar(*, now: datetime.datetime | None = None) -> int:
    """Decide the moves of every correction recorded and make them at once:
    ``decide_pending`` then ``apply_moves``. Returns how many reports got a new deadline."""
    decide_pending()
    return apply_moves(now=now)


def decide_pending() -> int:
    """Decide the moves of the corrections recorded and not decided yet, one at a time in
    the order saved, each counted as of its own time and on the calendar as it was right
    after it (a later correction already saved is set aside while deciding an earlier one).
    A transaction per correction; a few statements each, whatever the number of reports.
    Returns how many corrections were decided."""
    decided = 0
    while True:
        with transaction.atomic():
            _one_at_a_time()
            pending = list(CalendarCorrection.objects.order_by("pk"))
            if not pending:
                return decided
            first, later = pending[0], pending[1:]
            before_later: dict[datetime.date, bool] = {}
            for correction in reversed(later):  # the earliest later one says how a date was
                before_later.update(_dates(correction.changed))
            with calendar.as_if(before_later):
                plan_moves(_dates(first.changed), now=first.at)
            first.delete()
            decided += 1


def _dates(changed: dict[str, bool]) -> dict[datetime.date, bool]:
    return {datetime.date.fromisoformat(day): was for day, was in changed.items()}


def plan_moves(changed: dict[datetime.date, bool], *, now: datetime.datetime | None = None) -> int:
    """Decide, for every stored deadline ``changed`` affects, where it moves, and keep that
    as a ``DeadlineMove`` per report: a few statements, whatever the number of reports.
    ``now`` is when the correction was made: a deadline set anew since is left alone
    (counted on the corrected calendar already), and a move still waiting is counted from
    where it is going. Returns how many moves wait now."""
    now = now or timezone.now()
    dates = ",".join(f"{day:%Y-%m-%d}" for day in sorted(changed))
    with transaction.atomic():
        _one_at_a_time()
        for field, statuses in FIELDS:
            waiting = DeadlineMove.objects.filter(field=field)
            # A move whose deadline was set anew before it was made would be dropped when
            # made: forget it here, so that this correction counts from the new deadline.
            waiting.exclude(Exists(Report.objects.filter(
                pk=OuterRef("report_id"), status__in=statuses, **{field: OuterRef("old")}))).delete()
            moments = set(Report.objects.filter(status__in=statuses, **{f"{field}__gt": now})
                          .order_by().values_list(field, flat=True).distinct())
            moments |= set(waiting.order_by().values_list("new", flat=True).distinct())
            moves = {moment: new for moment in moments if (new := _moved(moment, changed, now)) != moment}
            if not moves:
                continue
            # Moves already waiting go on from their target (one UPDATE: each row once).
            waiting.filter(new__in=list(moves)).update(
                new=Case(*(When(new=old, then=Value(new)) for old, new in moves.items()), default=F("new")),
                calendar=Concat(F("calendar"), Value("," + dates)))
            _insert_moves(field, statuses, moves, dates, since=now)  # the others, from where they are
            waiting.filter(new=F("old")).delete()  # corrected back where it was
        return DeadlineMove.objects.count()


def _insert_moves(field: str, statuses, moves: dict, dates: str, *, since: datetime.datetime) -> None:
    """One INSERT … SELECT of a move for each report with a deadline in ``moves``, no move
    waiting already, and no deadline set anew at or after ``since``."""
    ops = connection.ops
    value = lambda moment: ops.adapt_datetimefield_value(moment)  # noqa: E731 - as the ORM stores it
    report, move, event = Report._meta.db_table, DeadlineMove._meta.db_table, ReportEvent._meta.db_table
    column = Report._meta.get_field(field).column
    cases = " ".join("WHEN %s THEN %s" for _ in moves)
    sql = (f"INSERT INTO {move} (report_id, field, old, new, calendar) "
           f"SELECT r.id, %s, r.{column}, CASE r.{column} {cases} END, %s FROM {report} r "
           f"WHERE r.status IN ({', '.join(['%s'] * len(statuses))}) "
           f"AND r.{column} IN ({', '.join(['%s'] * len(moves))}) "
           f"AND NOT EXISTS (SELECT 1 FROM {move} m WHERE m.report_id = r.id AND m.field = %s) "
           f"AND NOT EXISTS (SELECT 1 FROM {event} e WHERE e.report_id = r.id AND e.at >= %s "
           f"AND e.action IN ({', '.join(['%s'] * len(COUNTS_AFRESH))}))")
    params = [field, *(v for old, new in moves.items() for v in (value(old), value(new))), dates,
              *[str(s) for s in statuses], *(value(old) for old in moves), field,
              value(since), *[str(a) for a in COUNTS_AFRESH]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def apply_moves(*, now: datetime.datetime | None = None) -> int:
    """Make the waiting moves, a batch per transaction: each report whose deadline is still
    the one the move was decided from (one that an action set anew since was counted on
    the corrected calendar already) gets its new deadline and a history entry. Run by the
    task the correction queues, and at the start of every sweep (a worker that died
    half-way). Returns how many reports got a new deadline."""
    now = now or timezone.now()
    if not DeadlineMove.objects.exists():
        return 0  # the usual case: one indexed read, no transaction or lock
    moved, after = 0, 0
    while True:
        # From where the last batch ended: the rows made are deleted, and an index scan from
        # the start would step over all of them again on every batch.
        count, after = _apply_batch(now, after)
        moved += count
        if after is None:
            break
    if moved:
        log.info("calendar corrected: %d deadlines moved", moved)
    return moved


@transaction.atomic
def _apply_batch(now: datetime.datetime, after: int) -> tuple[int, int | None]:
    """Make the next ``ROWS_PER_BATCH`` waiting moves (ids above ``after``). Returns how
    many moved, and the last id looked at (None: there were none)."""
    from lapor.notifications.models import EventFanout

    _one_at_a_time()
    batch = list(DeadlineMove.objects.filter(pk__gt=after).order_by("pk")
                 .values_list("pk", "report_id", "field", "old", "new", "calendar")[:ROWS_PER_BATCH])
    if not batch:
        return 0, None
    statuses = dict(FIELDS)
    reports = {row[0]: row for row in Report.objects.select_for_update().filter(
        pk__in={report_id for _pk, report_id, *_rest in batch}).values_list(
        "pk", "due_at", "reopen_until", "status", "assigned_agency_id")}
    groups: dict[tuple, list[int]] = {}
    events = []
    for _pk, report_id, field, old, new, dates in batch:
        row = reports.get(report_id)
        if row is None or row[3] not in statuses[field] or row[1 if field == "due_at" else 2] != old:
            continue  # closed, reopened or answered since: its deadline was counted afresh
        groups.setdefault((field, new), []).append(report_id)
        events.append(ReportEvent(
            report_id=report_id, at=now, actor=None, actor_role="system", action=Action.MOVE_DEADLINE,
            from_status=row[3], to_status=row[3], agency_id=row[4],
            data={"field": field, "from": old.isoformat(), "deadline": new.isoformat(),
                  "calendar": sorted(set(dates.split(",")))}))
    for (field, new), pks in groups.items():
        Report.objects.filter(pk__in=pks).update(**{field: new})
    events = ReportEvent.objects.bulk_create(events, batch_size=1000)
    # Nobody is told (no recipient): marked done, so the sweep's catch-up does not fan them out.
    EventFanout.objects.bulk_create([EventFanout(event_id=e.pk, at=now) for e in events], batch_size=1000)
    DeadlineMove.objects.filter(pk__in=[pk for pk, *_rest in batch]).delete()
    return len(events), batch[-1][0]


def _one_at_a_time() -> None:
    """Deciding and making moves never interleave (a second correction is decided from the
    moves of the first, made or waiting): on PostgreSQL a transaction-scoped advisory lock;
    SQLite writes one transaction at a time already (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


def _moved(moment: datetime.datetime, changed: dict[datetime.date, bool], now: datetime.datetime) -> datetime.datetime:
    """Where a deadline counted before the correction now falls."""
    zone = _zone_of(moment)
    if zone is None:
        return moment  # not counted in working days (e.g. an imported report's own date)
    tz = ZoneInfo(zone)
    today, last = now.astimezone(tz).date(), moment.astimezone(tz).date()
    gained = sum(int(is_working_day(day)) - int(was) for day, was in changed.items() if today < day <= last)
    if not gained:
        return moment
    counted = working_days_between(now, moment, zone) - gained  # as the deadline was counted
    return deadline_for(now, counted, zone) if counted >= 1 else moment


def waiting() -> bool:
    """Whether a correction waits to be decided or a move to be made (one query: the sweep
    asks on every pass)."""
    corrections, moves = CalendarCorrection._meta.db_table, DeadlineMove._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {corrections}) OR EXISTS (SELECT 1 FROM {moves})")
        return bool(cursor.fetchone()[0])


def catch_up(*, now: datetime.datetime | None = None) -> int:
    """Decide what waits, then make it: the task a correction queues, and the start of
    every sweep. Returns how many reports got a new deadline."""
    if not waiting():
        return 0  # the usual case: one query, no transaction or lock
    return deadlines_follow_calendar(now=now)


def on_calendar_corrected(sender, changed, **kwargs) -> None:
    """In the correction's transaction: record it, and after the commit queue the
    background work that decides and makes its moves (in this process where there is no
    broker)."""
    from lapor.reports.tasks import move_deadlines

    CalendarCorrection.objects.create(at=timezone.now(), changed={f"{day:%Y-%m-%d}": was for day, was in changed.items()})

    def queue() -> None:
        try:
            move_deadlines.delay()
        except Exception:  # noqa: BLE001 - the broker is down: the next sweep decides and makes them
            log.exception("could not queue the deadline moves of a calendar correction; the sweep will")

    transaction.on_commit(queue)
