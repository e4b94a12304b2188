from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lapor.audit"
    label = "audit"
    verbose_name = _("Log audit")

    def ready(self):
        from django.db.backends.signals import connection_created

        from lapor.audit import guard, signals  # noqa: F401  (sign-in receivers)

        connection_created.connect(guard.register_sqlite_function, dispatch_uid="lapor.audit.sqlite_guard")
