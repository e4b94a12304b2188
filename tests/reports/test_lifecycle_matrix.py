"""Every action × every status × every persona: allowed exactly where SPEC §4 and §2 say.

The expectations below are written out from the spec, not derived from the policy table:
if the policy and this file disagree, one of them is wrong about the product.
"""
import datetime

import pytest
from django.db import transaction

from lapor.reports import drafts, services
from lapor.reports.enums import Action, Status
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import AnswerDraft, Report
from lapor.reports.policy import SYSTEM_ACTIONS, allowed_actions, role_for

from ..personas import PERSONAS

ROUTERS = {"national_admin", "agency_admin"}  # agency_admin of the addressed Pemkot
HANDLERS = {"agency_admin", "unit_admin", "officer"}  # report assigned to Dinas PUPR
DISPOSERS = {"agency_admin", "unit_admin"}
# SPEC §2: the officer drafts the unit's answer, the unit (or agency) admin uploads it.
ANSWERERS = {"agency_admin", "unit_admin"}
DRAFTERS = {"officer"}
REPORTER = {"citizen"}

# status → action → personas who may take it (absent: nobody).
EXPECTED = {
    # No wrong door (SPEC §4): a router hands a report addressed to the wrong government to
    # the right one (TRANSFER) before verifying it.
    Status.SUBMITTED: {
        Action.VERIFY: ROUTERS, Action.POSTPONE: ROUTERS, Action.RETURN: ROUTERS, Action.TRANSFER: ROUTERS,
        Action.ARCHIVE: ROUTERS, Action.MARK_DUPLICATE: ROUTERS, Action.NOTE: ROUTERS, Action.SET_FLAGS: ROUTERS,
    },
    Status.POSTPONED: {
        Action.VERIFY: ROUTERS, Action.RETURN: ROUTERS, Action.TRANSFER: ROUTERS, Action.ARCHIVE: ROUTERS,
        Action.MARK_DUPLICATE: ROUTERS, Action.NOTE: ROUTERS, Action.SET_FLAGS: ROUTERS,
    },
    Status.RETURNED: {Action.COMPLETE: REPORTER, Action.NOTE: ROUTERS, Action.SET_FLAGS: ROUTERS},
    Status.DISPATCHED: {
        Action.DISPOSE: DISPOSERS, Action.NOT_OUR_AUTHORITY: DISPOSERS, Action.TRANSFER: ROUTERS,
        Action.ANSWER: ANSWERERS, Action.DRAFT_ANSWER: DRAFTERS, Action.RETURN_DRAFT: ANSWERERS,
        Action.CLOSE: ROUTERS, Action.NOTE: ROUTERS | HANDLERS,
        Action.SET_FLAGS: ROUTERS | HANDLERS,
        # SPEC §8: a repeat verified alongside its original, not answered yet, is merged into
        # it by those who could otherwise only close it (the unit owing the answer cannot).
        Action.MARK_DUPLICATE: ROUTERS,
    },
    Status.IN_PROGRESS: {
        Action.ANSWER: ANSWERERS, Action.DRAFT_ANSWER: DRAFTERS, Action.RETURN_DRAFT: ANSWERERS,
        Action.REPLY: REPORTER, Action.RATE: REPORTER, Action.CLOSE: ROUTERS,
        Action.NOTE: ROUTERS | HANDLERS, Action.SET_FLAGS: ROUTERS | HANDLERS,
    },
    Status.CLOSED: {Action.REOPEN: REPORTER, Action.NOTE: ROUTERS | HANDLERS, Action.SET_FLAGS: ROUTERS | HANDLERS},
    Status.ARCHIVED: {Action.NOTE: ROUTERS, Action.SET_FLAGS: ROUTERS},
}


