"""How the lifecycle services store what they decide (``lapor.reports.services``).

The services decide: they validate, check the transition table and the actor's role, set
statuses and deadlines, and describe each event. A *writer* stores the result:

- ``Immediate`` (the default, used by every screen, API call, message and the sweep)
  writes each change at once, under a row lock and in a transaction, and tells people
  about each event after commit.
- ``Batch`` (the bulk import's, ``lapor.reports.importing``) keeps a chunk of *new*
  reports with their whole history in memory and writes them with one COPY per table
  (PostgreSQL; multi-row INSERTs on SQLite). Nobody else can see or lock a report that does not exist yet, so nothing
  needs locking, and a report's final state is written once instead of after every step.

Both run the very same service code, so the bulk path cannot drift from the rules: only
the storing differs. ``using(writer)`` selects the writer for the code it wraps.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import json

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from lapor.reports.enums import Channel
from lapor.reports.models import FollowUp, Handling, Report, ReportEvent
from lapor.reports.tracking import new_tracking_id

TRACKING_ID_ATTEMPTS = 20


# {model: [(field, its name if it is a relation, its attname)]}
_fields: dict[type, list] = {}


def build(model: type[models.Model], **values) -> models.Model:
    """``model(**values)``, built the cheaper way Django builds rows it reads: positional
    values in field order instead of keywords (a bulk import builds hundreds of thousands
    of reports and events; keywords cost twice the time). Related objects may be given by
    field name, saved or not yet (a batch's new report): they are held as if read with
    the instance, and their ids taken when the instance is written."""
    fields = _fields.get(model)
    if fields is None:
        fields = _fields[model] = [(f, f.name if f.is_relation else None, f.attname)
                                   for f in model._meta.concrete_fields]
    args, related, used = [], [], 0
    for field, relation, attname in fields:
        if relation is not None and relation in values:
            obj = values[relation]
            args.append(obj.pk if obj is not None else None)
            related.append((field, obj))
            used += 1
        elif attname in values:
            args.append(values[attname])
            used += 1
        else:
            args.append(field.get_default())
    if used != len(values):  # as model(**values) would: a misspelt field is an error
        unknown = set(values) - {name for _f, relation, attname in fields for name in (relation, attname)}
        raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")
    instance = model(*args)
    for field, obj in related:
        field.set_cached_value(instance, obj)
    return instance


def tells_anyone(report: Report, event: ReportEvent) -> bool:
    """Whether an event is news to anybody. History imported from another system is not
    (not even queued): nobody should hear today that a 2019 report was answered."""
    from lapor.notifications.services import IMPORTED_HISTORY_IS_SILENT_AFTER

    return not (report.channel == Channel.IMPORT and event.at < timezone.now() - IMPORTED_HISTORY_IS_SILENT_AFTER)


def _stored_data(data: dict) -> dict:
    """An event's ``data`` as stored: a model instance a service put there (the follow-up
    an answer created, which a batch has not written yet) becomes its primary key."""
    if not any(isinstance(value, models.Model) for value in data.values()):
        return data
    return {key: value.pk if isinstance(value, models.Model) else value for key, value in data.items()}


class Immediate:
    """Write each change at once (the default)."""

    deferred = False

    def atomic(self):
        return transaction.atomic()

    def lock(self, report: Report) -> Report:
        """Re-read the report under a row lock so two people acting at once queue up and
        the second sees the first one's result (and is refused if it no longer applies)."""
        return (
            Report.objects.select_for_update(of=("self",))
            .select_related("addressed_agency", "assigned_agency")
            .get(pk=report.pk)
        )

    def insert_report(self, report: Report) -> None:
        # Random IDs collide now and then (more often as the table fills): retry inside a
        # savepoint so the surrounding transaction survives the failed insert.
        for _attempt in range(TRACKING_ID_ATTEMPTS):
            report.tracking_id = new_tracking_id()
            try:
                with transaction.atomic():
                    report.save(force_insert=True)
                return
            except IntegrityError:
                if Report.objects.filter(tracking_id=report.tracking_id).exists():
                    report.pk = None
                    continue
                raise
        raise RuntimeError("no free tracking ID after %d attempts: raise LAPOR_TRACKING_ID_DIGITS"
                           % TRACKING_ID_ATTEMPTS)

    def save_report(self, report: Report) -> None:
        report.save()

    def add_followup(self, followup: FollowUp) -> None:
        followup.save(force_insert=True)

    def save_followup(self, followup: FollowUp, fields: list[str]) -> None:
        followup.save(update_fields=fields)

    def last_followup(self, report: Report) -> FollowUp | None:
        return report.followups.order_by("-created_at", "-id").first()

    def arrive(self, report: Report, agency, now) -> None:
        """A new handling: ``agency`` holds the report from ``now``; any still open ends
        (a transfer; or one that old code, during a rolling release, never closed)."""
        self.handling(report, left_at=now)
        Handling.objects.create(report=report, agency=agency, arrived_at=now)

    def handling(self, report: Report, **values) -> None:
        """Change the report's open handling (the agency holding it now); a first answer
        is set once."""
        open_ = Handling.objects.filter(report=report, left_at__isnull=True)
        if "first_answer_at" in values:
            open_ = open_.filter(first_answer_at__isnull=True)
        open_.update(**values)

    def add_event(self, event: ReportEvent) -> None:
        event.data = _stored_data(event.data)
        event.save(force_insert=True)
        if tells_anyone(event.report, event):
            from lapor.notifications.services import event_recorded

            # Only what really happened (after commit: a rolled-back action tells nobody),
            # and robustly (a failing broker never undoes or fails a transition).
            transaction.on_commit(functools.partial(event_recorded, event.pk), robust=True)


