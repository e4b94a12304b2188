from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lapor.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the attachments into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the backup (must not exist or be empty)")

    def handle(self, directory, **options):
        try:
            manifest = backup(Path(directory))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        counts = ", ".join(f"{label}: {n}" for label, n in manifest["counts"].items())
        self.stdout.write(f"Cadangan tersimpan di {directory} ({counts})")
