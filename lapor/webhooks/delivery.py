"""Fanning report events out to webhook subscribers and delivering them, signed.

``webhooks_fan_out`` looks at recent events (a window, not a cursor: on PostgreSQL event
ids can commit out of order, and a cursor would skip the late ones) and creates the
missing ``Delivery`` rows; the unique (subscriber, event) makes a second run, or two
workers, add nothing. ``webhooks_deliver_due`` claims due deliveries with a conditional
UPDATE (a worker that loses the race skips the row) and POSTs each payload.

The receiver checks ``X-Lapor-Signature: sha256=<hex>``, the HMAC-SHA256 under its secret
of ``<X-Lapor-Timestamp>.<body>``; the timestamp lets it refuse old replays.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import time

import requests
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from lapor.accounts import pseudonyms
from lapor.agencies.models import Agency
from lapor.reports.enums import Action, Kind
from lapor.reports.models import ReportEvent
from lapor.webhooks.history import Holders
from lapor.webhooks.models import Delivery, Subscriber, is_refused
# ``payload`` too: what one subscriber gets for one event, asked of this module by callers.
from lapor.webhooks.payloads import concerns, event_payload, for_subscriber, payload  # noqa: F401
from lapor.webhooks.schema import NEVER_SENT

WINDOW = datetime.timedelta(hours=6)
# A claimed delivery is not picked again by another worker for this long.
LEASE = datetime.timedelta(minutes=2)
# What one pass of the periodic job may spend sending, so that a slow receiver does not
# hold up the deadline sweep and e-mail that run with it (lapor/notifications/services.py).
PASS_BUDGET = datetime.timedelta(seconds=30)

log = logging.getLogger(__name__)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _scope(subscriber: Subscriber) -> Q:
    """Events that may concern the subscriber, in SQL: a superset that ``concerns`` narrows.

    An agency's system hears of a report while one of its units holds it, and of the event
    by which the report leaves it (a transfer, a disposition elsewhere, "bukan wewenang"),
    whatever the report's agency is by the time the event is sent."""
    q = Q(pk__in=[])
    if subscriber.agency_id:
        path = subscriber.agency.path
        # A list, not a subquery: "from" is a JSON value, compared as JSON on PostgreSQL.
        inside = list(Agency.objects.filter(path__startswith=path).values_list("pk", flat=True))
        # Every agency a report's history names (lapor/webhooks/history.py): where an event
        # took it, where a disposition or transfer took it from, the old address a
        # verification changed. (A transfer's guessed old address is the government of
        # an agency named before it: inside ``path`` only if that agency is.)
        touched = ReportEvent.objects.filter(report=OuterRef("report")).filter(
            Q(agency__in=inside) | Q(data__from__in=inside) | Q(data__changes__addressed_agency__0__in=inside))
        mine = (Q(report__addressed_agency__path__startswith=path) | Q(report__assigned_agency__path__startswith=path)
                | Q(Exists(touched)))
        if not _hears_whistleblowing(subscriber):
            mine &= ~Q(report__kind=Kind.WHISTLEBLOWING)
        q |= mine
    if subscriber.system_id:
        # Its own reports, those it filed anonymously (through stand-ins) included.
        q |= Q(report__reporter_id__in=pseudonyms.own_ids(subscriber.system))
    return q


def _hears_whistleblowing(subscriber: Subscriber) -> bool:
    # Whistle-blowing is the inspectorate's alone (lapor/reports/policy.py): a city's own
    # system hears nothing of a report that may be about the city.
    return any(a.is_inspectorate for a in subscriber.agency.ancestors())


