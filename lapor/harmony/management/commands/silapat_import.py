"""``manage.py silapat_import rumah-ibadah berkas.csv [--office ID] [--commit]``."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lapor.harmony.importing import COLUMNS, decode, registry_import
from lapor.harmony.models import HarmonyOffice


class Command(BaseCommand):
    help = ("Mengimpor data SILAPAT dari berkas CSV (rumah-ibadah, organisasi, penduduk). Tanpa --commit hanya "
            "memeriksa dan melaporkan; baris yang salah dilaporkan dengan nomor barisnya.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(COLUMNS))
        parser.add_argument("path")
        parser.add_argument("--office", type=int, help="batasi ke wilayah kerja kantor SILAPAT ini (id)")
        parser.add_argument("--commit", action="store_true", help="simpan baris yang benar")

    def handle(self, *args, kind, path, office=None, commit=False, **options):
        file = Path(path)
        if not file.exists():
            raise CommandError(f"berkas {path} tidak ada")
        scope = None
        if office is not None:
            scope = HarmonyOffice.objects.select_related("region").filter(pk=office).first()
            if scope is None:
                raise CommandError(f"kantor SILAPAT {office} tidak ada")
        with transaction.atomic():
            result = registry_import(kind=kind, text=decode(file.read_bytes()), office=scope)
            if not commit:
                transaction.set_rollback(True)
        for error in result.errors:
            self.stderr.write(str(error))
        verb = "disimpan" if commit else "akan disimpan (uji coba; tambahkan --commit)"
        self.stdout.write(f"{result.created} baru, {result.updated} diperbarui, {result.unchanged} tidak berubah "
                          f"{verb}; {len(result.errors)} baris salah.")
        if result.errors and not result.kept:
            raise CommandError("tidak ada baris yang dapat diimpor")
