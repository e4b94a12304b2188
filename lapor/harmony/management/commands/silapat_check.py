"""``manage.py silapat_check``: the periodic early-warning check (also a Celery task)."""
from django.core.management.base import BaseCommand

from lapor.harmony.services import harmony_periodic_check


class Command(BaseCommand):
    help = ("Memeriksa ambang peringatan dini SILAPAT. Peringatan baru dikirim lewat notifikasi "
            "(e-mail/SMS yang gagal dicoba ulang oleh pengiriman notifikasi).")

    def handle(self, *args, **options):
        counts = harmony_periodic_check()
        self.stdout.write(f"{counts['raised']} peringatan baru, {counts['cleared']} mereda, "
                          f"{counts['adopted']} kejadian baru dari jalur laporan biasa.")
