"""Django's ``flush``, allowed to empty the append-only audit log on SQLite (see
``lapor.audit.guard``). Everything else is Django's own command."""
from django.core.management.commands import flush

from lapor.audit import guard


class Command(flush.Command):
    def handle(self, **options):
        with guard.flushing():
            return super().handle(**options)
