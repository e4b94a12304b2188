"""The sweep: deadlines that act by themselves (SPEC §4).

One pass, run every minute by ``manage.py scheduler`` (embedded default) or celery beat
(production), or once by ``manage.py sweep``:

- auto-closes answered reports the reporter left without a reply past their deadline
  (``reports_auto_close``) and archives returned reports never completed
  (``reports_expire_return``), in batches through the lifecycle services;
- escalates to the supervisors in scope every report whose verification or answer
  deadline has passed (one ``escalate`` event per deadline);
- reminds whoever must act, from the start (00:00, in the agency's zone) of the
  ``LAPOR_REMINDER_DAYS_BEFORE``-th last working day up to the deadline: with the default
  1, at 00:00 of the deadline's own working day (the deadline is 23:59:59 that day);
  with 2, at 00:00 of the working day before, and so on (one ``remind`` event per deadline);
- warns the desk and the supervisors ``LAPOR_OUTER_LIMIT_WARNING_DAYS`` calendar days
  before the 60-day limit of Perpres 76/2013 (one ``outer_limit_warning`` per limit).

Cost: every step reads only rows whose indexed deadline (``Report.due_at`` /
``outer_due_at``) is past or near, minus those already handled, never the archive.

Exactly once: reminders, escalations and warnings are written in batches, each one
transaction that locks its reports (``FOR UPDATE SKIP LOCKED``: a second sweep takes
other rows instead of waiting), re-checks under the lock that each is still due and not
yet alerted, and inserts the history events with their ``DeadlineAlert`` rows, unique
per (report, kind, deadline instant). Should two sweeps still collide, the unique key
refuses the second insert and its whole batch rolls back. Auto-close and archive go in
batches through the lifecycle services, which lock with SKIP LOCKED and re-check each
report is still due under the lock.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from lapor.notifications.models import AlertKind, DeadlineAlert
from lapor.reports import recalendar, services
from lapor.reports.enums import Action, Status
from lapor.reports.models import Report, ReportEvent
from lapor.workdays.calendar import deadline_for, working_day_start_before

log = logging.getLogger(__name__)

# Reports alerted per transaction: few round trips per report, short enough row locks.
BATCH = 200

# Statuses whose deadline is staff's: reminded before it, escalated after it.
STAFF_DEADLINES = frozenset({Status.SUBMITTED, Status.POSTPONED, Status.DISPATCHED})
# A returned report's deadline is the reporter's: reminded, then archived, not escalated.
REMINDED = STAFF_DEADLINES | {Status.RETURNED}


@dataclass
class SweepResult:
    auto_closed: int = 0
    archived: int = 0
    escalated: int = 0
    reminded: int = 0
    warned: int = 0
    deadlines_moved: int = 0  # by a calendar correction (lapor/reports/recalendar.py)

    def as_dict(self) -> dict:
        return asdict(self)


def sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Run one pass over everything due at ``now``.

    Side effects: report status changes (auto-close, archive) and ``remind`` /
    ``escalate`` / ``outer_limit_warning`` history events with their ``DeadlineAlert``
    rows; each event's notifications are queued after its commit (see
    ``reports.services._record``). Safe to run in several processes at once."""
    now = now or timezone.now()
    result = SweepResult()
    # Deadlines a calendar correction moves, should its task not have decided or made them
    # yet: the steps below judge the corrected ones.
    result.deadlines_moved = recalendar.catch_up(now=now)
    closing = _due(Report.objects.filter(status=Status.IN_PROGRESS, due_at__lt=now))
    for i in range(0, len(closing), BATCH):
        result.auto_closed += services.reports_auto_close(pks=closing[i:i + BATCH], now=now)
    expiring = _due(Report.objects.filter(status=Status.RETURNED, due_at__lt=now))
    for i in range(0, len(expiring), BATCH):
        result.archived += services.reports_expire_return(pks=expiring[i:i + BATCH], now=now)
    result.escalated = _escalate(now)
    result.reminded = _remind(now)
    result.warned = _warn_outer_limit(now)
    if any(asdict(result).values()):
        log.info("sweep at %s: %s", now.isoformat(), result.as_dict())
    return result


# --- steps --------------------------------------------------------------------------------


def _due(queryset) -> list[int]:
    return list(queryset.order_by("due_at", "pk").values_list("pk", flat=True))


def _not_alerted(kind: str, deadline_field: str):
    return ~Exists(DeadlineAlert.objects.filter(report=OuterRef("pk"), kind=kind, deadline=OuterRef(deadline_field)))


