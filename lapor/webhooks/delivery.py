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
import json

import requests
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation

from lapor.accounts import pseudonyms
from lapor.api.models import ExternalReference
from lapor.reports.enums import Action, Kind
from lapor.reports.models import FollowUp, ReportEvent
from lapor.webhooks.models import Delivery, Subscriber

WINDOW = datetime.timedelta(hours=6)
# A claimed delivery is not picked again by another worker for this long.
LEASE = datetime.timedelta(minutes=2)
NEVER_SENT = {Action.NOTE, Action.REVEAL_IDENTITY}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _scope(subscriber: Subscriber) -> Q:
    q = Q(pk__in=[])
    if subscriber.agency_id:
        path = subscriber.agency.path
        mine = Q(report__addressed_agency__path__startswith=path) | Q(report__assigned_agency__path__startswith=path)
        if not any(a.is_inspectorate for a in subscriber.agency.ancestors()):
            # Whistle-blowing is the inspectorate's alone (lapor/reports/policy.py): a city's
            # own system hears nothing of a report that may be about the city.
            mine &= ~Q(report__kind=Kind.WHISTLEBLOWING)
        q |= mine
    if subscriber.system_id:
        # Its own reports, those it filed anonymously (through stand-ins) included.
        q |= Q(report__reporter_id__in=pseudonyms.own_ids(subscriber.system))
    return q


def payload(event: ReportEvent, subscriber: Subscriber) -> dict:
    """What a subscriber learns of one event: the report's state, never the reporter.

    Labels (``event_label``, ``status_label``) are Indonesian, as docs/api.md shows them,
    whichever language happens to be active where the fan-out runs (they followed it, so
    a fan-out run with English active sent English labels)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _payload(event, subscriber)


def _payload(event: ReportEvent, subscriber: Subscriber) -> dict:
    report = event.report
    agency = report.assigned_agency or report.addressed_agency
    external = None
    if subscriber.system_id:
        external = (
            ExternalReference.objects.filter(system_id=subscriber.system_id, report=report)
            .values_list("external_id", flat=True).first()
        )
    data = {
        "event_id": event.pk,
        "event": event.action,
        "event_label": str(event.get_action_display()),
        "at": _iso(event.at),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "text": event.text,
        "report": {
            "tracking_id": report.tracking_id,
            "external_id": external,
            "status": report.status,
            "status_label": str(report.status_label),
            "kind": report.kind,
            "title": report.title,
            "body": report.body,
            "is_confidential": report.is_confidential,
            "agency": {"slug": agency.slug, "name": agency.name} if agency else None,
            "due_at": _iso(report.due_at),
            "url": f"{settings.LAPOR_SITE_URL}{report.get_absolute_url()}",
        },
    }
    if event.action == Action.ANSWER and event.data.get("followup"):
        followup = FollowUp.objects.filter(pk=event.data["followup"]).first()
        if followup is not None:
            data["followup"] = {"id": followup.pk, "body": followup.body, "at": _iso(followup.created_at)}
    return data


def _iso(moment):
    # As the API writes its times: ISO 8601 with the offset of the site's zone (TIME_ZONE).
    return timezone.localtime(moment).isoformat() if moment else None


def webhooks_fan_out(*, now: datetime.datetime | None = None) -> int:
    """Create the deliveries of recent events for every active subscriber; returns how many."""
    now = now or timezone.now()
    created = 0
    for subscriber in Subscriber.objects.filter(is_active=True).select_related("agency"):
        since = max(now - WINDOW, subscriber.created_at)
        already = Delivery.objects.filter(subscriber=subscriber, event=OuterRef("pk"))
        events = (
            ReportEvent.objects.filter(_scope(subscriber), at__gte=since, at__lte=now, is_internal=False)
            .exclude(action__in=NEVER_SENT)
            .exclude(Exists(already))
            .select_related("report__assigned_agency", "report__addressed_agency")
            .order_by("at", "id")
        )
        rows = [
            Delivery(subscriber=subscriber, event=event, payload=payload(event, subscriber), created_at=now,
                     next_attempt_at=now)
            for event in events
        ]
        # Another worker may have added some of them meanwhile: the unique constraint wins.
        created += len(Delivery.objects.bulk_create(rows, ignore_conflicts=True))
    return created


def _backoff(attempts: int) -> datetime.timedelta:
    seconds = settings.LAPOR_WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 24 * 3600))


def webhooks_deliver(*, delivery: Delivery, now: datetime.datetime | None = None) -> bool:
    """POST one claimed delivery. Side effect: the delivery's status, attempts, next try
    and last answer are updated. Returns True when the receiver accepted it (2xx)."""
    now = now or timezone.now()
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(now.timestamp()))
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
        response = requests.post(delivery.subscriber.url, data=body, headers=headers,
                                 timeout=settings.LAPOR_WEBHOOK_TIMEOUT, allow_redirects=False)
        code = response.status_code
        if not 200 <= code < 300:
            failure = f"HTTP {code}: {response.text[:300]}"
    except requests.RequestException as exc:
        failure = f"{type(exc).__name__}: {exc}"[:500]
    delivery.last_status_code, delivery.last_error = code, failure
    if not failure:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = Delivery.Status.SENT, now, None
    elif delivery.attempts >= settings.LAPOR_WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    else:
        delivery.next_attempt_at = now + _backoff(delivery.attempts)
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_status_code", "last_error"])
    return not failure


def webhooks_deliver_due(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Deliver (or retry) due deliveries; returns how many were accepted."""
    now = now or timezone.now()
    sent = 0
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "id")
    for pk, attempts, next_at in due.values_list("pk", "attempts", "next_attempt_at")[:limit]:
        claimed = Delivery.objects.filter(pk=pk, attempts=attempts, next_attempt_at=next_at).update(
            attempts=attempts + 1, next_attempt_at=now + LEASE
        )
        if not claimed:
            continue  # Another worker got there first.
        delivery = Delivery.objects.select_related("subscriber").get(pk=pk)
        sent += webhooks_deliver(delivery=delivery, now=now)
    return sent


def webhooks_run(*, now: datetime.datetime | None = None) -> dict:
    return {"webhooks_queued": webhooks_fan_out(now=now), "webhooks_sent": webhooks_deliver_due(now=now)}
