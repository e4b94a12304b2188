"""The officer drafts the unit's answer, the unit admin approves it (SPEC §2; lapor/reports/drafts.py)."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from lapor.reports import attachments, drafts, policy, services
from lapor.reports.enums import Action, Status
from lapor.reports.errors import ActionForbidden, DraftNotPending
from lapor.reports.models import AnswerDraft, Attachment

from ..office.files import png_upload

WITA = ZoneInfo("Asia/Makassar")


def at(*args):
    return datetime.datetime(*args, tzinfo=WITA)


@pytest.fixture
def report(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Jl. A. Yani km 32.",
                                    addressed_agency=world.pemkot, category=world.category, now=at(2026, 11, 23, 9))
    return services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 23, 10))


def test_the_officer_may_only_draft_and_the_unit_admin_answers_or_approves(world, report):
    with pytest.raises(ActionForbidden):
        services.report_answer(report=report, by=world.officer, body="Sudah diganti.")
    with pytest.raises(ActionForbidden):
        drafts.draft_answer(report=report, by=world.unit_admin, body="Admin menulis langsung saja.")
    draft = drafts.draft_answer(report=report, by=world.officer, body="Sudah diganti.")
    with pytest.raises(ActionForbidden):
        drafts.draft_approve(draft=draft, by=world.officer)
    with pytest.raises(ActionForbidden):
        drafts.draft_approve(draft=draft, by=world.other_agency_admin)
    followup = drafts.draft_approve(draft=draft, by=world.agency_admin)
    assert (followup.author, followup.drafted_by) == (world.agency_admin, world.officer)


def test_the_clock_keeps_running_while_a_draft_waits_and_moves_on_when_the_citizen_can_read_it(world, report):
    due = report.due_at
    drafts.draft_answer(report=report, by=world.officer, body="Lampu diganti besok.", now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    assert (report.status, report.due_at, report.first_answer_at) == (Status.DISPATCHED, due, None)
    drafts.draft_approve(draft=drafts.open_draft(report), by=world.unit_admin, now=at(2026, 11, 25, 9))
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS and report.first_answer_at == at(2026, 11, 25, 9)


def test_a_draft_is_read_only_by_staff_handling_the_report(world, report):
    drafts.draft_answer(report=report, by=world.officer, body="Draf: ganti lampu Senin.")
    entry = report.events.get(action=Action.DRAFT_ANSWER)
    assert entry.is_internal
    for person in (world.citizen, AnonymousUser(), world.other_agency_officer):
        assert entry not in policy.visible_events(person, report)
    assert entry in policy.visible_events(world.unit_admin, report)


def test_one_open_draft_per_report_revised_in_place(world, report):
    first = drafts.draft_answer(report=report, by=world.officer, body="Versi satu.",
                                files=[attachments.clean_upload(png_upload())])
    drafts.draft_return(draft=first, by=world.unit_admin, note="Tambahkan jadwalnya.")
    again = drafts.draft_answer(report=report, by=world.officer, body="Versi dua: Senin.")
    assert again.pk == first.pk and again.state == AnswerDraft.State.PENDING and again.body == "Versi dua: Senin."
    assert again.files.count() == 1  # the photo stays with the revised draft
    followup = drafts.draft_approve(draft=again, by=world.unit_admin)
    assert followup.body == "Versi dua: Senin."
    assert Attachment.objects.filter(followup=followup).count() == 1
    again.refresh_from_db()
    assert again.state == AnswerDraft.State.PUBLISHED and again.followup == followup


def test_a_draft_cannot_be_approved_twice_or_after_it_was_sent_back(world, report):
    draft = drafts.draft_answer(report=report, by=world.officer, body="Sudah diganti.")
    drafts.draft_approve(draft=draft, by=world.unit_admin)
    with pytest.raises(DraftNotPending):
        drafts.draft_approve(draft=draft, by=world.agency_admin)
    assert report.followups.count() == 1
    other = services.report_submit(reporter=world.citizen, title="Got mampet", body="Perumahan Citra.",
                                   addressed_agency=world.pemkot)
    services.report_verify(report=other, by=world.agency_admin, agency=world.pupr)
    draft = drafts.draft_answer(report=other, by=world.officer, body="Akan dikeruk.")
    drafts.draft_return(draft=draft, by=world.unit_admin, note="Kapan?")
    with pytest.raises(DraftNotPending):
        drafts.draft_approve(draft=draft, by=world.unit_admin)


def test_sending_back_needs_a_note_and_approval_needs_text(world, report):
    draft = drafts.draft_answer(report=report, by=world.officer, body="Sudah diganti.")
    with pytest.raises(ValidationError) as error:
        drafts.draft_return(draft=draft, by=world.unit_admin, note=" ")
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        drafts.draft_approve(draft=draft, by=world.unit_admin, body="")
    assert "body" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.state == AnswerDraft.State.PENDING and not report.followups.exists()


def test_a_draft_for_a_unit_that_no_longer_handles_the_report_lapses(world, report):
    draft = drafts.draft_answer(report=report, by=world.officer, body="PUPR akan menangani.")
    services.report_dispose(report=report, by=world.unit_admin, unit=world.bina_marga)
    with pytest.raises(DraftNotPending):
        drafts.draft_approve(draft=draft, by=world.unit_admin)
    # Bina Marga's officer drafts afresh; PUPR's old draft is withdrawn, not mixed in.
    fresh = drafts.draft_answer(report=report, by=world.sub_unit_officer, body="Bina Marga menambal Senin.")
    assert fresh.pk != draft.pk and fresh.agency == world.bina_marga
    draft.refresh_from_db()
    assert draft.state == AnswerDraft.State.WITHDRAWN


def test_a_draft_holds_no_more_files_than_an_answer(world, report, settings):
    settings.LAPOR_MAX_ATTACHMENTS = 2
    photos = [attachments.clean_upload(png_upload(f"{i}.png")) for i in range(2)]
    drafts.draft_answer(report=report, by=world.officer, body="Foto sebelum.", files=photos)
    with pytest.raises(ValidationError) as error:
        drafts.draft_answer(report=report, by=world.officer, body="Foto sesudah.",
                            files=[attachments.clean_upload(png_upload("3.png"))])
    assert "files" in error.value.message_dict
    assert drafts.open_draft(report).body == "Foto sebelum."


def test_an_imported_answer_keeps_the_officer_who_gave_it_in_the_old_system(world, report):
    followup = services.report_answer_imported(report=report, by=world.officer, body="Sudah diganti (data lama).",
                                               now=at(2026, 11, 24, 9))
    assert followup.author == world.officer
    assert report.events.get(action=Action.ANSWER).actor_role == "officer"
    with pytest.raises(ActionForbidden):
        services.report_answer_imported(report=report, by=world.other_agency_officer, body="Bukan kami.",
                                        now=at(2026, 11, 24, 10))
