"""RT/RW representatives (SPEC §2, §6): the local government appoints a citizen to file
for the residents of a village; each appointment is audited; nothing outside its region."""
from lapor.accounts.models import ReporterProfile
from lapor.audit.models import AuditEntry
from tests.factories import RegionFactory


def regions(world):
    """Banjarbaru's and Banjar's villages; each government with its region."""
    city = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=RegionFactory(code="63"))
    district = RegionFactory(code="63.72.02", name="Landasan Ulin", parent=city)
    village = RegionFactory(code="63.72.02.1001", name="Guntung Manggis", parent=district)
    banjar = RegionFactory(code="63.03", name="Kabupaten Banjar", parent=RegionFactory(code="63"))
    elsewhere = RegionFactory(code="63.03.01.2001", name="Desa Lain",
                              parent=RegionFactory(code="63.03.01", name="Kecamatan", parent=banjar))
    world.pemkot.region, world.pemkab.region = city, banjar
    world.pemkot.save(), world.pemkab.save()
    return village, elsewhere


def test_the_city_admin_appoints_a_citizen_who_then_files_for_residents(world, as_user):
    village, _ = regions(world)
    admin = as_user(world.agency_admin)
    response = admin.post("/kantor/kelola/perwakilan/", {"username": world.other_citizen.username,
                                                         "region": "63.72.02.1001"})
    assert response.status_code == 302
    profile = ReporterProfile.objects.get(user=world.other_citizen)
    assert profile.is_proxy and profile.proxy_region == village
    page = admin.get("/kantor/kelola/perwakilan/").content.decode()
    assert "Guntung Manggis" in page and world.other_citizen.username in page
    entry = AuditEntry.objects.filter(object_label=world.other_citizen.username).get()
    assert entry.agency_path == world.pemkot.path and entry.changes["proxy_region"] == [None, f"{village.name} (63.72.02.1001)"]
    # The report form now offers filing for a resident.
    form = as_user(world.other_citizen).get("/lapor/").content.decode()
    assert "resident_name" in form
    # Dismissed: the form no longer does.
    admin.post(f"/kantor/kelola/perwakilan/{profile.pk}/cabut/")
    assert not ReporterProfile.objects.get(pk=profile.pk).is_proxy
    assert "resident_name" not in as_user(world.other_citizen).get("/lapor/").content.decode()


def test_an_appointment_outside_the_region_a_district_or_a_staff_account_is_refused_with_a_reason(world, as_user):
    regions(world)
    admin = as_user(world.agency_admin)
    cases = [
        ({"username": world.other_citizen.username, "region": "63.03.01.2001"}, "di luar wilayah instansi Anda"),
        ({"username": world.other_citizen.username, "region": "63.72.02"}, "Pilih kelurahan/desa"),
        ({"username": world.officer.username, "region": "63.72.02.1001"}, "Akun staf tidak dapat"),
        ({"username": "tidak.ada", "region": "63.72.02.1001"}, "Tidak ada akun"),
        ({"username": world.other_citizen.username, "region": "99.99.99.9999"}, "tidak dikenal"),
    ]
    for data, message in cases:
        response = admin.post("/kantor/kelola/perwakilan/", data)
        assert response.status_code == 400, data
        page = response.content.decode()
        assert message in page, (data, message)
        assert f'value="{data["username"]}"' in page  # what was typed is kept
    assert not ReporterProfile.objects.filter(user=world.other_citizen, is_proxy=True).exists()


def test_each_government_sees_and_dismisses_only_its_own_representatives(world, as_user):
    village, elsewhere = regions(world)
    proxy = ReporterProfile.objects.get(user=world.proxy)
    proxy.proxy_region = elsewhere  # Banjar's
    proxy.save()
    city = as_user(world.agency_admin)
    assert world.proxy.username not in city.get("/kantor/kelola/perwakilan/").content.decode()
    assert city.post(f"/kantor/kelola/perwakilan/{proxy.pk}/cabut/").status_code == 404
    assert ReporterProfile.objects.get(pk=proxy.pk).is_proxy
    banjar = as_user(world.other_agency_admin)
    assert world.proxy.username in banjar.get("/kantor/kelola/perwakilan/").content.decode()
    for person in (world.officer, world.unit_admin, world.citizen):
        assert as_user(person).get("/kantor/kelola/perwakilan/").status_code == 403