def webhooks_fan_out(*, now: datetime.datetime | None = None) -> int:
    """Create the deliveries of recent events for every active subscriber; returns how many.

    Each event's payload describes the report as the event left it, read from its history
    (lapor/webhooks/history.py), so every subscriber hears the same version of one event
    whenever it is queued; ``due_at``, which the history does not record, is the one the
    first queued delivery of the event carried. Which subscribers hear of an event, and
    whether with its content, is decided afresh in every pass, from the history and the
    report's confidentiality now. An agency the history names that no longer exists is
    logged and skipped, and the others still hear of the event. Side effect: a subscriber
    whose last pass was longer ago than ``WINDOW`` (the scheduler was down) gets a warning in
    the log with the number of its events that are too old to be queued."""
    now = now or timezone.now()
    created, holders, built = 0, Holders(), {}
    for subscriber in Subscriber.objects.filter(is_active=True).select_related("agency", "system"):
        since = max(now - WINDOW, subscriber.created_at)
        _warn_of_skipped(subscriber, until=since)
        already = Delivery.objects.filter(subscriber=subscriber, event=OuterRef("pk"))
        events = (
            _sendable(ReportEvent.objects.filter(_scope(subscriber), at__gte=since, at__lte=now))
            .exclude(Exists(already))
            .select_related("report__assigned_agency", "report__addressed_agency")
            .order_by("at", "id")
        )
        rows = [
            Delivery(subscriber=subscriber, event=event, created_at=now, next_attempt_at=now,
                     payload=for_subscriber(_built(event, built, holders), event, subscriber, holders=holders))
            for event in events if _follows(subscriber, event, holders)
        ]
        if rows:
            # Another worker may have added some of them meanwhile: the unique constraint
            # wins, and those are not counted (bulk_create returns every row it was given).
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            created += Delivery.objects.filter(subscriber=subscriber, created_at=now,
                                              event__in=[row.event_id for row in rows]).count()
        Subscriber.objects.filter(pk=subscriber.pk).update(queued_until=now)
    return created


def _sendable(events):
    return events.filter(is_internal=False).exclude(action__in=NEVER_SENT)


def _follows(subscriber: Subscriber, event: ReportEvent, holders: Holders) -> bool:
    if subscriber.system_id and event.report.reporter_id in pseudonyms.own_ids(subscriber.system):
        return True
    return bool(subscriber.agency_id) and concerns(subscriber, event, holders) is not None


def _built(event: ReportEvent, built: dict, holders: Holders) -> dict:
    if event.pk not in built:
        data = event_payload(event, holders=holders)
        queued = Delivery.objects.filter(event=event).order_by("pk").values_list("payload", flat=True).first()
        if queued is not None and event.action != Action.MOVE_DEADLINE:
            # The deadline is not in the history: as it was when the event was first queued.
            data["report"]["due_at"] = (queued.get("report") or {}).get("due_at", data["report"]["due_at"])
        built[event.pk] = data
    return built[event.pk]


def _warn_of_skipped(subscriber: Subscriber, *, until: datetime.datetime) -> None:
    """The fan-out looks back ``WINDOW`` only: what happened in a longer outage is not sent.
    Say so, once, with the count (``--replay-failed`` cannot bring these back)."""
    start = subscriber.queued_until
    if start >= until:
        return
    holders = Holders()
    already = Delivery.objects.filter(subscriber=subscriber, event=OuterRef("pk"))
    skipped = sum(
        1 for event in _sendable(ReportEvent.objects.filter(_scope(subscriber), at__gte=start, at__lt=until))
        .exclude(Exists(already)).select_related("report")
        if _follows(subscriber, event, holders)
    )
    if skipped:
        log.warning("webhooks: %d event(s) for subscriber %s (%s) between %s and %s are older than the "
                    "fan-out window (%s) and were not queued", skipped, subscriber.pk, subscriber.name,
                    start.isoformat(), until.isoformat(), WINDOW)


class _Guarded:
    """A connection that refuses to talk to a refused address (link-local, or in
    LAPOR_WEBHOOK_REFUSED_NETWORKS: lapor/webhooks/models.py) wherever the receiver's host
    name led: checked on the connected socket's own address, so a name that resolves there,
    or is rebound there after the subscriber was saved, is refused before a byte of the
    request is sent."""

    def _new_conn(self):
        sock = super()._new_conn()
        peer = sock.getpeername()[0]
        if is_refused(ipaddress.ip_address(peer.split("%")[0])):
            sock.close()
            raise NewConnectionError(self, f"refused: {self.host} leads to {peer}, where no receiver may be")
        return sock


