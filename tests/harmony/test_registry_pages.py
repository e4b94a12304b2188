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
