"""The four-level service rating and the IKM of PermenPAN-RB 14/2017."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lapor.reports import services as reports
from lapor.reports.errors import ActionForbidden
from lapor.transparency import ikm, services
from lapor.transparency.errors import AlreadyAnswered, NotOpen
from lapor.transparency.models import ServiceLevel, ServiceRating
from tests.factories import aware


def answered_report(world, *, reporter=None, unit=None, officer=None, when=aware(2026, 2, 2, 9, 0)):
    r = reports.report_submit(reporter=reporter or world.citizen, title="Lampu jalan mati", body="Sudah seminggu.",
                              addressed_agency=unit or world.pupr, now=when)
    reports.report_verify(report=r, by=world.national_admin, now=when + datetime.timedelta(hours=2))
    reports.report_answer(report=r, by=officer or world.unit_admin, body="Sudah diganti.",
                          now=when + datetime.timedelta(days=1))
    r.refresh_from_db()
    return r


# --- service rating -----------------------------------------------------------------------


def test_the_reporter_rates_the_service_once(world):
    report = answered_report(world)
    services.service_rating_give(report=report, by=world.citizen, level=ServiceLevel.PUAS, comment="Cepat")
    with pytest.raises(AlreadyAnswered):
        services.service_rating_give(report=report, by=world.citizen, level=ServiceLevel.SANGAT_PUAS)


def test_nobody_but_the_reporter_rates_and_not_before_an_answer(world):
    report = answered_report(world)
    with pytest.raises(ActionForbidden):
        services.service_rating_give(report=report, by=world.other_citizen, level=4)
    fresh = reports.report_submit(reporter=world.citizen, title="Baru", body="x", addressed_agency=world.pupr)
    with pytest.raises(NotOpen):
        services.service_rating_give(report=fresh, by=world.citizen, level=4)
    with pytest.raises(ValidationError):
        services.service_rating_give(report=report, by=world.citizen, level=7)


def test_the_agency_page_shows_the_share_of_each_level(world, client, settings):
    settings.LAPOR_STATS_CACHE_SECONDS = 0
    levels = [4, 4, 3, 2, 1, 4, 3, 4]
    for i, level in enumerate(levels):
        reporter = world.citizen if i % 2 else world.other_citizen
        r = answered_report(world, reporter=reporter, when=aware(2026, 2, 2 + i, 9, 0))
        services.service_rating_give(report=r, by=reporter, level=level)
    page = client.get("/kinerja/pemkot/").content.decode()
    # 4 of 8 Sangat Puas, 2 Puas, 1 Cukup Puas, 1 Tidak Puas
    for label, n in (("Sangat Puas", 4), ("Puas", 2), ("Cukup Puas", 1), ("Tidak Puas", 1)):
        share = f"{n / 8 * 100:.1f}%".replace(".", ",")
        assert f'<th scope="row">{label}</th><td class="num">{n}</td><td class="num">{share}</td>' in page
    assert "(8)" in page  # number of ratings beside the average in the ranking row


def test_the_reporter_can_rate_from_the_rating_page(world, client):
    report = answered_report(world)
    client.force_login(world.citizen)
    assert client.get(f"/kinerja/nilai/{report.tracking_id}/").status_code == 200
    two = client.post(f"/kinerja/nilai/{report.tracking_id}/", {"level": ["1", "4"], "comment": "Oke"})
    assert two.status_code == 400 and "Pilih salah satu penilaian." in two.content.decode()
    assert not ServiceRating.objects.filter(report=report).exists()
    response = client.post(f"/kinerja/nilai/{report.tracking_id}/", {"level": "3", "comment": "Oke"})
    assert response.status_code == 302
    assert report.service_rating.level == 3


def test_another_person_never_sees_the_reporters_rating_page(world, client):
    report = answered_report(world)
    client.force_login(world.citizen)
    client.post(f"/kinerja/nilai/{report.tracking_id}/", {"level": "4"})

    client.force_login(world.other_citizen)
    response = client.get(f"/kinerja/nilai/{report.tracking_id}/")

    assert response.status_code == 404
    assert "Anda sudah menilai" not in response.content.decode()


# --- IKM ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value,grade", [
    ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"), ("65.00", "C"),
    ("64.99", "D"), ("25.00", "D"),
])
def test_grade_bands_follow_the_regulation(value, grade):
    assert ikm.grade_for(Decimal(value))[0] == grade


def open_survey(world, **kw):
    return services.ikm_survey_open(agency=world.dinkes, by=world.agency_admin, title="SKM Dinkes 2026",
                                    opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 12, 31), **kw)


def test_the_ikm_is_the_mean_of_element_means_times_25_with_its_grade(world, client):
    survey = open_survey(world)
    answers = [
        [4, 3, 3, 4, 3, 4, 4, 3, 3],
        [3, 3, 2, 4, 3, 3, 4, 3, 2],
        [4, 4, 3, 4, 4, 4, 4, 4, 3],
    ]
    people = [world.citizen, world.other_citizen, world.proxy]
    for person, scores in zip(people, answers):
        services.ikm_respond(survey=survey, by=person, scores=scores, now=aware(2026, 3, 2, 10, 0))
    element_means = [sum(col) / 3 for col in zip(*answers)]
    index = Decimal(str(sum(element_means) / 9 * 25)).quantize(Decimal("0.01"))
    result = ikm.survey_result(survey.responses.all())
    assert result.respondents == 3
    assert result.index == index
    assert result.grade == "B"
    page = client.get(f"/kinerja/survei/{survey.pk}/").content.decode()
    # Indonesian pages write decimals with a comma.
    assert f'data-figure="ikm">{str(index).replace(".", ",")}<' in page and 'data-figure="grade">B<' in page


def test_a_survey_takes_one_answer_per_account_within_its_period(world):
    survey = open_survey(world)
    services.ikm_respond(survey=survey, by=world.citizen, scores=[3] * 9, now=aware(2026, 3, 2, 10, 0))
    with pytest.raises(AlreadyAnswered):
        services.ikm_respond(survey=survey, by=world.citizen, scores=[4] * 9, now=aware(2026, 3, 2, 11, 0))
    with pytest.raises(NotOpen):
        services.ikm_respond(survey=survey, by=world.other_citizen, scores=[4] * 9, now=aware(2027, 1, 2, 10, 0))
    with pytest.raises(ValidationError) as e:
        services.ikm_respond(survey=survey, by=world.other_citizen, scores=[4] * 8 + [5], now=aware(2026, 3, 2))
    assert "u9" in e.value.message_dict


def test_only_the_agencys_admins_open_a_survey(world):
    with pytest.raises(ActionForbidden):
        services.ikm_survey_open(agency=world.dinkes, by=world.other_agency_admin, title="x",
                                 opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 2, 1))
    with pytest.raises(ValidationError):
        services.ikm_survey_open(agency=world.dinkes, by=world.agency_admin, title="x",
                                 opens_on=datetime.date(2026, 2, 1), closes_on=datetime.date(2026, 1, 1))


def test_an_agency_runs_one_survey_at_a_time(world):
    """Two surveys over the same days would split one period's answers into two IKMs."""
    first = open_survey(world)  # the whole of 2026
    with pytest.raises(ValidationError) as overlap:
        services.ikm_survey_open(agency=world.dinkes, by=world.agency_admin, title="SKM Desember",
                                 opens_on=datetime.date(2026, 12, 5), closes_on=datetime.date(2026, 12, 20))
    assert "bertumpang tindih dengan survei “SKM Dinkes 2026”" in overlap.value.message_dict["opens_on"][0]
    # Another agency, or the days after, are free; so is the period once the first is closed.
    services.ikm_survey_open(agency=world.pupr, by=world.agency_admin, title="SKM PUPR",
                             opens_on=datetime.date(2026, 12, 5), closes_on=datetime.date(2026, 12, 20))
    services.ikm_survey_open(agency=world.dinkes, by=world.agency_admin, title="SKM 2027",
                             opens_on=datetime.date(2027, 1, 1), closes_on=datetime.date(2027, 1, 31))
    services.ikm_survey_close(survey=first, by=world.agency_admin, now=aware(2026, 12, 4, 9, 0))
    services.ikm_survey_open(agency=world.dinkes, by=world.agency_admin, title="SKM Desember",
                             opens_on=datetime.date(2026, 12, 5), closes_on=datetime.date(2026, 12, 20))


