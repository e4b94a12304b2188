from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lapor.ops"
    label = "ops"

    def ready(self):
        from lapor.ops import checks  # noqa: F401  (registers the system checks)
