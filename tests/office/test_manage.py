"""Agency admins manage their own tree: units, staff and roles, answer templates and
routing rules; never anything outside it (SPEC §6, §8)."""
import pytest
from django.core.exceptions import ValidationError

from lapor.agencies.models import Agency, Membership, Role, RoutingRule
from lapor.office.models import AnswerTemplate
from tests.factories import CategoryFactory, RegionFactory, UserFactory
from tests.office.staff import sign_in


def test_an_agency_admin_creates_a_unit_under_their_own_tree(world, as_user):
    response = as_user(world.agency_admin).post("/kantor/kelola/unit/", {"parent": world.pupr.pk, "name": "Bidang Cipta Karya"})
    assert response.status_code == 302
    unit = Agency.objects.get(name="Bidang Cipta Karya")
    assert unit.parent == world.pupr and unit.is_within(world.pemkot)
    assert unit.time_zone == world.pupr.time_zone


def test_an_agency_admin_cannot_create_a_unit_in_another_government(world, as_user):
    response = as_user(world.agency_admin).post("/kantor/kelola/unit/", {"parent": world.pupr_banjar.pk, "name": "Bidang X"})
    assert response.status_code == 400
    assert not Agency.objects.filter(name="Bidang X").exists()
    assert "Dinas PUPR Banjar<" not in as_user(world.agency_admin).get("/kantor/kelola/unit/").content.decode()


def test_officers_and_supervisors_cannot_manage_anything(world, as_user):
    for person in (world.officer, world.unit_admin, world.inspector, world.custodian):
        client = as_user(person)
        for url in ("/kantor/kelola/", "/kantor/kelola/unit/", "/kantor/kelola/staf/", "/kantor/kelola/templat/",
                    "/kantor/kelola/rute/"):
            assert client.get(url).status_code == 403, (person, url)


def test_an_agency_admin_gives_an_existing_account_a_role_in_a_unit_and_takes_it_back(world, as_user):
    newcomer = UserFactory(username="petugas.baru")
    admin = as_user(world.agency_admin)
    response = admin.post("/kantor/kelola/staf/", {"agency": world.dinkes.pk, "role": Role.OFFICER, "username": "petugas.baru"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.agency, membership.role) == (world.dinkes, Role.OFFICER)
    assert admin.post(f"/kantor/kelola/staf/{membership.pk}/cabut/").status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()


def test_an_agency_admin_creates_a_new_officer_account_without_choosing_its_password(world, as_user):
    response = as_user(world.agency_admin).post("/kantor/kelola/staf/", {
        "agency": world.pupr.pk, "role": Role.OFFICER, "username": "petugas.jalan",
        "full_name": "Rahmat Hidayat", "email": "rahmat@banjarbarukota.go.id"})
    assert response.status_code == 302
    user = Membership.objects.get(agency=world.pupr, user__username="petugas.jalan").user
    assert not user.has_usable_password()
    assert user.full_name == "Rahmat Hidayat"


def test_an_existing_account_is_found_by_its_e_mail_address_in_any_case(world, as_user):
    """Addresses are sealed at rest (docs/decisions/0004-account-email-sealed.md); the staff
    form still finds an account by its whole address, and refuses a new account with an
    address already in use."""
    newcomer = UserFactory(username="petugas.lama", email="Petugas.Lama@banjarbarukota.go.id")
    admin = as_user(world.agency_admin)
    response = admin.post("/kantor/kelola/staf/", {"agency": world.dinkes.pk, "role": Role.OFFICER,
                                                  "username": "PETUGAS.LAMA@banjarbarukota.go.id"})
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).agency == world.dinkes
    response = admin.post("/kantor/kelola/staf/", {
        "agency": world.pupr.pk, "role": Role.OFFICER, "username": "petugas.kembar",
        "full_name": "Petugas Kembar", "email": "petugas.lama@BANJARBARUKOTA.go.id"})
    assert response.status_code == 400
    assert "E-mail ini sudah dipakai akun lain." in response.content.decode()
    assert not Membership.objects.filter(user__username="petugas.kembar").exists()


