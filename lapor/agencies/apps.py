from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "lapor.agencies"
    label = "agencies"
    verbose_name = _("Instansi dan peran")
