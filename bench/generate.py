"""Benchmark data: a realistic Lapor database of N reports, fast (issue 9).

    python bench/generate.py reports --reports 1000000 [--db lapor_bench]
    python bench/generate.py sweep --open 1000000 --due 10000 [--db lapor_bench_sweep]
    python bench/generate.py csv --rows 100000 --out bench/out/legacy.csv

``reports`` drops and recreates the database, migrates it, runs ``manage.py seed`` (all
regions, the categories, the demo agencies and staff), then streams citizens, reports,
their history (submit/verify/answer/rate/close/archive...), follow-ups and the
notification fan-out marks of recent events into PostgreSQL with COPY, three tables at a
time on three connections, with secondary indexes dropped during the load and rebuilt
after it, and ends with ANALYZE. Tracking IDs are unique, random and carry the Damm check
digit (lapor.reports.tracking). Timestamps, deadlines and the 60-day outer limit follow
the status the report is in, the way lapor.reports.services would have left them. An
anonymous report (one in ten) is filed by a stand-in account of its own, its owner sealed,
as lapor.accounts.pseudonyms does.

``sweep`` builds a database where every report is open and only ``--due`` of them are due
for the sweep (verification/answer deadline passed, or an answered report to auto-close,
or a returned one to archive); the rest have deadlines weeks ahead.

Foreign-key triggers are off during COPY (session_replication_role = replica): the rows
are consistent by construction and checking 4 million of them one by one would be most of
the time. Only ever run this against a throw-away benchmark database.
"""
from __future__ import annotations

import argparse
import bisect
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
CHUNK = 20_000
DAY = 86400.0


