from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarmonyConfig(AppConfig):
    """SILAPAT: religious-harmony registry and early warning (SPEC §11), a switchable module."""

    name = "lapor.harmony"
    label = "harmony"
    verbose_name = _("SILAPAT (kerukunan umat beragama)")

    def ready(self):
        # Registers the periodic check with Celery (lapor/celery.py autodiscovers only
        # the notifications app's tasks).
        from lapor.harmony import tasks  # noqa: F401
