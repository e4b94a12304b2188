import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lapor.demo.reports import seed_demo_reports
from lapor.demo.seed import DEFAULT_PASSWORD, DemoSeedError, seed_demo
from lapor.regions.loading import loaded_counts, regions_loaded, summary


class Command(BaseCommand):
    help = (
        "Menyiapkan data demo: wilayah, kategori, pohon instansi Kalimantan Selatan, aturan rute "
        "dan akun demo untuk setiap peran. Aman dijalankan ulang; kata sandi akun demo "
        "dikembalikan ke kata sandi demo setiap kali."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-regions", action="store_true", help="Jangan memuat wilayah.")
        parser.add_argument(
            "--password", default=os.environ.get("LAPOR_DEMO_PASSWORD") or DEFAULT_PASSWORD,
            help="Kata sandi semua akun demo (bawaan: LAPOR_DEMO_PASSWORD atau %(default)s).",
        )
        parser.add_argument("--quiet", action="store_true", help="Tanpa bilah kemajuan.")
        parser.add_argument("--no-reports", action="store_true",
                            help="Tanpa contoh laporan (bawaan: dibuat bila belum ada laporan sama sekali).")
        parser.add_argument("--no-demo", action="store_true",
                            help="Hanya data rujukan (wilayah, kategori): tanpa instansi, akun dan laporan demo "
                                 "(produksi; LAPOR_DEMO=0 pada script/start).")

    def handle(self, *args, skip_regions=False, password, quiet=False, no_reports=False, no_demo=False, **options):
        started = time.monotonic()
        if skip_regions:
            pass
        elif regions_loaded():
            self.stdout.write(summary(loaded_counts()) + " (sudah dimuat)")
        else:
            call_command("load_regions", quiet=quiet, stdout=self.stdout, verbosity=options["verbosity"])
        call_command("load_categories", stdout=self.stdout)
        if no_demo:
            from django.contrib.auth import get_user_model

            # Run again at every start of a production machine (LAPOR_DEMO=0): the first
            # administrator's advice only while there is no superuser yet.
            if get_user_model().objects.filter(is_superuser=True, is_active=True).exists():
                self.stdout.write("\nTanpa data demo (--no-demo): data rujukan diperbarui; akun yang ada tidak diubah.")
            else:
                self.stdout.write(
                    "\nTanpa data demo (--no-demo): belum ada administrator. Buat administrator pertama dengan "
                    "`manage.py createsuperuser` (dengan alamat e-mail), lalu di /admin/ instansinya dan "
                    "peran Admin Nasional (docs/operations.md, First start).")
            return
        try:
            logins = seed_demo(password=password)
        except DemoSeedError as error:
            raise CommandError(str(error)) from None

        rows = [("Nama pengguna", "Peran", "Instansi / wilayah", "Kata sandi")]
        rows += [(login.username, login.role, login.agency, password) for login in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        if not no_reports:
            made = seed_demo_reports()
            self.stdout.write(f"\n{made} contoh laporan dibuat (dua bulan riwayat di Kota Banjarbaru), dengan survei "
                              "IKM, jajak pendapat, templat tindak lanjut dan kejadian SILAPAT." if made
                              else "\nSudah ada laporan: contoh laporan tidak ditambahkan.")
        self.stdout.write(f"\nData demo siap ({time.monotonic() - started:.1f} detik).")