def setup_django(db: str) -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    # The benchmark keeps its own keys (bench/out/var), never the checkout's var/.
    os.environ.setdefault("LAPOR_VAR_DIR", str(OUT / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(db: str, *, create: bool = True) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (db,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
        if create:
            conn.execute(f'CREATE DATABASE "{db}"')


def seed_fingerprint() -> str:
    """Changes whenever a migration or the seed data changes (the template is then rebuilt)."""
    import hashlib

    digest = hashlib.sha256()
    files = sorted(ROOT.glob("lapor/*/migrations/*.py")) + sorted(ROOT.glob("lapor/demo/*.py"))
    files += sorted(ROOT.glob("lapor/*/loading.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    from django.conf import settings

    # Seeded personal data is encrypted: a template made under other keys is useless.
    digest.update(repr((settings.FIELD_ENCRYPTION_KEYS, settings.LOOKUP_HASH_KEY)).encode())
    return digest.hexdigest()[:10]


def prepare_database(db: str) -> None:
    """``db`` fresh, migrated and seeded: copied from a seeded template database when one
    for the current migrations exists (seconds), else built (about a minute) and kept."""
    import psycopg

    setup_django(db)
    template = f"lapor_bench_tpl_{seed_fingerprint()}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        have = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchone()
        if have:
            conn.execute(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
            print(f"{db}: copied from the seeded template {template}", flush=True)
        else:
            conn.execute(f'CREATE DATABASE "{db}"')
    if have:
        return
    migrate_and_seed()
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        for (old,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'lapor_bench_tpl_%%'").fetchall():
            conn.execute(f'DROP DATABASE "{old}"')
        conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{db}"')


def migrate_and_seed() -> None:
    from django.core.management import call_command

    t = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.monotonic() - t:.0f} s", flush=True)
    t = time.monotonic()
    call_command("seed", no_reports=True, verbosity=0)  # no example reports: the data set is generated
    print(f"seeded (regions, categories, demo agencies and staff) in {time.monotonic() - t:.0f} s", flush=True)


# --- text helpers ---------------------------------------------------------------------------


def _ts(epoch: float | None) -> str:
    if epoch is None:
        return "\\N"
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat()


def _b(value: bool) -> str:
    return "t" if value else "f"


def _n(value) -> str:
    return "\\N" if value is None else str(value)


def _table(weights: dict, size: int = 1000) -> list:
    """A lookup list for weighted picks: ``table[int(random() * len(table))]``."""
    total = sum(weights.values())
    out = []
    for key, weight in weights.items():
        out += [key] * round(weight / total * size)
    return out


def _pick(table: list):
    return table[int(random.random() * len(table))]


STREETS = ["A. Yani", "Gatot Subroto", "Sudirman", "Pangeran Antasari", "Lambung Mangkurat", "Trikora",
           "Panglima Batur", "Mistar Cokrokusumo", "Sultan Adam", "Kayu Tangi", "Veteran", "Cempaka",
           "Ahmad Yani Km 7", "Guntung Manggis", "Sukamara", "Kenanga", "Mawar", "Melati"]
PROBLEMS = {
    "jalan": ["Jalan rusak dan berlubang", "Aspal jalan mengelupas", "Jalan berlubang membahayakan pengendara",
              "Perbaikan jalan tidak selesai", "Jembatan kayu lapuk"],
    "banjir": ["Drainase tersumbat sampah", "Banjir setiap hujan deras", "Saluran air meluap ke rumah warga",
               "Gorong-gorong ambrol"],
    "lampu": ["Lampu penerangan jalan mati", "PJU padam sudah sebulan", "Lampu jalan berkedip"],
    "kesehatan": ["Antrean puskesmas sangat panjang", "Obat di puskesmas kosong", "Petugas puskesmas tidak ramah",
                  "Pelayanan BPJS dipersulit", "Ambulans desa tidak tersedia"],
    "pendidikan": ["Pungutan liar di sekolah", "Ruang kelas rusak", "Guru sering tidak hadir",
                   "Dana BOS tidak transparan", "Seragam wajib dibeli di sekolah"],
    "sampah": ["Sampah menumpuk di pinggir jalan", "TPS penuh tidak diangkut", "Pembakaran sampah sembarangan"],
    "administrasi": ["KTP elektronik belum jadi", "Pengurusan akta kelahiran lama", "Pungli pengurusan surat tanah",
                     "Pelayanan kelurahan lambat", "Kartu keluarga salah cetak"],
    "lingkungan": ["Kebakaran lahan gambut", "Asap kebakaran hutan", "Limbah pabrik mencemari sungai",
                   "Tambang ilegal merusak lingkungan"],
    "air": ["Air PDAM tidak mengalir", "Air PDAM keruh", "Tagihan PDAM membengkak"],
}
DETAILS = [
    "Kondisi ini sudah berlangsung lebih dari {n} minggu dan belum ada tindakan dari instansi terkait.",
    "Warga sekitar sudah melapor ke ketua RT namun belum ada tanggapan.",
    "Mohon segera ditindaklanjuti karena membahayakan anak-anak yang lewat setiap hari.",
    "Kami berharap pemerintah daerah dapat memperbaiki secepatnya.",
    "Sudah ada korban kecelakaan sepeda motor minggu lalu.",
    "Lokasi tepat di depan masjid dan dekat sekolah dasar.",
    "Saat musim hujan kondisinya semakin parah dan warga kesulitan beraktivitas.",
    "Terima kasih atas perhatian Bapak/Ibu.",
    "Foto kondisi terbaru bisa dikirim bila diperlukan.",
    "Sudah {n} kali kami sampaikan melalui kelurahan tanpa hasil.",
]
ANSWERS = [
    "Terima kasih atas laporannya. Tim kami sudah meninjau lokasi dan perbaikan dijadwalkan minggu depan.",
    "Laporan sudah kami teruskan ke bidang terkait dan sedang dalam proses penganggaran.",
    "Perbaikan telah selesai dilaksanakan. Mohon konfirmasi bila masih ada kendala.",
    "Petugas sudah diberi teguran dan pelayanan akan dievaluasi.",
    "Kami telah berkoordinasi dengan kelurahan setempat untuk penanganan lebih lanjut.",
]
FIRST = ["Ahmad", "Muhammad", "Siti", "Nur", "Rahmat", "Dewi", "Hj. Aminah", "Budi", "Rina", "Gusti", "Fitri",
         "Hendra", "Syarifah", "Rizky", "Yusuf", "Aulia", "Norhayati", "Fauzan", "Agus", "Wahyuni"]
LAST = ["Rahman", "Hidayat", "Noor", "Ramadhan", "Saputra", "Lestari", "Aisyah", "Fitriani", "Anshari",
        "Kurniawan", "Santoso", "Hasanah", "Maulana", "Pratama", "Syahrani", ""]


def _title(topic: str, place: str) -> str:
    return f"{random.choice(PROBLEMS[topic])} di {place}"


def _body(topic: str, place: str, street: str) -> str:
    parts = [f"{random.choice(PROBLEMS[topic])} di Jl. {street}, {place}."]
    for _ in range(2 + int(random.random() * 3)):
        parts.append(random.choice(DETAILS).format(n=2 + int(random.random() * 6)))
    return " ".join(parts)


# --- reference data --------------------------------------------------------------------------


class Reference:
    """Regions, categories, agencies and staff of the seeded database."""

    def __init__(self):
        from lapor.agencies.models import Agency, Membership
        from lapor.categories.models import Category
        from lapor.regions.models import Region

        villages = list(Region.objects.filter(level=4).values_list("code", "name"))
        if not villages:
            raise SystemExit("no regions: run manage.py seed on this database first")
        self.kalsel = [v for v in villages if v[0].startswith("63.")]
        self.elsewhere = [v for v in villages if not v[0].startswith("63.")]
        subs = list(Category.objects.filter(parent__isnull=False).values_list("pk", "parent__name", "name"))
        self.categories = subs

        def topic(parent: str, name: str) -> str:
            text = f"{parent} {name}".lower()
            for key, words in (("banjir", ("banjir", "drainase")), ("lampu", ("lampu", "penerangan")),
                               ("jalan", ("jalan", "jembatan")), ("kesehatan", ("kesehatan", "puskesmas", "bpjs")),
                               ("pendidikan", ("pendidikan", "sekolah")), ("sampah", ("sampah", "kebersihan")),
                               ("lingkungan", ("lingkungan", "hutan", "tambang")), ("air", ("air", "pdam"))):
                if any(w in text for w in words):
                    return key
            return "administrasi"

        self.category_topic = {pk: topic(parent, name) for pk, parent, name in subs}
        # Heavier on the topics citizens report most.
        weights = {pk: (6 if self.category_topic[pk] in ("jalan", "banjir", "kesehatan", "pendidikan") else 1)
                   for pk, _p, _n in subs}
        self.category_table = _table(weights, 4000)
        agencies = list(Agency.objects.values("pk", "slug", "kind", "time_zone", "is_inspectorate", "parent_id"))
        self.agencies = {a["pk"]: a for a in agencies}
        self.tops = [a["pk"] for a in agencies if a["kind"] in ("province", "regency", "ministry")]
        units = [a["pk"] for a in agencies if a["kind"] == "unit" and not a["is_inspectorate"]]
        self.units = units or self.tops
        self.inspectorates = [a["pk"] for a in agencies if a["is_inspectorate"]] or self.units
        members = list(Membership.objects.values_list("user_id", "role", "agency_id"))
        self.routers = [(u, r) for u, r, _a in members if r in ("national_admin", "agency_admin")] or [(None, "system")]
        self.officers = [(u, r) for u, r, _a in members if r in ("officer", "unit_admin")] or self.routers
        self.zone_of = {pk: a["time_zone"] for pk, a in self.agencies.items()}


class Deadlines:
    """``deadline_for`` cached per local day: its result depends on the local date only."""

    OFFSETS = {"Asia/Jakarta": 7, "Asia/Makassar": 8, "Asia/Jayapura": 9}

    def __init__(self):
        from lapor.workdays.calendar import deadline_for

        self.deadline_for = deadline_for
        self.cache: dict = {}

    def __call__(self, epoch: float, days: int, zone: str) -> float:
        offset = self.OFFSETS.get(zone, 7) * 3600
        day = int((epoch + offset) // DAY)
        key = (day, days, zone)
        hit = self.cache.get(key)
        if hit is None:
            start = datetime.datetime.fromtimestamp(day * DAY - offset + 12 * 3600, datetime.UTC)
            hit = self.cache[key] = self.deadline_for(start, days, zone).timestamp()
        return hit


# --- COPY machinery -------------------------------------------------------------------------


class Loader:
    """One COPY per table, on its own connection, fed in chunks; indexes dropped first."""

    def __init__(self, db: str, table: str, columns: list[str]):
        import psycopg

        self.conn = psycopg.connect(f"{PG}/{db}")
        self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET synchronous_commit = off")
        self.table = table
        self.columns = columns
        self.buffer: list[str] = []
        self.rows = 0
        self.cursor = self.conn.cursor()
        self.copy_cm = self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        self.copy = self.copy_cm.__enter__()

    def add(self, line: str) -> None:
        self.buffer.append(line)
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.copy.write("\n".join(self.buffer) + "\n")
            self.rows += len(self.buffer)
            self.buffer = []

    def close(self) -> None:
        self.flush()
        self.copy_cm.__exit__(None, None, None)
        self.conn.commit()
        self.conn.close()


def model_columns(model, known: list[str]) -> tuple[list[str], str]:
    """The COPY column list: ``known`` (those still on the model) plus any column another
    change added since, filled with its default. Returns (columns, suffix of constant values)."""
    from django.db import models as dj

    concrete = [f for f in model._meta.concrete_fields if not isinstance(f, getattr(dj, "GeneratedField", ()))]
    names = {f.column for f in concrete}
    missing = [c for c in known if c not in names]
    if missing:
        raise SystemExit(f"{model.__name__} no longer has {missing}: update bench/generate.py")
    extras, values = [], []
    for f in concrete:
        if f.column in known:
            continue
        if f.has_default():
            value = f.get_default()
            text = json.dumps(value) if isinstance(value, (dict, list)) else (
                _b(value) if isinstance(value, bool) else str(value))
        elif f.null:
            text = "\\N"
        elif isinstance(f, (dj.CharField, dj.TextField)):
            text = ""
        else:
            raise SystemExit(f"{model.__name__}.{f.name} is new and has no default: update bench/generate.py")
        extras.append(f.column)
        values.append(text)
    suffix = "".join("\t" + v for v in values)
    return known + extras, suffix


def drop_indexes(db: str, tables: list[str]) -> list[str]:
    """Drop secondary indexes and unique constraints; return the SQL that recreates them."""
    import psycopg

    restore: list[str] = []
    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        for table in tables:
            constraints = conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u'", (table,)).fetchall()
            for name, definition in constraints:
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            indexes = conn.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)", (table,)).fetchall()
            for name, definition in indexes:
                conn.execute(f'DROP INDEX "{name}"')
                restore.append(definition)
    return restore


def restore_indexes(db: str, statements: list[str]) -> None:
    import psycopg
    from tqdm import tqdm

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET max_parallel_maintenance_workers = 2")
        for sql in tqdm(statements, desc="indexes", unit="idx"):
            conn.execute(sql)


def finish(db: str, tables: list[str]) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        for table in tables:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))")
        t = time.monotonic()
        conn.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.monotonic() - t:.0f} s", flush=True)


def load_handlings() -> None:
    """Each agency's turn with each report, which compliance counts: built from the
    reports and their history as migration reports.0016 builds them (one INSERT … SELECT;
    the data set has no report handed on, so no history is walked)."""
    from django.db import connections

    from lapor.reports.handlings import backfill
    from lapor.reports.models import Handling, Report, ReportEvent

    t = time.monotonic()
    n = backfill(Handling, Report, ReportEvent)
    connections.close_all()
    print(f"{n} handlings in {time.monotonic() - t:.0f} s", flush=True)


# --- the data set ---------------------------------------------------------------------------

REPORT_COLUMNS = [
    "id", "tracking_id", "kind", "title", "original_title", "body", "incident_date", "latitude", "longitude",
    "region_id", "address", "category_id", "addressed_agency_id", "assigned_agency_id", "is_anonymous",
    "is_confidential", "show_reporter_name", "channel", "reporter_id", "filed_by_id", "status", "created_at",
    "updated_at", "verified_at", "completed_at", "arrived_at", "first_answer_at", "last_answer_at", "closed_at",
    "due_at", "outer_due_at", "reopen_until", "reopen_count", "archive_reason", "duplicate_of_id", "missing_items",
    "support_count",
]
EVENT_COLUMNS = ["id", "report_id", "at", "actor_id", "actor_role", "action", "from_status", "to_status",
                 "agency_id", "text", "is_internal", "data"]
FOLLOWUP_COLUMNS = ["id", "report_id", "agency_id", "author_id", "body", "created_at", "satisfied",
                    "rating_comment", "rated_at"]

KINDS = _table({"complaint": 80, "aspiration": 10, "information_request": 8, "whistleblowing": 2})
CHANNELS = _table({"web": 70, "api": 15, "sms": 13, "open311": 1, "import": 1})
ARCHIVE_REASONS = _table({"spam": 25, "unintelligible": 15, "too_general": 25, "not_government": 20, "duplicate": 15})
# Status by the report's age: new ones are mostly open, old ones mostly settled.
STATUS_NEW = _table({"submitted": 45, "returned": 5, "postponed": 5, "dispatched": 30, "in_progress": 10,
                     "archived": 5})
STATUS_MONTH = _table({"submitted": 5, "returned": 3, "postponed": 2, "dispatched": 25, "in_progress": 30,
                       "closed": 28, "archived": 7})
STATUS_OLD = _table({"submitted": 1, "returned": 0.5, "postponed": 0.5, "dispatched": 4, "in_progress": 4,
                     "closed": 80, "archived": 10})


def tracking_ids(n: int) -> list[str]:
    from lapor.reports.tracking import damm_check_digit, tracking_id_length

    length = tracking_id_length()
    low, high = 10 ** (length - 2), 10 ** (length - 1)
    if n > (high - low) // 2:
        raise SystemExit(f"{n} reports need more than {length}-digit tracking IDs (LAPOR_TRACKING_ID_DIGITS)")
    return [str(body) + damm_check_digit(str(body)) for body in random.sample(range(low, high), n)]


def load_citizens(db: str, n: int, now: float) -> list[int]:
    from django.contrib.auth import get_user_model

    from lapor.core.crypto import seal_email

    User = get_user_model()
    known = ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
             "is_staff", "is_active", "date_joined", "full_name"]
    columns, suffix = model_columns(User, known)
    start = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    loader = Loader(db, User._meta.db_table, columns)
    ids = []
    for i in range(n):
        pk = start + i
        name = f"{random.choice(FIRST)} {random.choice(LAST)}".strip()
        joined = _ts(now - random.random() * 800 * DAY)
        email = seal_email(f"warga{pk}@contoh.id")  # sealed at rest, as the app stores it
        loader.add(f"{pk}\t!bench{pk}\t\\N\tf\twarga{pk}\t\t\t{email}\tf\tt\t{joined}\t{name}{suffix}")
        ids.append(pk)
    loader.close()
    return ids


class StandIns:
    """The stand-in account of each anonymous report and its sealed owner, as
    ``lapor.accounts.pseudonyms.stand_in_for`` writes them."""

    def __init__(self, db: str, first_pk: int):
        from django.contrib.auth import get_user_model

        from lapor.accounts.models import Pseudonym

        User = get_user_model()
        known = ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
                 "is_staff", "is_active", "date_joined", "full_name"]
        columns, self.user_suffix = model_columns(User, known)
        self.users = Loader(db, User._meta.db_table, columns)
        columns, self.owner_suffix = model_columns(Pseudonym, ["user_id", "owner_sealed", "created_at"])
        self.owners = Loader(db, Pseudonym._meta.db_table, columns)
        self.db, self.user_table = db, User._meta.db_table
        self.next_pk = first_pk
        self.of_owner: dict[int, list[int]] = {}

    def __call__(self, owner: int, at: float) -> int:
        from lapor.core.crypto import encrypt

        pk, self.next_pk = self.next_pk, self.next_pk + 1
        self.users.add(f"{pk}\t!\t\\N\tf\tanonim-bench{pk}\t\t\t\tf\tf\t{_ts(at)}\t{self.user_suffix}")
        self.owners.add(f"{pk}\t{encrypt(str(owner))}\t{_ts(at)}{self.owner_suffix}")
        self.of_owner.setdefault(owner, []).append(pk)
        return pk

    @property
    def rows(self) -> int:
        return self.owners.rows

    def close(self) -> None:
        """The stand-ins, then each owner's sealed list of them (through a scratch table)."""
        import psycopg

        from lapor.core.crypto import encrypt

        self.users.close()
        self.owners.close()
        with psycopg.connect(f"{PG}/{self.db}") as conn:
            conn.execute("CREATE TEMP TABLE bench_stand_ins (id integer PRIMARY KEY, sealed text)")
            with conn.cursor().copy("COPY bench_stand_ins (id, sealed) FROM STDIN") as copy:
                for owner, ids in self.of_owner.items():
                    copy.write_row((owner, encrypt(json.dumps(ids))))
            conn.execute(f"UPDATE {self.user_table} u SET stand_ins_sealed = s.sealed FROM bench_stand_ins s "
                         "WHERE u.id = s.id")


def generate_reports(db: str, n: int, citizens: int) -> dict:
    from tqdm import tqdm

    from lapor.notifications.models import EventFanout
    from lapor.reports.models import FollowUp, Report, ReportEvent

    random.seed(int(os.environ.get("BENCH_SEED", "20260301")))
    ref = Reference()
    deadline = Deadlines()
    now = time.time()
    print(f"{len(ref.kalsel)} villages in Kalimantan Selatan, {len(ref.categories)} sub-topics, "
          f"{len(ref.agencies)} agencies", flush=True)

    t = time.monotonic()
    users = load_citizens(db, citizens, now)
    print(f"{len(users)} citizens in {time.monotonic() - t:.0f} s", flush=True)
    stand_in = StandIns(db, first_pk=users[-1] + 1000)

    rcols, rsuffix = model_columns(Report, REPORT_COLUMNS)
    ecols, esuffix = model_columns(ReportEvent, EVENT_COLUMNS)
    fcols, fsuffix = model_columns(FollowUp, FOLLOWUP_COLUMNS)
    tables = [Report._meta.db_table, ReportEvent._meta.db_table, FollowUp._meta.db_table]
    restore = drop_indexes(db, tables)
    ids = tracking_ids(n)
    reports = Loader(db, Report._meta.db_table, rcols)
    events = Loader(db, ReportEvent._meta.db_table, ecols)
    followups = Loader(db, FollowUp._meta.db_table, fcols)
    fanouts = Loader(db, EventFanout._meta.db_table, ["event_id", "at"])

    outer = 60 * DAY
    recent = now - 3 * DAY
    event_id = followup_id = 0
    published_sample: list[str] = []
    inbox_agencies: dict[int, int] = {}
    counts: dict[str, int] = {}

    def event(report_id, at, actor, role, action, frm, to, agency=None, text="", data="{}", internal=False):
        nonlocal event_id
        event_id += 1
        events.add(f"{event_id}\t{report_id}\t{_ts(at)}\t{_n(actor)}\t{role}\t{action}\t{frm}\t{to}\t{_n(agency)}\t"
                   f"{text}\t{_b(internal)}\t{data}{esuffix}")
        if at >= recent:
            fanouts.add(f"{event_id}\t{_ts(at)}")

    def step(t0, lo_hours, hi_hours):
        return min(t0 + (lo_hours + random.random() * (hi_hours - lo_hours)) * 3600, now - 60)

    for i in tqdm(range(n), desc="reports", unit="rep", mininterval=1, smoothing=0.05):
        pk = i + 1
        age = 730 * (random.random() ** 1.4)
        created = now - age * DAY
        status = _pick(STATUS_NEW if age < 3 else STATUS_MONTH if age < 30 else STATUS_OLD)
        counts[status] = counts.get(status, 0) + 1
        kind = _pick(KINDS)
        channel = _pick(CHANNELS)
        in_kalsel = random.random() < 0.75
        code, village = random.choice(ref.kalsel if in_kalsel else ref.elsewhere)
        category = _pick(ref.category_table)
        topic = ref.category_topic[category]
        street = random.choice(STREETS)
        title = _title(topic, village)
        body = _body(topic, village, street)
        if random.random() < 0.6:
            if in_kalsel:
                lat, lon = f"{-4.1 + random.random() * 2.7:.6f}", f"{114.4 + random.random() * 2.1:.6f}"
            else:
                lat, lon = f"{-8.5 + random.random() * 13:.6f}", f"{95.5 + random.random() * 45:.6f}"
        else:
            lat = lon = "\\N"
        incident = (datetime.date.fromtimestamp(created - random.random() * 14 * DAY).isoformat()
                    if random.random() < 0.7 else "\\N")
        anonymous = random.random() < 0.10
        confidential = kind == "whistleblowing" or random.random() < 0.05
        show_name = not anonymous and random.random() < 0.3
        reporter = users[int(random.random() * len(users))]
        if anonymous:
            reporter = stand_in(reporter, created)  # as the app files it (lapor/accounts/pseudonyms.py)
        addressed = random.choice(ref.tops) if random.random() < 0.7 else None
        assigned = None
        verified = completed = arrived = first_answer = last_answer = closed = due = outer_due = reopen = None
        archive_reason = missing = ""
        duplicate_of = None
        zone_router = ref.zone_of.get(addressed, "Asia/Jakarta") if addressed else "Asia/Jakarta"
        updated = created
        event(pk, created, reporter, "reporter", "submit", "", "submitted", data=json.dumps({"channel": channel}))

        if status in ("submitted", "postponed"):
            completed = created
            outer_due = created + outer
            due = deadline(created, 3, zone_router)
            if status == "postponed":
                updated = step(created, 1, 48)
                router, role = random.choice(ref.routers)
                event(pk, updated, router, role, "postpone", "submitted", "postponed",
                      text="Menghubungi pelapor untuk konfirmasi lokasi.")
        elif status == "returned" or (status == "archived" and random.random() < 0.3):
            router, role = random.choice(ref.routers)
            returned_at = step(created, 1, 60)
            missing = "Mohon lengkapi alamat lengkap dan foto lokasi."
            event(pk, returned_at, router, role, "return", "submitted", "returned", text=missing)
            updated = returned_at
            if status == "returned":
                due = deadline(returned_at, 10, zone_router)
            else:
                archive_reason = "never_completed"
                missing = ""
                updated = min(deadline(returned_at, 10, zone_router) + 120, now - 30)
                event(pk, updated, None, "system", "expire_return", "returned", "archived")
        elif status == "archived":
            router, role = random.choice(ref.routers)
            archive_reason = _pick(ARCHIVE_REASONS)
            updated = step(created, 1, 72)
            if archive_reason == "duplicate" and pk > 1:
                duplicate_of = 1 + int(random.random() * (pk - 1))
                event(pk, updated, router, role, "mark_duplicate", "submitted", "archived",
                      data=json.dumps({"duplicate_of": duplicate_of}))
            else:
                event(pk, updated, router, role, "archive", "submitted", "archived", text=archive_reason,
                      data=json.dumps({"reason": archive_reason}))
        else:
            # Verified and dispatched; perhaps answered; perhaps closed.
            completed = created
            router, role = random.choice(ref.routers)
            verified = arrived = step(created, 0.5, 72)
            assigned = random.choice(ref.inspectorates if kind == "whistleblowing" else ref.units)
            zone = ref.zone_of.get(assigned, "Asia/Makassar")
            event(pk, verified, router, role, "verify", "submitted", "dispatched", agency=assigned)
            updated = verified
            if status == "dispatched":
                due = deadline(arrived, 5, zone)
                outer_due = completed + outer
            else:
                officer, orole = random.choice(ref.officers)
                answers = 2 if random.random() < 0.2 else 1
                previous = "dispatched"
                last = arrived
                for _a in range(answers):
                    last = step(last, 1, 24 * 8)
                    first_answer = first_answer or last
                    followup_id += 1
                    text = random.choice(ANSWERS)
                    satisfied = "\\N"
                    rated = "\\N"
                    if status == "closed" and _a == answers - 1 and random.random() < 0.6:
                        satisfied, rated = "t", _ts(step(last, 2, 24 * 10))
                    followups.add(f"{followup_id}\t{pk}\t{assigned}\t{officer}\t{text}\t{_ts(last)}\t{satisfied}\t"
                                  f"\t{rated}{fsuffix}")
                    event(pk, last, officer, orole, "answer", previous, "in_progress", agency=assigned, text=text,
                          data=json.dumps({"followup": followup_id}))
                    previous = "in_progress"
                last_answer = updated = last
                if status == "in_progress":
                    due = deadline(last_answer, 10, zone)
                    outer_due = completed + outer
                else:
                    if random.random() < 0.6:
                        closed = step(last_answer, 2, 24 * 10)
                        event(pk, closed, reporter, "reporter", "rate", "in_progress", "closed", agency=assigned)
                    else:
                        closed = min(deadline(last_answer, 10, zone) + 60, now - 30)
                        event(pk, closed, None, "system", "auto_close", "in_progress", "closed", agency=assigned)
                    reopen = deadline(closed, 10, zone)
                    updated = closed
            if not confidential and len(published_sample) < 5000 and random.random() < 0.05:
                published_sample.append(ids[i])
            if assigned is not None:
                inbox_agencies[assigned] = inbox_agencies.get(assigned, 0) + 1

        support = int(random.paretovariate(2.5)) - 1 if verified else 0
        reports.add(
            f"{pk}\t{ids[i]}\t{kind}\t{title}\t{title}\t{body}\t{incident}\t{lat}\t{lon}\t{code}\t"
            f"Jl. {street} No. {1 + int(random.random() * 200)}, {village}\t{category}\t{_n(addressed)}\t{_n(assigned)}\t"
            f"{_b(anonymous)}\t{_b(confidential)}\t{_b(show_name)}\t{channel}\t{reporter}\t\\N\t{status}\t"
            f"{_ts(created)}\t{_ts(updated)}\t{_ts(verified)}\t{_ts(completed)}\t{_ts(arrived)}\t{_ts(first_answer)}\t"
            f"{_ts(last_answer)}\t{_ts(closed)}\t{_ts(due)}\t{_ts(outer_due)}\t{_ts(reopen)}\t0\t{archive_reason}\t"
            f"{_n(duplicate_of)}\t{missing}\t{support}{rsuffix}"
        )

    for loader in (reports, events, followups, fanouts):
        loader.close()
    stand_in.close()
    print(f"loaded {reports.rows} reports, {events.rows} events, {followups.rows} follow-ups, "
          f"{fanouts.rows} fan-out marks, {stand_in.rows} stand-ins of anonymous reporters; "
          f"statuses {counts}", flush=True)
    restore_indexes(db, restore)
    load_handlings()
    finish(db, tables + ["accounts_user", "reports_handling"])
    return {"published_sample": published_sample, "inbox_agencies": inbox_agencies, "counts": counts,
            "reports": reports.rows, "events": events.rows, "followups": followups.rows}


def generate_sweep(db: str, n_open: int, n_due: int) -> dict:
    """Every report open; ``n_due`` of them due now, the rest with deadlines weeks ahead."""
    from tqdm import tqdm

    from lapor.reports.models import Report

    random.seed(7)
    ref = Reference()
    now = time.time()
    users = load_citizens(db, 10_000, now)
    rcols, rsuffix = model_columns(Report, REPORT_COLUMNS)
    tables = [Report._meta.db_table]
    restore = drop_indexes(db, tables)
    ids = tracking_ids(n_open)
    reports = Loader(db, Report._meta.db_table, rcols)
    due_every = max(1, n_open // max(n_due, 1))
    due_kinds = ["submitted", "dispatched", "in_progress", "returned"]
    made_due = 0
    for i in tqdm(range(n_open), desc="open reports", unit="rep", mininterval=1):
        pk = i + 1
        is_due = made_due < n_due and i % due_every == 0
        code, village = random.choice(ref.kalsel)
        category = _pick(ref.category_table)
        topic = ref.category_topic[category]
        title = _title(topic, village)
        if is_due:
            made_due += 1
            status = due_kinds[made_due % len(due_kinds)]
            created = now - (10 + random.random() * 30) * DAY
            due = now - (1 + random.random() * 100) * 3600
        else:
            status = random.choice(("submitted", "dispatched", "dispatched", "in_progress", "postponed"))
            # Deadlines at least 10 days ahead: neither due nor in the reminder window, and the
            # 60-day limit stays out of its 5-day warning window.
            created = now - random.random() * 45 * DAY
            due = now + (10 + random.random() * 20) * DAY
        verified = assigned = first = None
        if status in ("dispatched", "in_progress"):
            verified = created + 3600
            assigned = random.choice(ref.units)
        if status == "in_progress":
            first = created + 2 * DAY
        completed = None if status == "returned" else created
        outer_due = None if completed is None else created + 60 * DAY
        reporter = users[int(random.random() * len(users))]
        reports.add(
            f"{pk}\t{ids[i]}\tcomplaint\t{title}\t{title}\t{_body(topic, village, 'Veteran')}\t\\N\t\\N\t\\N\t{code}\t\t"
            f"{category}\t\\N\t{_n(assigned)}\tf\tf\tf\tweb\t{reporter}\t\\N\t{status}\t{_ts(created)}\t{_ts(created)}\t"
            f"{_ts(verified)}\t{_ts(completed)}\t{_ts(verified)}\t{_ts(first)}\t{_ts(first)}\t\\N\t{_ts(due)}\t"
            f"{_ts(outer_due)}\t\\N\t0\t\t\\N\t{'Foto lokasi.' if status == 'returned' else ''}\t0{rsuffix}"
        )
    reports.close()
    restore_indexes(db, restore)
    load_handlings()
    finish(db, tables + ["accounts_user", "reports_handling"])
    return {"open": n_open, "due": made_due}


def write_csv(path: Path, rows: int) -> None:
    """A legacy export for ``manage.py import_reports`` (columns of lapor/reports/importing.py):
    reports of Banjarbaru with their flat history (verified, answered, closed or archived)."""
    import csv

    from lapor.categories.models import Category
    from lapor.regions.models import Region

    random.seed(11)
    villages = list(Region.objects.filter(code__startswith="63.72.", level=4).values_list("code", "name"))
    categories = list(Category.objects.filter(parent__isnull=False, is_active=True).values_list("slug", flat=True))
    # (assigned unit, a liaison officer of it): the demo staff.
    desks = [("banjarbaru-dinas-pupr", "petugas.pupr"), ("banjarbaru-dinas-kesehatan", "petugas.dinkes")]
    topics = list(PROBLEMS)
    path.parent.mkdir(parents=True, exist_ok=True)
    now = time.time()
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["external_id", "title", "body", "created_at", "kind", "category", "region", "address",
                      "latitude", "longitude", "is_anonymous", "is_confidential", "agency", "verified_at",
                      "assigned_agency", "answered_at", "answer", "answered_by", "closed_at", "close_reason",
                      "archived_at", "archive_reason"])
        for i in range(rows):
            topic = random.choice(topics)
            code, village = random.choice(villages)
            created = now - (400 + random.random() * 1500) * DAY
            roll = random.random()
            verified = assigned = answered = answer = officer = closed = reason = archived = archive_reason = ""
            if roll < 0.10:
                archived, archive_reason = _ts(created + 2 * DAY), random.choice(["too_general", "not_government"])
            elif roll > 0.05:
                unit, officer_name = random.choice(desks)
                verified, assigned = _ts(created + DAY), unit
                if roll > 0.25:
                    answered, answer, officer = _ts(created + 4 * DAY), random.choice(ANSWERS), officer_name
                    if roll > 0.40:
                        closed, reason = _ts(created + 20 * DAY), "Selesai ditangani (data sistem lama)."
            out.writerow([f"LAMA-{i + 1:07d}", _title(topic, village), _body(topic, village, random.choice(STREETS)),
                          _ts(created), "complaint", random.choice(categories), code, f"Jl. {random.choice(STREETS)}",
                          f"{-3.5 + random.random() * 0.2:.6f}", f"{114.7 + random.random() * 0.2:.6f}",
                          int(random.random() < 0.1), int(random.random() < 0.05), "pemkot-banjarbaru",
                          verified, assigned, answered, answer, officer, closed, reason, archived, archive_reason])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("reports", help="the main benchmark database")
    p.add_argument("--reports", type=int, default=1_000_000)
    p.add_argument("--citizens", type=int, default=0, help="default: one per 20 reports, at least 1,000")
    p.add_argument("--db", default="lapor_bench")
    s = sub.add_parser("sweep", help="a database of open reports for timing the sweep")
    s.add_argument("--open", type=int, default=1_000_000)
    s.add_argument("--due", type=int, default=10_000)
    s.add_argument("--db", default="lapor_bench_sweep")
    c = sub.add_parser("csv", help="a legacy CSV for the bulk import")
    c.add_argument("--rows", type=int, default=100_000)
    c.add_argument("--out", type=Path, default=OUT / "legacy.csv")
    c.add_argument("--db", default="lapor_bench", help="the database whose regions and categories to name")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)

    if args.command == "csv":
        setup_django(args.db)
        write_csv(args.out, args.rows)
        print(f"wrote {args.rows} rows to {args.out}")
        return
    started = time.monotonic()
    recreate_database(args.db, create=False)
    prepare_database(args.db)
    t = time.monotonic()
    if args.command == "reports":
        info = generate_reports(args.db, args.reports, args.citizens or max(1000, args.reports // 20))
    else:
        info = generate_sweep(args.db, args.open, args.due)
    info["load_seconds"] = round(time.monotonic() - t, 1)
    info["total_seconds"] = round(time.monotonic() - started, 1)
    (OUT / f"{args.db}.json").write_text(json.dumps(info, indent=1, default=str))
    print(f"{args.db}: data in {info['load_seconds']} s, {info['total_seconds']} s in all", flush=True)


if __name__ == "__main__":
    main()
