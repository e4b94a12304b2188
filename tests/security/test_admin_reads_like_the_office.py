"""The Django admin's read-only views of the audit log and a report's history read as the
back office does: roles, types of data, changes and notes in words, not the stored codes
("agency_admin", "agencies.agency", {"name": [null, "…"]}, "reporter")."""
import pytest
from django.test import Client
from django.utils import timezone

from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record
from lapor.reports import services
from tests.office.staff import sign_in


@pytest.fixture
def superuser(world):
    world.national_admin.is_superuser = True
    world.national_admin.save()
    return sign_in(Client(), world.national_admin)


def test_the_audit_log_in_the_admin_names_roles_types_and_changes(world, superuser):
    entry = audit_record(actor=world.agency_admin, action=AuditAction.CREATED, target=world.bina_marga,
                         changes={"name": [None, "Bidang Bina Marga"]})
    listing = superuser.get("/admin/audit/auditentry/").content.decode()
    assert "Admin Instansi" in listing and ">agency_admin<" not in listing  # the column and its filter
    assert ">agencies.agency<" not in listing
    detail = superuser.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert "nama instansi: — → Bidang Bina Marga" in detail or "nama: — → Bidang Bina Marga" in detail
    assert "agencies.agency" not in detail and "[null" not in detail
    # Its title: the site's time and the action in words ("... admin.banjarbaru membuat ...").
    local = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M")
    assert f"<title>{local} admin.banjarbaru membuat Bidang Bina Marga" in detail
    superuser.cookies["django_language"] = "en"
    english = superuser.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert "Agency Admin" in english and "name: — → Bidang Bina Marga" in english


def test_a_reports_history_in_the_admin_names_the_roles(world, superuser):
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang", body="Dekat pasar.",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    page = superuser.get(f"/admin/reports/report/{report.pk}/change/").content.decode()
    assert "Pelapor" in page and "Admin Instansi" in page
    assert ">reporter<" not in page and ">agency_admin<" not in page


def test_the_admin_finds_a_report_by_its_tracking_id_written_with_the_hash(world, superuser):
    report = services.report_submit(reporter=world.citizen, title="Lampu jalan padam", body="Sejak Senin.",
                                    addressed_agency=world.pemkot)
    services.report_submit(reporter=world.citizen, title="Sampah menumpuk", body="Di pasar.",
                           addressed_agency=world.pemkot)
    for term in (report.tracking_id, f"#{report.tracking_id}"):
        listing = superuser.get("/admin/reports/report/", {"q": term}).content.decode()
        assert "Lampu jalan padam" in listing and "Sampah menumpuk" not in listing


def test_the_admins_sections_are_named_in_the_sites_language(world, superuser):
    index = superuser.get("/admin/").content.decode()
    for name in ("Instansi dan peran", "Akun dan profil pelapor", "Kategori laporan", "Wilayah", "Hari kerja"):
        assert name in index
    for english in (">Agencies<", ">Accounts<", ">Categories<", ">Regions<", ">Reports<", ">Workdays<"):
        assert english not in index
