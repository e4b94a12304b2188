"""What an Ombudsman assistant needs on /kantor/pengawasan/ to act (SPEC §8): the reports
behind a unit's "late" figure, and what each escalation was raised for."""
import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from lapor.reports import services
from lapor.reports.sweep import sweep

WITA = ZoneInfo("Asia/Makassar")


def _days_ago(n, hour=9):
    day = timezone.localtime(timezone.now(), WITA) - datetime.timedelta(days=n)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_a_units_late_figure_opens_the_list_of_the_reports_behind_it(world, as_user, submit):
    # Held three weeks, then handed back as "bukan wewenang": late for PUPR, though it left.
    handed_back = submit(title="Drainase tersumbat di Jl. Trikora", now=_days_ago(30))
    services.report_verify(report=handed_back, by=world.agency_admin, agency=world.pupr, now=_days_ago(30, 10))
    services.report_not_our_authority(report=handed_back, by=world.unit_admin, reason="Saluran milik provinsi",
                                      now=_days_ago(9))
    answered_late = submit(title="Lampu jalan padam di Jl. A. Yani", now=_days_ago(25))
    services.report_verify(report=answered_late, by=world.agency_admin, agency=world.pupr, now=_days_ago(25, 10))
    services.report_answer(report=answered_late, by=world.unit_admin, body="Sudah diganti.", now=_days_ago(2))
    on_time = submit(verify_to=world.pupr, title="Trotoar retak di depan pasar")
    services.report_answer(report=on_time, by=world.unit_admin, body="Sudah diperbaiki.")

    client = as_user(world.ombudsman_officer)
    page = client.get("/kantor/pengawasan/?hari=90").content.decode()
    row = page.split("Dinas PUPR Banjarbaru</th>", 1)[1].split("</tr>", 1)[0]
    link = f'href="?hari=90&amp;unit={world.pupr.pk}#terlambat-unit">Lihat 2 laporan terlambat</a>'
    assert link in row  # the two late ones, a link beside the figure

    detail = client.get(f"/kantor/pengawasan/?hari=90&unit={world.pupr.pk}").content.decode()
    listed = detail.split('id="terlambat-unit"', 1)[1].split("</table>", 1)[0]
    assert "Terlambat dijawab: Dinas PUPR Banjarbaru, 90 hari terakhir" in detail
    assert handed_back.tracking_id in listed and "bukan wewenang" in listed
    assert answered_late.tracking_id in listed
    assert on_time.tracking_id not in listed
    assert f"/kantor/laporan/{answered_late.tracking_id}/" in listed  # to its workspace and history
    assert "WITA" in listed

    # Another government's unit, asked by its id, shows nothing to the city's inspector.
    other = as_user(world.inspector).get(f"/kantor/pengawasan/?unit={world.pupr_banjar.pk}").content.decode()
    assert 'id="terlambat-unit"' not in other
    # A unit id that is not a number is ignored, not a 500.
    assert as_user(world.inspector).get("/kantor/pengawasan/?unit=abc").status_code == 200


def test_each_escalation_says_which_deadline_was_missed_and_the_60_day_limit_is_listed(world, as_user, submit):
    report = submit(title="Jembatan Sungai Besar retak", now=_days_ago(70))
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=_days_ago(70, 10))
    sweep()  # escalates the missed 5 working days and warns of the 60 days passed
    report.refresh_from_db()

    page = as_user(world.ombudsman_officer).get("/kantor/pengawasan/").content.decode()
    section = page.split('id="eskalasi"', 1)[1].split("<h2", 1)[0]
    deadline = timezone.localtime(report.due_at, WITA)
    outer = timezone.localtime(report.outer_due_at, WITA)
    assert f"Lewat tenggat {deadline.day} " in section and f"{deadline:%H:%M} WITA" in section
    assert "Batas 60 hari" in section and f"{outer:%H:%M} WITA" in section
