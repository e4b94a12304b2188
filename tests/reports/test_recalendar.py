"""A correction of the holiday calendar moves the deadlines counted over it (SPEC §4): a
date declared a day off after a report's clock started gives its agency one working day
more, a day declared a working day one less; dates outside the window, today and the past
move nothing."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lapor.reports import services
from lapor.reports.models import Report
from lapor.workdays.calendar import deadline_for, is_working_day
from lapor.workdays.models import WorkdayOverride


@pytest.fixture
def corrected(django_capture_on_commit_callbacks):
    """Run a calendar correction and what it sends after commit, as the admin's request does."""
    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()
    return run


def dispatched(world):
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang", body="Dekat pasar.",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    return Report.objects.get(pk=report.pk)


def local_day(moment, zone):
    return moment.astimezone(ZoneInfo(zone)).date()


def working_days_from_tomorrow(zone, count):
    day, found = timezone.now().astimezone(ZoneInfo(zone)).date(), []
    while len(found) < count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            found.append(day)
    return found


def test_a_day_off_declared_inside_the_window_gives_the_agency_one_working_day_more(world, corrected):
    report = dispatched(world)
    zone = world.pupr.time_zone
    before = report.due_at
    first_working_day = working_days_from_tomorrow(zone, 1)[0]

    corrected(lambda: WorkdayOverride.objects.create(date=first_working_day, is_working_day=False,
                                                     note="Cuti bersama tambahan"))

    after = Report.objects.get(pk=report.pk).due_at
    assert after > before
    assert after == deadline_for(report.arrived_at, 5, zone)  # counted as if the day off had always been known
    assert local_day(after, zone) == working_days_from_tomorrow(zone, 5)[-1]

    corrected(lambda: WorkdayOverride.objects.get(date=first_working_day).delete())  # the decree withdrawn
    assert Report.objects.get(pk=report.pk).due_at == before


def test_a_weekend_day_made_a_working_day_inside_the_window_takes_one_away(world, corrected):
    # An answered report closes itself 10 working days after the answer: a weekend lies inside.
    report = dispatched(world)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah ditambal.")
    report = Report.objects.get(pk=report.pk)
    zone = world.pupr.time_zone
    last = local_day(report.due_at, zone)
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    day_off = next(today + datetime.timedelta(days=n) for n in range(1, 15)
                   if not is_working_day(today + datetime.timedelta(days=n)))
    assert day_off < last

    corrected(lambda: WorkdayOverride.objects.create(date=day_off, is_working_day=True, note="Hari kerja pengganti"))

    after = Report.objects.get(pk=report.pk).due_at
    assert local_day(after, zone) < last
    assert after == deadline_for(report.last_answer_at, 10, zone)


def test_corrections_outside_the_window_today_or_in_the_past_move_nothing(world, corrected):
    report = dispatched(world)
    zone = world.pupr.time_zone
    before = report.due_at
    last = local_day(before, zone)
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    later = next(last + datetime.timedelta(days=n) for n in range(1, 10)
                 if is_working_day(last + datetime.timedelta(days=n)))

    corrected(lambda: WorkdayOverride.objects.bulk_create([
        WorkdayOverride(date=later, is_working_day=False, note="Sesudah tenggat"),
        WorkdayOverride(date=today, is_working_day=not is_working_day(today), note="Hari ini"),
        WorkdayOverride(date=today - datetime.timedelta(days=3), is_working_day=False, note="Lampau"),
    ]))

    assert Report.objects.get(pk=report.pk).due_at == before


def test_two_days_off_declared_together_count_twice_and_a_closed_reports_reopen_window_follows(world, corrected):
    open_report = dispatched(world)
    closed = dispatched(world)
    services.report_answer(report=closed, by=world.unit_admin, body="Sudah ditambal.")
    services.report_rate(report=Report.objects.get(pk=closed.pk), by=world.citizen)
    closed = Report.objects.get(pk=closed.pk)
    zone = world.pupr.time_zone
    first, second = working_days_from_tomorrow(zone, 2)

    corrected(lambda: WorkdayOverride.objects.bulk_create([
        WorkdayOverride(date=first, is_working_day=False, note="Pemilu"),
        WorkdayOverride(date=second, is_working_day=False, note="Cuti bersama"),
    ]))

    assert local_day(Report.objects.get(pk=open_report.pk).due_at, zone) == working_days_from_tomorrow(zone, 5)[-1]
    reopen_until = Report.objects.get(pk=closed.pk).reopen_until
    assert reopen_until == deadline_for(closed.closed_at, 10, zone)
    assert reopen_until > closed.reopen_until


