"""News of new reports from what a citizen follows, gathered: after a flood an area may get
hundreds of new reports in an hour, and one e-mail each would bury the follower (and get
the site's mail marked as spam). The first piece of news goes out at once; what follows within
``LAPOR_FOLLOW_DIGEST_MINUTES`` waits in one held e-mail that each further piece is added
to, sent when the window closes. An agency's answer on a followed report is told at once
(it is news about one report the person chose). In-app notifications are not gathered
(one per event, as always); SMS are not sent for followed areas by default and are left
as they are.

A held e-mail is an ordinary pending ``Notification`` (the first piece's row) whose time
comes later, and whose ``gathered`` counts its pieces; adding to it rewrites its subject
and body. Two fan-outs for one person at
once add one after the other (the row is locked on PostgreSQL; SQLite writes one at a
time)."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from lapor.notifications.models import Channel, Notification, Reason, Status
from lapor.reports.enums import Action

SEPARATOR = "\n\n--\n"


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "LAPOR_FOLLOW_DIGEST_MINUTES", 60))


def gather(rows: list[Notification], now: datetime.datetime) -> list[Notification]:
    """The rows to create for one event, with each follower's e-mail held or added to the
    e-mail already held for them. Returns the rows still to create."""
    if window() <= datetime.timedelta(0) or not rows or rows[0].event.action == Action.ANSWER:
        return rows  # an answer on a followed report is told at once, as the reporter's is
    following = {row.recipient_id: row for row in rows if row.channel == Channel.EMAIL and row.reason == Reason.FOLLOWING}
    if not following:
        return rows
    mine = Notification.objects.filter(recipient_id__in=list(following), channel=Channel.EMAIL,
                                       reason=Reason.FOLLOWING).exclude(event__action=Action.ANSWER)
    held = {row.recipient_id: row for row in mine.filter(status=Status.PENDING, attempts=0, next_attempt_at__gt=now)
            .order_by("pk")}
    recent = set(mine.filter(Q(status=Status.PENDING) | Q(sent_at__gte=now - window()))
                 .values_list("recipient_id", flat=True))
    keep = []
    for row in rows:
        recipient = row.recipient_id
        if following.get(recipient) is not row:
            keep.append(row)
        elif recipient in held and _add(held[recipient], row):
            continue  # in the held e-mail now: no e-mail of its own
        else:
            if recipient in recent:
                row.next_attempt_at = now + window()  # held: what comes next is added to it
                row.gathered = 1
            keep.append(row)
    return keep


def _add(held: Notification, row: Notification) -> bool:
    """Add ``row``'s news to the held e-mail; False if it went out meanwhile."""
    with transaction.atomic():
        locked = Notification.objects.select_for_update().filter(
            pk=held.pk, status=Status.PENDING, attempts=0).first()
        if locked is None:
            return False
        with translation.override(locked.language):
            items = [_item(locked)] if locked.gathered <= 1 else _items(locked.body)
            items.append(_item(row))
            locked.subject = gettext("[Lapor] %(n)d kabar baru dari yang Anda ikuti") % {"n": len(items)}
            locked.body = "\n\n".join([_lead(), *items]) + SEPARATOR + _footer()
            locked.url = settings.LAPOR_SITE_URL + "/ikuti/"
            locked.gathered = len(items)
        locked.save(update_fields=["subject", "body", "url", "gathered"])
    return True


def is_digest(notification: Notification) -> bool:
    """A held e-mail that gathered more than one piece of news (its button opens /ikuti/,
    not one report)."""
    return notification.gathered > 1


def _lead() -> str:
    return gettext("Kabar baru dari wilayah, area peta, kategori, atau laporan yang Anda ikuti:")


def _footer() -> str:
    return (gettext("Lapor — pesan otomatis; mohon tidak membalas e-mail ini.") + "\n"
            + gettext("Berhenti mengikuti di halaman Yang saya ikuti: %(url)s")
            % {"url": settings.LAPOR_SITE_URL + "/ikuti/"})


def _item(row: Notification) -> str:
    return f"- {row.subject}\n  {row.url}"


def _items(body: str) -> list[str]:
    listed = body.split(SEPARATOR)[0].split("\n\n")[1:]
    return [item for item in listed if item.startswith("- ")]
