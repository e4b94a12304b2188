"""Supervisors see overdue work, escalations, identity reveals and per-unit compliance
across their scope, read-only (SPEC §8)."""
import datetime
import re

from django.utils import timezone

from lapor.reports import services
from lapor.reports.enums import Action
from lapor.reports.models import Report, ReportEvent


def test_the_inspector_sees_overdue_work_of_the_city_but_not_of_the_regency(world, as_user, submit):
    late = submit(verify_to=world.pupr, title="Terlambat di kota")
    banjar = services.report_submit(reporter=world.citizen, title="Terlambat di kabupaten", body="x",
                                    addressed_agency=world.pemkab)
    on_time = submit(verify_to=world.dinkes, title="Masih ada waktu")
    Report.objects.filter(pk__in=[late.pk, banjar.pk]).update(due_at=timezone.now() - datetime.timedelta(days=3))
    page = as_user(world.inspector).get("/kantor/pengawasan/").content.decode()
    assert late.tracking_id in page
    assert banjar.tracking_id not in page and on_time.tracking_id not in page
    assert banjar.tracking_id in as_user(world.ombudsman_officer).get("/kantor/pengawasan/").content.decode()


def test_compliance_counts_first_answers_within_five_working_days_per_unit(world, as_user, submit):
    on_time = submit(verify_to=world.pupr)
    services.report_answer(report=on_time, by=world.unit_admin, body="Sudah ditangani.")
    weeks_ago = timezone.now() - datetime.timedelta(days=20)
    late = submit(now=weeks_ago)
    services.report_verify(report=late, by=world.agency_admin, agency=world.pupr, now=weeks_ago)
    page = as_user(world.inspector).get("/kantor/pengawasan/").content.decode()
    row = page.split("Dinas PUPR Banjarbaru</th>", 1)[1].split("</tr>", 1)[0]
    cells = dict(re.findall(r'data-figure="([\w-]+)">(.*?)</td>', row))
    assert cells["received"] == "2"
    assert cells["on-time"].startswith("50,0% <span class=\"muted\">(1/2)")  # one of two decided on time, as /kinerja/ writes it
    assert cells["late"] == "1"  # answered late or not at all past the deadline
    assert "1" in cells["overdue"]  # waiting past its deadline now


def test_escalations_and_identity_reveals_in_scope_are_listed(world, as_user, submit):
    report = submit(verify_to=world.pupr, is_anonymous=True)
    ReportEvent.objects.create(report=report, at=timezone.now(), action=Action.ESCALATE, actor_role="system",
                               from_status=report.status, to_status=report.status, agency=world.pupr,
                               text="Lewat tenggat 5 hari kerja", data={"zone": "Asia/Makassar"})
    services.report_reveal_identity(report=report, by=world.custodian, reason="Permintaan LPSK nomor 7")
    page = as_user(world.inspector).get("/kantor/pengawasan/").content.decode()
    assert "Lewat tenggat 5 hari kerja" in page
    assert "Permintaan LPSK nomor 7" in page
    # Each time names its zone, the report's agency's (as its deadlines on the same page):
    # a list gathers reports of agencies in different zones.
    times = re.findall(r"<time datetime=\"[^\"]+\">\d+ \w+ \d{4} \d\d:\d\d (\w+)</time>", page)
    assert times and set(times) == {"WITA"}
    assert "Siti Rahmawati" not in page
    assert "Permintaan LPSK nomor 7" not in as_user(world.other_inspector).get("/kantor/pengawasan/").content.decode()


def test_supervisors_are_offered_no_action_on_reports_in_their_scope(world, as_user, submit):
    report = submit(verify_to=world.pupr)
    for person in (world.inspector, world.ombudsman_officer):
        page = as_user(person).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
        assert "/tindakan/" not in page
        assert "hanya baca" in page