def test_an_administrator_declaring_a_day_off_in_the_admin_moves_the_deadline(world, admin_client, settings,
                                                                              corrected):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    report = dispatched(world)
    zone = world.pupr.time_zone
    day = working_days_from_tomorrow(zone, 1)[0]

    response = corrected(lambda: admin_client.post("/admin/workdays/workdayoverride/add/", {
        "date": day.isoformat(), "note": "Cuti bersama (SKB 3 Menteri, revisi)"}))  # unticked: a day off

    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).due_at > report.due_at


@pytest.mark.parametrize("batch", [2000, 1])
def test_reports_due_on_following_days_each_move_once_and_come_back(world, corrected, monkeypatch, batch):
    """An agency has something due every day: a report moved onto the next one's deadline is
    not moved again with it, and withdrawing the correction puts every deadline back (in
    one batch, and a report per batch)."""
    from lapor.reports import recalendar

    monkeypatch.setattr(recalendar, "ROWS_PER_BATCH", batch)
    now = timezone.now()
    reports = []
    for days_ago in range(5):
        start = now - datetime.timedelta(days=days_ago)
        report = services.report_submit(reporter=world.citizen, title="Jalan berlubang", body="Dekat pasar.",
                                        addressed_agency=world.pemkot, now=start)
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=start)
        reports.append(Report.objects.get(pk=report.pk))
    zone = world.pupr.time_zone
    before = {r.pk: r.due_at for r in reports}
    assert len(set(before.values())) >= 3  # deadlines on several following days
    day = working_days_from_tomorrow(zone, 1)[0]

    corrected(lambda: WorkdayOverride.objects.create(date=day, is_working_day=False, note="Cuti bersama tambahan"))
    for report in reports:
        after = Report.objects.get(pk=report.pk).due_at
        assert after == deadline_for(report.arrived_at, 5, zone), report.arrived_at

    corrected(lambda: WorkdayOverride.objects.get(date=day).delete())
    assert {r.pk: Report.objects.get(pk=r.pk).due_at for r in reports} == before


def test_a_moved_deadline_is_written_in_the_reports_history(world, corrected, client):
    from lapor.reports.enums import Action
    from lapor.reports.models import ReportEvent

    report = dispatched(world)
    zone = world.pupr.time_zone
    day = working_days_from_tomorrow(zone, 1)[0]
    corrected(lambda: WorkdayOverride.objects.create(date=day, is_working_day=False, note="Cuti bersama tambahan"))
    due = Report.objects.get(pk=report.pk).due_at
    [event] = ReportEvent.objects.filter(report=report, action=Action.MOVE_DEADLINE)
    assert (event.actor, event.new_deadline, event.from_status, event.to_status) == (
        None, due, report.status, report.status)
    assert event.fanout  # nobody to tell: the sweep's catch-up leaves it alone
    client.force_login(world.citizen)
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    local = due.astimezone(ZoneInfo(zone))
    assert "Tenggat disesuaikan dengan koreksi hari kerja" in page
    assert f"Tenggat baru: {local.day} " in page and f"{local.year} 23:59 WITA" in page


# --- recorded in the administrator's request, decided and made by the background work ------


def test_a_correction_is_recorded_at_once_and_decided_and_made_by_the_next_background_pass(world):
    """A national day off may move every open report in the country: the administrator's
    request only records the correction; the sweep (or the task the correction queues)
    decides and makes the moves."""
    from lapor.reports.enums import Action
    from lapor.reports.models import CalendarCorrection, DeadlineMove, ReportEvent
    from lapor.reports.sweep import sweep

    report = dispatched(world)
    zone = world.pupr.time_zone
    day = working_days_from_tomorrow(zone, 1)[0]
    WorkdayOverride.objects.create(date=day, is_working_day=False, note="Cuti bersama tambahan")
    assert Report.objects.get(pk=report.pk).due_at == report.due_at  # recorded, not yet decided or made
    assert CalendarCorrection.objects.count() == 1
    assert not DeadlineMove.objects.exists()

    assert sweep().deadlines_moved == 1
    assert Report.objects.get(pk=report.pk).due_at == deadline_for(report.arrived_at, 5, zone)
    assert ReportEvent.objects.filter(report=report, action=Action.MOVE_DEADLINE).count() == 1
    assert not DeadlineMove.objects.exists() and not CalendarCorrection.objects.exists()
    assert sweep().deadlines_moved == 0  # made once


