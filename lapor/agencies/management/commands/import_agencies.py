"""``manage.py import_agencies FILE [--routing FILE] [--commit] [--by USERNAME]``: import an
agency tree (and routing rules) from CSV or XLSX; see lapor/agencies/importing.py for the
columns.

A dry run by default: every row is really imported and rolled back, and what would be
created or changed is printed with the per-row errors. ``--commit`` keeps it. Safe to run
again: an unchanged file changes nothing. Exits with status 1 when a row failed (the
valid rows are imported all the same). With ``--commit``, each new admin account named
in ``admin_email`` is e-mailed an invitation to set its password (the mail settings must
be those of production: ``EMAIL_HOST``)."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lapor.accounts.models import User
from lapor.agencies.importing import CHANGED, CREATED, ERROR, import_agencies, read_file, read_routing_file
from lapor.reports.importing import ReadNote

SEPARATORS = {",": ", comma-separated", ";": ", semicolon-separated", "\t": ", tab-separated"}


class Command(BaseCommand):
    help = "Import an agency tree (and routing rules) from CSV or XLSX: a dry run unless --commit."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="agencies: .csv (UTF-8 or Windows-1252; comma, semicolon or tab) "
                                                    "or .xlsx (first sheet)")
        parser.add_argument("--routing", type=Path, help="routing rules (columns category, region, agency)")
        parser.add_argument("--commit", action="store_true", help="write the result (default: a dry run)")
        parser.add_argument("--by", help="username of the account the audit log names (e.g. a national admin)")

    def handle(self, *args, file, routing, commit, by, **options):
        actor = None
        if by:
            actor = User.objects.filter(username=by).first()
            if actor is None:
                raise CommandError(f"no user {by!r}")
        # Row errors in the site's language (Indonesian by default), whatever the shell's.
        with translation.override(settings.LANGUAGE_CODE):
            rows = self._read(read_file, file)
            routing_rows = self._read(read_routing_file, routing) if routing else None
            result = import_agencies(rows, by=actor, commit=commit, routing_rows=routing_rows)
            self._report("agencies", result.agencies, result.agency_counts, commit)
            if routing:
                self._report("routing rules", result.routing, result.routing_counts, commit)
        if result.invited:
            # lapor/notifications/invitations.py: each new admin sets their own password.
            self.stdout.write(f"invitations: {len(result.invited)} new admin account(s) "
                              f"{'e-mailed' if commit else 'would be e-mailed'} a link to set their password")
        if not commit:
            self.stdout.write("dry run: nothing was written; add --commit to import.")
        elif not result.writes:
            self.stdout.write("nothing changed: the system already matches the file.")
        if result.errors:
            raise CommandError(f"{result.errors} row(s) failed; the valid rows {'were' if commit else 'would be'} "
                               "imported.", returncode=1)

    def _read(self, reader, path: Path):
        note = ReadNote()
        try:
            rows = reader(path, note)
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        how = note.encoding + SEPARATORS.get(note.delimiter, "")
        self.stdout.write(f"read {note.rows} rows from {path.name} ({how})")
        return rows

    def _report(self, what: str, results, counts, commit: bool) -> None:
        verbs = {CREATED: "created" if commit else "would create",
                 CHANGED: "changed" if commit else "would change"}
        for row in results:
            if row.status in verbs:
                detail = f" ({', '.join(row.changed + row.notes)})" if row.changed or row.notes else ""
                self.stdout.write(f"row {row.line} {row.key}: {verbs[row.status]}{detail}")
            elif row.status == ERROR:
                detail = "; ".join(f"{name}: {' '.join(texts)}" for name, texts in row.errors.items())
                self.stderr.write(f"row {row.line} {row.key or '(no slug)'}: {detail}")
        self.stdout.write(f"{what}: {counts[CREATED]} {'created' if commit else 'to create'}, "
                          f"{counts[CHANGED]} {'changed' if commit else 'to change'}, "
                          f"{counts['unchanged']} unchanged, {counts[ERROR]} with errors")
