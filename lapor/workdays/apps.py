from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "lapor.workdays"
    label = "workdays"