def test_the_reporters_report_page_invites_them_to_rate_the_service_once(world, client):
    report = answered_report(world)
    client.force_login(world.citizen)
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert f'href="/kinerja/nilai/{report.tracking_id}/"' in page
    assert 'href="/kinerja/pupr/#penilaian"' in page
    services.service_rating_give(report=report, by=world.citizen, level=ServiceLevel.CUKUP_PUAS)
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert f'href="/kinerja/nilai/{report.tracking_id}/"' not in page
    assert "Anda sudah menilai layanan ini: Cukup Puas." in page


def test_nobody_else_is_invited_to_rate_and_nobody_is_before_an_answer(world, client):
    report = answered_report(world)
    client.force_login(world.other_citizen)
    assert "/kinerja/nilai/" not in client.get(f"/laporan/{report.tracking_id}/").content.decode()
    fresh = reports.report_submit(reporter=world.citizen, title="Baru", body="x", addressed_agency=world.pupr)
    reports.report_verify(report=fresh, by=world.national_admin)
    client.force_login(world.citizen)
    assert "/kinerja/nilai/" not in client.get(f"/laporan/{fresh.tracking_id}/").content.decode()


def test_a_refused_rating_keeps_the_comment_and_says_why(world, client):
    report = answered_report(world)
    client.force_login(world.citizen)
    response = client.post(f"/kinerja/nilai/{report.tracking_id}/", {"level": "9", "comment": "Lumayan cepat"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Pilih salah satu penilaian." in page and "Lumayan cepat</textarea>" in page


@pytest.mark.django_db(transaction=True)
def test_two_surveys_opened_at_the_same_instant_for_one_agency_make_one():
    from lapor.transparency.models import IkmSurvey
    from tests.api.concurrency import concurrently
    from tests.personas import build_world

    world = build_world()

    def open_one():
        try:
            services.ikm_survey_open(agency=world.dinkes, by=world.agency_admin, title="SKM Desember",
                                     opens_on=datetime.date(2026, 12, 1), closes_on=datetime.date(2026, 12, 31))
            return "opened"
        except ValidationError:
            return "refused"

    assert sorted(concurrently(open_one, times=2)) == ["opened", "refused"]  # at once on PostgreSQL
    assert IkmSurvey.objects.filter(agency=world.dinkes).count() == 1
