"""Notifications: from a report event to messages in people's inboxes (SPEC §4, §7).

Flow: ``reports.services._record`` calls ``event_recorded`` after its transaction
commits; that queues the ``notify_event`` task (run at once on the embedded default),
which calls ``notifications_fan_out`` (one row per recipient and channel; in-app rows are
delivered by existing) and then ``notifications_deliver`` for each e-mail and SMS. A
failed delivery is retried by ``notifications_deliver_due`` (the sweep and celery beat
call it) with exponential backoff; a transition never waits for, or fails with, a send.
"""
from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable, Mapping

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from lapor.accounts import pseudonyms
from lapor.notifications import digest
from lapor.notifications.messages import compose, language_of, render_html
from lapor.notifications.models import Channel, EventFanout, Language, Notification, Status
from lapor.notifications.recipients import Recipient, recipients_for
from lapor.reports.enums import Action
from lapor.reports.enums import Channel as ReportChannel
from lapor.reports.models import ReportEvent
from lapor.reports.sensitivity import redact
from lapor.sms.gateway import send_sms

log = logging.getLogger(__name__)

# How long a claimed delivery is held before another worker may try it again (a worker
# that died mid-send). Longer than any SMTP or HTTP timeout.
CLAIM_SECONDS = getattr(settings, "LAPOR_NOTIFY_CLAIM_SECONDS", 300)
MAX_BACKOFF_SECONDS = 24 * 3600


IMPORTED_HISTORY_IS_SILENT_AFTER = datetime.timedelta(days=2)


def event_recorded(event_id: int) -> None:
    """Called once a report event is committed: queue its notifications.

    Never raises: a broker that is down must not turn a committed transition into an
    error page. The sweep's catch-up fans out events that were missed."""
    from lapor.notifications.tasks import notify_event

    try:
        notify_event.delay(event_id)
    except Exception:  # noqa: BLE001 — anything from the broker; the sweep catches up
        log.exception("could not queue notifications for report event %s", event_id)


# Events per queued task when many are recorded at once (the sweep's batches): one broker
# round trip per chunk instead of per event, and chunks small enough to spread over workers.
EVENTS_PER_TASK = 50


def events_recorded(event_ids: list[int]) -> None:
    """``event_recorded`` for many events committed together (the sweep's batches)."""
    from lapor.notifications.tasks import notify_events

    for i in range(0, len(event_ids), EVENTS_PER_TASK):
        chunk = list(event_ids[i:i + EVENTS_PER_TASK])
        try:
            notify_events.delay(chunk)
        except Exception:  # noqa: BLE001 — as event_recorded: the sweep's catch-up fans out what was missed
            log.exception("could not queue notifications for report events %s…", chunk[:3])


def notifications_fan_out(*, event: ReportEvent, now: datetime.datetime | None = None) -> list[Notification]:
    """Create the notifications for one event: one per recipient and chosen channel.

    Idempotent: rows are unique per (event, recipient, channel) and the event is marked
    done, so running it twice (or in two workers) creates each once. Returns the created
    e-mail/SMS rows still to be delivered."""
    now = now or timezone.now()
    if EventFanout.objects.filter(event_id=event.pk).exists():
        return []
    event = ReportEvent.objects.select_related(
        "report", "report__reporter", "report__filed_by", "report__assigned_agency", "report__addressed_agency",
        "actor", "agency",
    ).get(pk=event.pk)
    rows = []
    # An imported report brings its history with the original dates (lapor/reports/
    # importing.py): nobody is told today about what happened years ago in another system.
    historic = event.report.channel == ReportChannel.IMPORT and event.at < now - IMPORTED_HISTORY_IS_SILENT_AFTER
    for recipient in ([] if historic else recipients_for(event)):
        # On an anonymous report the row goes to the reporter's stand-in account; the
        # language, addresses and wishes are the person's (lapor/accounts/pseudonyms.py).
        language = language_of(pseudonyms.person(recipient.user))
        message = compose(event, recipient, language)
        for channel in channels_for(recipient, event):
            rows.append(Notification(
                event=event, report=event.report, recipient=recipient.user, channel=channel,
                reason=recipient.reason, language=language,
                subject=message.subject, body=message.sms if channel == Channel.SMS else message.body,
                url=message.url, created_at=now,
                status=Status.SENT if channel == Channel.IN_APP else Status.PENDING,
                sent_at=now if channel == Channel.IN_APP else None,
                next_attempt_at=None if channel == Channel.IN_APP else now,
            ))
    with transaction.atomic():
        rows = digest.gather(rows, now)  # followers' e-mails, one per window (lapor/notifications/digest.py)
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        EventFanout.objects.bulk_create([EventFanout(event=event, at=now)], ignore_conflicts=True)
    return list(
        Notification.objects.filter(event=event, status=Status.PENDING).exclude(channel=Channel.IN_APP)
    )


