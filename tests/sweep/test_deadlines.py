"""Deadlines that act by themselves, exactly at their working-day boundary (SPEC §4).

Every deadline ends at 23:59:59 of its last working day in the agency's zone: one second
later the sweep acts, once; a second sweep finds nothing more to do.
"""
import datetime

import pytest
import time_machine
from django.core.management import call_command

from lapor.notifications.models import DeadlineAlert
from lapor.reports import services
from lapor.reports.enums import Action, ArchiveReason, Status
from lapor.reports.models import Report
from lapor.reports.sweep import sweep
from lapor.workdays.calendar import working_day_start_before

from .conftest import SECOND, WIT, WITA, at, end_of


def events(report, action):
    return list(report.events.filter(action=action))


def test_an_answered_report_closes_itself_one_second_after_its_tenth_working_day(world, submit):
    report = submit(at(2026, 3, 2, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 3, 3, 9))
    services.report_answer(report=report, by=world.unit_admin, body="Sudah ditambal.", now=at(2026, 3, 13, 10))
    report.refresh_from_db()
    # Fri 13 Mar + 10 working days, skipping Nyepi, Idul Fitri and cuti bersama (18-24 Mar)
    # and Good Friday (3 Apr): 16, 17, 25, 26, 27, 30, 31 Mar, 1, 2, 6 Apr.
    assert report.due_at == end_of(2026, 4, 6)
    due = report.due_at

    assert sweep(now=due).auto_closed == 0
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS
    assert sweep(now=due + SECOND).auto_closed == 1
    assert sweep(now=due + 2 * SECOND).auto_closed == 0
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    [closed] = events(report, Action.AUTO_CLOSE)
    assert closed.at == due + SECOND


def test_a_returned_report_never_completed_is_archived_one_second_after_its_deadline_across_idul_fitri(world, submit):
    report = submit(at(2026, 3, 16, 9))
    services.report_return(report=report, by=world.agency_admin, missing="Foto lokasi", now=at(2026, 3, 16, 10))
    report.refresh_from_db()
    assert report.due_at == end_of(2026, 4, 7)  # 17, 25, 26, 27, 30, 31 Mar, 1, 2, 6, 7 Apr
    due = report.due_at

    assert sweep(now=due).archived == 0
    assert sweep(now=due + SECOND).archived == 1
    report.refresh_from_db()
    assert (report.status, report.archive_reason) == (Status.ARCHIVED, ArchiveReason.NEVER_COMPLETED)
    assert len(events(report, Action.EXPIRE_RETURN)) == 1


def test_an_overdue_verification_is_escalated_once_one_second_after_its_deadline(world, submit):
    # Tue 17 Mar 10:00: Nyepi, Idul Fitri and cuti bersama until the 24th; due Fri 27 Mar.
    report = submit(at(2026, 3, 17, 10))
    assert report.due_at == end_of(2026, 3, 27)

    assert sweep(now=end_of(2026, 3, 27)).escalated == 0
    assert sweep(now=end_of(2026, 3, 27) + SECOND).escalated == 1
    assert sweep(now=end_of(2026, 3, 30)).escalated == 0
    [escalation] = events(report, Action.ESCALATE)
    assert escalation.at == at(2026, 3, 28, 0)
    assert escalation.from_status == escalation.to_status == Status.SUBMITTED
    assert escalation.data["deadline"] == end_of(2026, 3, 27).isoformat()
    assert not escalation.is_internal  # overdue work is visible pressure (SPEC §12)
    assert DeadlineAlert.objects.filter(report=report, kind="escalation").count() == 1