class Batch:
    """Collect new reports and their history; ``flush()`` writes them all.

    Each report is built inside ``row()``: if the block raises, everything the row added
    is dropped and the batch goes on with the next row. ``flush()`` must run inside a
    transaction; a database error there (a tracking ID taken meanwhile, a constraint)
    propagates, and the caller rolls the chunk back.
    """

    deferred = True

    def __init__(self):
        self.reports: list[Report] = []
        self.followups: list[FollowUp] = []
        self.events: list[ReportEvent] = []
        self.others: list[models.Model] = []  # written last, in order (e.g. external ids)
        self._row: Batch | None = None

    def __len__(self):
        return len(self.reports)

    @contextlib.contextmanager
    def row(self):
        self._row = Batch()
        try:
            yield self
            self.reports += self._row.reports
            self.followups += self._row.followups
            self.events += self._row.events
            self.others += self._row.others
        finally:
            self._row = None

    def _current(self) -> Batch:
        if self._row is None:
            raise RuntimeError("a Batch writes only inside row()")
        return self._row

    def atomic(self):
        return contextlib.nullcontext()  # nothing is written until flush()

    def lock(self, report: Report) -> Report:
        if report.pk is not None:
            raise RuntimeError("a Batch only writes reports it creates")
        return report

    def insert_report(self, report: Report) -> None:
        report.tracking_id = new_tracking_id()
        self._current().reports.append(report)

    def save_report(self, report: Report) -> None:
        pass  # the report is written once, in its final state, by flush()

    def add_followup(self, followup: FollowUp) -> None:
        self._current().followups.append(followup)

    def save_followup(self, followup: FollowUp, fields: list[str]) -> None:
        pass

    def last_followup(self, report: Report) -> FollowUp | None:
        mine = [f for f in self._current().followups if f.report is report]
        return max(mine, key=lambda f: f.created_at, default=None)

    def arrive(self, report: Report, agency, now) -> None:
        self.handling(report, left_at=now)
        handling = build(Handling, report=report, agency=agency, arrived_at=now, first_answer_at=None, left_at=None)
        self._current().others.append(handling)
        report.__dict__["_open_handling"] = handling

    def handling(self, report: Report, **values) -> None:
        handling = report.__dict__.get("_open_handling")
        if handling is None:
            return
        if values.get("first_answer_at") is not None and handling.first_answer_at is not None:
            del values["first_answer_at"]
        for name, value in values.items():
            setattr(handling, name, value)
        if handling.left_at is not None:
            del report.__dict__["_open_handling"]

    def add_event(self, event: ReportEvent) -> None:
        self._current().events.append(event)

    def add(self, obj: models.Model) -> None:
        """Another row to write after the reports and their history."""
        self._current().others.append(obj)

    def flush(self) -> None:
        if not self.reports:
            return
        self._free_tracking_ids()
        insert = _copy if connection.vendor == "postgresql" else _bulk_create
        insert(Report, self.reports)
        insert(FollowUp, self.followups)
        for event in self.events:
            event.data = _stored_data(event.data)
        insert(ReportEvent, self.events)
        by_model: dict[type, list] = {}
        for obj in self.others:
            by_model.setdefault(type(obj), []).append(obj)
        for model, objs in by_model.items():
            insert(model, objs)
        news = [event.pk for event in self.events if tells_anyone(event.report, event)]
        if news:
            from lapor.notifications.services import events_recorded

            transaction.on_commit(functools.partial(events_recorded, news), robust=True)

    def _free_tracking_ids(self) -> None:
        """Draw again the IDs that are taken already, or twice in this batch."""
        for _attempt in range(TRACKING_ID_ATTEMPTS):
            wanted = [report.tracking_id for report in self.reports]
            taken = set(Report.objects.filter(tracking_id__in=wanted).values_list("tracking_id", flat=True))
            seen: set[str] = set()
            again = []
            for report in self.reports:
                if report.tracking_id in taken or report.tracking_id in seen:
                    again.append(report)
                else:
                    seen.add(report.tracking_id)
            if not again:
                return
            for report in again:
                report.tracking_id = new_tracking_id()
        raise RuntimeError("no free tracking IDs after %d attempts: raise LAPOR_TRACKING_ID_DIGITS"
                           % TRACKING_ID_ATTEMPTS)


