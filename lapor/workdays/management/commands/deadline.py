import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from lapor.workdays import calendar


class Command(BaseCommand):
    help = (
        "Print the deadline N working days after an event: the end of the N-th working day "
        "after it, in the agency's time zone (SPEC §4)."
    )

    def add_arguments(self, parser):
        parser.add_argument("start", help="when the event happened, ISO 8601; without an offset it is read in --zone")
        parser.add_argument("working_days", help="number of working days, at least 1")
        parser.add_argument(
            "--zone",
            default="Asia/Jakarta",
            help=f"the agency's time zone: {', '.join(calendar.ZONES)} (default Asia/Jakarta)",
        )

    def handle(self, *args, start, working_days, zone, **options):
        if zone not in calendar.ZONES:
            raise CommandError(f"Unknown time zone {zone!r}; use one of {', '.join(calendar.ZONES)}.")
        try:
            moment = datetime.datetime.fromisoformat(start)
        except ValueError:
            raise CommandError(f"Cannot read {start!r} as an ISO date and time, e.g. 2026-03-17T10:00+07:00.")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(zone))
        try:
            days = int(working_days)
        except (TypeError, ValueError):
            raise CommandError(f"Working days must be a whole number, got {working_days!r}.")
        if days < 1:
            raise CommandError(f"Working days must be at least 1, got {days}.")
        try:
            deadline = calendar.deadline_for(moment, days, zone)
        except (ValueError, RuntimeError) as e:
            raise CommandError(str(e))
        self.stdout.write(deadline.isoformat())
