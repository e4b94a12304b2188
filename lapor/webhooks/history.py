"""A report as each of its events left it, read from its history (``ReportEvent.agency``,
``data`` and ``text``), not from the report as it is now: which agency held it before and
after the event, and what it said and how sensitive it was then.

Holding (docs/api.md, *Webhooks*): before verification, and after "bukan wewenang", the
report is with the agency it is addressed to (whose admins route it); once verified, with
the agency or unit it was verified, disposed or transferred to. What changes the address
is recorded on the event that changes it:

- a transfer before verification: ``data["from"]`` (the old address), ``agency`` (the new);
- a verification by the national admin to another government: ``data["changes"]
  ["addressed_agency"] = [old, new]``;
- a transfer after verification: ``agency`` (the new address) and ``data["addressed_from"]``
  (the old one). Transfers recorded before that key existed do not name it: it is the
  address the history gave the report until then or, when this transfer is the first
  change of address, the government of the unit that held it (the inspectorate for
  whistle-blowing), which is what a report is normally addressed to.

The fields a verification or a change of flags corrects (``title``, ``is_confidential``,
``is_anonymous``, ``category``, ``region``) are recorded there as ``[old, new]``, and a
reporter's completion appends ``"\\n\\n" + text`` to the body: walking the history back
from the report as it is now gives each event's own. (A completion's new region is not
recorded: the region before one is read as the report's later one.)

An agency the history names that no longer exists (its row deleted) is logged and read as
unknown: whoever it may concern is skipped, the others still hear of the event; so is a
whole report whose history cannot be read (malformed data).
"""
from __future__ import annotations

import dataclasses
import logging

from django.db.models import Case, F, TextField, Value, When

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.regions.models import Region
from lapor.reports.enums import Action, Kind

# The fan-out's own logger: what it skips reads as the job's (docs/api.md).
log = logging.getLogger("lapor.webhooks.delivery")

class _Unknown:
    def __repr__(self):
        return "UNKNOWN"


# A holder the history names but that cannot be read (a deleted agency, a history that
# cannot be walked): not None, which means "no agency" (the national admin routes it).
UNKNOWN = _Unknown()

# Events that hand the report to ``event.agency``.
HANDING = {Action.VERIFY, Action.DISPOSE, Action.TRANSFER}
# What the history records as [old, new] in ``data["changes"]`` (verify, set_flags).
CORRECTED = ("title", "is_confidential", "is_anonymous", "category", "region")


@dataclasses.dataclass(frozen=True)
class Step:
    """One event: the agency that held the report before it and after it (pks, None or
    UNKNOWN) and the report's fields as it left it."""

    before: int | _Unknown | None
    after: int | _Unknown | None
    state: dict


def _changes(data: dict) -> dict:
    changes = data.get("changes")
    return changes if isinstance(changes, dict) else {}


def _pair(changes: dict, field: str) -> list | None:
    pair = changes.get(field)
    return pair if isinstance(pair, list) and len(pair) == 2 else None


