"""What staff do to units, roles, templates, routing rules and the calendar is in the audit
log: who, as what, what changed from what to what, from where (SPEC §5, §13; issue #10);
and who may read which part of it."""
import datetime

import pytest
from django.test import Client

from lapor.agencies.models import Agency, Membership, Role, RoutingRule
from lapor.audit.models import HIDDEN, AuditAction, AuditEntry
from lapor.office.models import AnswerTemplate
from lapor.reports import services
from lapor.workdays.models import WorkdayOverride
from tests.factories import CategoryFactory, RegionFactory, UserFactory
from tests.harmony.conftest import harmony  # noqa: F401  (the SILAPAT office fixture)
from tests.office.staff import sign_in


@pytest.fixture
def as_user(db):
    def make(user):
        client = Client(REMOTE_ADDR="203.0.113.7")
        if user is not None:
            sign_in(client, user)
        return client

    return make


def management_entries(**filters):
    # Sign-ins are audited too; these tests look at what was managed.
    return AuditEntry.objects.exclude(action=AuditAction.SIGNED_IN).filter(**filters)


def the_entry(**filters) -> AuditEntry:
    entries = list(management_entries(**filters))
    assert len(entries) == 1, entries
    return entries[0]


def test_creating_a_unit_records_who_created_what_under_which_parent_and_from_where(world, as_user):
    as_user(world.agency_admin).post("/kantor/kelola/unit/", {"parent": world.pupr.pk, "name": "Bidang Cipta Karya"})
    unit = Agency.objects.get(name="Bidang Cipta Karya")
    entry = the_entry()
    assert (entry.action, entry.object_type, entry.object_id) == (AuditAction.CREATED, "agencies.agency", str(unit.pk))
    assert (entry.actor, entry.actor_role, entry.actor_agency) == (world.agency_admin, Role.AGENCY_ADMIN,
                                                                   world.pemkot.name)
    assert entry.changes["name"] == [None, "Bidang Cipta Karya"]
    assert entry.changes["parent"] == [None, "Dinas PUPR Banjarbaru"]
    assert entry.ip == "203.0.113.7"
    assert entry.agency_path == unit.path


def test_a_refused_management_action_records_nothing(world, as_user):
    as_user(world.agency_admin).post("/kantor/kelola/unit/", {"parent": world.pupr_banjar.pk, "name": "Bidang X"})
    as_user(world.officer).post("/kantor/kelola/unit/", {"parent": world.pupr.pk, "name": "Bidang Y"})
    assert not management_entries().exists()


def test_granting_and_revoking_a_role_each_leave_one_entry_naming_the_person_role_and_unit(world, as_user):
    UserFactory(username="petugas.baru")
    admin = as_user(world.agency_admin)
    admin.post("/kantor/kelola/staf/", {"agency": world.dinkes.pk, "role": Role.OFFICER, "username": "petugas.baru"})
    granted = the_entry(action=AuditAction.ROLE_GRANTED)
    assert granted.changes["user"] == [None, "petugas.baru"]
    assert granted.changes["role"] == [None, Role.OFFICER]
    assert granted.changes["agency"] == [None, world.dinkes.name]
    assert granted.actor == world.agency_admin

    membership = Membership.objects.get(user__username="petugas.baru")
    admin.post(f"/kantor/kelola/staf/{membership.pk}/cabut/")
    revoked = the_entry(action=AuditAction.ROLE_REVOKED)
    assert revoked.object_id == str(membership.pk)
    assert revoked.changes["role"] == [Role.OFFICER, None]
    assert management_entries().count() == 2


def test_a_new_officer_account_is_recorded_without_its_e_mail_in_clear(world, as_user):
    as_user(world.agency_admin).post("/kantor/kelola/staf/", {
        "agency": world.pupr.pk, "role": Role.OFFICER, "username": "petugas.jalan",
        "full_name": "Rahmat Hidayat", "email": "rahmat@banjarbarukota.go.id"})
    account = the_entry(object_type="accounts.user")
    assert account.action == AuditAction.CREATED and account.object_label == "petugas.jalan"
    assert account.changes["email"] == [None, HIDDEN]
    assert "rahmat@" not in str(account.changes)
    assert account.agency_path == world.pupr.path  # the admins of that tree read it
    assert the_entry(action=AuditAction.ROLE_GRANTED).changes["user"] == [None, "petugas.jalan"]


