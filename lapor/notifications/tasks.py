"""Celery tasks: thin wrappers around the services (run in process on the embedded default)."""
from celery import shared_task

from lapor.notifications import services
from lapor.reports.models import ReportEvent


@shared_task(name="lapor.notify_event", ignore_result=True)
def notify_event(event_id: int) -> None:
    event = ReportEvent.objects.filter(pk=event_id).first()
    if event is None:
        return
    for notification in services.notifications_fan_out(event=event):
        deliver_notification.delay(notification.pk)


@shared_task(name="lapor.notify_events", ignore_result=True)
def notify_events(event_ids: list[int]) -> None:
    """``notify_event`` for a chunk of events recorded together (the sweep's batches)."""
    for event in ReportEvent.objects.filter(pk__in=event_ids).order_by("pk"):
        for notification in services.notifications_fan_out(event=event):
            deliver_notification.delay(notification.pk)


@shared_task(name="lapor.deliver_notification", ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    services.notifications_deliver(notification_id=notification_id)


@shared_task(name="lapor.tell_staff_of_roles", ignore_result=True)
def tell_staff_of_roles(grants: list, by_id: int | None) -> None:
    """Invitations and role notices to staff (lapor/notifications/invitations.py)."""
    from lapor.notifications.invitations import staff_roles_tell

    staff_roles_tell(grants=grants, by_id=by_id)


@shared_task(name="lapor.deliver_due_notifications", ignore_result=True)
def deliver_due_notifications() -> None:
    services.notifications_deliver_due()


@shared_task(name="lapor.sweep")
def sweep() -> dict:
    """One pass of the background work: see ``run_background_pass``."""
    return services.run_background_pass()
