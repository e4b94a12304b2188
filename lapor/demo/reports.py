"""Example reports for the demo: a city whose complaint desk has been at work for two months.

An empty system shows an empty map, zero statistics and an empty inbox, and a visitor
cannot see what the software does. ``seed_demo_reports`` files some twenty reports in
Kota Banjarbaru (and one for Kabupaten Banjar) from the demo citizens and an SMS number,
and takes each through the real lifecycle services with times in the past: verification,
disposition to a unit, an officer's draft approved by the unit's admin, answers, a
reporter's "not satisfied" reply, ratings, a return for missing details, a postponement,
a duplicate, an archived spam, a "bukan wewenang", a transfer to another government
before verification, whistle-blowing to the inspectorate, anonymous and confidential
reports. A sweep at the end does what the background pass would have done meanwhile
(auto-close, escalations). Every status of SPEC §4 is represented afterwards, and
/statistik/ counts every channel and kind. The rest of what the desk shows (IKM surveys,
polls, answer templates, SILAPAT incidents) is played in the same run by
``lapor.demo.showcase``.

It runs only on a database with no report at all (a real deployment, or a demo that has
been used, is never touched), all in one transaction. Nobody is notified: these are
staged histories, and the demo's mailbox and SMS outbox stay empty. Times are relative to
the day it runs, so the countdowns always look current.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from lapor.accounts.models import User
from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.demo.showcase import seed_demo_showcase
from lapor.notifications.models import EventFanout
from lapor.regions.models import Region
from lapor.reports import drafts, services
from lapor.reports.enums import ArchiveReason, Channel, Kind
from lapor.reports.models import Report, ReportEvent
from lapor.reports.sweep import sweep
from lapor.transparency.services import service_rating_give

SMS_REPORTER = "+6281349876543"


@dataclass(frozen=True)
class Step:
    """One thing that happened ``days`` ago at ``hour`` (local time of the city)."""

    days: int
    hour: int
    action: str
    by: str = ""
    text: str = ""
    agency: str = ""  # the agency or unit it goes to (slug)
    level: int = 0  # a service rating, 1 (Tidak Puas) to 4 (Sangat Puas)
    original: str = ""  # a duplicate's original (key of an earlier example)


@dataclass(frozen=True)
class Example:
    key: str
    reporter: str
    title: str
    body: str
    topic: str
    subtopic: str
    village: str
    latitude: float | None
    longitude: float | None
    address: str
    agency: str = "pemkot-banjarbaru"
    kind: str = Kind.COMPLAINT
    is_anonymous: bool = False
    is_confidential: bool = False
    show_reporter_name: bool = False
    channel: str = Channel.WEB
    steps: tuple[Step, ...] = field(default_factory=tuple)


PUPR = "Pekerjaan Umum dan Penataan Ruang"
SEHAT = "Kesehatan"
DIDIK = "Pendidikan dan Kebudayaan"
LH = "Lingkungan Hidup dan Kehutanan"
CITY = "banjarbaru-dinas-pupr"

EXAMPLES = [
    Example("jalan-yani", "warga.banjarbaru", "Jalan berlubang di Jl. A. Yani Km 33 dekat Simpang Empat",
            "Lubang selebar kurang lebih satu meter di lajur kiri arah Martapura, sudah dua minggu. "
            "Sudah ada dua pengendara motor jatuh pada malam hari karena tidak ada penerangan.",
            PUPR, "Jalan Rusak", "63.72.05.1002", -3.4428, 114.8331, "Jl. A. Yani Km 33, Loktabat Selatan",
            show_reporter_name=True, steps=(
                Step(41, 9, "verify", "admin.banjarbaru", agency=CITY),
                Step(40, 10, "dispose", "admin.pupr", agency="banjarbaru-pupr-bina-marga"),
                Step(38, 14, "draft", "petugas.binamarga",
                     "Tim Bina Marga sudah meninjau lokasi. Penambalan dijadwalkan Kamis ini; sementara "
                     "dipasang rambu peringatan."),
                Step(37, 9, "approve", "admin.pupr"),
                Step(34, 19, "rate", "warga.banjarbaru", "Sudah ditambal rapi, terima kasih."),
                Step(34, 19, "service_rating", "warga.banjarbaru", level=4),
            )),
    Example("jalan-yani-lagi", "warga.lain", "Lubang besar di Jl. A. Yani Km 33",
            "Di depan ruko dekat simpang empat ada lubang besar, berbahaya untuk motor.",
            PUPR, "Jalan Rusak", "63.72.05.1002", -3.4431, 114.8335, "Jl. A. Yani Km 33",
            steps=(Step(41, 10, "duplicate", "admin.banjarbaru", original="jalan-yani"),)),
    Example("drainase-karang-anyar", "warga.lain", "Saluran air tersumbat di Jl. Karang Anyar",
            "Setiap hujan deras air meluap ke jalan dan masuk ke halaman rumah warga RT 03 karena "
            "saluran tertutup sampah dan lumpur.",
            PUPR, "Drainase dan Banjir", "63.72.05.1001", -3.4552, 114.8203, "Jl. Karang Anyar, Sungai Besar", steps=(
                Step(31, 9, "verify", "admin.banjarbaru", agency=CITY),
                Step(28, 15, "answer", "admin.pupr",
                     "Saluran sudah dibersihkan oleh petugas kebersihan drainase pada hari Selasa."),
                Step(27, 20, "reply", "warga.lain",
                     "Baru dibersihkan di depan RT 03 saja, ujung saluran ke sungai masih tersumbat."),
                Step(23, 10, "answer", "admin.pupr",
                     "Normalisasi saluran dilanjutkan sampai muara Sungai Besar sepanjang 300 meter; "
                     "pekerjaan selesai kemarin."),
                Step(22, 8, "rate", "warga.lain", "Sekarang air surut cepat setelah hujan."),
                Step(22, 8, "service_rating", "warga.lain", level=3),
            )),
    Example("lampu-trikora", "warga.banjarbaru", "Lampu penerangan jalan mati di Jl. Trikora",
            "Tiga tiang lampu berturut-turut di dekat jembatan mati sejak awal bulan; jalan gelap total.",
            PUPR, "Lampu Penerangan Jalan", "63.72.04", -3.4381, 114.8105, "Jl. Trikora dekat jembatan",
            is_anonymous=True, steps=(
                Step(24, 9, "verify", "admin.banjarbaru", agency=CITY),
                Step(21, 13, "answer", "admin.pupr", "Lampu sudah diganti dengan LED dan menyala kembali."),
            )),  # no reply: the sweep closes it after 10 working days
    Example("puskesmas-antrean", "warga.lain", "Antrean Puskesmas Banjarbaru Selatan sangat lama",
            "Pasien lansia menunggu lebih dari tiga jam tanpa tempat duduk yang cukup; nomor antrean "
            "dibagikan sejak subuh.",
            SEHAT, "Pelayanan Puskesmas", "63.72.05.1003", -3.4610, 114.8357, "Puskesmas Banjarbaru Selatan",
            steps=(
                Step(13, 9, "verify", "admin.banjarbaru", agency="banjarbaru-dinas-kesehatan"),
                Step(10, 14, "draft", "petugas.dinkes",
                     "Mulai bulan depan Puskesmas membuka pendaftaran daring dan menambah dua loket."),
            )),  # the draft waits on the city's admin; the answer is overdue: the sweep escalates
    Example("pungli-sekolah", "warga.banjarbaru", "Pungutan uang seragam di sebuah SD negeri",
            "Orang tua murid kelas 1 diminta membayar Rp750.000 untuk seragam dan buku, tanpa kuitansi.",
            DIDIK, "Pungutan di Sekolah", "63.72.03", None, None, "Kecamatan Cempaka",
            is_confidential=True, steps=(
                Step(6, 9, "verify", "admin.banjarbaru", agency="banjarbaru-dinas-pendidikan"),
            )),
    Example("vaksin-jadwal", "warga.banjarbaru", "Jadwal imunisasi campak di posyandu bulan ini",
            "Mohon informasi jadwal dan lokasi imunisasi campak-rubela untuk balita di Kemuning.",
            SEHAT, "Imunisasi dan Gizi Anak", "63.72.05.1003", None, None, "Kelurahan Kemuning",
            kind=Kind.INFORMATION_REQUEST, steps=(
                Step(17, 9, "verify", "admin.banjarbaru", agency="banjarbaru-dinas-kesehatan"),
                Step(15, 10, "draft", "petugas.dinkes",
                     "Imunisasi campak-rubela di Posyandu Melati Kemuning setiap Selasa pekan kedua, "
                     "pukul 08.00–11.00. Bawa buku KIA."),
                Step(14, 9, "approve", "admin.banjarbaru"),
                Step(13, 20, "rate", "warga.banjarbaru", "Jelas, terima kasih."),
            )),
    Example("sampah-pasar", "warga.lain", "Sampah menumpuk",
            "Sampah sudah seminggu tidak diangkut, bau sekali.",
            LH, "Sampah dan Kebersihan", "63.72.04", None, None, "", steps=(
                Step(9, 10, "return", "admin.banjarbaru",
                     "Mohon sebutkan lokasi tepatnya (nama jalan atau TPS) dan, bila ada, fotonya."),
            )),
    Example("trotoar-panglima-batur", "warga.banjarbaru", "Trotoar rusak di Jl. Panglima Batur",
            "Ubin trotoar terlepas di depan kantor kelurahan, pejalan kaki terpaksa turun ke jalan.",
            PUPR, "Jalan Rusak", "63.72.04", -3.4439, 114.8270, "Jl. Panglima Batur", steps=(
                Step(27, 9, "return", "admin.banjarbaru", "Mohon tambahkan titik lokasi di peta."),
                Step(26, 19, "complete", "warga.banjarbaru", "Lokasi di depan Kantor Kelurahan Komet, sudah saya tandai."),
                Step(25, 9, "verify", "admin.banjarbaru", agency=CITY),
                Step(6, 11, "answer", "admin.pupr",
                     "Perbaikan trotoar masuk paket pemeliharaan bulan ini; kontraktor mulai bekerja pekan depan."),
            )),
    Example("taman-kota", "warga.lain", "Usul tambahan bangku dan lampu di Taman Van der Pijl",
            "Taman ramai pada sore dan malam hari, tetapi bangkunya sedikit dan sisi timur gelap.",
            PUPR, "Tata Ruang dan IMB/PBG", "63.72.04", -3.4425, 114.8318, "Taman Van der Pijl",
            kind=Kind.ASPIRATION, steps=()),
    Example("banjir-sms", SMS_REPORTER, "Banjir setinggi lutut di Gg. Sepakat Liang Anggang",
            "Banjir setinggi lutut di Gg. Sepakat Liang Anggang sejak semalam, warga butuh pompa.",
            PUPR, "Drainase dan Banjir", "63.72.06", None, None, "", channel=Channel.SMS, steps=()),
    # An SMS and an aspiration that were published and followed up: /statistik/ counts every
    # channel and kind, not only the web's complaints.
    Example("lampu-sms", SMS_REPORTER, "Lampu jalan mati di Jl. Golf Landasan Ulin",
            "Lampu jalan mati di Jl. Golf Landasan Ulin dekat lapangan, gelap sejak 3 malam.",
            PUPR, "Lampu Penerangan Jalan", "63.72.02", None, None, "", channel=Channel.SMS, steps=(
                Step(19, 9, "verify", "admin.banjarbaru", agency=CITY),
                Step(16, 14, "answer", "admin.pupr", "Dua lampu di Jl. Golf sudah diganti dan menyala kembali."),
            )),
    Example("jalur-sepeda", "warga.lain", "Usul jalur sepeda di sepanjang Jl. A. Yani Banjarbaru",
            "Banyak pelajar bersepeda ke sekolah lewat Jl. A. Yani. Mohon dibuatkan jalur sepeda yang diberi "
            "marka dan pembatas.",
            PUPR, "Tata Ruang dan IMB/PBG", "63.72.05", -3.4447, 114.8352, "Jl. A. Yani, Banjarbaru Selatan",
            kind=Kind.ASPIRATION, steps=(
                Step(33, 9, "verify", "admin.banjarbaru", agency=CITY),
                Step(29, 10, "answer", "admin.pupr",
                     "Usulan diterima dan dimasukkan ke rencana penataan koridor Jl. A. Yani tahun depan."),
            )),
    Example("jalan-martapura", "warga.banjarbaru", "Jalan rusak parah di Jl. Sekumpul, Martapura",
            "Aspal terkelupas sepanjang 200 meter dekat pasar; jalan ini dipakai ribuan peziarah.",
            PUPR, "Jalan Rusak", "63.03", -3.4140, 114.8488, "Jl. Sekumpul, Martapura", steps=(
                Step(5, 9, "transfer", "admin.banjarbaru", "Lokasinya di Kabupaten Banjar, bukan Kota Banjarbaru.",
                     agency="pemkab-banjar"),
                Step(4, 10, "verify", "admin.banjar", agency="banjar-dinas-pupr"),
            )),
    Example("pohon-tumbang", "warga.lain", "Pohon besar miring hampir tumbang di Jl. Mistar Cokrokusumo",
            "Akar pohon terangkat setelah hujan angin, condong ke arah kabel listrik dan jalan.",
            LH, "Ruang Terbuka Hijau dan Pohon Tumbang", "63.72.03", -3.4519, 114.7938, "Jl. Mistar Cokrokusumo",
            steps=(
                Step(5, 9, "verify", "admin.banjarbaru", agency=CITY),
                Step(4, 11, "not_our_authority", "admin.pupr",
                     "Penanganan pohon di ruang terbuka hijau adalah tugas Dinas Lingkungan Hidup."),
            )),
    Example("posyandu-tunda", "warga.banjarbaru", "Posyandu tidak buka dua bulan",
            "Posyandu di RT 07 tidak ada kegiatan sejak dua bulan terakhir.",
            SEHAT, "Imunisasi dan Gizi Anak", "63.72.05.1004", None, None, "RT 07 Guntung Paikat", steps=(
                Step(1, 9, "postpone", "admin.banjarbaru", "Menghubungi pelapor untuk memastikan nama posyandunya."),
            )),
    Example("spam", "warga.lain", "Promo pinjaman cepat cair",
            "Pinjaman tanpa agunan, cair dalam satu jam, hubungi nomor di profil.",
            LH, "Sampah dan Kebersihan", "63.72.04", None, None, "", steps=(
                Step(15, 9, "archive", "admin.banjarbaru", ArchiveReason.SPAM),
            )),
    Example("wbs-pengadaan", "warga.banjarbaru", "Dugaan pengaturan pemenang lelang pengadaan alat tulis",
            "Pemenang lelang selalu perusahaan yang sama dan penawarannya tepat di bawah HPS.",
            "Politik dan Hukum", "Korupsi, Kolusi, dan Nepotisme", "63.72", None, None, "", kind=Kind.WHISTLEBLOWING, steps=(
                Step(8, 9, "verify", "admin.inspektorat", agency="banjarbaru-inspektorat"),
            )),
    Example("rumah-sakit", "warga.lain", "Ambulans puskesmas tidak bisa dihubungi malam hari",
            "Nomor ambulans yang tertera di papan puskesmas tidak aktif pada pukul 23.00.",
            SEHAT, "Pelayanan Puskesmas", "63.72.02", -3.4436, 114.7626, "Landasan Ulin",
            steps=(
                Step(52, 9, "verify", "admin.banjarbaru", agency="banjarbaru-dinas-kesehatan"),
                Step(50, 10, "draft", "petugas.dinkes", "Nomor ambulans diganti dan dipasang di papan baru; "
                     "layanan 24 jam lewat nomor 112."),
                Step(49, 9, "approve", "admin.banjarbaru"),
                Step(47, 20, "rate", "warga.lain", ""),
                Step(47, 20, "service_rating", "warga.lain", level=2),
            )),
    Example("drainase-cempaka", "warga.banjarbaru", "Gorong-gorong ambrol di Jl. Guntung Manggis",
            "Gorong-gorong di bawah jalan ambrol, separuh badan jalan amblas.",
            PUPR, "Drainase dan Banjir", "63.72.02", -3.4660, 114.7869, "Jl. Guntung Manggis", steps=(
                Step(12, 9, "verify", "admin.banjarbaru", agency=CITY),
                Step(11, 10, "dispose", "admin.pupr", agency="banjarbaru-pupr-bina-marga"),
            )),  # no answer within 5 working days: overdue, the sweep escalates
    Example("lampu-cempaka", "warga.lain", "Lampu jalan berkedip di Jl. Cempaka Raya",
            "Lampu di dekat masjid berkedip terus sejak seminggu.",
            PUPR, "Lampu Penerangan Jalan", "63.72.03", -3.4748, 114.8601, "Jl. Cempaka Raya", steps=(
                Step(3, 9, "verify", "admin.banjarbaru", agency=CITY),
            )),
]


def seed_demo_reports(*, now: datetime.datetime | None = None) -> int:
    """File the example reports and take them through their histories; return how many
    reports were made (SILAPAT's incidents included).

    Does nothing (returns 0) when the database holds any report. Needs ``seed_demo`` to
    have run (agencies, staff, citizens, routing rules). Side effects: one phone-only
    reporter (the SMS number), the reports with their events, follow-ups, drafts and
    service ratings, what the rest of the desk shows (``seed_demo_showcase``: surveys,
    polls, answer templates, SILAPAT incidents), the sweep's changes, and a fan-out mark
    on every event so that nobody is notified of the staged history."""
    if Report.objects.exists():
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        made: dict[str, Report] = {}
        for example in EXAMPLES:
            made[example.key] = _play(example, made, now)
        seed_demo_showcase(at=_clock(now))
        sweep(now=now)
        events = ReportEvent.objects.filter(fanout__isnull=True).values_list("pk", flat=True)
        EventFanout.objects.bulk_create([EventFanout(event_id=pk, at=now) for pk in events])
        return Report.objects.count()  # the examples and SILAPAT's incidents


def _clock(now: datetime.datetime):
    """``at(days, hour)``: the time ``days`` before ``now`` at ``hour`` in the city."""
    def at(days: int, hour: int) -> datetime.datetime:
        local = timezone.localtime(now, _zone()) - datetime.timedelta(days=days)
        return local.replace(hour=hour, minute=(days * 7) % 60, second=0, microsecond=0)

    return at


def _play(example: Example, made: dict[str, Report], now: datetime.datetime) -> Report:
    at = _clock(now)
    first = example.steps[0].days + 1 if example.steps else 2
    report = services.report_submit(
        reporter=_reporter(example.reporter), kind=example.kind, title=example.title, body=example.body,
        category=_category(example.topic, example.subtopic), region=Region.objects.get(code=example.village),
        addressed_agency=Agency.objects.get(slug=example.agency), address=example.address,
        latitude=example.latitude, longitude=example.longitude, is_anonymous=example.is_anonymous,
        is_confidential=example.is_confidential, show_reporter_name=example.show_reporter_name,
        channel=example.channel, incident_date=at(first, 7).date(), now=at(first, 8),
    )
    for step in example.steps:
        when, by = at(step.days, step.hour), _user(step.by)
        if step.action == "verify":
            report = services.report_verify(report=report, by=by, agency=Agency.objects.get(slug=step.agency), now=when)
        elif step.action == "dispose":
            report = services.report_dispose(report=report, by=by, unit=Agency.objects.get(slug=step.agency), now=when)
        elif step.action == "draft":
            drafts.draft_answer(report=report, by=by, body=step.text, now=when)
        elif step.action == "approve":
            drafts.draft_approve(draft=drafts.open_draft(report), by=by, now=when)
        elif step.action == "answer":
            services.report_answer(report=report, by=by, body=step.text, now=when)
        elif step.action == "reply":
            report = services.report_reply(report=report, by=by, text=step.text, now=when)
        elif step.action == "rate":
            report = services.report_rate(report=report, by=by, comment=step.text, now=when)
        elif step.action == "service_rating":
            service_rating_give(report=report, by=by, level=step.level, now=when)
        elif step.action == "return":
            report = services.report_return(report=report, by=by, missing=step.text, now=when)
        elif step.action == "complete":
            report = services.report_complete(report=report, by=by, addition=step.text, now=when)
        elif step.action == "postpone":
            report = services.report_postpone(report=report, by=by, reason=step.text, now=when)
        elif step.action == "archive":
            report = services.report_archive(report=report, by=by, reason=step.text, now=when)
        elif step.action == "duplicate":
            report = services.report_mark_duplicate(report=report, by=by, original=made[step.original], now=when)
        elif step.action == "transfer":
            report = services.report_transfer(report=report, by=by, agency=Agency.objects.get(slug=step.agency),
                                              reason=step.text, now=when)
        elif step.action == "not_our_authority":
            report = services.report_not_our_authority(report=report, by=by, reason=step.text, now=when)
        else:  # pragma: no cover - a typo in EXAMPLES
            raise ValueError(step.action)
        report.refresh_from_db()
    return report


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Makassar")  # Kalimantan Selatan (WITA)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _reporter(name: str) -> User:
    if name.startswith("+"):
        from lapor.sms.reporters import phone_reporter

        return phone_reporter(name)
    return _user(name)


def _category(topic: str, subtopic: str) -> Category:
    if subtopic:
        return Category.objects.get(parent__name=topic, name=subtopic)
    return Category.objects.filter(parent__name=topic).order_by("pk").first() or Category.objects.get(name=topic)