def test_writing_editing_and_deleting_an_answer_template_each_leave_an_entry_with_old_and_new_values(world, as_user):
    admin = as_user(world.agency_admin)
    admin.post("/kantor/kelola/templat/", {"agency": world.pemkot.pk, "title": "Terima kasih",
                                          "body": "Terima kasih atas laporan Anda."})
    template = AnswerTemplate.objects.get()
    admin.post(f"/kantor/kelola/templat/{template.pk}/", {"agency": world.pupr.pk, "title": "Terima kasih",
                                                          "body": "Diubah."})
    admin.post(f"/kantor/kelola/templat/{template.pk}/hapus/")
    created, changed, deleted = management_entries(object_type="office.answertemplate").order_by("id")
    assert created.action == AuditAction.CREATED and created.changes["title"] == [None, "Terima kasih"]
    assert changed.action == AuditAction.CHANGED
    assert changed.changes == {"agency": [world.pemkot.name, world.pupr.name],
                               "body": ["Terima kasih atas laporan Anda.", "Diubah."]}
    assert deleted.action == AuditAction.DELETED and deleted.changes["body"] == ["Diubah.", None]
    assert {e.object_id for e in (created, changed, deleted)} == {str(template.pk)}


def test_adding_and_removing_a_routing_rule_each_leave_an_entry(world, as_user):
    RegionFactory(code="63.72", name="Kota Banjarbaru")
    health = CategoryFactory(name="Kesehatan", slug="kesehatan")
    admin = as_user(world.agency_admin)
    admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": "63.72", "agency": world.dinkes.pk})
    rule = RoutingRule.objects.get()
    admin.post(f"/kantor/kelola/rute/{rule.pk}/hapus/")
    created, deleted = management_entries(object_type="agencies.routingrule").order_by("id")
    assert created.action == AuditAction.CREATED and created.changes["agency"] == [None, world.dinkes.name]
    assert created.changes["region"] == [None, "Kota Banjarbaru (63.72)"]
    assert deleted.action == AuditAction.DELETED and deleted.object_label == created.object_label


def test_an_identity_reveal_joins_the_custodians_audit_trail_without_the_identity(world, as_user):
    report = services.report_submit(reporter=world.citizen, title="Pungli", body="Ada pungutan liar di loket.",
                                    addressed_agency=world.pemkot, category=world.category, is_anonymous=True)
    as_user(world.custodian).post(f"/kantor/laporan/{report.tracking_id}/identitas/",
                                  {"reason": "Permintaan resmi Ombudsman nomor 12/2026."})
    entry = the_entry(action=AuditAction.IDENTITY_REVEALED)
    assert (entry.actor, entry.actor_role) == (world.custodian, Role.IDENTITY_CUSTODIAN)
    assert entry.object_label == f"#{report.tracking_id}" and "Ombudsman nomor 12" in entry.note
    assert "Siti" not in str(entry.__dict__) and "6372024107900001" not in str(entry.__dict__)


def test_changes_made_in_the_django_admin_are_recorded_with_old_and_new_values(world, as_user):
    world.national_admin.is_superuser = True
    world.national_admin.save()
    client = as_user(world.national_admin)
    response = client.post(f"/admin/agencies/agency/{world.dinkes.pk}/change/", {
        "name": "Dinas Kesehatan Kota Banjarbaru", "short_name": "", "slug": world.dinkes.slug, "kind": "unit",
        "parent": world.pemkot.pk, "time_zone": world.dinkes.time_zone, "sms_keyword": "", "supervises": []})
    assert response.status_code == 302
    entry = the_entry(object_type="agencies.agency")
    assert entry.action == AuditAction.CHANGED and entry.via_admin
    assert entry.changes["name"] == ["Dinas Kesehatan Banjarbaru", "Dinas Kesehatan Kota Banjarbaru"]
    assert entry.changes["is_active"] == [True, False]  # the box was left unticked: deactivated
    assert entry.actor == world.national_admin and entry.ip == "203.0.113.7"