def _escalate(now: datetime.datetime) -> int:
    candidates = _due(
        Report.objects.filter(status__in=STAFF_DEADLINES, due_at__lt=now)
        .filter(_not_alerted(AlertKind.ESCALATION, "due_at"))
    )
    return _alert_all(candidates, AlertKind.ESCALATION, Action.ESCALATE, now,
                      still_due=lambda r: r.status in STAFF_DEADLINES and r.due_at is not None and r.due_at < now,
                      deadline_of=lambda r: r.due_at)


def _remind(now: datetime.datetime) -> int:
    days_before = settings.LAPOR_REMINDER_DAYS_BEFORE
    if days_before < 1:
        return 0
    # The latest deadline whose reminder can have started: due on the days_before-th
    # working day from today (any zone; a day's margin covers the zones' offsets).
    horizon = deadline_for(now, days_before, "Asia/Jakarta") + datetime.timedelta(days=1)
    candidates = (
        Report.objects.filter(status__in=REMINDED, due_at__gte=now, due_at__lte=horizon)
        .filter(_not_alerted(AlertKind.REMINDER, "due_at"))
        .select_related("assigned_agency", "addressed_agency")
        .order_by("due_at", "pk")
    )

    def still_due(r):
        return (r.status in REMINDED and r.due_at is not None and r.due_at >= now
                and now >= working_day_start_before(r.due_at, days_before, r.deadline_zone))

    return _alert_all([r.pk for r in candidates if still_due(r)], AlertKind.REMINDER, Action.REMIND, now,
                      still_due=still_due, deadline_of=lambda r: r.due_at, internal=True)


def _warn_outer_limit(now: datetime.datetime) -> int:
    window = datetime.timedelta(days=settings.LAPOR_OUTER_LIMIT_WARNING_DAYS)
    candidates = list(
        Report.objects.filter(status__in=Status.open(), outer_due_at__lte=now + window)
        .filter(_not_alerted(AlertKind.OUTER_LIMIT, "outer_due_at"))
        .order_by("outer_due_at", "pk").values_list("pk", flat=True)
    )
    return _alert_all(candidates, AlertKind.OUTER_LIMIT, Action.OUTER_LIMIT_WARNING, now,
                      still_due=lambda r: (r.status in Status.open() and r.outer_due_at is not None
                                           and r.outer_due_at <= now + window),
                      deadline_of=lambda r: r.outer_due_at)


def _alert_all(pks: list[int], kind: str, action: str, now: datetime.datetime, **options) -> int:
    return sum(_alert_batch(pks[i:i + BATCH], kind, action, now, **options) for i in range(0, len(pks), BATCH))


def _alert_batch(pks: list[int], kind: str, action: str, now: datetime.datetime, *, still_due, deadline_of,
                 internal: bool = False) -> int:
    """Record one reminder/escalation/warning for each report of ``pks`` still due, once.

    Rows another transaction holds (another sweep, or someone acting on the report right
    now) are skipped: their holder finishes them, or the next pass looks again."""
    from lapor.notifications.services import events_recorded

    try:
        with transaction.atomic():
            locked = list(
                Report.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("assigned_agency", "addressed_agency")
                .filter(pk__in=pks).order_by("pk")
            )
            due = [r for r in locked if still_due(r)]
            # A fresh read under our locks: a sweep that committed after our candidate
            # query (and released these rows) has left its alerts here.
            done = set(DeadlineAlert.objects.filter(kind=kind, report__in=due).values_list("report_id", "deadline"))
            fresh = [r for r in due if (r.pk, deadline_of(r)) not in done]
            if not fresh:
                return 0
            events = ReportEvent.objects.bulk_create([
                ReportEvent(
                    report=r, at=now, actor=None, actor_role="system", action=action,
                    from_status=r.status, to_status=r.status,
                    agency=r.assigned_agency if r.assigned_agency_id else None, is_internal=internal,
                    data={"deadline": deadline_of(r).astimezone(ZoneInfo(r.deadline_zone)).isoformat(),
                          "zone": r.deadline_zone},
                )
                for r in fresh
            ])
            DeadlineAlert.objects.bulk_create([
                DeadlineAlert(report=r, kind=kind, deadline=deadline_of(r), event=e, at=now)
                for r, e in zip(fresh, events)
            ])
            if not internal:
                # A public history entry: the report changed as the public sees it (its
                # kept page, lapor/portal/report_page.py, and Open311's updated_datetime).
                Report.objects.filter(pk__in=[r.pk for r in fresh]).update(updated_at=now)
            # As reports.services._record does for every event: notify after commit.
            ids = [e.pk for e in events]
            transaction.on_commit(lambda: events_recorded(ids), robust=True)
    except IntegrityError:
        # The unique key refused an alert: another worker process got there first. Our
        # events rolled back with it; the next pass picks up whatever is left.
        log.warning("sweep: %s alerts for %d reports collided with another sweep", kind, len(pks))
        return 0
    return len(fresh)
