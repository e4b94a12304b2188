from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lapor.notifications"
    verbose_name = _("Notifikasi")

    def ready(self):
        # Bind @shared_task to our configured app in every process (web, commands,
        # workers), so that .delay() uses the broker from the settings.
        import lapor.celery  # noqa: F401