def _bulk_create(model, objs: list) -> None:
    model.objects.bulk_create(objs)


def _copy(model, objs: list) -> None:
    """``bulk_create`` by PostgreSQL's COPY: the ids are drawn from the table's sequence
    first, then the rows stream in one COPY. Three times less Python per row than
    ``bulk_create``'s parameter preparation and quoting (bench: import of 100,000).

    Values go to psycopg as the model holds them; that is right for the field types of
    the models written here (text, numbers, booleans, dates and aware datetimes, JSON),
    and a model with any other kind of field is written by ``bulk_create`` instead."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    if any(f.get_internal_type() not in _COPIED_TYPES for f in fields):
        return _bulk_create(model, objs)
    table = model._meta.db_table
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, pk.column, len(objs)])
        ids = [row[0] for row in cursor.fetchall()]
        relations = [f for f in fields if f.is_relation]
        json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
        for obj, new_id in zip(objs, ids):
            setattr(obj, pk.attname, new_id)
            for field in relations:  # the id of a related object saved meanwhile (a new report)
                if getattr(obj, field.attname) is None and field.is_cached(obj):
                    related = field.get_cached_value(obj)
                    if related is not None:
                        # Past the descriptor, which would drop the related object it holds.
                        obj.__dict__[field.attname] = related.pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        names = [f.attname for f in fields]
        json_at = [i for i, name in enumerate(names) if name in json_fields]
        # psycopg's own cursor (Django's has no COPY), its errors turned into Django's.
        with connection.wrap_database_errors, \
                cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                held = obj.__dict__  # every field's value, as built (faster than each descriptor)
                row = [held[name] if name in held else getattr(obj, name) for name in names]
                for i in json_at:
                    row[i] = "{}" if row[i] == {} else json.dumps(row[i])
                copy.write_row(row)
    alias = connection.alias
    for obj in objs:
        obj._state.adding, obj._state.db = False, alias


_COPIED_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "DateTimeField",
    "FloatField", "ForeignKey", "IntegerField", "JSONField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "SmallIntegerField", "TextField",
}

_IMMEDIATE = Immediate()
_writer: contextvars.ContextVar[Immediate | Batch] = contextvars.ContextVar("report_writer", default=_IMMEDIATE)


def current() -> Immediate | Batch:
    return _writer.get()


@contextlib.contextmanager
def using(writer: Immediate | Batch):
    token = _writer.set(writer)
    try:
        yield writer
    finally:
        _writer.reset(token)


def atomic(func):
    """``transaction.atomic`` for a service, under the writer in use (a batch writes
    nothing until its flush, so it needs no savepoint per step)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with _writer.get().atomic():
            return func(*args, **kwargs)

    return wrapper