def channels_for(recipient: Recipient, event: ReportEvent) -> list[str]:
    """In-app always; e-mail if wanted and there is an address; SMS for SMS reporters, and
    for the reporter of a duplicate without an e-mail address, on answers to its original."""
    user = pseudonyms.person(recipient.user)
    preference = getattr(user, "notification_preference", None)
    profile = getattr(user, "profile", None)
    channels = [Channel.IN_APP]
    if (preference is None or preference.by_email) and email_address(user):
        channels.append(Channel.EMAIL)
    sms_reporter = recipient.is_reporter and (
        (profile is not None and profile.is_phone_only) or event.report.channel == ReportChannel.SMS
    )
    wants_sms = (sms_reporter or (preference is not None and preference.by_sms)
                 or (Channel.EMAIL not in channels and _follows_as_duplicate_reporter(recipient, event)))
    # The SMS gateway answers a report sent by SMS with its tracking ID itself.
    is_sms_receipt = event.action == Action.SUBMIT and event.report.channel == ReportChannel.SMS
    if wants_sms and not is_sms_receipt and profile is not None and profile.phone:
        channels.append(Channel.SMS)
    return channels


def _follows_as_duplicate_reporter(recipient: Recipient, event: ReportEvent) -> bool:
    """Is this an answer on a report the recipient follows because theirs was archived as
    its duplicate (``report_mark_duplicate`` makes them follow it)? Their own report's
    news would have reached them by SMS: without it, a phone-only citizen who reported
    by SMS would never hear the answer to the original. Answers only, to bound the cost;
    the query runs only for followers without an e-mail address."""
    from lapor.notifications.models import Reason
    from lapor.reports.enums import ArchiveReason
    from lapor.reports.models import Report

    if recipient.reason != Reason.FOLLOWING or event.action != Action.ANSWER:
        return False
    return Report.objects.filter(
        pseudonyms.accounts_q(recipient.user, "reporter") | pseudonyms.accounts_q(recipient.user, "filed_by"),
        duplicate_of_id=event.report_id, archive_reason=ArchiveReason.DUPLICATE,
    ).exists()


def email_address(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.email if profile is not None and profile.email else "") or user.email or ""


def notifications_deliver(*, notification_id: int, now: datetime.datetime | None = None) -> bool:
    """Send one pending e-mail or SMS. Returns True when it went out.

    Claims the row with a conditional UPDATE first, so two workers never both send it;
    a failure is stored (``last_error``) and the row is retried after an exponentially
    growing pause, until ``LAPOR_NOTIFY_MAX_ATTEMPTS``, when it is marked failed."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Status.PENDING, next_attempt_at__lte=now,
    ).update(
        # The claim runs from the wall clock, not from ``now``: a pass that started long ago
        # (its ``now`` is old) must not hand out a claim that has already run out.
        next_attempt_at=max(now, timezone.now()) + datetime.timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return False  # Nothing got updated: already sent, not due yet, or another worker has it.
    notification = Notification.objects.select_related("recipient", "recipient__profile").get(pk=notification_id)
    try:
        _send(notification)
    except Exception as exc:  # noqa: BLE001 — any failure of SMTP/Kannel is retried
        attempts = notification.attempts
        given_up = attempts >= settings.LAPOR_NOTIFY_MAX_ATTEMPTS
        delay = min(settings.LAPOR_NOTIFY_RETRY_BASE_SECONDS * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
        # A mail server's refusal names the address, a gateway's the number: neither is kept
        # in clear (SPEC §5), in the row or in the log.
        error = redact(f"{type(exc).__name__}: {exc}")[:2000]
        Notification.objects.filter(pk=notification_id).update(
            status=Status.FAILED if given_up else Status.PENDING,
            next_attempt_at=None if given_up else now + datetime.timedelta(seconds=delay),
            last_error=error,
        )
        log.warning("notification %s attempt %s failed: %s", notification_id, attempts, error)
        return False
    Notification.objects.filter(pk=notification_id).update(status=Status.SENT, sent_at=now, next_attempt_at=None)
    return True


def notifications_deliver_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Deliver (or retry) pending notifications whose time has come; returns how many went out."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
    return sum(notifications_deliver(notification_id=pk, now=now) for pk in ids)


def notifications_catch_up(*, now: datetime.datetime | None = None, window: datetime.timedelta = datetime.timedelta(days=2),
                           limit: int = 1000) -> int:
    """Fan out recent events whose commit hook never ran (a crash, a broker outage)."""
    now = now or timezone.now()
    events = list(
        ReportEvent.objects.filter(at__gte=now - window, fanout__isnull=True).order_by("at", "id")[:limit]
    )
    for event in events:
        for notification in notifications_fan_out(event=event, now=now):
            notifications_deliver(notification_id=notification.pk, now=now)
    return len(events)


def notifications_mark_read(*, user, notification_ids=None, now: datetime.datetime | None = None) -> int:
    """Mark a person's in-app notifications read (all of them, or the given ones)."""
    now = now or timezone.now()
    qs = Notification.objects.filter(pseudonyms.accounts_q(user, "recipient"), channel=Channel.IN_APP,
                                     read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=now)