def test_roles_outside_the_admins_tree_or_above_their_station_cannot_be_granted_or_removed(world, as_user):
    newcomer = UserFactory(username="orang.lain")
    admin = as_user(world.agency_admin)
    assert admin.post("/kantor/kelola/staf/", {"agency": world.pupr_banjar.pk, "role": Role.OFFICER,
                                               "username": "orang.lain"}).status_code == 400
    assert admin.post("/kantor/kelola/staf/", {"agency": world.inspektorat.pk, "role": Role.SUPERVISOR,
                                               "username": "orang.lain"}).status_code == 400
    assert admin.post("/kantor/kelola/staf/", {"agency": world.pemkot.pk, "role": Role.NATIONAL_ADMIN,
                                               "username": "orang.lain"}).status_code == 400
    assert not Membership.objects.filter(user=newcomer).exists()
    banjar = Membership.objects.get(user=world.other_agency_officer)
    assert admin.post(f"/kantor/kelola/staf/{banjar.pk}/cabut/").status_code == 404
    inspector = Membership.objects.get(user=world.inspector)  # in the tree, but appointed nationally
    admin.post(f"/kantor/kelola/staf/{inspector.pk}/cabut/")
    assert Membership.objects.filter(pk=inspector.pk).exists()
    own = Membership.objects.get(user=world.agency_admin)
    admin.post(f"/kantor/kelola/staf/{own.pk}/cabut/")
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_role_in_the_governments_inspectorate_is_not_the_governments_admins_to_give(world, as_user):
    """Its staff read the whistle-blowing about the government: its admins cannot appoint them."""
    newcomer = UserFactory(username="teman.admin")

    response = as_user(world.agency_admin).post("/kantor/kelola/staf/", {
        "agency": world.inspektorat.pk, "role": Role.AGENCY_ADMIN, "username": "teman.admin"})

    assert response.status_code == 400
    assert "Peran di Inspektorat diberikan oleh admin Inspektorat itu sendiri" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    # The inspectorate's own admin may.
    Membership.objects.create(user=UserFactory(username="admin.inspektorat"), agency=world.inspektorat,
                              role=Role.AGENCY_ADMIN)
    from lapor.accounts.models import User

    inspectorate_admin = as_user(User.objects.get(username="admin.inspektorat"))
    assert inspectorate_admin.post("/kantor/kelola/staf/", {
        "agency": world.inspektorat.pk, "role": Role.OFFICER, "username": "teman.admin"}).status_code == 302


def test_the_governments_admins_neither_remove_the_inspectorates_staff_nor_change_its_units(world, as_user, submit):
    from lapor.accounts.models import User

    Membership.objects.create(user=UserFactory(username="admin.inspektorat"), agency=world.inspektorat,
                              role=Role.AGENCY_ADMIN)
    held = Membership.objects.get(user__username="admin.inspektorat")
    city = as_user(world.agency_admin)

    staff_page = city.get("/kantor/kelola/staf/").content.decode()
    assert "admin.inspektorat" in staff_page  # who works there is no secret
    assert f"/kantor/kelola/staf/{held.pk}/cabut/" not in staff_page
    refused = city.post(f"/kantor/kelola/staf/{held.pk}/cabut/", follow=True)
    assert "Peran di Inspektorat diberikan oleh admin Inspektorat itu sendiri" in refused.content.decode()
    assert Membership.objects.filter(pk=held.pk).exists()

    # Its units: listed, not changed, nothing told of what it handles.
    submit(kind="whistleblowing")
    assert f"/kantor/kelola/unit/{world.inspektorat.pk}/" not in city.get("/kantor/kelola/unit/").content.decode()
    assert city.get(f"/kantor/kelola/unit/{world.inspektorat.pk}/").status_code == 404
    assert city.post(f"/kantor/kelola/unit/{world.inspektorat.pk}/", {"name": "Inspektorat", "short_name": ""}
                     ).status_code == 404
    world.inspektorat.refresh_from_db()
    assert world.inspektorat.is_active and world.inspektorat.name == "Inspektorat Banjarbaru"
    added = city.post("/kantor/kelola/unit/", {"parent": world.inspektorat.pk, "name": "Irban Khusus"})
    assert "Unit kerja Inspektorat diatur oleh admin Inspektorat itu sendiri" in added.content.decode()
    # Its own admin may.
    own = as_user(User.objects.get(username="admin.inspektorat"))
    assert own.post("/kantor/kelola/unit/", {"parent": world.inspektorat.pk, "name": "Irban Khusus"}).status_code == 302


