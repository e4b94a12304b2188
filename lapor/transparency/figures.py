"""The figures of the public statistics and the compliance ranking (SPEC §9).

What is counted (docs/transparency.md):

- Public statistics and the public ranking count **published** reports only
  (``policy.public_reports``): confidential and archived reports never contribute to a
  figure that can be broken down. The only figure over all reports is the total per
  status (plain numbers, no detail), so the public sees how many wait or were archived.
- The supervisors' pages count every report in their scope (``policy.scoped_reports``,
  ``policy.scoped_handlings``), confidential ones included (``supervision.py``).

Counts are GROUP BY queries. Durations in working days need the calendar (holidays,
cuti bersama, the agency's zone), so they are computed in Python over two timestamps per
report; results are cached for ``LAPOR_STATS_CACHE_SECONDS``.
"""
from __future__ import annotations

import datetime
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, CharField, Count, Expression, F, Q, When, Window
from django.db.models.functions import Coalesce, RowNumber, Substr, TruncDate, TruncMonth
from django.db.models.lookups import In
from django.utils import timezone, translation

from lapor.agencies.models import Agency, TimeZone
from lapor.categories.models import Category
from lapor.regions.models import Region
from lapor.reports.enums import Channel, Kind, Status
from lapor.reports.models import AWAITING_TRANSFER, FollowUp, Handling, Report
from lapor.transparency.models import ServiceLevel, ServiceRating
from lapor.workdays.calendar import deadline_for, working_days_between


def cached(key: str, compute, *, refresh: bool = False):
    """``compute()``, kept for ``LAPOR_STATS_CACHE_SECONDS``. ``refresh``: compute now and
    replace what is kept (the background warmer, before an entry expires)."""
    seconds = getattr(settings, "LAPOR_STATS_CACHE_SECONDS", 300)
    if seconds <= 0:
        return compute()
    # Cached values hold labels already turned into text (status names, chart titles):
    # one entry per language, or an English visitor would read the Indonesian labels.
    key = _key(key)
    value = None if refresh else cache.get(key)
    if value is not None:
        return value
    # Many requests missing the same entry at once would all compute it: one takes a
    # short lock and computes, the others wait for its answer (and compute themselves
    # only if it never comes, e.g. the first one died).
    lock = key + ":computing"
    if not cache.add(lock, 1, timeout=60):
        if refresh:
            return None  # someone computes it right now
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.2)
            value = cache.get(key)
            if value is not None:
                return value
    try:
        value = compute()
        cache.set_many({key: value, key + ":at": time.time()}, seconds)
    finally:
        cache.delete(lock)
    return value


MAP_GENERATION = "peta:generation"


def map_generation() -> int:
    """Part of the key of every kept map view: ``forget_map`` moves it on."""
    return cache.get(MAP_GENERATION) or 0


STATS_GENERATION = "lapor:stats:generation"


def forget_map() -> None:
    """Drop every kept map view and every kept figure at once (a report just made
    confidential or archived must vanish from the map and from every count, SPEC §5).
    The figures are computed again by the next visitor or the background warmer."""
    for key in (MAP_GENERATION, STATS_GENERATION):
        try:
            cache.incr(key)
        except ValueError:  # not set yet (or evicted)
            cache.set(key, (cache.get(key) or 0) + 1, None)


def cache_age(key: str) -> float | None:
    """Seconds since ``cached(key, …)`` last computed (in the active language), or None
    if nothing is kept."""
    at = cache.get(_key(key) + ":at")
    return None if at is None else time.time() - at


def _key(key: str) -> str:
    generation = cache.get(STATS_GENERATION) or 0
    return f"lapor:stats:{generation}:{translation.get_language() or settings.LANGUAGE_CODE}:{key}"


# --- counts -------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    count: int


def _rows(pairs, labels) -> list[Row]:
    rows = [Row(str(k), str(labels.get(k, k if k not in (None, "") else "—")), n) for k, n in pairs]
    return sorted(rows, key=lambda r: (-r.count, r.label))


def _group(qs, expression_or_field) -> list[tuple]:
    if isinstance(expression_or_field, str):
        return list(qs.values_list(expression_or_field).annotate(n=Count("id")).order_by())
    return list(qs.annotate(g=expression_or_field).values_list("g").annotate(n=Count("id")).order_by())


# A verified report handed back as "bukan wewenang" is ``submitted`` again but reads
# "Menunggu pelimpahan" everywhere (``Report.status_label``), here too: counted under
# "Belum terverifikasi", a published report looked as if it had never been verified.
AWAITING = "awaiting_transfer"


