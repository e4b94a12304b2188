"""A reply or a rating is about the answer the reporter read (SPEC §4): when the agency
answered again meanwhile, the reporter is asked to read the new answer first, and nothing
is recorded against an answer they never saw. Without saying which answer (older apps,
SMS), the last one is meant, as before."""
import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from lapor.api.tokens import token_issue
from lapor.reports import services
from lapor.reports.enums import Status
from lapor.reports.models import FollowUp, Report


@pytest.fixture
def answered_twice(world):
    """A report answered by Dinas PUPR, then answered again: (report, first, second)."""
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang di Jl. Karang Anyar",
                                    body="Lubang besar dekat sekolah.", category=world.category,
                                    addressed_agency=world.pupr)
    services.report_verify(report=report, by=world.national_admin)
    first = services.report_answer(report=report, by=world.unit_admin, body="Sudah kami tambal hari Senin.")
    second = services.report_answer(report=report, by=world.unit_admin, body="Penambalan diulang hari Kamis.")
    return Report.objects.get(pk=report.pk), first, second


def rated(report) -> list:
    return list(FollowUp.objects.filter(report=report, satisfied__isnull=False).values_list("pk", "satisfied"))


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
    return client


def test_a_rating_of_the_answer_before_the_last_is_refused_and_nothing_is_rated(world, answered_twice):
    report, first, _second = answered_twice

    with pytest.raises(services.AnswerSuperseded, match="Bacalah tindak lanjut terbaru itu dahulu"):
        services.report_rate(report=report, by=world.citizen, comment="Terima kasih", followup_id=first.pk)

    assert rated(report) == []
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_a_reply_to_the_answer_before_the_last_is_refused_naming_who_answered_again(world, answered_twice):
    report, first, _second = answered_twice

    with pytest.raises(services.AnswerSuperseded, match="Dinas PUPR Banjarbaru mengirim tindak lanjut baru"):
        services.report_reply(report=report, by=world.citizen, text="Belum selesai", followup_id=first.pk)

    assert rated(report) == []
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_the_answer_read_being_the_last_one_is_rated(world, answered_twice):
    report, _first, second = answered_twice

    services.report_rate(report=report, by=world.citizen, comment="Terima kasih", followup_id=second.pk)

    assert rated(report) == [(second.pk, True)]


def test_without_naming_the_answer_the_last_one_is_rated_as_before(world, answered_twice):
    report, _first, second = answered_twice

    services.report_reply(report=report, by=world.citizen, text="Belum selesai")

    assert rated(report) == [(second.pk, False)]


def test_an_answer_of_another_report_is_named_as_the_error(world, answered_twice):
    report, _first, _second = answered_twice
    other = services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Sudah seminggu.",
                                   category=world.category, addressed_agency=world.pupr)
    services.report_verify(report=other, by=world.national_admin)
    elsewhere = services.report_answer(report=other, by=world.unit_admin, body="Lampu sudah diganti.")

    with pytest.raises(ValidationError) as refused:
        services.report_rate(report=report, by=world.citizen, followup_id=elsewhere.pk)

    assert "followup" in refused.value.message_dict
    assert rated(report) == [] and rated(other) == []


def test_the_api_answers_409_to_a_rating_of_an_overtaken_answer(world, answered_twice):
    report, first, _second = answered_twice

    response = api_for(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/rate/",
                                           {"comment": "Terima kasih", "followup": first.pk}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "answer_superseded"
    assert "Bacalah tindak lanjut terbaru itu dahulu" in response.json()["detail"]
    assert rated(report) == []


def test_the_api_answers_409_to_a_reply_to_an_overtaken_answer(world, answered_twice):
    report, first, _second = answered_twice

    response = api_for(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/reply/",
                                           {"text": "Belum selesai", "followup": first.pk}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "answer_superseded"
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_the_api_rates_the_answer_named_when_it_is_the_last(world, answered_twice):
    report, _first, second = answered_twice

    response = api_for(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/rate/",
                                           {"followup": second.pk}, format="json")

    assert response.status_code == 200 and response.json()["status"] == Status.CLOSED
    assert rated(report) == [(second.pk, True)]


def test_the_api_without_followup_rates_the_last_answer_as_before(world, answered_twice):
    report, _first, second = answered_twice

    response = api_for(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/rate/", {}, format="json")

    assert response.status_code == 200
    assert rated(report) == [(second.pk, True)]


def test_sms_puas_still_rates_the_last_answer(world, answered_twice):
    from lapor.sms.inbound import REPORTER_COMMANDS

    report, _first, second = answered_twice
    _needs, _example, rate, _reply = REPORTER_COMMANDS["PUAS"]

    rate(report, world.citizen, "", None)

    assert rated(report) == [(second.pk, True)]