def test_a_city_admin_who_also_runs_one_unit_of_the_inspectorate_changes_only_that_unit(world, as_user):
    """Being admin of Irban I does not open the rest of the inspectorate through the city."""
    from lapor.agencies import services as agency_services

    first = agency_services.unit_create(by=None, parent=world.inspektorat, name="Irban I")
    second = agency_services.unit_create(by=None, parent=world.inspektorat, name="Irban II")
    Membership.objects.create(user=world.agency_admin, agency=first, role=Role.AGENCY_ADMIN)
    newcomer = UserFactory(username="auditor.baru")
    city = as_user(world.agency_admin)

    assert city.post("/kantor/kelola/staf/", {"agency": first.pk, "role": Role.OFFICER,
                                              "username": "auditor.baru"}).status_code == 302
    for closed in (second, world.inspektorat):
        assert city.post("/kantor/kelola/staf/", {"agency": closed.pk, "role": Role.OFFICER,
                                                  "username": "auditor.baru"}).status_code == 400
        assert city.get(f"/kantor/kelola/unit/{closed.pk}/").status_code == 404
    assert city.get(f"/kantor/kelola/unit/{first.pk}/").status_code == 200
    assert list(Membership.objects.filter(user=newcomer).values_list("agency", flat=True)) == [first.pk]


def test_a_role_for_an_existing_account_is_not_given_when_a_new_accounts_name_was_typed(world, as_user):
    """A citizen's user name typed by mistake for a new officer must not make them staff."""
    response = as_user(world.agency_admin).post("/kantor/kelola/staf/", {
        "agency": world.pupr.pk, "role": Role.OFFICER, "username": world.other_citizen.username,
        "full_name": "Rina Petugas Baru", "email": "rina.baru@banjarbarukota.go.id"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Akun dengan nama pengguna atau e-mail ini sudah ada" in page and 'value="Rina Petugas Baru"' in page
    assert not Membership.objects.filter(user=world.other_citizen).exists()


def test_a_new_officers_user_name_follows_the_sign_up_rules(world, as_user):
    admin = as_user(world.agency_admin)
    for username in ("qa staf spasi!", "ｓｍｓ-petugas", "anonim-petugas"):
        response = admin.post("/kantor/kelola/staf/", {
            "agency": world.pupr.pk, "role": Role.OFFICER, "username": username,
            "full_name": "Petugas Baru", "email": "petugas.baru@banjarbarukota.go.id"})
        assert response.status_code == 400, username
    assert not Membership.objects.filter(agency=world.pupr, user__full_name="Petugas Baru").exists()


def test_two_units_of_one_parent_cannot_share_a_name(world, as_user):
    admin = as_user(world.agency_admin)
    assert admin.post("/kantor/kelola/unit/", {"parent": world.pupr.pk, "name": "Bidang Cipta Karya"}).status_code == 302

    again = admin.post("/kantor/kelola/unit/", {"parent": world.pupr.pk, "name": "  bidang cipta  karya "})

    assert again.status_code == 400
    assert "Sudah ada unit kerja bernama" in again.content.decode()
    assert Agency.objects.filter(parent=world.pupr, name__iexact="Bidang Cipta Karya").count() == 1
    other = Agency.objects.create(name="Bidang Tata Ruang", slug="tata-ruang", parent=world.pupr, kind=Agency.Kind.UNIT,
                                  region=world.pupr.region, time_zone=world.pupr.time_zone)
    renamed = admin.post(f"/kantor/kelola/unit/{other.pk}/", {"name": "Bidang Cipta Karya", "is_active": "on"})
    assert renamed.status_code == 400
    assert Agency.objects.get(pk=other.pk).name == "Bidang Tata Ruang"


def test_an_agency_keeps_one_answer_template_of_a_title(world, as_user):
    admin = as_user(world.agency_admin)
    fields = {"agency": world.pupr.pk, "title": "Perbaikan jalan dijadwalkan", "body": "Dijadwalkan pekan depan."}
    assert admin.post("/kantor/kelola/templat/", fields).status_code == 302
    again = admin.post("/kantor/kelola/templat/", {**fields, "title": " perbaikan  jalan dijadwalkan "})
    assert again.status_code == 400
    assert "sudah punya templat berjudul" in again.content.decode()
    assert "perbaikan  jalan dijadwalkan" in again.content.decode()  # what was typed stays
    assert AnswerTemplate.objects.filter(agency=world.pupr).count() == 1
    assert admin.post("/kantor/kelola/templat/", {**fields, "agency": world.dinkes.pk}).status_code == 302


def test_answer_templates_are_written_edited_and_deleted_within_the_tree_only(world, as_user):
    admin = as_user(world.agency_admin)
    assert admin.post("/kantor/kelola/templat/", {"agency": world.pemkot.pk, "title": "Terima kasih",
                                                  "body": "Terima kasih atas laporan Anda."}).status_code == 302
    template = AnswerTemplate.objects.get(title="Terima kasih")
    assert admin.post(f"/kantor/kelola/templat/{template.pk}/", {"agency": world.pupr.pk, "title": "Terima kasih",
                                                                 "body": "Diubah."}).status_code == 302
    template.refresh_from_db()
    assert (template.agency, template.body) == (world.pupr, "Diubah.")
    other = as_user(world.other_agency_admin)
    assert other.get(f"/kantor/kelola/templat/{template.pk}/").status_code == 404
    assert other.post(f"/kantor/kelola/templat/{template.pk}/hapus/").status_code == 404
    assert admin.post(f"/kantor/kelola/templat/{template.pk}/hapus/").status_code == 302
    assert not AnswerTemplate.objects.exists()


def test_routing_rules_point_only_into_the_admins_tree_and_one_per_category_and_region(world, as_user):
    region = RegionFactory(code="63.72", name="Kota Banjarbaru")
    health = CategoryFactory(name="Kesehatan", slug="kesehatan")
    admin = as_user(world.agency_admin)
    assert admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": "63.72",
                                               "agency": world.dinkes.pk}).status_code == 302
    rule = RoutingRule.objects.get(category=health, region=region)
    assert rule.agency == world.dinkes
    assert admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": "63.72",
                                               "agency": world.pupr.pk}).status_code == 400
    assert admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": "",
                                               "agency": world.pupr_banjar.pk}).status_code == 400
    assert admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": "99.99",
                                               "agency": world.dinkes.pk}).status_code == 400
    assert as_user(world.other_agency_admin).post(f"/kantor/kelola/rute/{rule.pk}/hapus/").status_code == 404
    assert admin.post(f"/kantor/kelola/rute/{rule.pk}/hapus/").status_code == 302
    assert not RoutingRule.objects.exists()


