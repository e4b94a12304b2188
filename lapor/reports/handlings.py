"""Handlings rebuilt from reports' history: migration ``reports.0016`` fills the table
for reports written before it existed, ``bench/generate.py`` for its data set, and
``manage.py backfill_handlings`` for reports that old code verified while a release was
being rolled out (a report with no handling at all gets its handlings from its history).

A handling (``Handling``) opens at each arrival (a verification, a transfer of a
verified report), follows dispositions to the unit, takes the first answer given during
it, and ends when the report is handed on ("bukan wewenang" or the next transfer). Most
reports were never handed on: their one handling is the report's own ``arrived_at`` and
``first_answer_at``, copied in one statement; only the others' events are walked."""
from __future__ import annotations

from django.db import connections
from django.db.models import Exists, OuterRef

ARRIVE, DISPOSE, ANSWER, HAND_BACK, TRANSFER = "verify", "dispose", "answer", "not_our_authority", "transfer"
CHUNK = 2000


def from_history(events) -> list[dict]:
    """One report's handlings from its events (oldest first)."""
    handlings, current = [], None
    for event in events:
        if event.action == ARRIVE or (event.action == TRANSFER and not (event.data or {}).get("unverified")):
            if current is not None:
                current["left_at"] = event.at
            current = {"report_id": event.report_id, "agency_id": event.agency_id, "arrived_at": event.at,
                       "first_answer_at": None, "left_at": None}
            handlings.append(current)
        elif current is None:
            continue
        elif event.action == DISPOSE and event.agency_id is not None:
            current["agency_id"] = event.agency_id
        elif event.action == ANSWER and current["first_answer_at"] is None:
            current["first_answer_at"] = event.at
        elif event.action == HAND_BACK:
            current["left_at"] = event.at
            current = None
    return [h for h in handlings if h["agency_id"] is not None]


def backfill(Handling, Report, ReportEvent, using: str = "default") -> int:
    """Write the handlings of every report that has none yet; returns how many."""
    # NOT EXISTS, not NOT IN: PostgreSQL turns it into an anti-join on the events' and the
    # handlings' report indexes, whatever their size (NOT IN over millions of events is
    # hashed only while it fits in work_mem, and rescanned per report when it does not).
    handed_on = Exists(ReportEvent.objects.using(using).filter(report_id=OuterRef("pk"),
                                                               action__in=(HAND_BACK, TRANSFER)))
    has_any = Exists(Handling.objects.using(using).filter(report_id=OuterRef("pk")))
    plain = (Report.objects.using(using)
             .filter(arrived_at__isnull=False, assigned_agency__isnull=False)
             .exclude(handed_on).exclude(has_any)
             .values_list("pk", "assigned_agency_id", "arrived_at", "first_answer_at"))
    sql, params = plain.query.sql_with_params()
    table = Handling._meta.db_table
    with connections[using].cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (report_id, agency_id, arrived_at, first_answer_at) {sql}", params)
        written = cursor.rowcount

    walked = (Report.objects.using(using).filter(handed_on).exclude(has_any)
              .order_by("pk").values_list("pk", flat=True))
    ids = list(walked)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        events = (ReportEvent.objects.using(using).filter(report_id__in=chunk)
                  .filter(action__in=(ARRIVE, DISPOSE, ANSWER, HAND_BACK, TRANSFER))
                  .only("report_id", "action", "agency_id", "at", "data").order_by("report_id", "at", "pk"))
        by_report: dict[int, list] = {}
        for event in events:
            by_report.setdefault(event.report_id, []).append(event)
        rows = [Handling(**h) for history in by_report.values() for h in from_history(history)]
        Handling.objects.using(using).bulk_create(rows)
        written += len(rows)
    return written
