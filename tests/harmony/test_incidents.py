"""Harmony incidents travel the ordinary report lifecycle to Kesbangpol; SILAPAT adds the
tension kind, the groups and a vulnerability level set by Kesbangpol's own operators."""
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from lapor.harmony import services
from lapor.harmony.models import HarmonyIncident
from lapor.reports import policy
from lapor.reports import services as lifecycle
from lapor.reports.enums import Action, Status
from lapor.reports.errors import ActionForbidden

from .conftest import NOW


def submit(harmony, **kwargs):
    fields = {"title": "Ketegangan di sekitar rumah ibadah", "body": "Ada spanduk penolakan di jalan masuk.",
              "tension_kind": "antar", "region": harmony.region("63.72.02.1005"), "now": NOW}
    fields.update(kwargs)
    return services.harmony_report_submit(reporter=harmony.world.citizen, **fields)


def test_a_harmony_report_naming_groups_becomes_confidential(harmony):
    report = submit(harmony, groups="Jemaat gereja setempat, ormas pemuda kelurahan")

    assert report.is_confidential
    assert report.harmony_incident.groups == "Jemaat gereja setempat, ormas pemuda kelurahan"
    assert not policy.public_reports().filter(pk=report.pk).exists()


def test_a_harmony_report_naming_a_person_becomes_confidential(harmony):
    report = submit(harmony, body="Pak Rahmat Hidayat menghasut warga agar menolak pembangunan.")

    assert report.is_confidential


def test_a_harmony_report_naming_nobody_is_routed_to_kesbangpol_and_may_become_public(harmony):
    report = submit(harmony)

    assert not report.is_confidential
    assert report.addressed_agency == harmony.kesbangpol
    assert report.category == harmony.category
    assert report.status == Status.SUBMITTED
    incident = report.harmony_incident
    assert (incident.district_id, incident.village_id, incident.office) == (
        "63.72.02", "63.72.02.1005", harmony.office)


def test_the_kesbangpol_operator_sets_the_vulnerability_level_of_a_dispatched_incident(harmony, incident):
    report = incident()

    services.harmony_assess(report=report, by=harmony.operator, level=3, note="Massa sekitar 50 orang.", now=NOW)

    report.refresh_from_db()
    assert report.harmony_incident.level == 3
    assert report.status == Status.DISPATCHED  # the level changes no status
    note = report.events.get(action=Action.NOTE)
    assert note.is_internal
    assert note.text == "Tingkat kerawanan SILAPAT: Tinggi (Antarumat beragama). Massa sekitar 50 orang."
    assert note.actor == harmony.operator


def test_only_kesbangpol_staff_handling_the_report_can_assess_it(harmony, incident):
    report = incident()
    world = harmony.world
    # The city's agency admin routes the report and sees it in full, but is not Kesbangpol;
    # the other people do not handle it at all.
    outsiders = [world.agency_admin, world.officer, world.other_unit_officer, world.inspector, world.citizen,
                 world.national_admin, harmony.other_office_operator, harmony.leadership]
    for person in outsiders:
        with pytest.raises(ActionForbidden):
            services.harmony_assess(report=report, by=person, level=4, now=NOW)
    assert HarmonyIncident.objects.get(report=report).level is None


def test_the_operator_cannot_assess_before_the_report_reaches_kesbangpol(harmony):
    report = submit(harmony)

    with pytest.raises(ActionForbidden):
        services.harmony_assess(report=report, by=harmony.operator, level=2, now=NOW)


def test_the_kesbangpol_head_verifies_and_assesses_in_one_step(harmony):
    report = submit(harmony, groups="Dua kelompok pengajian")

    services.harmony_verify(report=report, by=harmony.head, level=2, now=NOW)

    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert report.assigned_agency == harmony.kesbangpol
    assert report.is_confidential
    assert report.harmony_incident.level == 2


def test_the_assessment_page_lets_the_operator_set_a_level(harmony, incident, as_user):
    report = incident()

    response = as_user(harmony.operator).post(f"/kantor/silapat/kejadian/{report.tracking_id}/",
                                              {"level": "4", "tension_kind": "intern", "groups": ""})

    assert response.status_code == 302
    report.harmony_incident.refresh_from_db()
    assert (report.harmony_incident.level, report.harmony_incident.tension_kind) == (4, "intern")


def test_the_assessment_page_refuses_the_city_admin(harmony, incident, as_user):
    report = incident()

    response = as_user(harmony.world.agency_admin).post(f"/kantor/silapat/kejadian/{report.tracking_id}/",
                                                        {"level": "4", "tension_kind": "antar"})

    assert response.status_code == 403
    report.harmony_incident.refresh_from_db()
    assert report.harmony_incident.level is None


