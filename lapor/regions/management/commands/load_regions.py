import time

from django.core.management.base import BaseCommand

from lapor.regions.loading import summary, sync_regions


class Command(BaseCommand):
    help = (
        "Memuat seluruh wilayah Indonesia (provinsi s.d. desa/kelurahan) dari data idn-area-data "
        "yang disertakan. Aman dijalankan ulang: hanya baris yang berbeda yang ditulis."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Tanpa bilah kemajuan.")
        parser.add_argument(
            "--province", action="append", dest="provinces", metavar="KODE",
            help="Hanya provinsi ini (boleh diulang), misalnya --province 63 untuk uji coba.",
        )

    def handle(self, *args, quiet=False, provinces=None, **options):
        started = time.monotonic()
        progress = not quiet and self.stdout.isatty()
        result = sync_regions(progress=progress, provinces=set(provinces) if provinces else None)
        self.stdout.write(summary(result.counts))
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{result.created} baru, {result.updated} diperbarui, {time.monotonic() - started:.1f} detik."
            )