def test_an_agency_admin_writes_routing_rules_for_their_own_governments_region_only(world, as_user):
    """A rule is read for every report of its category and region: one for Banjar's region,
    or for the whole country, would draw other governments' reports to this one."""
    world.pemkot.region = RegionFactory(code="63.72", name="Kota Banjarbaru")
    world.pemkot.save()
    RegionFactory(code="63.03", name="Kabupaten Banjar")
    health = CategoryFactory(name="Kesehatan", slug="kesehatan")
    admin = as_user(world.agency_admin)

    elsewhere = admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": "63.03", "agency": world.dinkes.pk})
    everywhere = admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": "", "agency": world.dinkes.pk})

    assert elsewhere.status_code == 400 and "di luar wilayah instansi Anda" in elsewhere.content.decode()
    assert everywhere.status_code == 400 and "dibuat oleh Admin Nasional" in everywhere.content.decode()
    assert not RoutingRule.objects.exists()
    assert as_user(world.national_admin).post("/kantor/kelola/rute/", {
        "category": health.pk, "region": "", "agency": world.dinkes.pk}).status_code == 302


def test_a_routing_rules_region_is_read_as_the_submit_form_reads_it(world, as_user):
    region = RegionFactory(code="63.72", name="Kota Banjarbaru")
    health = CategoryFactory(name="Kesehatan", slug="kesehatan")
    admin = as_user(world.agency_admin)
    response = admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": "63-72", "agency": world.dinkes.pk})
    assert response.status_code == 400
    assert "tidak berbentuk kode wilayah (contoh: 63.72.02.1001)" in response.content.decode()
    assert admin.post("/kantor/kelola/rute/", {"category": health.pk, "region": " 6372 ",
                                               "agency": world.dinkes.pk}).status_code == 302
    assert RoutingRule.objects.get(category=health).region == region


