"""``manage.py silapat_setup``: the SILAPAT categories and their routing rules."""
from django.core.management.base import BaseCommand

from lapor.harmony.categories import ensure_harmony_categories


class Command(BaseCommand):
    help = ("Membuat kategori Kerukunan Umat Beragama (SILAPAT) dan aturan rute ke unit Kesbangpol setiap "
            "kantor SILAPAT. Aman dijalankan ulang.")

    def handle(self, *args, **options):
        created = ensure_harmony_categories()
        self.stdout.write(f"{created} kategori/aturan rute baru.")
