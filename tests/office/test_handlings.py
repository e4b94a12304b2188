"""Compliance is counted per handling: each agency's turn with a report (SPEC §4, §9). An
agency that sat on a report past its 5-working-day limit and then handed it back as "bukan
wewenang" is still counted late; the agency it is transferred to has its own clock."""
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lapor.reports import policy, services
from lapor.reports.handlings import backfill
from lapor.reports.models import Handling, Report, ReportEvent
from lapor.transparency import figures

DAY = datetime.timedelta(days=1)


def handed_on(world, *, held_days: int, now):
    """A report verified to Dinas PUPR Banjarbaru ``held_days`` calendar days ago, disposed
    to its Bina Marga unit, handed back as "bukan wewenang" by that unit now, transferred to
    the Banjar regency, which answers it at once."""
    start = now - held_days * DAY
    report = services.report_submit(reporter=world.citizen, title="Saluran tersumbat di Jl. Ahmad Yani",
                                    body="Air meluap setiap hujan.", addressed_agency=world.pemkot,
                                    category=world.category, now=start)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=start)
    services.report_dispose(report=report, by=world.unit_admin, unit=world.bina_marga, now=start + DAY / 4)
    services.report_not_our_authority(report=report, by=world.unit_admin, reason="Saluran itu milik kabupaten.",
                                      now=now)
    services.report_transfer(report=report, by=world.agency_admin, agency=world.pemkab,
                             reason="Wilayah Kabupaten Banjar.", now=now + DAY / 24)
    services.report_answer(report=report, by=world.other_agency_admin, body="Saluran sudah dibersihkan.",
                           now=now + DAY / 12)
    return Report.objects.get(pk=report.pk)


def by_agency(rows):
    return {r.agency.slug: r for r in rows}


@pytest.mark.django_db
def test_a_unit_that_held_a_report_past_its_limit_is_late_though_it_handed_it_on(world):
    now = timezone.now()
    handed_on(world, held_days=20, now=now)

    units = by_agency(figures.compliance(policy.public_reports(), level="unit", now=now + DAY))
    assert (units["bina-marga"].received, units["bina-marga"].due, units["bina-marga"].on_time) == (1, 1, 0)
    assert (units["pemkab"].received, units["pemkab"].due, units["pemkab"].on_time) == (1, 1, 1)
    top = by_agency(figures.compliance(policy.public_reports(), level="top", now=now + DAY))
    city = top["pemkot"]
    assert (city.received, city.due, city.on_time) == (1, 1, 0)
    # What waits now is counted where the report is now: with nobody in the city.
    assert city.with_agency == 0


@pytest.mark.django_db
def test_a_unit_that_handed_a_report_on_within_its_limit_owed_no_answer(world):
    now = timezone.now()
    handed_on(world, held_days=1, now=now)

    units = by_agency(figures.compliance(policy.public_reports(), level="unit", now=now + 30 * DAY))
    assert (units["bina-marga"].received, units["bina-marga"].due) == (1, 0)
    assert units["bina-marga"].on_time_share is None  # nothing to judge: no "0 %"
    assert units["pemkab"].on_time_share == 1


@pytest.mark.django_db
def test_the_supervisors_page_counts_the_late_hand_back_for_the_unit_that_held_it(world, as_user):
    now = timezone.now()
    handed_on(world, held_days=20, now=now - DAY)
    page = as_user(world.inspector).get("/kantor/pengawasan/").content.decode()
    row = page.split("Bidang Bina Marga</th>", 1)[1].split("</tr>", 1)[0]
    cells = dict(re.findall(r'data-figure="([\w-]+)">(.*?)</td>', row))
    assert cells["received"] == "1"
    assert cells["on-time"].startswith('0,0% <span class="muted">(0/1)')
    assert cells["late"] == "1"
    # The regency's answer is none of the city inspector's business.
    assert "Pemerintah Kabupaten Banjar</th>" not in page


@pytest.mark.django_db
def test_handlings_rebuilt_from_history_are_those_the_services_wrote(world, submit):
    """Migration reports.0016 fills the table for reports older than it from their events."""
    now = timezone.now()
    moved = handed_on(world, held_days=20, now=now - DAY)
    plain = submit(verify_to=world.dinkes)
    services.report_answer(report=plain, by=world.agency_admin, body="Sudah ditangani.")
    never = submit()  # not verified: no agency has had it
    written = sorted(Handling.objects.values_list("report_id", "agency_id", "arrived_at", "first_answer_at",
                                                  "left_at"))
    assert [h[:2] for h in written] == sorted([(moved.pk, world.bina_marga.pk), (moved.pk, world.pemkab.pk),
                                               (plain.pk, world.dinkes.pk)])
    assert not Handling.objects.filter(report=never).exists()

    Handling.objects.all().delete()
    assert backfill(Handling, Report, ReportEvent) == 3
    assert sorted(Handling.objects.values_list("report_id", "agency_id", "arrived_at", "first_answer_at",
                                               "left_at")) == written
    assert backfill(Handling, Report, ReportEvent) == 0  # a second run adds nothing


@pytest.mark.django_db
def test_the_citys_monthly_report_and_agency_page_count_the_late_hand_back_for_its_unit(world, client):
    now = timezone.now()
    report = handed_on(world, held_days=20, now=now - DAY)
    month = timezone.localtime(report.created_at, ZoneInfo(world.pemkot.time_zone)).strftime("%Y-%m")
    for path in (f"/kinerja/pemkot/bulanan/{month}/", "/kinerja/pemkot/"):
        page = client.get(path).content.decode()
        row = page.split('data-agency="bina-marga"', 1)[1].split("</tr>", 1)[0]
        assert '<td class="num" data-figure="received">1</td>' in row
        assert "(0/1)" in row.split('data-figure="on-time"', 1)[1].split("</td>", 1)[0]


@pytest.mark.django_db
def test_after_a_rolling_release_an_arrival_closes_a_handling_old_code_left_open_and_the_command_fills_gaps(world):
    """Old processes serve beside the new for a while: a report they handed back keeps an
    open handling, one they verified has none."""
    from io import StringIO

    from django.core.management import call_command

    now = timezone.now()
    report = services.report_submit(reporter=world.citizen, title="Trotoar rusak", body="Berlubang.",
                                    addressed_agency=world.pemkot, now=now - 10 * DAY)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=now - 10 * DAY)
    # Old code's "bukan wewenang": the report goes back to the router, its handling stays open.
    Report.objects.filter(pk=report.pk).update(status="submitted", assigned_agency=None, arrived_at=None)
    services.report_transfer(report=Report.objects.get(pk=report.pk), by=world.agency_admin, agency=world.pemkab,
                             reason="Wilayah Kabupaten Banjar.", now=now)
    assert list(Handling.objects.filter(report=report, left_at__isnull=True).values_list("agency", flat=True)) == [
        world.pemkab.pk]

    unseen = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Gelap.",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=unseen, by=world.agency_admin, agency=world.dinkes)
    Handling.objects.filter(report=unseen).delete()  # verified by old code: no handling
    out = StringIO()
    call_command("backfill_handlings", stdout=out)
    assert "handlings written: 1" in out.getvalue()
    assert Handling.objects.get(report=unseen).agency == world.dinkes