def test_the_national_admin_keeps_master_data_in_the_django_admin_with_an_audit_log(world, client):
    from django.contrib.admin.models import LogEntry

    world.national_admin.is_superuser = True
    world.national_admin.save()
    sign_in(client, world.national_admin)  # the admin asks staff for the second factor too
    response = client.post("/admin/agencies/agency/add/", {
        "name": "Dinas Perhubungan Banjarbaru", "short_name": "Dishub", "slug": "dishub", "kind": "unit",
        "parent": world.pemkot.pk, "time_zone": "Asia/Makassar", "is_active": "on"})
    assert response.status_code == 302
    entry = LogEntry.objects.get(object_repr="Dinas Perhubungan Banjarbaru")
    assert entry.user == world.national_admin and entry.is_addition()


def test_a_unit_moved_to_another_government_in_the_django_admin_takes_a_region_of_the_new_one(world, client):
    from tests.factories import RegionFactory

    province = RegionFactory(code="63", name="Kalimantan Selatan")
    banjarbaru = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=province)
    banjar = RegionFactory(code="63.03", name="Kabupaten Banjar", parent=province)
    martapura = RegionFactory(code="63.03.01", name="Martapura", parent=banjar)
    for agency, region in ((world.pemkot, banjarbaru), (world.pemkab, banjar), (world.dinkes, banjarbaru)):
        agency.region = region
        agency.save()
    world.national_admin.is_superuser = True
    world.national_admin.save()
    sign_in(client, world.national_admin)
    moved = {"name": "Dinas Kesehatan", "short_name": "", "slug": world.dinkes.slug, "kind": "unit",
             "parent": world.pemkab.pk, "region": "63.72", "time_zone": world.dinkes.time_zone, "is_active": "on"}

    kept_region = client.post(f"/admin/agencies/agency/{world.dinkes.pk}/change/", moved)

    assert kept_region.status_code == 200
    assert "di luar wilayah induknya, Pemerintah Kabupaten Banjar (63.03)" in kept_region.content.decode()
    world.dinkes.refresh_from_db()
    assert world.dinkes.parent == world.pemkot
    puskesmas = world.dinkes.children.create(name="Puskesmas Banjarbaru Selatan", slug="puskesmas-bjb",
                                             region=RegionFactory(code="63.72.05", name="Banjarbaru Selatan",
                                                                  parent=banjarbaru))
    assert client.post(f"/admin/agencies/agency/{world.dinkes.pk}/change/",
                       {**moved, "region": martapura.code}).status_code == 302
    world.dinkes.refresh_from_db()
    assert (world.dinkes.parent, world.dinkes.region) == (world.pemkab, martapura)
    puskesmas.refresh_from_db()  # its own unit moved with it, into its region
    assert puskesmas.path.startswith(world.pemkab.path) and puskesmas.region == martapura
    # A unit whose region was already outside its parent's is still renamed: the check is
    # for a change of parent or region.
    world.pupr.region = martapura
    world.pupr.save()
    renamed = client.post(f"/admin/agencies/agency/{world.pupr.pk}/change/", {
        "name": "Dinas PUPR", "short_name": "", "slug": world.pupr.slug, "kind": "unit", "parent": world.pemkot.pk,
        "region": martapura.code, "time_zone": world.pupr.time_zone, "is_active": "on"})
    assert renamed.status_code == 302


