"""``manage.py backfill_handlings``: give every report that reached an agency but has no
handling yet its handlings, from its history (lapor/reports/handlings.py). Migration
``reports.0016`` does it once; run this after a rolling release, where processes of the
older code may have verified reports after the migration ran. Safe to run again."""
from django.core.management.base import BaseCommand

from lapor.reports.handlings import backfill
from lapor.reports.models import Handling, Report, ReportEvent


class Command(BaseCommand):
    help = "Write the missing handlings (each agency's turn with a report) from the reports' history."

    def handle(self, *args, **options):
        self.stdout.write(f"handlings written: {backfill(Handling, Report, ReportEvent)}")
