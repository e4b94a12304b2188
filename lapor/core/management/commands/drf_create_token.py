"""``manage.py drf_create_token`` refused: Django REST framework's own command (its
``authtoken`` app stays installed only for the migration that moved its old tokens,
``api.0002``) would store a token in clear in a table Lapor no longer reads, and print a
token that answers 401. This one takes its name (``lapor.core`` comes before
``rest_framework.authtoken`` in INSTALLED_APPS) and says how tokens are issued."""
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Not used in Lapor: API tokens are issued in the Django admin (API › Token API) or by signing in."

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")
        parser.add_argument("-r", "--reset", action="store_true")

    def handle(self, *args, **options):
        raise CommandError(
            "Lapor does not use Django REST framework's tokens: a token made here would not work. "
            "Issue one in the Django admin (API › Token API › add: it is shown once, after saving), "
            "or let the account sign in at POST /api/v1/auth/token/ (docs/api.md).")
