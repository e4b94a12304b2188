"""Whistle-blowing reaches the inspectorate only (SPEC §3, §5): the government it is about
neither sees it nor acts on it, on any surface; the inspectorate routes and answers it."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from lapor.agencies.models import Role
from lapor.notifications.models import Notification
from lapor.reports import policy, services
from lapor.reports.enums import Action, Kind, Status
from lapor.reports.errors import ActionForbidden
from lapor.reports.models import Report

from ..office.staff import sign_in
from ..personas import staff

# Staff of the city government (and of its PUPR): the whistle-blower's report is about them.
CITY = ("agency_admin", "unit_admin", "officer", "sub_unit_officer", "other_unit_officer")
# Supervisors and the national roles keep their reach.
OVERSIGHT = ("national_admin", "custodian", "inspector", "ombudsman_officer")


@pytest.fixture
def inspectorate_admin(world):
    return staff("admin.inspektorat", world.inspektorat, Role.AGENCY_ADMIN)


@pytest.fixture
def whistle(world, inspectorate_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.report_submit(
            reporter=world.citizen, kind=Kind.WHISTLEBLOWING, title="Pungutan liar di loket perizinan",
            body="Petugas loket meminta uang Rp500.000 agar izin cepat keluar.", addressed_agency=world.pemkot)


def test_it_is_addressed_to_the_inspectorate_and_confidential_from_the_start(world, whistle):
    assert whistle.addressed_agency == world.inspektorat and whistle.is_confidential


def test_the_city_government_never_sees_it_nor_hears_of_it(world, whistle, inspectorate_admin,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_verify(report=whistle, by=inspectorate_admin)
    whistle = Report.objects.select_related("addressed_agency", "assigned_agency").get(pk=whistle.pk)
    assert whistle.assigned_agency == world.inspektorat
    for name in CITY:
        person = getattr(world, name)
        assert not policy.can_view(person, whistle), name
        assert not policy.visible_reports(person).filter(pk=whistle.pk).exists(), name
        assert not policy.scoped_reports(person).filter(pk=whistle.pk).exists(), name
        assert policy.allowed_actions(person, whistle) == [], name
        assert not Notification.objects.filter(recipient=person, event__report=whistle).exists(), name
    assert not policy.can_view(AnonymousUser(), whistle)
    for name in OVERSIGHT:
        assert policy.can_view(getattr(world, name), whistle), name
    # The inspectorate's admin was told of it, routes it and answers it.
    assert Notification.objects.filter(recipient=inspectorate_admin, event__report=whistle).exists()
    assert Action.ANSWER in policy.allowed_actions(inspectorate_admin, whistle)
    services.report_answer(report=whistle, by=inspectorate_admin, body="Sedang kami periksa.")
    assert Report.objects.get(pk=whistle.pk).status == Status.IN_PROGRESS


def test_the_city_admin_cannot_verify_answer_or_close_it(world, whistle, inspectorate_admin):
    with pytest.raises(ActionForbidden):
        services.report_verify(report=whistle, by=world.agency_admin)
    services.report_verify(report=whistle, by=inspectorate_admin)
    for act in (lambda: services.report_answer(report=whistle, by=world.agency_admin, body="Sudah ditangani."),
                lambda: services.report_close(report=whistle, by=world.agency_admin, reason="Tidak terbukti."),
                lambda: services.report_add_note(report=whistle, by=world.agency_admin, text="Siapa pelapornya?")):
        with pytest.raises(ActionForbidden):
            act()


def test_the_back_office_of_the_city_does_not_list_or_open_it(world, whistle, inspectorate_admin, client):
    services.report_verify(report=whistle, by=inspectorate_admin)
    for name in ("agency_admin", "unit_admin"):
        sign_in(client, getattr(world, name))
        assert whistle.tracking_id not in client.get("/kantor/", {"tab": "semua"}).content.decode()
        assert client.get(f"/kantor/laporan/{whistle.tracking_id}/").status_code == 404
        assert client.get("/kantor/", {"q": whistle.tracking_id}).status_code == 200  # not redirected to it
    sign_in(client, inspectorate_admin)
    page = client.get(f"/kantor/laporan/{whistle.tracking_id}/").content.decode()
    assert "Siti Rahmawati" in page  # the reporter, to the inspectorate handling it (not anonymous)


def test_an_agency_admin_cannot_make_a_unit_of_their_own_an_inspectorate(world, client):
    sign_in(client, world.agency_admin)
    client.post("/kantor/kelola/unit/", {"parent": world.pemkot.pk, "name": "Inspektorat Bayangan",
                                         "is_inspectorate": "on"})
    from lapor.agencies.models import Agency

    assert Agency.objects.filter(name="Inspektorat Bayangan", is_inspectorate=False).exists()


def test_a_report_the_national_admin_sends_to_another_government_leaves_the_first(world):
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak di Martapura", body="Dekat pasar.",
                                    addressed_agency=world.pemkot, is_confidential=True)
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr_banjar)
    report = Report.objects.select_related("addressed_agency", "assigned_agency").get(pk=report.pk)
    assert report.addressed_agency == world.pupr_banjar
    assert not policy.can_view(world.agency_admin, report)
    assert policy.can_view(world.other_agency_admin, report)


def test_without_an_inspectorate_it_waits_for_the_national_admin(world):
    report = services.report_submit(reporter=world.citizen, kind=Kind.WHISTLEBLOWING, title="Pungli",
                                    body="Di kantor kecamatan.", addressed_agency=world.kemenpanrb)
    assert report.addressed_agency == world.kemenpanrb  # it has no inspectorate in this world
    assert policy.can_view(world.national_admin, report)
    with pytest.raises(ValidationError):
        services.report_verify(report=report, by=world.national_admin)
