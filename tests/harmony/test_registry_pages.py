"""The staff registry pages: operators edit and see contacts, the head and leadership read
figures and lists without contacts, others are kept out."""
from lapor.harmony.enums import OrganizationKind, OrganizationLevel, Religion, WorshipKind
from lapor.harmony.models import HouseOfWorship, Population, ReligiousOrganization


def registry(harmony):
    HouseOfWorship.objects.create(village=harmony.region("63.72.04.1003"), kind=WorshipKind.GEREJA,
                                  religion=Religion.KRISTEN, name="Gereja Kalimantan Evangelis Komet")
    ReligiousOrganization.objects.create(
        region=harmony.region("63.72.04"), name="Persekutuan Gereja Banjarbaru Utara",
        kind=OrganizationKind.ORGANIZATION, religion=Religion.KRISTEN, level=OrganizationLevel.DISTRICT,
        contact_name="Sekretariat PGI", contact_phone="+6281351112222", contact_email="pgi@example.id",
    )


def test_the_operator_sees_the_district_registry_with_contacts(harmony, as_user):
    registry(harmony)

    html = as_user(harmony.operator).get("/kantor/silapat/wilayah/63.72.04/").content.decode()

    assert "Gereja Kalimantan Evangelis Komet" in html
    assert "+6281351112222" in html and "Ubah" in html