def test_an_overdue_answer_is_escalated_and_a_new_deadline_can_be_escalated_again(world, submit):
    report = submit(at(2026, 11, 23, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    first_due = report.due_at
    assert sweep(now=first_due + SECOND).escalated == 1
    # The officer answers late, the citizen replies: a fresh 5-day clock, a fresh escalation.
    services.report_answer(report=report, by=world.unit_admin, body="Dijadwalkan.", now=first_due + datetime.timedelta(hours=9))
    services.report_reply(report=report, by=world.citizen, text="Belum.", now=first_due + datetime.timedelta(hours=10))
    report.refresh_from_db()
    assert report.due_at != first_due
    assert sweep(now=report.due_at).escalated == 0
    assert sweep(now=report.due_at + SECOND).escalated == 1
    assert len(events(report, Action.ESCALATE)) == 2


def test_the_reminder_comes_at_the_start_of_the_deadlines_own_working_day(world, submit):
    report = submit(at(2026, 3, 17, 10))  # due Fri 27 Mar 23:59:59 WITA
    assert working_day_start_before(report.due_at, 1, "Asia/Makassar") == at(2026, 3, 27, 0)

    assert sweep(now=at(2026, 3, 27, 0) - SECOND).reminded == 0
    assert sweep(now=at(2026, 3, 27, 0)).reminded == 1
    assert sweep(now=at(2026, 3, 27, 12)).reminded == 0
    [reminder] = events(report, Action.REMIND)
    assert reminder.is_internal  # a nudge to staff, not news for the public


def test_two_days_before_reaches_back_over_cuti_bersama(world, submit, settings):
    settings.LAPOR_REMINDER_DAYS_BEFORE = 2
    report = submit(at(2026, 3, 16, 10))  # Mon 16 Mar: 17, 25, 26 → due Thu 26 Mar
    assert report.due_at == end_of(2026, 3, 26)
    # The working day before the 26th is the 25th: the holidays in between do not count.
    assert sweep(now=at(2026, 3, 25, 0) - SECOND).reminded == 0
    assert sweep(now=at(2026, 3, 25, 0)).reminded == 1


def test_reminders_follow_each_agencys_own_midnight(world, submit):
    world.pupr.time_zone = "Asia/Jayapura"
    world.pupr.save()
    moment = at(2026, 11, 23, 9)
    in_wit = submit(moment)
    in_wita = submit(moment)
    services.report_verify(report=in_wit, by=world.agency_admin, agency=world.pupr, now=moment)
    services.report_verify(report=in_wita, by=world.agency_admin, agency=world.dinkes, now=moment)
    in_wit.refresh_from_db()
    in_wita.refresh_from_db()
    assert in_wit.due_at == end_of(2026, 11, 30, tz=WIT)
    assert in_wita.due_at == end_of(2026, 11, 30, tz=WITA)

    midnight_wit = datetime.datetime(2026, 11, 30, 0, 0, tzinfo=WIT)  # 23:00 WITA on Sunday
    sweep(now=midnight_wit - SECOND)
    assert not events(in_wit, Action.REMIND) and not events(in_wita, Action.REMIND)
    sweep(now=midnight_wit)
    assert len(events(in_wit, Action.REMIND)) == 1 and not events(in_wita, Action.REMIND)
    sweep(now=at(2026, 11, 30, 0))
    assert len(events(in_wita, Action.REMIND)) == 1
    # ...and escalations one second after each zone's 23:59:59.
    assert sweep(now=end_of(2026, 11, 30, tz=WIT) + SECOND).escalated == 1
    assert sweep(now=end_of(2026, 11, 30, tz=WITA) + SECOND).escalated == 1


def test_a_returned_report_reminds_its_reporter_instead_of_staff(world, submit):
    report = submit(at(2026, 11, 23, 9))
    services.report_return(report=report, by=world.agency_admin, missing="Foto", now=at(2026, 11, 23, 10))
    report.refresh_from_db()
    assert sweep(now=working_day_start_before(report.due_at, 1, "Asia/Makassar")).reminded == 1
    assert sweep(now=report.due_at + SECOND).escalated == 0  # the reporter's deadline: archived, not escalated


def test_the_sixty_day_limit_is_warned_about_five_calendar_days_before(world, submit):
    report = submit(at(2026, 11, 2, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 3, 9))
    report.refresh_from_db()
    warn_at = report.outer_due_at - datetime.timedelta(days=5)
    assert sweep(now=warn_at - SECOND).warned == 0
    assert sweep(now=warn_at).warned == 1
    assert sweep(now=report.outer_due_at + SECOND).warned == 0
    [warning] = events(report, Action.OUTER_LIMIT_WARNING)
    assert warning.data["deadline"] == report.outer_due_at.astimezone(WITA).isoformat()


def test_a_report_answered_before_the_sweep_gets_no_escalation(world, submit):
    report = submit(at(2026, 11, 23, 9))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    services.report_answer(report=report, by=world.unit_admin, body="Selesai.", now=report.due_at)
    assert sweep(now=report.due_at + SECOND).escalated == 0


def test_the_sweep_reads_only_what_is_due(world, submit, django_assert_max_num_queries):
    for _ in range(40):
        submit(at(2026, 11, 23, 9))  # due 26 Nov: nothing to do on the 24th
    with django_assert_max_num_queries(8):
        result = sweep(now=at(2026, 11, 24, 9))
    assert not any(result.as_dict().values())


def test_the_sweep_command_uses_the_current_time(world, submit, capsys):
    report = submit(at(2026, 3, 17, 10))
    with time_machine.travel(end_of(2026, 3, 27) + SECOND, tick=False):
        call_command("sweep", "--no-deliver")
    assert "escalated=1" in capsys.readouterr().out
    assert len(events(report, Action.ESCALATE)) == 1


def test_the_sweep_command_refuses_a_naive_instant(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep", "--now", "2026-03-27T08:00")
