"""``manage.py import_reports FILE --source NAME --by USERNAME [--commit]``: bulk import of
legacy reports from CSV or JSON (see lapor/reports/importing.py for the fields).

A dry run by default: every row is run through the lifecycle and rolled back, and the
per-row errors are printed. Add ``--commit`` to keep the result. Safe to re-run: rows
already imported (by external_id) are skipped. ``--jobs N`` spreads the chunks over N
processes on PostgreSQL.

After a committed import of ``VACUUM_AFTER`` rows or more, PostgreSQL's tables of reports
and their history are vacuumed and analysed (``--no-vacuum`` leaves it to autovacuum).
Autovacuum starts only after inserts of a fifth of a table: 100,000 reports imported into
a million would otherwise leave the planner's statistics without them, and the public
map's index-only scans reading every new row from the table (5× slower, measured)."""
import csv
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation
from tqdm import tqdm

from lapor.accounts.models import User
from lapor.agencies.models import TimeZone
from lapor.reports.importing import ReadNote, import_rows, read_rows


VACUUM_AFTER = 10_000
VACUUMED = ("reports_report", "reports_reportevent", "reports_followup")


class Command(BaseCommand):
    help = "Import legacy reports (CSV or JSON) through the lifecycle services, keeping their history."
    # A data command run again and again on a deployed system (whose checks ran at deploy,
    # and run with `manage.py check`): two seconds each time saved on a slow machine.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=".csv (UTF-8 or Windows-1252; comma, semicolon or tab), "
                                                    ".xlsx (first sheet) or .json")
        parser.add_argument("--source", required=True, help="name of the legacy system (ids are unique per source)")
        parser.add_argument("--by", required=True, help="username of a national admin who routes and closes")
        parser.add_argument("--commit", action="store_true", help="write the result (default: a dry run)")
        parser.add_argument("--errors", type=Path, help="also write the per-row errors to this CSV file")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--no-vacuum", action="store_true",
                            help=f"do not VACUUM (ANALYZE) after {VACUUM_AFTER:,} or more rows (PostgreSQL)")
        parser.add_argument("--zone", choices=TimeZone.values,
                            help="time zone of an XLSX file's date cells (they carry none), e.g. Asia/Makassar")
        parser.add_argument("--jobs", type=int, default=1,
                            help="worker processes (PostgreSQL only; e.g. the number of cores)")

    def handle(self, *args, file, source, by, commit, errors, no_progress, no_vacuum, jobs, zone, **options):
        note = ReadNote()
        try:
            rows = read_rows(file, note, zone=zone)
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        how = note.encoding + {",": ", comma-separated", ";": ", semicolon-separated",
                               "\t": ", tab-separated"}.get(note.delimiter, "")
        self.stdout.write(f"read {note.rows} rows from {file.name} ({how})")
        actor = User.objects.filter(username=by).first()
        if actor is None:
            raise CommandError(f"no user {by!r}")
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        # Row errors in the site's language (Indonesian by default), whatever the shell's.
        with translation.override(settings.LANGUAGE_CODE), \
                tqdm(total=len(rows), unit="laporan", disable=no_progress, file=sys.stderr) as progress:
            result = import_rows(rows, source=source, by=actor, commit=commit, progress=progress, jobs=jobs)
        for line, external_id, messages in result.errors:
            detail = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in messages.items())
            self.stderr.write(f"row {line} ({external_id or 'no external_id'}): {detail}")
        if errors:
            with open(errors, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["row", "external_id", "field", "message"])
                for line, external_id, messages in result.errors:
                    for field, texts in messages.items():
                        for text in texts:
                            writer.writerow([line, external_id, field, text])
        verb = "imported" if commit else "would import (dry run; add --commit)"
        self.stdout.write(f"{verb}: {result.created}, skipped (already imported): {result.skipped}, "
                          f"errors: {len(result.errors)}")
        if commit and not no_vacuum and result.created >= VACUUM_AFTER and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {', '.join(VACUUMED)}")
            self.stdout.write(f"vacuumed and analysed: {', '.join(VACUUMED)}")
