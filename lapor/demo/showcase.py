"""What the demo's city shows besides its reports: satisfaction surveys (IKM) with answers,
opinion polls with votes, answer templates for its units and SILAPAT incidents on the
early-warning page (SPEC §9, §11).

Played by ``lapor.demo.reports.seed_demo_reports`` in its transaction, on a database
with no report at all, after the example reports and with times relative to the same
``now``. Everything goes through the services a person's click would call
(``lapor.transparency.services``, ``lapor.office.services``, ``lapor.harmony.services``),
so the figures agree with the pages and the audit log holds every row. Nobody is told:
the caller marks the incidents' events as fanned out with the reports' own.

One demo citizen (``warga.banjarbaru``) leaves the open survey and the open poll
unanswered, so that an evaluator signed in as that citizen can answer them and see the
result move.
"""
from __future__ import annotations

import datetime

from django.conf import settings

from lapor.accounts.models import User
from lapor.agencies.models import Agency
from lapor.office.models import AnswerTemplate
from lapor.office.services import answer_template_save
from lapor.regions.models import Region
from lapor.transparency import services as transparency

CITY = "pemkot-banjarbaru"

# (agency slug, title, days ago it opened, days from now it closes (before today: closed),
#  {respondent: nine scores 1–4})
SURVEYS = [
    ("banjarbaru-dinas-kesehatan", "Survei Kepuasan Masyarakat Pelayanan Puskesmas", 58, -31, {
        "warga.banjarbaru": [3, 3, 4, 3, 4, 3, 3, 3, 4],
        "warga.lain": [2, 3, 3, 3, 4, 3, 2, 3, 3],
        "rt05.guntungmanggis": [3, 4, 3, 3, 4, 4, 3, 3, 4],
    }),
    (CITY, "Survei Kepuasan Masyarakat Pelayanan Perizinan Kota Banjarbaru", 12, 18, {
        "warga.lain": [3, 3, 3, 4, 4, 3, 3, 4, 3],
        "rt05.guntungmanggis": [4, 3, 3, 3, 4, 4, 3, 3, 3],
    }),
]


# (question, description, options, days ago published, days from now it closes, {voter: option index})
POLLS = [
    ("Perlukah Mal Pelayanan Publik Banjarbaru buka pada hari Sabtu?",
     "Pemerintah Kota menimbang layanan akhir pekan untuk KTP, KK dan perizinan. Pendapat Anda menjadi bahan "
     "pertimbangan.",
     ["Ya, setiap Sabtu", "Ya, Sabtu pertama dan ketiga saja", "Tidak perlu"], 6, 24,
     {"warga.lain": 0, "rt05.guntungmanggis": 1}),
    ("Lokasi mana yang paling perlu taman bermain anak baru?",
     "", ["Landasan Ulin", "Cempaka", "Banjarbaru Selatan"], 45, -15,
     {"warga.banjarbaru": 2, "warga.lain": 1, "rt05.guntungmanggis": 0}),
]

# (agency slug, by, title, body)
TEMPLATES = [
    ("banjarbaru-dinas-pupr", "admin.pupr", "Jalan rusak: penambalan dijadwalkan",
     "Terima kasih atas laporan Anda. Tim kami sudah meninjau lokasi dan penambalan dijadwalkan dalam "
     "[jumlah] hari kerja. Sementara itu rambu peringatan dipasang di sekitar lubang."),
    ("banjarbaru-dinas-pupr", "admin.pupr", "Drainase: normalisasi saluran",
     "Saluran di lokasi yang Anda laporkan masuk jadwal normalisasi pada [tanggal]. Petugas akan mengangkat "
     "sedimen dan sampah sampai ke saluran induk."),
    ("banjarbaru-dinas-kesehatan", "admin.banjarbaru", "Puskesmas: tindak lanjut keluhan layanan",
     "Terima kasih, keluhan Anda sudah kami teruskan kepada kepala puskesmas. Perbaikan yang dilakukan: "
     "[uraian]. Bila masih terjadi, sampaikan lagi lewat laporan ini."),
    (CITY, "admin.banjarbaru", "Mohon lengkapi lokasi",
     "Agar dapat ditindaklanjuti, mohon sebutkan lokasi tepatnya (nama jalan, RT/RW atau patokan) dan, bila "
     "ada, tandai titiknya di peta."),
]

