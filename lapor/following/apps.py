from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "lapor.following"
    verbose_name = _("Mengikuti laporan dan umpan Atom")
    default_auto_field = "django.db.models.BigAutoField"
