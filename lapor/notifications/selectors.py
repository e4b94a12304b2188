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