class _GuardedHTTPConnection(_Guarded, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


def _post(url: str, **kwargs) -> requests.Response:
    with requests.Session() as session:
        session.mount("http://", _GuardedAdapter())
        session.mount("https://", _GuardedAdapter())
        return session.post(url, **kwargs)


def _backoff(attempts: int) -> datetime.timedelta:
    seconds = settings.LAPOR_WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 24 * 3600))


def webhooks_deliver(*, delivery: Delivery) -> bool:
    """POST one claimed delivery, signed with the time of sending (a receiver refuses old
    timestamps). Side effect: the delivery's status, attempts, next try (counted from the
    failure) and last answer are updated. Returns True when the receiver accepted it (2xx)."""
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(timezone.now().timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Lapor-Webhooks/1",
        "X-Lapor-Event": delivery.payload.get("event", ""),
        "X-Lapor-Delivery": str(delivery.pk),
        "X-Lapor-Timestamp": timestamp,
        "X-Lapor-Signature": sign(delivery.subscriber.secret, timestamp, body),
    }
    code, failure = None, ""
    try:
        response = _post(delivery.subscriber.url, data=body, headers=headers,
                         timeout=settings.LAPOR_WEBHOOK_TIMEOUT, allow_redirects=False)
        code = response.status_code
        if not 200 <= code < 300:
            failure = f"HTTP {code}: {response.text[:300]}"
    except requests.RequestException as exc:
        failure = f"{type(exc).__name__}: {exc}"[:500]
    done = timezone.now()
    delivery.last_status_code, delivery.last_error = code, failure
    if not failure:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = Delivery.Status.SENT, done, None
    elif delivery.attempts >= settings.LAPOR_WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    else:
        delivery.next_attempt_at = done + _backoff(delivery.attempts)
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_status_code", "last_error"])
    return not failure


def webhooks_deliver_due(*, now: datetime.datetime | None = None, limit: int = 200,
                         budget: datetime.timedelta = PASS_BUDGET) -> int:
    """Deliver (or retry) due deliveries; returns how many were accepted.

    One receiver must not hold up the others, nor the rest of the periodic job: after a
    send that got no answer (a timeout, a refused connection) that subscriber's other due
    deliveries wait for the next pass, unclaimed (their attempts are not counted), and no
    new send starts once the pass has taken ``budget``."""
    now = now or timezone.now()
    started = time.monotonic()
    sent, tried, unreachable, seen = 0, 0, set(), set()
    due = (Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
           .order_by("next_attempt_at", "id"))
    while tried < limit:
        rows = list(due.exclude(subscriber_id__in=unreachable).exclude(pk__in=seen)
                    .values_list("pk", "subscriber_id", "attempts", "next_attempt_at")[: limit - tried])
        if not rows:
            break
        for pk, subscriber_id, attempts, next_at in rows:
            if time.monotonic() - started >= budget.total_seconds():
                return sent
            seen.add(pk)
            if subscriber_id in unreachable:
                continue
            claimed = Delivery.objects.filter(pk=pk, attempts=attempts, next_attempt_at=next_at).update(
                attempts=attempts + 1, next_attempt_at=timezone.now() + LEASE
            )
            if not claimed:
                continue  # Another worker got there first.
            tried += 1
            delivery = Delivery.objects.select_related("subscriber").get(pk=pk)
            if webhooks_deliver(delivery=delivery):
                sent += 1
            elif delivery.last_status_code is None:
                unreachable.add(subscriber_id)
    return sent


def webhooks_replay(*, deliveries, now: datetime.datetime | None = None) -> int:
    """Queue failed deliveries afresh (a receiver that was down past the last retry, or
    answered 410): the same delivery, so the same ``X-Lapor-Delivery`` id, for receivers to
    de-duplicate. Side effect: their attempts start again from zero. Returns how many."""
    now = now or timezone.now()
    return deliveries.filter(status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=now)


def webhooks_run(*, now: datetime.datetime | None = None) -> dict:
    return {"webhooks_queued": webhooks_fan_out(now=now), "webhooks_sent": webhooks_deliver_due(now=now)}
