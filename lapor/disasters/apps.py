from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisastersConfig(AppConfig):
    name = "lapor.disasters"
    verbose_name = _("Mode darurat bencana")
    default_auto_field = "django.db.models.BigAutoField"