def _status_rows(qs) -> list[Row]:
    """``qs`` per status as people read it: the GROUP BY status the indexes serve, and,
    only when some are ``submitted``, one more count of those among them already verified."""
    pairs = _group(qs, "status")
    submitted = dict(pairs).get(Status.SUBMITTED, 0)
    if submitted:
        awaiting = qs.filter(status=Status.SUBMITTED, verified_at__isnull=False).count()
        pairs = [(k, n) for k, n in pairs if k != Status.SUBMITTED]
        pairs += [(k, n) for k, n in ((Status.SUBMITTED, submitted - awaiting), (AWAITING, awaiting)) if n]
    return _rows(pairs, {**dict(Status.choices), AWAITING: AWAITING_TRANSFER})


def status_totals() -> list[Row]:
    """All reports per status, published or not: plain numbers, nothing more."""
    return _status_rows(Report.objects.all())


def counts(qs) -> dict[str, list[Row]]:
    """Published reports by kind, status, channel, topic, regency/city, agency, month."""
    out = {
        "kind": _rows(_group(qs, "kind"), dict(Kind.choices)),
        "status": _status_rows(qs),
        "channel": _rows(_group(qs, "channel"), dict(Channel.choices)),
    }
    topic = _group(qs, Coalesce("category__parent_id", "category_id"))
    names = dict(Category.objects.filter(pk__in=[k for k, _n in topic if k]).values_list("pk", "name"))
    out["category"] = _rows(topic, names)
    # Region codes are hierarchical: the first five characters are the regency/city.
    regency = _group(qs, Substr("region_id", 1, 5))
    names = dict(Region.objects.filter(code__in=[k for k, _n in regency if k]).values_list("code", "name"))
    out["region"] = _rows(regency, names)
    # Agency paths are materialised: the first seven characters are the top agency.
    top = _group(qs, Substr("assigned_agency__path", 1, 7))
    ids = {k: int(k.strip("/")) for k, _n in top if k}
    by_id = dict(Agency.objects.filter(pk__in=ids.values()).values_list("pk", "name"))
    out["agency"] = _rows(top, {k: by_id.get(i, k) for k, i in ids.items()})
    months = _group(qs, TruncMonth("created_at"))
    out["month"] = [
        Row(m.strftime("%Y-%m"), m.strftime("%m/%Y"), n) for m, n in sorted((m, n) for m, n in months if m)
    ]
    return out


