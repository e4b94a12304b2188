from django.core.management.base import BaseCommand

from lapor.categories.loading import load_categories
from lapor.categories.models import Category


class Command(BaseCommand):
    help = "Memuat topik dan sub-topik LAPOR!. Aman dijalankan ulang: kategori yang sudah ada tidak diubah."

    def handle(self, *args, **options):
        created = load_categories()
        topics = Category.objects.filter(parent=None).count()
        subtopics = Category.objects.exclude(parent=None).count()
        self.stdout.write(f"Kategori: {topics} topik, {subtopics} sub-topik ({created} baru)")
