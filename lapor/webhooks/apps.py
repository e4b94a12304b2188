from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "lapor.webhooks"
    label = "webhooks"
    verbose_name = _("Webhook sistem terhubung")

    def ready(self):
        # Celery's autodiscovery (lapor/celery.py) lists only some apps: register ours here.
        from lapor.webhooks import tasks  # noqa: F401