def test_working_day_corrections_and_role_changes_in_the_django_admin_are_recorded(world, as_user):
    world.national_admin.is_superuser = True
    world.national_admin.save()
    client = as_user(world.national_admin)
    assert client.post("/admin/workdays/workdayoverride/add/", {
        "date": "2026-12-24", "is_working_day": "", "note": "Cuti bersama tambahan"}).status_code == 302
    override = WorkdayOverride.objects.get()
    assert client.post(f"/admin/workdays/workdayoverride/{override.pk}/delete/", {"post": "yes"}).status_code == 302
    created, deleted = management_entries(object_type="workdays.workdayoverride").order_by("id")
    assert created.changes["note"] == [None, "Cuti bersama tambahan"] and created.agency_path == ""
    assert deleted.action == AuditAction.DELETED and deleted.changes["date"] == ["2026-12-24", None]

    membership = Membership.objects.get(user=world.officer)
    assert client.post(f"/admin/agencies/membership/{membership.pk}/change/", {
        "user": world.officer.pk, "agency": world.pupr.pk, "role": Role.UNIT_ADMIN}).status_code == 302
    assert the_entry(object_type="agencies.membership").changes == {"role": [Role.OFFICER, Role.UNIT_ADMIN]}


def test_a_password_set_in_the_django_admin_is_recorded_as_changed_but_never_written_down(world, as_user):
    world.national_admin.is_superuser = True
    world.national_admin.save()
    response = as_user(world.national_admin).post(f"/admin/accounts/user/{world.officer.pk}/password/", {
        "password1": "kata-sandi-baru-2026", "password2": "kata-sandi-baru-2026", "usable_password": "true"})
    assert response.status_code == 302
    entry = the_entry(object_type="accounts.user")
    assert entry.object_label == "petugas.pupr"
    assert "kata-sandi-baru" not in str(entry.changes) and list(entry.changes.values()) == [[HIDDEN, HIDDEN]]


def test_a_silapat_registry_figure_entered_by_an_operator_is_recorded_in_the_kesbangpol_tree(harmony, as_user):
    as_user(harmony.operator).post("/kantor/silapat/ubah/penduduk/baru/", {
        "village": "63.72.02.1005", "year": "2025", "religion": "hindu", "count": "20"})
    entry = the_entry(object_type="harmony.population")
    assert (entry.action, entry.actor) == (AuditAction.CREATED, harmony.operator)
    assert entry.changes["count"] == [None, 20]
    assert entry.agency_path == harmony.kesbangpol.path


# --- Who reads the log ----------------------------------------------------------------------

def test_what_happens_inside_an_inspectorate_is_not_read_by_the_admins_of_the_government_above_it(world, as_user):
    # Its whistle-blowing may be about them: that a reporter was unmasked, and why, is not theirs to read.
    from lapor.reports.enums import Kind

    report = services.report_submit(reporter=world.citizen, title="Pungutan di dinas", body="Kepala bidang meminta uang.",
                                    addressed_agency=world.inspektorat, kind=Kind.WHISTLEBLOWING, is_anonymous=True)
    as_user(world.custodian).post(f"/kantor/laporan/{report.tracking_id}/identitas/",
                                  {"reason": "Diminta oleh penyidik, surat nomor 7/2026."})
    as_user(world.agency_admin).post("/kantor/kelola/unit/", {"parent": world.pupr.pk, "name": "Bidang Cipta Karya"})
    city = as_user(world.agency_admin).get("/kantor/audit/").content.decode()
    assert "Bidang Cipta Karya" in city  # the rest of the city's tree, as before
    assert report.tracking_id not in city and "penyidik" not in city
    assert "penyidik" not in as_user(world.agency_admin).get("/kantor/audit/", {"q": report.tracking_id}).content.decode()
    inspector = as_user(world.inspector).get("/kantor/audit/").content.decode()
    assert report.tracking_id in inspector and "penyidik" in inspector


