"""The demo shows off more than reports (SPEC §9, §11): an evaluator who opens the
performance page, the polls, an officer's answer form or SILAPAT's early warning right
after `script/start` finds each of them filled, by the real services."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lapor.audit.models import AuditEntry
from lapor.demo.reports import EXAMPLES, seed_demo_reports
from lapor.demo.seed import DEFAULT_PASSWORD, seed_demo
from lapor.demo.showcase import INCIDENTS, POLLS, SURVEYS, TEMPLATES
from lapor.harmony.models import HarmonyAlert, HarmonyIncident
from lapor.notifications.models import Notification
from lapor.office.models import AnswerTemplate
from lapor.reports.models import Report, ReportEvent
from lapor.transparency.models import IkmSurvey, Poll
from tests.office.staff import sign_in

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def demo(kalsel_regions):
    seed_demo(password=DEFAULT_PASSWORD)
    seed_demo_reports()


def staff(username):
    return sign_in(Client(), get_user_model().objects.get(username=username))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def text(response) -> str:
    assert response.status_code == 200
    return text_of(response.content.decode())


def test_the_city_performance_page_shows_an_ikm_index_and_the_polls(demo, client):
    page = text(client.get("/kinerja/pemkot-banjarbaru/"))
    assert "Belum ada survei" not in page and "Belum ada jajak pendapat" not in page
    for _slug, title, *_rest in SURVEYS:
        assert title in page
    # An index with its grade and respondents, not "belum ada responden".
    assert re.search(r"IKM \d+[.,]\d\d \(mutu [A-D], [^)]+\), 3 responden", page)
    assert "belum ada responden" not in page
    for question, *_rest in POLLS:
        assert question in page


def test_the_open_survey_takes_an_answer_from_the_citizen_left_to_try_it(demo, client):
    survey = IkmSurvey.objects.get(title=SURVEYS[1][1])
    client.force_login(get_user_model().objects.get(username="warga.banjarbaru"))
    client.post(f"/kinerja/survei/{survey.pk}/", {f"u{i}": "4" for i in range(1, 10)})
    assert survey.responses.count() == 3


def test_one_poll_is_open_with_votes_and_one_closed_with_its_result(demo, client):
    listing = text(client.get("/opini/"))
    assert "Tidak ada." not in listing
    open_poll, closed_poll = (Poll.objects.get(question=question) for question, *_rest in POLLS)
    page = text(client.get(f"/opini/{open_poll.pk}/"))
    assert "Ya, Sabtu pertama dan ketiga saja" in page and "2 " in page
    assert open_poll.answers.count() == 2 and closed_poll.answers.count() == 3
    # The citizen who has not voted yet can.
    voter = Client()
    voter.force_login(get_user_model().objects.get(username="warga.banjarbaru"))
    voter.post(f"/opini/{open_poll.pk}/", {"option": open_poll.options.first().pk})
    assert open_poll.answers.count() == 3


def test_the_units_have_answer_templates_recorded_in_the_audit_log(demo):
    assert AnswerTemplate.objects.count() == len(TEMPLATES)
    assert AuditEntry.objects.filter(object_type="office.answertemplate").count() == len(TEMPLATES)
    listing = staff("admin.banjarbaru").get("/kantor/kelola/templat/").content.decode()
    assert all(title in listing for _slug, _by, title, _body in TEMPLATES)
    # Offered to Bina Marga's officer on the culvert waiting for an answer (its parent's templates).
    culvert = Report.objects.get(title="Gorong-gorong ambrol di Jl. Guntung Manggis")
    page = staff("petugas.binamarga").get(f"/kantor/laporan/{culvert.tracking_id}/").content.decode()
    assert "Drainase: normalisasi saluran" in page


def test_silapat_early_warning_shows_the_incidents_in_its_trend_and_map(demo):
    assert HarmonyIncident.objects.filter(level__isnull=False).count() == len(INCIDENTS)
    page = staff("kepala.kesbangpol").get("/kantor/silapat/peringatan/").content.decode()
    assert "Penolakan izin renovasi rumah ibadah" in page
    trend = text_of(page.split("Tren kejadian")[1].split("Peta kejadian")[0])
    assert "Banjarbaru Selatan" in trend and "Banjarbaru Utara" in trend  # one row per district
    assert "&quot;lat&quot;: -3.4712" in page  # a point on the map
    # Below the thresholds: nobody was alerted by the staged history.
    assert not HarmonyAlert.objects.exists()


def test_the_statistics_count_every_channel_and_kind(demo, client):
    page = text(client.get("/statistik/"))
    for label in ("Situs web", "SMS", "Pengaduan", "Aspirasi", "Permintaan Informasi"):
        assert label in page


def test_nobody_is_told_and_a_second_run_adds_nothing(demo):
    assert Notification.objects.count() == 0
    assert not ReportEvent.objects.filter(fanout__isnull=True).exists()
    counts = (Report.objects.count(), IkmSurvey.objects.count(), Poll.objects.count(), AnswerTemplate.objects.count())
    assert counts == (len(EXAMPLES) + len(INCIDENTS), len(SURVEYS), len(POLLS), len(TEMPLATES))
    assert seed_demo_reports() == 0
    assert (Report.objects.count(), IkmSurvey.objects.count(), Poll.objects.count(),
            AnswerTemplate.objects.count()) == counts