# SILAPAT incidents in Kota Banjarbaru: (days ago, village, latitude, longitude, address, title, body,
# tension kind, vulnerability level). Levels below the demo's thresholds ("three high in 30
# days", "one critical in 7 days"): an alert would be sent to the head and leadership.
INCIDENTS = [
    (40, "63.72.04.1001", -3.4405, 114.8318, "Jl. A. Yani Km 34",
     "Perselisihan jadwal pengeras suara antara dua rumah ibadah",
     "Warga dua rumah ibadah yang berdekatan berselisih soal jadwal pengeras suara pada malam hari; "
     "sudah ada adu mulut di jalan.", "antar", 2),
    (9, "63.72.05.1001", -3.4712, 114.8166, "Jl. Trikora",
     "Penolakan izin renovasi rumah ibadah oleh sebagian warga",
     "Sebagian warga memasang spanduk penolakan renovasi di depan lokasi; pengurus meminta mediasi dari "
     "pemerintah kota.", "pemerintah", 3),
]


def seed_demo_showcase(*, at) -> dict[str, int]:
    """Open the demo's surveys and polls, answer them, save the answer templates and file
    and assess the SILAPAT incidents (while the module is on). ``at(days, hour)`` is the
    caller's clock (a time ``days`` ago in the city). Returns how many of each were made.

    Side effects: those of the services named in the module's docstring (rows and their
    audit entries); the incidents are reports with events, which the caller marks as
    fanned out."""
    return {
        "surveys": _surveys(at),
        "polls": _polls(at),
        "templates": _templates(),
        "incidents": _incidents(at) if settings.LAPOR_SILAPAT_ENABLED else 0,
    }


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _surveys(at) -> int:
    today = at(0, 9).date()
    for slug, title, opened, closes, answers in SURVEYS:
        opened_at = at(opened, 8)
        survey = transparency.ikm_survey_open(
            agency=Agency.objects.get(slug=slug), by=_user("admin.banjarbaru"), title=title,
            opens_on=opened_at.date(), closes_on=today + datetime.timedelta(days=closes), now=opened_at)
        for n, (username, scores) in enumerate(answers.items()):
            transparency.ikm_respond(survey=survey, by=_user(username), scores=scores, now=at(opened - 1 - n, 10 + n))
    return len(SURVEYS)


def _polls(at) -> int:
    for question, description, options, published, closes, votes in POLLS:
        published_at = at(published, 9)
        poll = transparency.poll_publish(
            agency=Agency.objects.get(slug=CITY), by=_user("admin.banjarbaru"), question=question,
            description=description, options=options, closes_at=at(-closes, 17), now=published_at)
        choices = list(poll.options.order_by("position"))
        for n, (username, choice) in enumerate(votes.items()):
            transparency.poll_answer(poll=poll, option=choices[choice], by=_user(username),
                                     now=at(published - 1 - n, 19))
    return len(POLLS)


def _templates() -> int:
    for slug, username, title, body in TEMPLATES:
        answer_template_save(by=_user(username), template=AnswerTemplate(
            agency=Agency.objects.get(slug=slug), title=title, body=body))
    return len(TEMPLATES)


def _incidents(at) -> int:
    from lapor.harmony.services import harmony_report_submit, harmony_verify

    reporter, operator = _user("warga.banjarbaru"), _user("kepala.kesbangpol")
    for days, village, lat, lon, address, title, body, kind, level in INCIDENTS:
        report = harmony_report_submit(
            reporter=reporter, title=title, body=body, tension_kind=kind, region=Region.objects.get(code=village),
            address=address, latitude=lat, longitude=lon, incident_date=at(days, 7).date(), now=at(days, 8))
        harmony_verify(report=report, by=operator, level=level, now=at(days - 1, 10))
    return len(INCIDENTS)
