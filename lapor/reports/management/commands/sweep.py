"""``manage.py sweep``: run one pass of the deadline sweep now (operators, tests, cron)."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from lapor.notifications.services import run_background_pass


class Command(BaseCommand):
    help = ("Remind, escalate, auto-close, archive and warn about everything due now, then deliver "
            "due notifications. Safe to run while another sweep runs.")

    def add_arguments(self, parser):
        parser.add_argument("--now", help="act as if it were this instant (ISO 8601 with offset), for drills")
        parser.add_argument("--no-deliver", action="store_true", help="only the deadline sweep; leave e-mail/SMS delivery and the warming of public "
                                 "figures for later")

    def handle(self, *args, now=None, no_deliver=False, **options):
        moment = None
        if now:
            moment = parse_datetime(now)
            if moment is None or moment.tzinfo is None:
                raise CommandError("--now must be an ISO 8601 instant with an offset, e.g. 2026-03-27T08:00+08:00")
        counts = run_background_pass(now=moment, deliver=not no_deliver)
        self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