def test_the_leadership_reads_the_registry_without_contacts(harmony, as_user):
    registry(harmony)

    response = as_user(harmony.leadership).get("/kantor/silapat/wilayah/63.72.04/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Persekutuan Gereja Banjarbaru Utara" in html
    assert "+6281351112222" not in html and "Sekretariat PGI" not in html


def test_the_office_page_lists_the_organisations_registered_above_the_districts(harmony, as_user):
    registry(harmony)  # a district's organisation, listed on its district's page
    mui = ReligiousOrganization.objects.create(
        region=harmony.region("63.72"), name="Majelis Ulama Indonesia Kota Banjarbaru", religion=Religion.ISLAM,
        kind=OrganizationKind.INSTITUTION, level=OrganizationLevel.REGENCY, contact_phone="+6251112345601")

    operators = as_user(harmony.operator).get("/kantor/silapat/").content.decode()
    leaders = as_user(harmony.leadership).get("/kantor/silapat/").content.decode()

    assert "Majelis Ulama Indonesia Kota Banjarbaru" in operators and "+6251112345601" in operators
    assert f"/kantor/silapat/ubah/organisasi/{mui.pk}/" in operators
    assert "Persekutuan Gereja Banjarbaru Utara" not in operators  # on Banjarbaru Utara's page
    assert "Majelis Ulama Indonesia Kota Banjarbaru" in leaders and "+6251112345601" not in leaders


def test_a_region_outside_the_office_area_is_not_found(harmony, as_user):
    assert as_user(harmony.operator).get("/kantor/silapat/wilayah/63.03.01/").status_code == 404


def test_the_operator_adds_a_population_figure_in_the_office_area_only(harmony, as_user):
    client = as_user(harmony.operator)

    ok = client.post("/kantor/silapat/ubah/penduduk/baru/", {"village": "63.72.02.1005", "year": "2025",
                                                            "religion": "hindu", "count": "20"})
    outside = client.post("/kantor/silapat/ubah/penduduk/baru/", {"village": "63.03.01.2001", "year": "2025",
                                                                 "religion": "hindu", "count": "20"})

    assert ok.status_code == 302
    assert outside.status_code == 200  # the form again, with the village refused
    assert list(Population.objects.values_list("village_id", "count")) == [("63.72.02.1005", 20)]


def test_people_outside_the_office_cannot_read_the_registry(harmony, as_user):
    world = harmony.world
    for person in (world.citizen, world.agency_admin, world.officer):
        assert as_user(person).get("/kantor/silapat/").status_code == 403, person


HOUSE = {"village": "63.72.04.1001", "kind": "pura", "religion": "hindu", "name": "Pura Jagat Natha",
         "address": "Jl. A. Yani", "latitude": "-3.44", "longitude": "114.83"}


def refused(response) -> dict:
    """The form again (200) with its messages per field, and what was typed still in it."""
    assert response.status_code == 200
    form = response.context["form"]
    return {field: " ".join(messages) for field, messages in form.errors.items()}


def test_the_house_form_applies_the_import_rules_on_each_field(harmony, as_user):
    client = as_user(harmony.operator)
    url = "/kantor/silapat/ubah/rumah-ibadah/baru/"

    religion = client.post(url, {**HOUSE, "religion": "islam"})
    half_pin = client.post(url, {**HOUSE, "longitude": ""})
    abroad = client.post(url, {**HOUSE, "latitude": "40", "longitude": "10"})

    assert refused(religion) == {"religion": "Pura bukan rumah ibadah umat Islam."}
    assert refused(half_pin) == {"longitude": "Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."}
    assert refused(abroad) == {"latitude": "Titik lokasi berada di luar wilayah Indonesia."}
    assert 'value="Pura Jagat Natha"' in abroad.content.decode() and 'value="40"' in abroad.content.decode()
    assert not HouseOfWorship.objects.exists()
    assert client.post(url, HOUSE).status_code == 302


def test_a_duplicate_house_is_refused_in_plain_words(harmony, as_user):
    client = as_user(harmony.operator)
    client.post("/kantor/silapat/ubah/rumah-ibadah/baru/", HOUSE)

    again = client.post("/kantor/silapat/ubah/rumah-ibadah/baru/", HOUSE)

    assert refused(again) == {
        "__all__": "Rumah ibadah dengan jenis dan nama ini sudah terdaftar di kelurahan/desa ini."}
    assert HouseOfWorship.objects.count() == 1


def test_the_population_form_refuses_an_unlikely_year(harmony, as_user):
    client = as_user(harmony.operator)
    figure = {"village": "63.72.02.1005", "religion": "hindu", "count": "20"}

    for year in ("26", "2031"):
        assert refused(client.post("/kantor/silapat/ubah/penduduk/baru/", {**figure, "year": year})) == {
            "year": f"Tahun {year} tidak masuk akal."}
    assert not Population.objects.exists()


def test_the_organisation_form_normalises_the_phone_and_checks_the_address(harmony, as_user):
    client = as_user(harmony.operator)
    url = "/kantor/silapat/ubah/organisasi/baru/"
    organization = {"region": "63.72.04", "name": "Forum Pemuda Lintas Iman", "kind": "organisasi",
                    "religion": "islam", "level": "kecamatan", "contact_name": "Budi",
                    "contact_phone": "0812-5123-4567", "contact_email": "Budi@Example.id"}

    bad = client.post(url, {**organization, "contact_phone": "555-1234", "contact_email": "budi@example"})
    good = client.post(url, organization)

    assert refused(bad) == {"contact_phone": "Nomor telepon “555-1234” tidak valid.",
                            "contact_email": "Alamat e-mail “budi@example” tidak valid."}
    assert good.status_code == 302
    saved = ReligiousOrganization.objects.get()
    assert (saved.contact_phone, saved.contact_email) == ("+6281251234567", "budi@example.id")


def test_the_leadership_is_told_the_edit_pages_are_for_kesbangpol_operators(harmony, as_user):
    for path in ("/kantor/silapat/ubah/rumah-ibadah/baru/", "/kantor/silapat/impor/"):
        response = as_user(harmony.leadership).get(path)

        assert response.status_code == 403
        text = " ".join(response.content.decode().split())
        assert "hanya dapat dilakukan operator Kesbangpol" in text
        assert "hanya untuk operator Kesbangpol, kepala Kesbangpol dan pimpinan daerah" not in text


def test_the_organisation_form_says_when_the_level_is_not_the_regions(harmony, as_user):
    client = as_user(harmony.operator)
    organization = {"region": "63.72.04", "name": "Forum Pemuda Lintas Iman", "kind": "organisasi",
                    "religion": "islam", "level": "desa"}

    response = client.post("/kantor/silapat/ubah/organisasi/baru/", organization)

    assert refused(response) == {"level": "Tingkat Desa/Kelurahan tidak cocok dengan wilayah Banjarbaru Utara "
                                          "(Kecamatan): pilih wilayah tingkat kelurahan/desa, atau ubah tingkatnya."}
    assert 'value="Forum Pemuda Lintas Iman"' in response.content.decode()
    assert not ReligiousOrganization.objects.exists()
