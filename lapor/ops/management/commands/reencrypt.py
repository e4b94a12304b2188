"""``manage.py reencrypt [--dry-run]``: seal again, under the first key of
FIELD_ENCRYPTION_KEY, every value still sealed under a later one (lapor/core/rekey.py), so
that the old key can be dropped. ``--dry-run`` (or ``--check``) writes nothing and counts
what is still under an older key: the old key may go when it says 0. Safe to run again,
and while the site runs."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lapor.core.rekey import CHANGED, CONFLICT, CURRENT, OLD, UNREADABLE, Rekey


class Command(BaseCommand):
    help = "Re-seal every value sealed with FIELD_ENCRYPTION_KEY under its first key (--dry-run: only count)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", "--check", action="store_true", dest="dry_run",
                            help="write nothing; count the values still sealed under an older key")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args, dry_run, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size minimal 1")
        keys = len(settings.FIELD_ENCRYPTION_KEYS)
        self.stdout.write(f"{keys} kunci di FIELD_ENCRYPTION_KEY; kunci pertama menyegel"
                          + (" (uji saja: tidak ada yang ditulis)" if dry_run else ""))
        rekey = Rekey(write=not dry_run, batch_size=batch_size, progress=self._progress)
        totals = rekey.run()
        for label, counts in totals.items():
            self.stdout.write(self._line(label, counts, dry_run))
        old = sum(counts[OLD] for counts in totals.values())
        left = sum(counts[CHANGED] + counts[CONFLICT] for counts in totals.values())
        unreadable = {label: counts[UNREADABLE] for label, counts in totals.items()
                      if counts[UNREADABLE] and label not in rekey.disposable}
        lost_sessions = sum(totals[label][UNREADABLE] for label in rekey.disposable)
        if lost_sessions:
            self.stdout.write(f"{lost_sessions} sesi tak terbaca (kunci atau SECRET_KEY lama): pemiliknya cukup "
                              "masuk lagi; tidak menghalangi pembuangan kunci lama.")
        if dry_run:
            self.stdout.write(f"Masih tersegel dengan kunci lama: {old} nilai. "
                              "Kunci lama boleh dibuang bila angka ini 0 (dan tidak ada yang tak terbaca).")
        else:
            self.stdout.write(f"Disegel ulang dengan kunci pertama: {old} nilai.")
            if left:
                self.stdout.write(f"{left} nilai belum disegel ulang (berubah saat dibaca, atau bentrok): "
                                  "jalankan lagi, lalu periksa dengan --dry-run.")
        if unreadable:
            # A value no listed key opens: the key that sealed it is missing from this
            # process. Never "fixed" here: only the right key can read it.
            where = ", ".join(f"{label}: {n}" for label, n in unreadable.items())
            raise CommandError(f"{sum(unreadable.values())} nilai tidak terbuka dengan kunci mana pun di "
                               f"FIELD_ENCRYPTION_KEY ({where}): kunci yang menyegelnya tidak ada di daftar. "
                               "Jangan buang kunci lama sebelum angka ini 0.")
        if dry_run and old:
            raise CommandError(f"{old} nilai masih tersegel dengan kunci lama: jalankan `reencrypt` tanpa --dry-run.")

    def _progress(self, name: str, seen: int) -> None:
        self.stdout.write(f"  {name}: {seen} baris dibaca")

    def _line(self, label, counts, dry_run) -> str:
        parts = [f"{counts[OLD]} {'dengan kunci lama' if dry_run else 'disegel ulang'}",
                 f"{counts[CURRENT]} sudah dengan kunci pertama"]
        parts += [f"{counts[state]} {text}" for state, text in (
            (CHANGED, "berubah saat dibaca"), (CONFLICT, "bentrok dengan baris lain"), (UNREADABLE, "tak terbaca"),
        ) if counts[state]]
        return f"{label}: " + ", ".join(parts)