@pytest.fixture
def entries_in_two_governments(world, as_user):
    as_user(world.agency_admin).post("/kantor/kelola/unit/", {"parent": world.pupr.pk, "name": "Bidang Cipta Karya"})
    as_user(world.other_agency_admin).post("/kantor/kelola/unit/", {"parent": world.pupr_banjar.pk,
                                                                     "name": "Bidang Sumber Daya Air"})
    WorkdayOverride.objects.create(date=datetime.date(2026, 12, 24), is_working_day=False, note="x")
    from lapor.audit.services import audit_record
    audit_record(actor=world.national_admin, action=AuditAction.CREATED, target=WorkdayOverride.objects.get())


def test_an_agency_admin_reads_only_the_entries_of_their_own_tree(world, as_user, entries_in_two_governments):
    page = as_user(world.agency_admin).get("/kantor/audit/").content.decode()
    assert "Bidang Cipta Karya" in page
    assert "Bidang Sumber Daya Air" not in page
    assert "2026-12-24" not in page  # national matters are the national admin's
    other = as_user(world.other_agency_admin).get("/kantor/audit/").content.decode()
    assert "Bidang Sumber Daya Air" in other and "Bidang Cipta Karya" not in other


def test_supervisors_read_the_entries_of_the_agencies_they_oversee(world, as_user, entries_in_two_governments):
    inspector = as_user(world.inspector).get("/kantor/audit/").content.decode()
    assert "Bidang Cipta Karya" in inspector and "Bidang Sumber Daya Air" not in inspector
    ombudsman = as_user(world.ombudsman_officer).get("/kantor/audit/").content.decode()
    assert "Bidang Cipta Karya" in ombudsman and "Bidang Sumber Daya Air" in ombudsman


def test_the_national_admin_reads_everything_and_filters_it(world, as_user, entries_in_two_governments):
    client = as_user(world.national_admin)
    page = client.get("/kantor/audit/").content.decode()
    assert "Bidang Cipta Karya" in page and "Bidang Sumber Daya Air" in page and "2026-12-24" in page
    only_units = client.get("/kantor/audit/", {"object_type": "agencies.agency", "actor": "admin.banjarbaru"})
    text = only_units.content.decode()
    assert "Bidang Cipta Karya" in text and "Bidang Sumber Daya Air" not in text and "2026-12-24" not in text
    bad_dates = client.get("/kantor/audit/", {"date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert bad_dates.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in bad_dates.content.decode()


def test_officers_unit_admins_custodians_and_citizens_may_not_read_the_log(world, as_user):
    for person in (world.officer, world.unit_admin, world.custodian, world.citizen):
        assert as_user(person).get("/kantor/audit/").status_code == 403, person
    assert as_user(None).get("/kantor/audit/").status_code == 302  # to the sign-in page


def test_a_failed_second_factor_of_a_staff_member_is_recorded(world):
    from tests.office.test_second_factor import PASSWORD, current_code, give_totp, verified_email

    secret = give_totp(world.officer)
    verified_email(world.officer)
    client = Client(REMOTE_ADDR="198.51.100.4")
    client.post("/akun/login/", {"login": world.officer.username, "password": PASSWORD})
    client.post("/akun/2fa/authenticate/", {"code": "000000" if current_code(secret) != "000000" else "111111"})
    failed = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert (failed.actor, failed.ip, failed.agency_path) == (world.officer, "198.51.100.4", world.pupr.path)
    assert failed.note == "kode verifikasi dua langkah (aplikasi autentikator) ditolak"  # the log's language
    client.post("/akun/2fa/authenticate/", {"code": current_code(secret)})
    assert AuditEntry.objects.filter(action=AuditAction.SIGNED_IN, actor=world.officer).count() == 1
