from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lapor.notifications"
    verbose_name = _("Notifikasi")

    def ready(self):
        # Bind @shared_task to our configured app in every process (web, commands,
        # workers), so that .delay() uses the broker from the settings.
        import lapor.celery  # noqa: F401
        from allauth.account.signals import password_reset

        from lapor.notifications.invitations import verify_address_on_password_reset

        # An invited officer's password, set through the link mailed to their address,
        # proves that address (lapor/notifications/invitations.py).
        password_reset.connect(verify_address_on_password_reset, dispatch_uid="lapor.notifications.verify_on_reset")