def _weighted_median(counts: dict):
    """The median of a multiset given as {value: how many times}."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def nth(k):  # the k-th smallest value, 0-based
        seen = 0
        for value, n in ordered:
            seen += n
            if k < seen:
                return value
        raise IndexError(k)

    if total % 2:
        return nth(total // 2)
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def _zones():
    return [value for value, _label in TimeZone.choices]


def _zone_q(relation: str, zone: str) -> Q:
    q = Q(**{f"{relation}__time_zone": zone})
    if zone == settings.LAPOR_DEFAULT_ZONE:
        q |= Q(**{f"{relation}__isnull": True})
    return q


class _Memo:
    """Working-day answers for local dates, each computed once per figure computation
    (not across calls: an administrator may correct the calendar at any time)."""

    def __init__(self):
        self.between, self.deadline = {}, {}

    def days_between(self, start: datetime.date, end: datetime.date, zone: str) -> int:
        key = (start, end, zone)
        if key not in self.between:
            self.between[key] = working_days_between(_noon(start, zone), _noon(end, zone), zone)
        return self.between[key]

    def deadline_after(self, day: datetime.date, days: int, zone: str) -> datetime.datetime:
        key = (day, days, zone)
        if key not in self.deadline:
            self.deadline[key] = deadline_for(_noon(day, zone), days, zone)
        return self.deadline[key]


def local_day(moment: datetime.datetime, zone: str) -> datetime.date:
    return timezone.localtime(moment, ZoneInfo(zone)).date()


def turn_is_late(deadline_day: datetime.date, *, answered_day: datetime.date | None = None,
                 until_day: datetime.date | None = None) -> bool:
    """Whether an agency's turn with a report missed its time limit: the one rule of the
    ranking, the monthly report, both supervisors' pages and their download (``compliance``
    counts with it over grouped local dates, ``supervision.late_turns`` over each turn).

    SPEC §4: a limit of N working days ends at the *end* of the N-th working day, in the
    agency's own zone. So every argument is a local date in that zone: the deadline's day,
    the day of the first answer, and, for a turn never answered, ``until_day`` (the day the
    agency handed the report on, or today). Answered on the deadline's day is on time at
    any hour, 23:59:59.5 included (the deadline is stored as 23:59:59); unanswered, the turn
    is late only once that day has ended while the agency held it, and not judged before."""
    if answered_day is not None:
        return answered_day > deadline_day
    return until_day is not None and until_day > deadline_day


def _noon(day: datetime.date, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), ZoneInfo(zone))


def _date_pairs(qs, start: str, end: str, relation: str, *group):
    """(zone, *group, start's local date, end's local date, count) with both set: the
    working-day arithmetic depends on local dates only, so the database groups the
    reports by them and Python counts each distinct pair once."""
    for zone in _zones():
        tz = ZoneInfo(zone)
        rows = (
            qs.filter(_zone_q(relation, zone), **{f"{start}__isnull": False, f"{end}__isnull": False})
            .annotate(d0=TruncDate(start, tzinfo=tz), d1=TruncDate(end, tzinfo=tz))
            .values_list(*group, "d0", "d1").annotate(n=Count("id")).order_by()
        )
        for row in rows:
            yield (zone, *row)


def durations(qs) -> dict:
    """Median working days from receipt to verification and from arrival at the agency to
    its first answer (zones: the addressed agency's for verification, the assigned
    agency's for the answer; the default zone when none)."""
    memo = _Memo()
    verify, answer = defaultdict(int), defaultdict(int)
    for zone, d0, d1, n in _date_pairs(qs, "created_at", "verified_at", "addressed_agency"):
        verify[memo.days_between(d0, d1, zone)] += n
    for zone, d0, d1, n in _date_pairs(qs, "arrived_at", "first_answer_at", "assigned_agency"):
        answer[max(0, memo.days_between(d0, d1, zone))] += n
    return {"verify_median": _weighted_median(verify), "verify_n": sum(verify.values()),
            "answer_median": _weighted_median(answer), "answer_n": sum(answer.values())}


# --- compliance ---------------------------------------------------------------------------


def _share(part, whole):
    return None if not whole else part / whole


@dataclass
class Compliance:
    """One agency's (or unit's) compliance figures."""

    agency: Agency
    received: int = 0  # handlings that began there (a report handed on and back counts twice)
    due: int = 0  # answered, or unanswered past the 5-working-day limit
    on_time: int = 0  # first answer within 5 working days of arrival
    answer_counts: dict = field(default_factory=dict, repr=False)  # working days → answered handlings
    with_agency: int = 0  # waiting for the agency or the reporter now
    overdue: int = 0  # waiting for the agency past its deadline now
    ever_closed: int = 0
    reopened: int = 0
    rated: int = 0  # answers the reporter rated satisfied or not
    satisfied: int = 0
    service: dict = field(default_factory=lambda: {lvl: 0 for lvl in ServiceLevel.values})

    @property
    def on_time_share(self):
        return _share(self.on_time, self.due)

    @property
    def median_days(self):
        return _weighted_median(self.answer_counts)

    @property
    def late(self):
        """Answered late, or not answered though the deadline passed while the agency held it."""
        return self.due - self.on_time

    @property
    def overdue_share(self):
        return _share(self.overdue, self.with_agency)

    @property
    def reopen_rate(self):
        return _share(self.reopened, self.ever_closed)

    @property
    def satisfaction_share(self):
        return _share(self.satisfied, self.rated)

    @property
    def service_total(self):
        return sum(self.service.values())

    def service_shares(self):
        """[(label, count, share)] from Sangat Puas to Tidak Puas."""
        total = self.service_total
        return [(label, self.service[value], _share(self.service[value], total))
                for value, label in ServiceLevel.choices]

    @property
    def service_average(self):
        total = self.service_total
        return None if not total else sum(v * n for v, n in self.service.items()) / total


class _Paths(Expression):
    """Agency paths as a one-column table read from a single bound parameter (a JSON list),
    for ``x IN (…)``: any number of them costs one parameter, where a parameter (and an OR)
    per agency fails on SQLite past about a thousand (an expression tree deeper than 1,000;
    999 bound parameters on older builds)."""

    output_field = CharField()

    def __init__(self, paths):
        super().__init__()
        self.paths = sorted(set(paths))

    def as_sql(self, compiler, connection):  # SQLite (json_each is built in since 3.38)
        return "(SELECT value FROM json_each(%s))", [json.dumps(self.paths)]

    def as_postgresql(self, compiler, connection):
        return "(SELECT jsonb_array_elements_text(%s::jsonb))", [json.dumps(self.paths)]


# Up to this many subtrees, one prefix LIKE each (the path index serves each); beyond,
# one IN per depth of the tree over ``_Paths`` (the supervisors' pages for the national
# admin ask for every top-level agency: well over a thousand in Indonesia).
SUBTREES_INLINE = 100


def _by_depth(agencies) -> dict[int, list[str]]:
    """{length of path: paths}: paths are segments of seven characters, so a row lies in
    an agency's subtree when its path's first ``len(agency.path)`` characters are that path."""
    depths: dict[int, list[str]] = defaultdict(list)
    for agency in agencies:
        depths[len(agency.path)].append(agency.path)
    return dict(sorted(depths.items()))


def in_subtrees(field: str, agencies) -> Q:
    """Rows whose ``field`` (an agency path) lies in one of ``agencies``' subtrees, for any
    number of agencies: a few, a prefix test each; many, one ``IN`` per depth of the tree."""
    agencies = list(agencies)
    q = Q(pk__in=[])
    if len(agencies) <= SUBTREES_INLINE:
        for agency in agencies:
            q |= Q(**{f"{field}__startswith": agency.path})
        return q
    for length, paths in _by_depth(agencies).items():
        q |= Q(In(Substr(field, 1, length), _Paths(paths)))
    return q


def compliance(qs, *, level: str = "top", within: Agency | list[Agency] | None = None,
               now=None, handlings=None) -> list[Compliance]:
    """Compliance per agency for the reports in ``qs``.

    ``level="top"`` groups by top-level agency (units roll up into it); ``level="unit"``
    by the unit. ``within`` keeps agencies in one subtree, or in any of a list's (the
    supervisors' page: one computation for all the governments they oversee).
    Sorted best first: share on time, then median days, then name.

    Answers on time are counted per handling (``Handling``: each agency's turn with a
    report, SPEC §4): an agency that held a report past its limit and then handed it on
    ("bukan wewenang") is counted late, and is not let off by the report's moving on.
    What waits now (with the agency, overdue, reopened) is counted by the report's present
    agency.

    ``handlings``: the turns to judge, when not every turn with a report of ``qs`` (the
    supervisors' pages: the turns at agencies in their scope, of the reports received in
    the period, those of a confidential report handed on to another government since
    included, ``lapor.transparency.supervision``).

    Four GROUP BY queries (plus two per time zone for the working-day figures), whatever
    the number of reports.
    """
    now = now or timezone.now()
    days = settings.LAPOR_FIRST_ANSWER_DAYS
    memo = _Memo()
    if handlings is None:
        handlings = Handling.objects.filter(report__in=qs.values("pk"))
    subtrees = None if within is None else [within] if isinstance(within, Agency) else list(within)
    if subtrees is not None:
        qs = qs.filter(in_subtrees("assigned_agency__path", subtrees))
        handlings = handlings.filter(in_subtrees("agency__path", subtrees))
    arrived = qs.filter(arrived_at__isnull=False, assigned_agency__isnull=False)
    key = Substr("assigned_agency__path", 1, 7) if level == "top" else F("assigned_agency__path")
    hkey = Substr("agency__path", 1, 7) if level == "top" else F("agency__path")
    rows: dict[str, Compliance] = {}
    raw: dict[str, dict] = defaultdict(lambda: defaultdict(int))

    # What waits now, per present agency.
    with_agency = Q(status__in=list(Status.with_agency()))
    for k, waiting, late, ever_closed, reopened in (
        arrived.annotate(k=key).values_list("k").order_by().annotate(
            waiting=Count("id", filter=with_agency),
            late=Count("id", filter=overdue_now_q(now)),
            ever_closed=Count("id", filter=Q(closed_at__isnull=False) | Q(reopen_count__gt=0)),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
        )
    ):
        raw[k].update(with_agency=waiting, overdue=late, ever_closed=ever_closed, reopened=reopened)
    # Received, per handling.
    for k, received in handlings.annotate(k=hkey).values_list("k").order_by().annotate(received=Count("id")):
        raw[k]["received"] = received
    # Answered: on time and working days, from local dates.
    answer_days: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for zone, k, d0, d1, n in _date_pairs(handlings.annotate(k=hkey), "arrived_at", "first_answer_at",
                                          "agency", "k"):
        raw[k]["due"] += n
        if not turn_is_late(local_day(memo.deadline_after(d0, days, zone), zone), answered_day=d1):
            raw[k]["on_time"] += n
        answer_days[k][max(0, memo.days_between(d0, d1, zone))] += n
    # Unanswered: judged once their deadline has passed while the agency held the report
    # (one handed on before its deadline owed no answer; one handed on after it is late).
    today = {zone: timezone.localtime(now, ZoneInfo(zone)).date() for zone in _zones()}
    for zone in _zones():
        tz = ZoneInfo(zone)
        for k, d0, left, n in (
            handlings.filter(_zone_q("agency", zone), first_answer_at__isnull=True)
            .annotate(k=hkey, d0=TruncDate("arrived_at", tzinfo=tz), left=TruncDate("left_at", tzinfo=tz))
            .values_list("k", "d0", "left").annotate(n=Count("id")).order_by()
        ):
            if turn_is_late(local_day(memo.deadline_after(d0, days, zone), zone), until_day=left or today[zone]):
                raw[k]["due"] += n
    # The reporters' ratings of answers, and the four-level service ratings.
    followups = FollowUp.objects.filter(report__in=qs.values("pk"), satisfied__isnull=False)
    ratings = ServiceRating.objects.filter(report__in=qs.values("pk"))
    if subtrees is not None:
        followups = followups.filter(in_subtrees("agency__path", subtrees))
        ratings = ratings.filter(in_subtrees("agency__path", subtrees))
    fkey = Substr("agency__path", 1, 7) if level == "top" else F("agency__path")
    for k, rated, satisfied in followups.annotate(k=fkey).values_list("k").order_by().annotate(
            rated=Count("id"), satisfied=Count("id", filter=Q(satisfied=True))):
        raw[k]["rated"] += rated
        raw[k]["satisfied"] += satisfied
    service = defaultdict(dict)
    for k, lvl, n in ratings.annotate(k=fkey).values_list("k", "level").annotate(n=Count("id")).order_by():
        service[k][lvl] = service[k].get(lvl, 0) + n
        raw[k]

    paths = list(raw)
    agencies = {a.path: a for a in Agency.objects.filter(
        path__in=paths if len(paths) <= SUBTREES_INLINE else _Paths(paths))}
    for k, figures_ in raw.items():
        if k not in agencies:
            continue
        r = rows[k] = Compliance(agency=agencies[k], **{f: figures_.get(f, 0) for f in (
            "received", "due", "on_time", "with_agency", "overdue", "ever_closed", "reopened", "rated",
            "satisfied")})
        r.answer_counts = dict(answer_days.get(k, {}))
        r.service.update(service.get(k, {}))
    return sorted(
        rows.values(),
        key=lambda r: (-(r.on_time_share if r.on_time_share is not None else -1),
                       r.median_days if r.median_days is not None else 1e9, r.agency.name),
    )


def overdue_now_q(now) -> Q:
    """"Overdue now" (*terlambat saat ini*), the one definition of the ranking, the monthly
    report and both supervisors' pages: the agency holding the report owes its follow-up
    (``dispatched``) and the deadline has passed. Counted for the agency holding it now."""
    return Q(status=Status.DISPATCHED, due_at__lt=now)


def overdue_reports(qs, *, now=None, limit: int = 200):
    """Reports waiting for an agency past their deadline, oldest deadline first."""
    now = now or timezone.now()
    return (qs.filter(overdue_now_q(now))
            .select_related("assigned_agency").order_by("due_at")[:limit])


def overdue_per_subtree(qs, agencies: list[Agency], *, now=None, limit: int = 200) -> dict[int, list[Report]]:
    """``overdue_reports`` for each of ``agencies``' subtrees (which do not nest), in one
    query: the first ``limit`` of each, by agency pk."""
    now = now or timezone.now()
    if not agencies:
        return {}
    # The subtree of each row, as its root's path: one branch per depth of the tree, however
    # many agencies (they do not nest, so one branch matches).
    field = "assigned_agency__path"
    which = Case(*[When(In(Substr(field, 1, length), _Paths(paths)), then=Substr(field, 1, length))
                   for length, paths in _by_depth(agencies).items()],
                 default=None, output_field=CharField())
    rows = (qs.filter(in_subtrees(field, agencies), overdue_now_q(now))
            .annotate(subtree=which)
            .annotate(nth=Window(RowNumber(), partition_by=[F("subtree")], order_by=[F("due_at").asc(), F("pk").asc()]))
            .filter(nth__lte=limit).select_related("assigned_agency").order_by("due_at", "pk"))
    result: dict[int, list[Report]] = {a.pk: [] for a in agencies}
    by_path = {a.path: a.pk for a in agencies}
    for report in rows:
        result[by_path[report.subtree]].append(report)
    return result