def test_the_assessment_note_stays_internal_when_the_head_verifies_at_once(harmony, as_user,
                                                                           django_capture_on_commit_callbacks):
    report = submit(harmony)
    note = "Rencana aksi massa Jumat; koordinasi dengan Polsek Cempaka."

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(harmony.head).post(f"/kantor/silapat/kejadian/{report.tracking_id}/", {
            "level": "4", "tension_kind": "antar", "groups": "", "note": note, "verify": "1"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert note not in report.events.get(action=Action.VERIFY).text
    assert report.events.get(action=Action.NOTE, text__contains=note).is_internal
    reporter_page = as_user(harmony.world.citizen).get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Polsek Cempaka" not in reporter_page
    to_reporter = [m for m in mail.outbox if harmony.world.citizen.email in m.to]
    assert to_reporter  # told that the report was verified …
    assert not any("Polsek Cempaka" in m.body for m in to_reporter)  # … not what staff noted


def test_a_report_verified_into_a_silapat_category_appears_on_the_early_warning_page_to_be_assessed(
        harmony, as_user):
    from lapor.reports import services as lifecycle
    from lapor.reports.enums import Channel

    sms = lifecycle.report_submit(reporter=harmony.world.citizen, title="SMS 1708",
                                  body="Ada spanduk penolakan rumah ibadah di Guntung Manggis.", channel=Channel.SMS,
                                  addressed_agency=harmony.world.pemkot, now=NOW)
    lifecycle.report_verify(report=sms, by=harmony.world.agency_admin, agency=harmony.kesbangpol,
                            category=harmony.category, region=harmony.region("63.72.02.1005"), now=NOW)
    operator = as_user(harmony.operator)

    page = operator.get(f"/kantor/silapat/peringatan/?kantor={harmony.office.pk}").content.decode()

    # Listed as waiting to be taken in (the page itself writes nothing), with its "Nilai".
    assert f"#{sms.tracking_id}" in page
    assert f'href="/kantor/silapat/kejadian/{sms.tracking_id}/?kantor={harmony.office.pk}"' in page
    assert not HarmonyIncident.objects.filter(report=sms).exists()
    assert operator.get(f"/kantor/silapat/kejadian/{sms.tracking_id}/?kantor={harmony.office.pk}").status_code == 200
    response = operator.post(f"/kantor/silapat/kejadian/{sms.tracking_id}/",
                             {"level": "3", "tension_kind": "antar", "groups": ""})
    assert response.status_code == 302
    incident = HarmonyIncident.objects.get(report=sms)
    assert (incident.office, incident.level, incident.district_id) == (harmony.office, 3, "63.72.02")


def _routed_the_ordinary_way(harmony, title="Spanduk penolakan", code="63.72.02.1005"):
    report = lifecycle.report_submit(reporter=harmony.world.citizen, title=title, body="Ada spanduk.",
                                     category=harmony.category, region=harmony.region(code),
                                     addressed_agency=harmony.world.pemkot, now=NOW)
    return lifecycle.report_verify(report=report, by=harmony.world.agency_admin, agency=harmony.kesbangpol, now=NOW)


def test_opening_the_early_warning_page_writes_nothing_an_operator_takes_the_waiting_reports_in(harmony):
    """A prefetching browser or a crawler opening the page must not change data: the
    reports waiting to become incidents are listed, and taken in by a button (a POST with
    its CSRF token) or by the periodic check."""
    from django.test import Client

    from tests.office.staff import sign_in

    report = _routed_the_ordinary_way(harmony)
    page_url = f"/kantor/silapat/peringatan/?kantor={harmony.office.pk}"
    operator = sign_in(Client(enforce_csrf_checks=True), harmony.operator)

    for _ in range(2):
        page = operator.get(page_url).content.decode()
    assert not HarmonyIncident.objects.filter(report=report).exists()
    assert "1 laporan berkategori kerukunan umat beragama sampai di Kesbangpol" in page
    assert "Catat sebagai kejadian sekarang" in page

    # Without the page's token the button does nothing.
    assert operator.post("/kantor/silapat/peringatan/", {"kantor": harmony.office.pk}).status_code == 403
    # The leadership reads the page but writes nothing: no button, and a POST is refused.
    leadership = sign_in(Client(), harmony.leadership)
    assert "Catat sebagai kejadian sekarang" not in leadership.get(page_url).content.decode()
    assert leadership.post("/kantor/silapat/peringatan/", {"kantor": harmony.office.pk}).status_code == 403
    assert not HarmonyIncident.objects.filter(report=report).exists()

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.split('id="menunggu"')[1]).group(1)
    response = operator.post("/kantor/silapat/peringatan/", {"kantor": harmony.office.pk,
                                                              "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == page_url
    incident = HarmonyIncident.objects.get(report=report)
    assert (incident.office, incident.level, incident.district_id) == (harmony.office, None, "63.72.02")
    page = operator.get(page_url).content.decode()
    assert "1 laporan dicatat sebagai kejadian." in page
    assert "Catat sebagai kejadian sekarang" not in page  # nothing waits any more
    assert f'href="/kantor/silapat/kejadian/{report.tracking_id}/?kantor={harmony.office.pk}"' in page


@pytest.mark.django_db(transaction=True)
def test_the_periodic_check_counts_only_the_incidents_it_made_when_an_assessment_made_one_meanwhile(harmony):
    """The check reads the waiting reports, then inserts; an operator assessing one of them
    in between makes its incident first. The check skips it, and says so in its count
    (what ``silapat_check`` prints and the sweep logs)."""
    import threading
    import time

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL; SQLite serialises them")
    reports = [_routed_the_ordinary_way(harmony, title=f"Spanduk penolakan {i}") for i in range(3)]
    counts, errors = [], []

    def check():
        try:
            counts.append(services.harmony_periodic_check(now=NOW))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        services.harmony_assess(report=reports[0], by=harmony.operator, level=2, now=NOW)
        thread = threading.Thread(target=check)
        thread.start()
        # The check has read the three reports and now waits on the assessed one's
        # incident, not committed yet.
        deadline = time.monotonic() + 20
        with connection.cursor() as cursor:
            while time.monotonic() < deadline and thread.is_alive():
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted "
                               "AND pg_backend_pid() = ANY(pg_blocking_pids(pid))")
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
    thread.join(timeout=30)

    assert not errors and len(counts) == 1
    assert counts[0]["adopted"] == 2
    assert HarmonyIncident.objects.filter(report__in=reports).count() == 3
    assert HarmonyIncident.objects.get(report=reports[0]).level == 2


def test_the_periodic_check_takes_in_reports_routed_to_kesbangpol_the_ordinary_way(harmony):
    from lapor.reports import services as lifecycle

    report = lifecycle.report_submit(reporter=harmony.world.citizen, title="Ketegangan", body="Ada spanduk.",
                                     category=harmony.category, region=harmony.region("63.72.04.1001"),
                                     addressed_agency=harmony.world.pemkot, now=NOW)
    lifecycle.report_verify(report=report, by=harmony.world.agency_admin, agency=harmony.kesbangpol, now=NOW)
    elsewhere = lifecycle.report_submit(reporter=harmony.world.citizen, title="Jalan rusak", body="Berlubang.",
                                        region=harmony.region("63.72.04.1001"), addressed_agency=harmony.world.pemkot,
                                        now=NOW)

    out = io.StringIO()
    call_command("silapat_check", stdout=out)  # what the operator runs by hand, and reads
    assert "1 kejadian baru dari jalur laporan biasa" in out.getvalue()
    assert HarmonyIncident.objects.get(report=report).district_id == "63.72.04"
    assert not HarmonyIncident.objects.filter(report=elsewhere).exists()
    assert services.harmony_periodic_check(now=NOW)["adopted"] == 0


def test_a_check_takes_in_many_waiting_reports_at_once_without_a_query_per_report(harmony, django_assert_max_num_queries):
    """After SILAPAT is switched on, or a legacy import, thousands may wait: taken in in
    batches, each office looked up once (the queries do not grow with the reports)."""
    def waiting(n):
        for i in range(n):
            report = lifecycle.report_submit(
                reporter=harmony.world.citizen, title=f"Spanduk penolakan {i}", body="Ada spanduk.",
                category=harmony.category, region=harmony.region(("63.72.04.1001", "63.72.02.1005")[i % 2]),
                addressed_agency=harmony.world.pemkot, now=NOW)
            lifecycle.report_verify(report=report, by=harmony.world.agency_admin, agency=harmony.kesbangpol, now=NOW)

    waiting(2)
    with django_assert_max_num_queries(12) as few:
        assert services.harmony_adopt_reports(office=harmony.office, now=NOW) == 2
    waiting(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert services.harmony_adopt_reports(office=harmony.office, now=NOW) == 12

    incidents = HarmonyIncident.objects.filter(report__title__startswith="Spanduk penolakan")
    assert incidents.count() == 14 and set(incidents.values_list("office", flat=True)) == {harmony.office.pk}
    assert set(incidents.values_list("district_id", flat=True)) == {"63.72.04", "63.72.02"}


def test_the_reports_workspace_links_its_operators_to_the_assessment(harmony, incident, as_user, submit_plain):
    report = incident()
    link = f'href="/kantor/silapat/kejadian/{report.tracking_id}/"'
    assert link in as_user(harmony.operator).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    # The city's admin sees the report but may not assess it; an ordinary report has no link.
    assert link not in as_user(harmony.world.agency_admin).get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    plain = submit_plain()
    assert "silapat/kejadian" not in as_user(harmony.operator).get(f"/kantor/laporan/{plain.tracking_id}/").content.decode()


@pytest.fixture
def submit_plain(harmony):
    def make():
        report = lifecycle.report_submit(reporter=harmony.world.citizen, title="Lampu jalan mati",
                                         body="Sejak Senin.", addressed_agency=harmony.world.pemkot)
        lifecycle.report_verify(report=report, by=harmony.world.agency_admin, agency=harmony.kesbangpol)
        return report
    return make
