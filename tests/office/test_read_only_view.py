"""A report outside one's scope, read in the back office (SPEC §5): staff of another
government (or another unit) open a published report's page and read it as the public
does, without the names of the officers who handled it nor anything of the reporter the
public does not see. Those who handle or supervise it read the names."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.reports import drafts, services
from lapor.reports.models import Report

VERIFIER = "Andi Verifikator"
UNIT_ADMIN = "Muhammad Rizky Ramadhan"
OFFICER = "Nurul Hidayah"
ANSWER = "Lubang sudah ditambal pada hari Senin."


@pytest.fixture
def answered(world, submit):
    """A published report the unit answered from its officer's draft, with a second draft
    in the works and an internal note."""
    for user, name in ((world.agency_admin, VERIFIER), (world.unit_admin, UNIT_ADMIN), (world.officer, OFFICER)):
        user.full_name = name
        user.save()
    report = submit(title="Jalan berlubang di Jl. Karang Anyar, dilaporkan Siti", show_reporter_name=False)
    # The verifier's summary as the title: the reporter's own is kept for staff.
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr,
                           title="Jalan berlubang di Jl. Karang Anyar")
    draft = drafts.draft_answer(report=Report.objects.get(pk=report.pk), by=world.officer, body=ANSWER)
    drafts.draft_approve(draft=draft, by=world.unit_admin)
    report = Report.objects.get(pk=report.pk)
    services.report_add_note(report=report, by=world.officer, text="Sudah dicek ke lapangan.")
    drafts.draft_answer(report=Report.objects.get(pk=report.pk), by=world.officer, body="Perbaikan lanjutan.")
    return Report.objects.get(pk=report.pk)


def page(as_user, person, report) -> str:
    response = as_user(person).get(f"/kantor/laporan/{report.tracking_id}/")
    assert response.status_code == 200, person
    return response.content.decode()


PEOPLE = (VERIFIER, UNIT_ADMIN, OFFICER, "Siti Rahmawati", "6372024107900001", "warga@example.id")


@pytest.mark.parametrize("who", ["officer", "unit_admin", "agency_admin", "inspector", "ombudsman_officer",
                                 "national_admin"])
def test_those_who_handle_or_supervise_the_report_read_the_officers_names(world, as_user, answered, who):
    html = page(as_user, getattr(world, who), answered)

    assert f"{UNIT_ADMIN} (disusun oleh {OFFICER})" in html  # who answered, from whose draft
    assert VERIFIER in html  # in the history
    assert "Sudah dicek ke lapangan." in html  # the internal note
    assert "Perbaikan lanjutan." in html and "dilaporkan Siti" in html  # the draft, the reporter's own title


@pytest.mark.parametrize("who", ["other_agency_admin", "other_agency_officer", "other_unit_officer"])
def test_staff_outside_the_report_read_it_as_the_public_does(world, as_user, answered, client, who):
    html = page(as_user, getattr(world, who), answered)

    assert "hanya baca" in html  # the read-only view
    assert ANSWER in html and "Dinas PUPR Banjarbaru" in html  # the answer, by its agency
    for name in PEOPLE:
        assert name not in html, name
    assert "disusun oleh" not in html and "Perbaikan lanjutan." not in html  # nor the draft
    assert "Sudah dicek ke lapangan." not in html  # nor the internal note
    # Nor the reporter's own title, which the verifier's summary replaced for the public.
    assert "dilaporkan Siti" not in html
    public = client.get(f"/laporan/{answered.tracking_id}/").content.decode()
    for name in PEOPLE:
        assert name not in public, name


def test_the_name_the_reporter_chose_to_show_is_shown_to_staff_outside_as_to_the_public(
        world, as_user, submit, client):
    report = submit(verify_to=world.pupr, show_reporter_name=True)

    assert "Siti Rahmawati" in client.get(f"/laporan/{report.tracking_id}/").content.decode()
    html = page(as_user, world.other_agency_admin, report)
    assert "Siti Rahmawati" in html
    assert "6372024107900001" not in html and "warga@example.id" not in html


def test_the_api_gives_staff_outside_the_report_no_officer_names(world, answered, api_client_for):
    body = api_client_for(world.other_agency_admin).get(f"/api/v1/reports/{answered.tracking_id}/").content.decode()

    assert ANSWER in body
    for name in PEOPLE:
        assert name not in body, name
    handler = api_client_for(world.unit_admin).get(f"/api/v1/reports/{answered.tracking_id}/").json()
    assert OFFICER in {entry["by"] for entry in handler["history"]}


@pytest.fixture
def api_client_for():
    from rest_framework.test import APIClient

    from lapor.api.tokens import token_issue

    def client_for(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
        return client

    return client_for


def answer_queries(as_user, person, report) -> list[str]:
    """The queries that read the report's answers while ``person`` opens its page."""
    with CaptureQueriesContext(connection) as captured:
        page(as_user, person, report)
    return [q["sql"] for q in captured.captured_queries if 'FROM "reports_followup"' in q["sql"]]


def test_the_officers_who_answered_are_not_even_read_for_staff_outside_the_report(world, as_user, answered):
    outside = answer_queries(as_user, world.other_agency_admin, answered)
    assert outside and not any('"accounts_user"' in sql for sql in outside)
    # Read, in the same query, for those who are shown them.
    assert any('"accounts_user"' in sql for sql in answer_queries(as_user, world.unit_admin, answered))
