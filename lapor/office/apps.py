from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "lapor.office"
    label = "office"
    verbose_name = _("Kantor (templat jawaban)")

    def ready(self):
        from lapor.office import middleware  # noqa: F401  (connects the TOTP set-up receiver)
