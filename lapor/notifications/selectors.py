"""Reading notifications (the writes are ``services``)."""
from django.conf import settings
from django.db.models import QuerySet

from lapor.accounts import pseudonyms
from lapor.notifications.models import Channel, Notification, Reason


def in_app_notifications(user) -> QuerySet:
    """A person's in-app notifications, newest first: what /notifikasi/ and the API's
    ``me/notifications`` list. What was said about their anonymous reports went to their
    stand-ins (lapor/accounts/pseudonyms.py); with SILAPAT switched off, none of its alerts."""
    notifications = Notification.objects.filter(
        pseudonyms.accounts_q(user, "recipient"), channel=Channel.IN_APP).select_related("report")
    if not getattr(settings, "LAPOR_SILAPAT_ENABLED", False):
        notifications = notifications.exclude(reason=Reason.HARMONY_ALERT)
    return notifications


def reader_zone(user) -> str | None:
    """The zone a staff member reads the times of their notifications in: their agency's
    (their first role's, as the back office counts its days), a SILAPAT recipient's
    Kesbangpol office's (``harmony.selectors.office_zone``); None for a citizen, whose
    times follow each report (``Report.deadline_zone``, as the report's own page)."""
    membership = user.memberships.select_related("agency").order_by("pk").first()
    if membership is not None:
        return membership.agency.time_zone
    role = user.harmony_roles.select_related("office__agency").order_by("pk").first()
    if role is not None and role.office.agency_id:
        return role.office.agency.time_zone
    return None