def notifications_move_to_stand_in(*, report, person, stand_in) -> int:
    """A report made anonymous: what ``person`` was told about it moves to its stand-in
    account, and their name leaves the stored words of everything said about it, to them
    and to staff ("Yth. Siti Rahmawati," reads "Yth. Pelapor,", "Tanggapan pelapor; Siti
    Rahmawati" reads "…; Pelapor"), as if it had been anonymous from the start. Returns how
    many rows changed."""
    name = person.display_name
    changed = 0
    for notification in Notification.objects.filter(report=report):
        fields = []
        if notification.recipient_id == person.pk:
            notification.recipient = stand_in
            fields.append("recipient")
        if name and (name in notification.subject or name in notification.body):
            generic = "reporter" if notification.language == Language.ENGLISH else "Pelapor"
            notification.subject = notification.subject.replace(name, generic)
            notification.body = notification.body.replace(name, generic)
            fields += ["subject", "body"]
        if fields:
            notification.save(update_fields=fields)
            changed += 1
    return changed


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(pseudonyms.accounts_q(user, "recipient"), channel=Channel.IN_APP,
                                       read_at__isnull=True).count()


def _send(notification: Notification) -> None:
    user = pseudonyms.person(notification.recipient)
    if notification.channel == Channel.EMAIL:
        address = email_address(user)
        if not address:
            raise ValueError("recipient has no e-mail address")
        mail = EmailMultiAlternatives(
            subject=notification.subject, body=notification.body, to=[address],
            from_email=settings.DEFAULT_FROM_EMAIL, headers={"Content-Language": notification.language},
        )
        mail.attach_alternative(
            render_html(subject=notification.subject, body=notification.body, url=notification.url,
                        language=notification.language,
                        about_report=notification.report_id is not None and not digest.is_digest(notification)),
            "text/html",
        )
        mail.send(fail_silently=False)
    elif notification.channel == Channel.SMS:
        profile = getattr(user, "profile", None)
        send_sms(to=profile.phone if profile is not None else "", text=notification.body)
    else:
        raise ValueError(f"nothing to deliver on channel {notification.channel}")


def run_background_pass(*, now: datetime.datetime | None = None, deliver: bool = True) -> dict:
    """Everything the periodic job does, in order: the deadline sweep (which records
    events and queues their notifications), the catch-up of events whose notifications
    were never queued, the retry of due e-mail/SMS, and the warming of the default public
    figures (lapor/transparency/warm.py). Returns counts for logs and tests."""
    from lapor.reports.sweep import sweep

    now = now or timezone.now()
    counts = sweep(now=now).as_dict()
    if apps.is_installed("lapor.harmony"):
        # SILAPAT's early-warning thresholds, when the module is switched on.
        from lapor.harmony.services import harmony_periodic_check

        counts["harmony"] = harmony_periodic_check(now=now)
    if apps.is_installed("lapor.api"):
        from lapor.api.submission import forget_idempotency_keys

        counts["idempotency_keys_forgotten"] = forget_idempotency_keys(now=now)
    if apps.is_installed("lapor.sms"):
        from lapor.sms.inbound import forget_anonymous_senders

        counts["sms_senders_forgotten"] = forget_anonymous_senders(now=now)
    from lapor.accounts.retention import forget_signin_records

    counts["signin_records_forgotten"] = forget_signin_records(now=now)
    if apps.is_installed("lapor.portal"):
        from lapor.portal.uploads import discard_abandoned

        counts["staged_files_discarded"] = discard_abandoned(now=now)
    if apps.is_installed("lapor.webhooks"):
        from lapor.webhooks.delivery import webhooks_run

        counts.update(webhooks_run(now=now))
    if deliver:
        from lapor.accounts.mail import retry_pending

        counts.update(retry_pending(now=now))  # account e-mail the mail server did not take
        counts["caught_up"] = notifications_catch_up(now=now)
        counts["delivered"] = notifications_deliver_due(now=now)
        if apps.is_installed("lapor.transparency"):
            # The most visited public figures, recomputed before visitors find them expired.
            from lapor.transparency.warm import transparency_warm

            counts["figures_warmed"] = transparency_warm()
    return counts


