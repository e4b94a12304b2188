"""The transparency pages in English (the way tests/test_english.py switches): no
Indonesian word of the interface is left, only the data (agency, region and category
names, report titles, poll questions) stays as it was written."""
import datetime
import re

import pytest
from django.utils import timezone

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.regions.models import Region
from lapor.reports.models import Report
from lapor.transparency import services
from lapor.transparency.models import IkmSurvey, Poll, PollOption
from tests.text import LABELS, visible_parts

# Words of the Indonesian interface that are not also English words.
INDONESIAN = set("""
ada angka atau belum bulanan cara dan dari daftar di dibuka diarsipkan diterima ditutup grafik halaman hapus hari
hasil ini instansi itu jawaban jumlah kategori ke kebijakan kembali kerja kinerja kirim laporan lanjut layanan
masuk menghitung menurut nilai opini pelapor pendapat penilaian persentase pertanyaan peta pilih puas rahasia
responden rincian ringkasan saringan sampai sedang seluruh semua statistik sudah survei tabel tanggal tepat
terapkan terbit terlambat tidak tindak unduh untuk waktu wilayah yang
""".split())


def data_written_by_people() -> list[str]:
    names = [*Agency.objects.values_list("name", flat=True), *Category.objects.values_list("name", flat=True),
             *Region.objects.values_list("name", flat=True), *Report.objects.values_list("title", flat=True),
             *Poll.objects.values_list("question", flat=True), *PollOption.objects.values_list("text", flat=True),
             *IkmSurvey.objects.values_list("title", flat=True), "Bahasa Indonesia"]
    return sorted(names, key=len, reverse=True)


def indonesian_words(html: str) -> set[str]:
    text = " ".join(visible_parts(html, attributes=LABELS | {"value"}, messages=True))
    for name in data_written_by_people():
        text = text.replace(name, " ")
    return {w for w in re.findall(r"[^\W\d_]+", text.lower()) if w in INDONESIAN}


@pytest.fixture
def polls_and_surveys(stories, world):
    poll = services.poll_publish(agency=world.pemkot, by=world.agency_admin, question="Perlukah jalur sepeda?",
                                 options=["Perlu", "Tidak perlu"],
                                 closes_at=timezone.now() + datetime.timedelta(days=7))
    services.poll_answer(poll=poll, option=poll.options.first(), by=world.citizen)
    survey = services.ikm_survey_open(agency=world.pemkot, by=world.agency_admin, title="SKM 2026",
                                      opens_on=timezone.localdate(), closes_on=timezone.localdate())
    services.ikm_respond(survey=survey, by=world.citizen, scores=[3] * 9)
    return poll, survey


def english(client, world=None):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    if world is not None:
        client.force_login(world.other_citizen)
    return client


@pytest.mark.parametrize("url", ["/statistik/", "/kinerja/", "/peta/", "/opini/", "/kinerja/pemkot/"])
def test_the_public_transparency_pages_have_no_indonesian_left_in_english(polls_and_surveys, client, url):
    # Indonesian first: the check must be able to find the words it looks for.
    assert indonesian_words(client.get(url).content.decode())
    response = english(client).get(url)
    assert response.status_code == 200
    assert indonesian_words(response.content.decode()) == set()


def test_a_poll_and_a_survey_read_in_english_for_a_signed_in_citizen(polls_and_surveys, client, world):
    poll, survey = polls_and_surveys
    english(client, world)
    for url in (f"/opini/{poll.pk}/", f"/kinerja/survei/{survey.pk}/", "/kinerja/pemkot/bulanan/2026-02/"):
        page = client.get(url).content.decode()
        assert indonesian_words(page) == set(), url


def test_english_numbers_use_a_decimal_point(polls_and_surveys, client):
    poll, _survey = polls_and_surveys
    page = english(client).get(f"/opini/{poll.pk}/").content.decode()
    assert '<td class="num">100.0%</td>' in page
    assert "Results (1 answer)" in page
