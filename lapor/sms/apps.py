from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "lapor.sms"
    label = "sms"
    verbose_name = _("SMS 1708")