class Holders:
    """The steps of the reports met in one fan-out pass, each report's history read once,
    and the agencies, categories and regions they name, each read once."""

    def __init__(self):
        self._steps: dict[int, dict[int, Step]] = {}
        self._fallback: dict[int, Step] = {}
        self._agencies: dict = {}
        self._missing_logged: set = set()
        self._categories: dict = {}
        self._regions: dict = {}

    # --- what callers ask -------------------------------------------------------------

    def step(self, event) -> Step:
        report = event.report
        if event.report_id not in self._steps:
            try:
                self._steps[event.report_id] = self._walk(report)
            except Exception:  # noqa: BLE001 - one unreadable history must not stop the fan-out
                log.exception("webhooks: the history of report %s cannot be read; its events go to no agency "
                              "subscriber until it can", report.tracking_id)
                self._steps[event.report_id] = {}
        found = self._steps[event.report_id].get(event.pk)
        if found is None:  # an event the walk did not see (newer than the read, or unreadable)
            found = self._fallback.setdefault(event.report_id, Step(UNKNOWN, UNKNOWN, _current(report)))
        return found

    def known(self, pk) -> bool:
        """Whether a holder of a ``Step`` can be read: None (no agency) or an existing row."""
        return pk is None or (pk is not UNKNOWN and self.agency(pk) is not None)

    def agency(self, pk) -> Agency | None:
        """The row of a holder of a ``Step``; None for no agency and for one that cannot be read."""
        if pk is None or pk is UNKNOWN:
            return None
        if pk not in self._agencies:
            found = Agency.objects.filter(pk=pk).first() if isinstance(pk, int) and not isinstance(pk, bool) else None
            self._agencies[pk] = found
            if found is None and pk not in self._missing_logged:
                self._missing_logged.add(pk)
                log.warning("webhooks: agency %r, named in a report's history, does not exist (deleted?): "
                            "events that went to it or left it are skipped for the subscribers they may concern",
                            pk)
        return self._agencies[pk]

    def category(self, pk) -> dict | None:
        if pk is None:
            return None
        if pk not in self._categories:
            row = Category.objects.filter(pk=pk).values("slug", "name").first() if isinstance(pk, int) else None
            self._categories[pk] = row
        return dict(self._categories[pk]) if self._categories[pk] else None

    def region(self, code) -> dict | None:
        if code is None:
            return None
        if code not in self._regions:
            self._regions[code] = Region.objects.filter(pk=code).values("code", "name").first()
        return dict(self._regions[code]) if self._regions[code] else None

    # --- reading a history -----------------------------------------------------------

    def _walk(self, report) -> dict[int, Step]:
        # The text of completions only (what they appended to the body), not of every answer.
        completion = Case(When(action=Action.COMPLETE, then=F("text")), default=Value(""), output_field=TextField())
        events = [
            (pk, action, agency_id, data if isinstance(data, dict) else {}, text)
            for pk, action, agency_id, data, text in report.events.order_by("at", "id").annotate(
                completion=completion).values_list("pk", "action", "agency_id", "data", "completion")
        ]
        states = _states(report, events)
        addressed = self._first_address(report, events)
        held, steps = addressed, {}
        for pk, action, agency_id, data, _text in events:
            before = held
            if action in HANDING and agency_id:
                readdressed = _pair(_changes(data), "addressed_agency")
                if action == Action.VERIFY:
                    before = readdressed[0] if readdressed else held
                else:
                    # A disposition's or a transfer's "from": the unit that held it, or (a
                    # transfer before verification) the old address. None after "bukan
                    # wewenang": then the router held it.
                    before = data.get("from") or held
                if action == Action.TRANSFER or readdressed:
                    addressed = agency_id
                held = agency_id
            elif action == Action.NOT_OUR_AUTHORITY:
                before, held = agency_id or held, addressed  # back to the router
            elif agency_id:
                before = held = agency_id
            steps[pk] = Step(before, held, states[pk])
        return steps

    def _first_address(self, report, events) -> int | _Unknown | None:
        """The agency the report was addressed to before its first event: where the first
        change of address says it came from, else the one addressed now (none changed it)."""
        last = None  # the last agency the history named before that change
        for _pk, action, agency_id, data, _text in events:
            if action == Action.TRANSFER and data.get("unverified"):
                return data.get("from")
            readdressed = _pair(_changes(data), "addressed_agency") if action == Action.VERIFY else None
            if readdressed:
                return readdressed[0]
            if action == Action.TRANSFER:
                if "addressed_from" in data:  # recorded since stop 30
                    return data["addressed_from"]
                return self._government([data.get("from"), last], report.kind)
            last = agency_id or last
        return report.addressed_agency_id

    def _government(self, pks, kind: str) -> int | _Unknown | None:
        """The agency a report held by the first of ``pks`` that exists was addressed to,
        as reports are: the government it belongs to (for whistle-blowing, its inspectorate)."""
        named = [pk for pk in pks if pk is not None]
        agency = next((found for found in map(self.agency, named) if found is not None), None)
        if agency is None:
            return UNKNOWN if named else None
        if kind == Kind.WHISTLEBLOWING:
            for above in reversed(agency.ancestors()):
                if above.is_inspectorate:
                    return above.pk
        return int(agency.path.split("/", 1)[0])


def _current(report) -> dict:
    return {"title": report.title, "body": report.body, "is_confidential": report.is_confidential,
            "is_anonymous": report.is_anonymous, "category": report.category_id, "region": report.region_id}


def _states(report, events) -> dict[int, dict]:
    """Each event's fields of the report as it left it: the report as it is now, with the
    later corrections undone, newest first."""
    state, states = _current(report), {}
    for pk, action, _agency_id, data, text in reversed(events):
        states[pk] = dict(state)
        if action in (Action.VERIFY, Action.SET_FLAGS):
            changes = _changes(data)
            for field in CORRECTED:
                if pair := _pair(changes, field):
                    state[field] = pair[0]
        elif action == Action.COMPLETE and text and (state["body"] or "").endswith("\n\n" + text):
            state["body"] = state["body"][: -len(text) - 2]
    return states