# --- Notifications about something other than a report event ----------------------------
# (SILAPAT early warnings, news from what a citizen follows.) Kept apart from the event
# fan-out above: no recipients rule, no report, the caller names who is told and why.

# A text given to ``notifications_notify``: the same words for everyone, a dict per
# language ("id", "en"; a missing language falls back to Indonesian), or a callable that
# takes the language code and is called with that language active (so gettext inside it
# answers in the recipient's language).
Text = str | Mapping[str, str] | Callable[[str], str]


def _text_in(text: Text, language: str) -> str:
    if callable(text):
        with translation.override(language):
            return str(text(language))
    if isinstance(text, Mapping):
        return str(text.get(language) or text.get(Language.INDONESIAN) or next(iter(text.values()), ""))
    return str(text)


def direct_channels(user) -> list[str]:
    """The channels of a notification that is not about a report event: in-app always;
    e-mail unless switched off, when there is an address; SMS only when the person chose
    it and has a phone number."""
    preference = getattr(user, "notification_preference", None)
    profile = getattr(user, "profile", None)
    channels = [Channel.IN_APP]
    if (preference is None or preference.by_email) and email_address(user):
        channels.append(Channel.EMAIL)
    if preference is not None and preference.by_sms and profile is not None and profile.phone:
        channels.append(Channel.SMS)
    return channels


def notifications_notify(
    *,
    users,
    key: str,
    reason: str,
    subject: Text,
    body: Text,
    url: str,
    sms: Text | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell ``users`` about something that is not one report event (``key`` names it, e.g.
    ``"harmony-alert:12"``): an in-app notification each, plus e-mail and SMS as each
    person's ``Preference`` says (``direct_channels``), in each person's language.

    ``subject``, ``body`` and ``sms`` (default: subject and link) are ``Text``: a string, a
    dict per language or a callable of the language. ``url`` is absolute (it goes into
    e-mail). Inactive accounts are skipped.

    Idempotent: rows are unique per (key, recipient, channel), so calling this twice, or
    in two workers at once, creates and sends each once. Side effects: ``Notification``
    rows (in-app ones delivered by existing); after commit, each pending e-mail/SMS is
    queued to the ``deliver_notification`` task (a broker that is down only delays it:
    ``notifications_deliver_due`` picks it up). Returns the e-mail/SMS rows still pending."""
    from django.contrib.auth import get_user_model

    if not key or len(key) > Notification._meta.get_field("key").max_length:
        raise ValueError(f"a notification key is 1–100 characters: {key!r}")
    now = now or timezone.now()
    ids = {getattr(user, "pk", user) for user in users}
    people = (get_user_model().objects.filter(pk__in=ids, is_active=True)
              .select_related("notification_preference", "profile").order_by("pk"))
    rows = []
    for user in people:
        language = language_of(user)
        words = {"subject": _text_in(subject, language)[:200], "body": _text_in(body, language)}
        short = _text_in(sms, language) if sms is not None else f"{words['subject']} {url}"
        for channel in direct_channels(user):
            rows.append(Notification(
                key=key, recipient=user, channel=channel, reason=reason, language=language,
                subject=words["subject"], body=short if channel == Channel.SMS else words["body"], url=url[:200],
                created_at=now,
                status=Status.SENT if channel == Channel.IN_APP else Status.PENDING,
                sent_at=now if channel == Channel.IN_APP else None,
                next_attempt_at=None if channel == Channel.IN_APP else now,
            ))
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        pending = list(
            Notification.objects.filter(event__isnull=True, key=key, recipient_id__in=ids, status=Status.PENDING)
            .exclude(channel=Channel.IN_APP).order_by("pk")
        )
        transaction.on_commit(functools.partial(_queue_deliveries, [n.pk for n in pending]))
    return pending


def _queue_deliveries(notification_ids: list[int]) -> None:
    from lapor.notifications.tasks import deliver_notification

    for pk in notification_ids:
        try:
            deliver_notification.delay(pk)
        except Exception:  # noqa: BLE001 — the broker; notifications_deliver_due retries what is pending
            log.exception("could not queue the delivery of notification %s", pk)
