"""Limits per phone number on SMS 1708 (issue #10; docs/sms.md "Limits").

Two limits, both counted from the ``InboundSms`` rows of the number (its keyed hash) in
the database, so every web process agrees and nothing is lost on a restart:

- **reports**: at most ``LAPOR_SMS_REPORTS_PER_HOUR`` and ``LAPOR_SMS_REPORTS_PER_DAY``
  filed reports. A report beyond them is not filed (the text stays in the admin's list
  of received SMS, outcome *Dibatasi*); CEK and the help text are still answered.
- **all messages**: more than ``LAPOR_SMS_MESSAGES_PER_HOUR`` messages of any kind in an
  hour (an auto-responder answering our replies, a stuck phone) are not acted on.

Either way the number gets **one** polite reply saying when it may send again, and
nothing more until then: every SMS we send costs money, and a reply to each refused
message would feed a loop with a machine that answers every SMS. Limits of 0 are off.
"""
from __future__ import annotations

import datetime

from django.conf import settings

from lapor.reports.quota import retry_at
from lapor.sms.models import InboundSms

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def messages_retry_at(*, sender_hash: str, now: datetime.datetime, current: InboundSms) -> datetime.datetime | None:
    """When this number may send again if it has sent too many messages of any kind in
    the last hour (not counting ``current``), else None."""
    rows = InboundSms.objects.filter(sender_hash=sender_hash).exclude(pk=current.pk)
    return retry_at(rows, field="received_at", limits=[(HOUR, settings.LAPOR_SMS_MESSAGES_PER_HOUR)], now=now)


def reports_retry_at(*, sender_hash: str, now: datetime.datetime) -> datetime.datetime | None:
    """When this number may file a report again if its reports fill a window, else None."""
    rows = InboundSms.objects.filter(sender_hash=sender_hash, outcome=InboundSms.Outcome.REPORT)
    limits = [(HOUR, settings.LAPOR_SMS_REPORTS_PER_HOUR), (DAY, settings.LAPOR_SMS_REPORTS_PER_DAY)]
    return retry_at(rows, field="received_at", limits=limits, now=now)


def already_told(*, sender_hash: str, since: datetime.datetime | None, current: InboundSms) -> bool:
    """Did this number get its "please wait" reply after ``since`` (the last message it
    was answered normally for)? Then the next refusals stay silent."""
    told = InboundSms.objects.filter(sender_hash=sender_hash, outcome=InboundSms.Outcome.LIMITED).exclude(
        reply="").exclude(pk=current.pk)
    if since is not None:
        told = told.filter(received_at__gte=since)
    return told.exists()


def last_received(*, sender_hash: str, outcomes, current: InboundSms) -> datetime.datetime | None:
    return (
        InboundSms.objects.filter(sender_hash=sender_hash, outcome__in=outcomes).exclude(pk=current.pk)
        .order_by("-received_at").values_list("received_at", flat=True).first()
    )
