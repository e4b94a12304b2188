from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lapor.ops.backup import BackupError, restore, row_counts


class Command(BaseCommand):
    help = "Replace the database and the attachments with a backup made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--replace-media", action="store_true",
                            help="replace the files in MEDIA_ROOT (refused otherwise when it holds any)")

    def handle(self, directory, yes, replace_media, **options):
        if not yes:
            answer = input(f"Ganti seluruh data dengan cadangan di {directory}? Ketik 'ya': ")
            if answer.strip().lower() != "ya":
                raise CommandError("Dibatalkan.")
        try:
            manifest = restore(Path(directory), replace_media=replace_media)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        now = row_counts()
        if now != manifest["counts"]:
            raise CommandError(f"Jumlah baris berbeda setelah pemulihan: {now} ≠ {manifest['counts']}")
        self.stdout.write(f"Dipulihkan dari {directory} ({manifest['created_at']}); jumlah baris cocok.")