def test_an_agency_admin_renames_a_unit_and_takes_an_empty_one_out_of_service(world, as_user):
    from lapor.audit.models import AuditEntry
    from lapor.reports import services

    admin = as_user(world.agency_admin)
    response = admin.post(f"/kantor/kelola/unit/{world.dinkes.pk}/", {
        "name": "Dinas Kesehatan dan KB Banjarbaru", "short_name": "Dinkes KB", "is_active": "on"})
    assert response.status_code == 302
    world.dinkes.refresh_from_db()
    assert world.dinkes.name == "Dinas Kesehatan dan KB Banjarbaru"
    entry = AuditEntry.objects.filter(object_label="Dinas Kesehatan dan KB Banjarbaru").last()
    assert entry.changes["name"] == ["Dinas Kesehatan Banjarbaru", "Dinas Kesehatan dan KB Banjarbaru"]
    # Out of service only once nothing depends on it.
    report = services.report_submit(reporter=world.citizen, title="Antrean", body="Lama", addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.dinkes)
    refused = admin.post(f"/kantor/kelola/unit/{world.dinkes.pk}/", {"name": world.dinkes.name, "short_name": ""})
    assert refused.status_code == 400 and "1 laporan terbuka" in refused.content.decode()
    refused = admin.post(f"/kantor/kelola/unit/{world.pupr.pk}/", {"name": world.pupr.name, "short_name": ""})
    assert refused.status_code == 400 and "unit kerja di bawahnya" in refused.content.decode()
    assert admin.post(f"/kantor/kelola/unit/{world.bina_marga.pk}/", {"name": world.bina_marga.name}).status_code == 302
    world.bina_marga.refresh_from_db()
    assert not world.bina_marga.is_active
    assert "Nonaktif" in admin.get("/kantor/kelola/unit/").content.decode()
    # …and a report can no longer be sent there.
    road = services.report_submit(reporter=world.citizen, title="Jalan", body="Rusak", addressed_agency=world.pemkot)
    services.report_verify(report=road, by=world.agency_admin, agency=world.pupr)
    with pytest.raises(ValidationError):
        services.report_dispose(report=road, by=world.unit_admin, unit=world.bina_marga)


def test_the_django_admin_keeps_the_same_rule_and_a_unit_out_of_service_keeps_its_public_record(world, client):
    from lapor.reports import services

    report = services.report_submit(reporter=world.citizen, title="Antrean", body="Lama", addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.dinkes)
    world.national_admin.is_superuser = True
    world.national_admin.save()
    sign_in(client, world.national_admin)

    def switch_off(unit):
        return client.post(f"/admin/agencies/agency/{unit.pk}/change/", {
            "name": unit.name, "short_name": "", "slug": unit.slug, "kind": unit.kind, "parent": unit.parent_id,
            "time_zone": unit.time_zone})  # "is_active" unticked

    refused = switch_off(world.dinkes)
    assert refused.status_code == 200 and "1 laporan terbuka" in refused.content.decode()
    assert "unit kerja di bawahnya" in switch_off(world.pupr).content.decode()
    world.dinkes.refresh_from_db()
    world.pupr.refresh_from_db()
    assert world.dinkes.is_active and world.pupr.is_active

    services.report_answer(report=report, by=world.agency_admin, body="Antrean sudah diatur.")
    services.report_close(report=report, by=world.agency_admin, reason="Selesai ditangani.")
    assert switch_off(world.dinkes).status_code == 302
    # Leadership still reads its record: its page, its past months, the statistics filtered by it.
    month = report.created_at.strftime("%Y-%m")
    for path in (f"/kinerja/{world.dinkes.slug}/", f"/kinerja/{world.dinkes.slug}/bulanan/{month}/"):
        page = client.get(path)
        assert page.status_code == 200 and "Dinas Kesehatan Banjarbaru" in page.content.decode(), path
    assert "sudah tidak aktif" in client.get(f"/kinerja/{world.dinkes.slug}/").content.decode()
    filtered = client.get(f"/statistik/?instansi={world.dinkes.slug}").content.decode()
    assert "tidak dikenal dan diabaikan" not in filtered


def test_an_agency_admin_edits_neither_their_own_government_nor_another(world, as_user):
    admin = as_user(world.agency_admin)
    for agency in (world.pemkot, world.pupr_banjar):
        assert admin.get(f"/kantor/kelola/unit/{agency.pk}/").status_code == 404
        assert admin.post(f"/kantor/kelola/unit/{agency.pk}/", {"name": "X"}).status_code == 404
    assert as_user(world.unit_admin).get(f"/kantor/kelola/unit/{world.bina_marga.pk}/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_templates_of_one_title_saved_at_the_same_instant_make_one():
    from django.core.exceptions import ValidationError

    from lapor.office import services as office_services
    from tests.api.concurrency import concurrently
    from tests.personas import build_world

    world = build_world()

    def save():
        try:
            office_services.answer_template_save(by=world.agency_admin, template=AnswerTemplate(
                agency=world.pupr, title="Perbaikan jalan dijadwalkan", body="Pekan depan."))
            return "saved"
        except ValidationError:
            return "refused"

    assert sorted(concurrently(save, times=2)) == ["refused", "saved"]  # at once on PostgreSQL
    assert AnswerTemplate.objects.filter(agency=world.pupr).count() == 1