def bring_to(status, world, now):
    """A report addressed to Pemkot Banjarbaru by the citizen, walked to ``status`` through
    the services, as it would be in real life."""
    report = services.report_submit(
        reporter=world.citizen, title="Jalan berlubang di Jl. A. Yani km 32", body="Lubang besar dekat halte.",
        addressed_agency=world.pemkot, category=world.category, now=now,
    )
    admin = world.agency_admin
    steps = {
        Status.SUBMITTED: [],
        Status.POSTPONED: [lambda r: services.report_postpone(report=r, by=admin, reason="Menelepon pelapor")],
        Status.RETURNED: [lambda r: services.report_return(report=r, by=admin, missing="Lokasi tepat")],
        Status.DISPATCHED: [lambda r: services.report_verify(report=r, by=admin, agency=world.pupr)],
        Status.IN_PROGRESS: [
            lambda r: services.report_verify(report=r, by=admin, agency=world.pupr),
            lambda r: services.report_answer(report=r, by=world.unit_admin, body="Akan diperbaiki pekan depan."),
        ],
        Status.CLOSED: [
            lambda r: services.report_verify(report=r, by=admin, agency=world.pupr),
            lambda r: services.report_answer(report=r, by=world.unit_admin, body="Sudah diperbaiki."),
            lambda r: services.report_rate(report=r, by=world.citizen),
        ],
        Status.ARCHIVED: [lambda r: services.report_archive(report=r, by=admin, reason="spam")],
    }[status]
    for step in steps:
        step(report)
    report.refresh_from_db()
    assert report.status == status
    return report


def attempt(action, report, person, world, original, now):
    """Take ``action`` through its service with valid input; what the person would do."""
    kwargs = {"report": report, "by": person, "now": now}
    calls = {
        Action.VERIFY: lambda: services.report_verify(agency=world.pupr, **kwargs),
        Action.POSTPONE: lambda: services.report_postpone(reason="Perlu konfirmasi", **kwargs),
        Action.RETURN: lambda: services.report_return(missing="Foto lokasi", **kwargs),
        Action.COMPLETE: lambda: services.report_complete(addition="Lokasi: depan SDN 1", **kwargs),
        Action.ARCHIVE: lambda: services.report_archive(reason="too_general", **kwargs),
        Action.MARK_DUPLICATE: lambda: services.report_mark_duplicate(original=original, **kwargs),
        Action.DISPOSE: lambda: services.report_dispose(unit=world.bina_marga, **kwargs),
        Action.NOT_OUR_AUTHORITY: lambda: services.report_not_our_authority(reason="Jalan nasional", **kwargs),
        Action.TRANSFER: lambda: services.report_transfer(agency=world.pupr_banjar, reason="Wilayah Banjar", **kwargs),
        Action.ANSWER: lambda: services.report_answer(body="Sedang ditangani.", **kwargs),
        Action.DRAFT_ANSWER: lambda: drafts.draft_answer(body="Sedang kami jadwalkan.", **kwargs),
        Action.RETURN_DRAFT: lambda: drafts.draft_return(draft=a_draft(report, world), by=person,
                                                         note="Sebutkan tanggalnya."),
        Action.REPLY: lambda: services.report_reply(text="Belum diperbaiki.", **kwargs),
        Action.RATE: lambda: services.report_rate(comment="Terima kasih", **kwargs),
        Action.CLOSE: lambda: services.report_close(reason="Selesai lewat telepon", **kwargs),
        Action.REOPEN: lambda: services.report_reopen(reason="Rusak lagi", **kwargs),
        Action.NOTE: lambda: services.report_add_note(text="Cek ke lapangan", **kwargs),
        Action.REVEAL_IDENTITY: lambda: services.report_reveal_identity(reason="Permintaan penyidik resmi", **kwargs),
        # Protecting a report; publishing one again is for routers only (test_report_flags.py).
        Action.SET_FLAGS: lambda: services.report_set_flags(is_confidential=True, reason="Menyebut nama pejabat",
                                                            **kwargs),
    }
    return calls[action]()


def a_draft(report, world):
    """A draft waiting for approval (written directly: whether it may be written at all in
    this status is the DRAFT_ANSWER row's question)."""
    now = report.updated_at
    return AnswerDraft.objects.create(report=report, agency=report.assigned_agency or world.pupr,
                                      author=world.officer, body="Akan kami perbaiki.", created_at=now, updated_at=now)


