from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "lapor.transparency"
    verbose_name = _("Transparansi dan evaluasi")
    default_auto_field = "django.db.models.BigAutoField"
