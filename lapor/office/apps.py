from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "lapor.office"
    label = "office"