def test_two_corrections_before_the_moves_are_decided_count_both_and_one_withdrawn_counts_nothing(world):
    from lapor.reports.enums import Action
    from lapor.reports.models import ReportEvent
    from lapor.reports.recalendar import catch_up

    report = dispatched(world)
    zone = world.pupr.time_zone
    first, second = working_days_from_tomorrow(zone, 2)
    WorkdayOverride.objects.create(date=first, is_working_day=False, note="Pilkada")
    WorkdayOverride.objects.create(date=second, is_working_day=False, note="Cuti bersama tambahan")
    assert catch_up() == 1
    assert Report.objects.get(pk=report.pk).due_at == deadline_for(report.arrived_at, 5, zone)  # two days later
    [event] = ReportEvent.objects.filter(report=report, action=Action.MOVE_DEADLINE)
    assert event.data["calendar"] == [f"{first:%Y-%m-%d}", f"{second:%Y-%m-%d}"]

    # The second decree withdrawn and declared again before anything was made: nothing to
    # make, nothing written.
    before = Report.objects.get(pk=report.pk).due_at
    WorkdayOverride.objects.get(date=second).delete()
    WorkdayOverride.objects.create(date=second, is_working_day=False, note="Cuti bersama tambahan, lagi")
    assert catch_up() == 0
    assert Report.objects.get(pk=report.pk).due_at == before
    assert ReportEvent.objects.filter(report=report, action=Action.MOVE_DEADLINE).count() == 1


def test_a_correction_decided_after_a_later_one_is_counted_on_the_calendar_of_its_own_time(world):
    """Declared a day off, then (before the background work ran) a working day again, then a
    day off once more: the deadline ends where the last calendar puts it, moved once."""
    from lapor.reports.recalendar import catch_up

    report = dispatched(world)
    zone = world.pupr.time_zone
    first, second = working_days_from_tomorrow(zone, 2)
    WorkdayOverride.objects.create(date=first, is_working_day=False, note="Pilkada")
    WorkdayOverride.objects.filter(date=first).update(is_working_day=True)  # withdrawn
    WorkdayOverride.objects.create(date=second, is_working_day=False, note="Cuti bersama tambahan")
    catch_up()
    assert Report.objects.get(pk=report.pk).due_at == deadline_for(report.arrived_at, 5, zone)  # one day later
    assert local_day(Report.objects.get(pk=report.pk).due_at, zone) == working_days_from_tomorrow(zone, 5)[-1]


@pytest.mark.parametrize("decided_first", [False, True], ids=["before deciding", "before making"])
def test_a_deadline_set_anew_after_the_correction_is_left_as_counted(world, decided_first):
    """The agency answered after the correction was saved, before the background work ran:
    the reporter's new deadline was counted on the corrected calendar already, and is not
    moved a second time (whether the move was decided yet or not)."""
    from lapor.reports.recalendar import catch_up, decide_pending

    report = dispatched(world)
    zone = world.pupr.time_zone
    day = working_days_from_tomorrow(zone, 1)[0]
    WorkdayOverride.objects.create(date=day, is_working_day=False, note="Cuti bersama tambahan")
    if decided_first:
        decide_pending()
    services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Sudah ditambal.")
    answered = Report.objects.get(pk=report.pk)
    assert answered.due_at == deadline_for(answered.last_answer_at, 10, zone)  # on the corrected calendar
    assert catch_up() == 0
    assert Report.objects.get(pk=report.pk).due_at == answered.due_at


def test_a_deadline_set_anew_between_two_corrections_gets_the_second_one(world):
    """Set anew after the first correction (so counted on it) while the first's move still
    waited: the second correction moves it from there."""
    from lapor.reports.recalendar import catch_up, decide_pending

    report = dispatched(world)
    zone = world.pupr.time_zone
    first, second = working_days_from_tomorrow(zone, 2)
    WorkdayOverride.objects.create(date=first, is_working_day=False, note="Pilkada")
    decide_pending()  # the first's move waits
    services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Sudah ditambal.")
    answered = Report.objects.get(pk=report.pk)
    WorkdayOverride.objects.create(date=second, is_working_day=False, note="Cuti bersama tambahan")
    assert catch_up() == 1
    assert Report.objects.get(pk=report.pk).due_at == deadline_for(answered.last_answer_at, 10, zone)
    assert Report.objects.get(pk=report.pk).due_at > answered.due_at