class Rollback(Exception):
    pass


# What people do (the system's own entries, the sweep's and the calendar's, are not asked of anyone).
STAFF_ACTIONS = [a for a in Action.values if a != Action.SUBMIT and a not in SYSTEM_ACTIONS]


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_persona_may_take_exactly_the_actions_the_spec_gives_them(world, status):
    now = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.timezone.utc)
    report = bring_to(status, world, now)
    # The original everyone with a duplicate action can see: verified, as a verified report's must be.
    original = services.report_submit(reporter=world.other_citizen, title="Jalan rusak", body="Sama",
                                      addressed_agency=world.pemkot, now=now)
    services.report_verify(report=original, by=world.agency_admin, agency=world.pupr, now=now)
    mismatches = []
    for name in PERSONAS:
        person = getattr(world, name)
        for action in STAFF_ACTIONS:
            expected = name in EXPECTED[status].get(action, set())
            offered = role_for(person, report, action) is not None
            try:
                with transaction.atomic():
                    attempt(action, report, person, world, original, now + datetime.timedelta(hours=1))
                    raise Rollback
            except Rollback:
                done = True
            except (ActionForbidden, TransitionNotAllowed):
                done = False
            if expected != done or expected != offered:
                mismatches.append(f"{name} {action}: expected={expected} offered={offered} done={done}")
    assert mismatches == []
    # Nothing the refused attempts did stayed behind.
    report.refresh_from_db()
    assert report.status == status


def test_the_page_offers_the_reporter_reply_and_rate_but_not_staff_actions(world):
    report = bring_to(Status.IN_PROGRESS, world, datetime.datetime(2026, 11, 23, 1, tzinfo=datetime.timezone.utc))
    assert allowed_actions(world.citizen, report) == [Action.REPLY, Action.RATE]
    assert allowed_actions(world.other_citizen, report) == []
    assert allowed_actions(world.officer, report) == [Action.DRAFT_ANSWER, Action.NOTE, Action.SET_FLAGS]
    assert allowed_actions(world.unit_admin, report) == [
        Action.ANSWER, Action.RETURN_DRAFT, Action.NOTE, Action.SET_FLAGS]


def test_a_supervisor_can_act_on_nothing(world):
    now = datetime.datetime(2026, 11, 23, 1, tzinfo=datetime.timezone.utc)
    for status in EXPECTED:
        report = bring_to(status, world, now)
        for name in ("inspector", "ombudsman_officer", "other_inspector"):
            assert allowed_actions(getattr(world, name), report) == [], (status, name)


def test_only_the_sweep_closes_or_expires_reports_by_time(world):
    now = datetime.datetime(2026, 11, 23, 1, tzinfo=datetime.timezone.utc)
    report = bring_to(Status.IN_PROGRESS, world, now)
    for name in PERSONAS:
        assert role_for(getattr(world, name), report, Action.AUTO_CLOSE) is None
    # Before the deadline the sweep does nothing either.
    assert services.report_auto_close(report=report, now=report.due_at) is None
    closed = services.report_auto_close(report=report, now=report.due_at + datetime.timedelta(seconds=1))
    assert closed.status == Status.CLOSED
    assert closed.events.last().action == Action.AUTO_CLOSE
    assert closed.events.last().actor is None


def test_a_refused_action_writes_nothing(world):
    report = bring_to(Status.SUBMITTED, world, datetime.datetime(2026, 11, 23, 1, tzinfo=datetime.timezone.utc))
    events_before = report.events.count()
    with pytest.raises(ActionForbidden):
        services.report_verify(report=report, by=world.other_agency_admin, agency=world.pupr_banjar)
    with pytest.raises(TransitionNotAllowed):
        services.report_answer(report=report, by=world.unit_admin, body="Terlalu cepat")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert report.events.count() == events_before
    assert Report.objects.get(pk=report.pk).followups.count() == 0
