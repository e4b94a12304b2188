from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "lapor.transparency"
    verbose_name = "Transparansi dan evaluasi"
    default_auto_field = "django.db.models.BigAutoField"
