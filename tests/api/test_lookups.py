"""What an app reads to fill its pickers before filing a report (SPEC §7): the categories,
regions and agencies that submit takes, listed as the website's report form offers them,
to anyone without a token; a bad parameter is a 400 that says what is wrong, in the
reader's language."""
import re

import pytest
from django.test import Client

from lapor.agencies.models import Agency
from lapor.reports.models import Report

from ..factories import AgencyFactory, CategoryFactory, RegionFactory


@pytest.fixture
def regions(db):
    province = RegionFactory(code="63", name="Kalimantan Selatan")
    city = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=province)
    RegionFactory(code="63.03", name="Kabupaten Banjar", parent=province)
    district = RegionFactory(code="63.72.02", name="Landasan Ulin", parent=city)
    RegionFactory(code="63.72.02.1001", name="Guntung Manggis", parent=district)
    RegionFactory(code="64", name="Kalimantan Timur")
    return city


def results(response) -> list:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def submit(api, world, **fields):
    return api(world.citizen).post("/api/v1/reports/", {"title": "Jalan berlubang", "body": "Sudah sebulan.",
                                                         **fields}, format="json")


# --- categories ------------------------------------------------------------------------------


def test_categories_list_each_active_topic_then_its_sub_topics_as_the_website_offers_them(world, api):
    roads = world.category  # "Jalan Rusak", a topic
    pothole = CategoryFactory(name="Jalan Berlubang", slug="jalan-berlubang", parent=roads, position=2)
    CategoryFactory(name="Trotoar", slug="trotoar", parent=roads, position=1)
    CategoryFactory(name="Jembatan", slug="jembatan", parent=roads, is_active=False)
    closed_topic = CategoryFactory(name="Topik Lama", slug="topik-lama", is_active=False)
    CategoryFactory(name="Sub Lama", slug="sub-lama", parent=closed_topic)

    listed = results(api().get("/api/v1/categories/"))

    assert listed == [
        {"slug": "jalan-rusak", "name": "Jalan Rusak", "topic": None},
        {"slug": "trotoar", "name": "Trotoar", "topic": "jalan-rusak"},
        {"slug": "jalan-berlubang", "name": "Jalan Berlubang", "topic": "jalan-rusak"},
    ]
    assert submit(api, world, category=pothole.slug).status_code == 201


def test_every_listed_category_and_only_those_is_what_the_website_form_offers(world, api):
    CategoryFactory(name="Trotoar", slug="trotoar", parent=world.category)
    CategoryFactory(name="Jembatan", slug="jembatan", parent=world.category, is_active=False)
    client = Client()
    client.force_login(world.citizen)
    form = client.get("/lapor/").content.decode()

    listed = results(api().get("/api/v1/categories/"))

    assert [c["name"] for c in listed] == ["Jalan Rusak", "Trotoar"]
    assert all(c["name"] in form for c in listed) and "Jembatan" not in form


# --- regions ---------------------------------------------------------------------------------


def test_regions_start_with_the_provinces(world, api, regions):
    listed = results(api().get("/api/v1/regions/"))
    assert [(r["code"], r["level"], r["level_label"]) for r in listed] == [
        ("63", 1, "Provinsi"), ("64", 1, "Provinsi")]


def test_regions_go_one_level_below_a_parent_with_the_code_submit_takes(world, api, regions):
    cities = results(api().get("/api/v1/regions/", {"parent": "63"}))
    assert [(r["code"], r["name"], r["level"]) for r in cities] == [
        ("63.03", "Kabupaten Banjar", 2), ("63.72", "Kota Banjarbaru", 2)]
    villages = results(api().get("/api/v1/regions/", {"parent": "637202"}))  # written without dots, as submit allows
    assert [(r["code"], r["level_label"]) for r in villages] == [("63.72.02.1001", "Kelurahan/Desa")]
    assert results(api().get("/api/v1/regions/", {"parent": "63.72.02.1001"})) == []
    filed = submit(api, world, region=villages[0]["code"])
    assert filed.status_code == 201 and Report.objects.get().region_id == "63.72.02.1001"


def test_regions_are_what_the_websites_region_picker_offers(world, api, regions):
    picker = Client().get("/wilayah.json", {"induk": "63"}).json()["regions"]
    listed = results(api().get("/api/v1/regions/", {"parent": "63"}))
    assert [(r["code"], r["name"]) for r in listed] == [(r["code"], r["name"]) for r in picker]


def test_a_name_search_narrows_a_step_and_without_a_parent_finds_cities_too(world, api, regions):
    assert [r["code"] for r in results(api().get("/api/v1/regions/", {"parent": "63", "q": "banjarbaru"}))] == ["63.72"]
    assert [r["code"] for r in results(api().get("/api/v1/regions/", {"q": "BANJAR"}))] == ["63.03", "63.72"]
    assert [r["code"] for r in results(api().get("/api/v1/regions/", {"q": "kalimantan"}))] == ["63", "64"]


@pytest.mark.parametrize("parent,message", [
    ("99.99", "Kode wilayah 99.99 tidak dikenal."),
    ("banjarbaru", "Kode wilayah “banjarbaru” tidak berbentuk kode wilayah (contoh: 63.72.02.1001)."),
])
def test_an_unknown_or_malformed_parent_is_a_400_naming_it(world, api, regions, parent, message):
    response = api().get("/api/v1/regions/", {"parent": parent})
    assert response.status_code == 400 and response.json() == {"parent": [message]}


def test_a_bad_parameter_is_named_in_english_when_the_app_asks_for_it(world, api, regions):
    response = api().get("/api/v1/regions/", {"parent": "99.99"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json() == {"parent": ["Region code 99.99 is not recognised."]}


# --- agencies --------------------------------------------------------------------------------


def test_agencies_are_every_active_agency_the_website_form_offers_in_tree_order(world, api):
    closed = AgencyFactory(name="Dinas Lama", slug="dinas-lama", parent=world.pemkot, is_active=False)
    client = Client()
    client.force_login(world.citizen)
    form = client.get("/lapor/").content.decode()

    listed = results(api().get("/api/v1/agencies/"))

    slugs = [a["slug"] for a in listed]
    assert closed.slug not in slugs
    assert slugs[:4] == ["kemenpanrb", "pemkot", "pupr", "bina-marga"]
    offered = re.findall(r'<option value="(\d+)"', form.split('name="addressed_agency"')[1].split("</select>")[0])
    assert sorted(slugs) == sorted(Agency.objects.filter(pk__in=offered).values_list("slug", flat=True))
    pupr = next(a for a in listed if a["slug"] == "pupr")
    assert pupr["parent"] == "pemkot" and pupr["name"] == "Dinas PUPR Banjarbaru"
    assert submit(api, world, addressed_agency="bina-marga").status_code == 201


def test_agencies_are_found_by_region_and_by_name(world, api, regions):
    for agency in (world.pemkot, world.pupr, world.bina_marga):
        agency.region = regions
        agency.save()
    RegionFactory(code="63.03", name="Kabupaten Banjar")
    world.pemkab.region_id = "63.03"
    world.pemkab.save()

    in_the_city = [a["slug"] for a in results(api().get("/api/v1/agencies/", {"region": "63.72"}))]
    in_the_province = [a["slug"] for a in results(api().get("/api/v1/agencies/", {"region": "63"}))]
    named = [a["slug"] for a in results(api().get("/api/v1/agencies/", {"q": "pupr"}))]

    assert in_the_city == ["pemkot", "pupr", "bina-marga"]
    assert in_the_province == ["pemkot", "pupr", "bina-marga", "pemkab"]
    assert named == ["pupr", "pupr-banjar"]


def test_an_unknown_region_for_agencies_is_a_400(world, api):
    response = api().get("/api/v1/agencies/", {"region": "99"})
    assert response.status_code == 400 and response.json() == {"region": ["Kode wilayah 99 tidak dikenal."]}


# --- all three -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/categories/", "/api/v1/regions/", "/api/v1/agencies/"])
def test_the_lists_need_no_token_and_take_one(world, api, regions, path):
    assert api().get(path).status_code == 200
    assert api(world.citizen).get(path).status_code == 200


LISTS = ["/api/v1/categories/", "/api/v1/regions/", "/api/v1/agencies/"]


@pytest.mark.parametrize("params,field,message", [
    ({"page": "0"}, "page", "Isi dengan bilangan bulat mulai dari 1."),
    ({"page": "dua"}, "page", "Isi dengan bilangan bulat mulai dari 1."),
    ({"page": "9"}, "page", "Halaman 9 tidak ada: hanya ada 1 halaman."),
    ({"page_size": "-5"}, "page_size", "Isi dengan bilangan bulat mulai dari 1."),
    ({"page_size": "501"}, "page_size", "Paling banyak 500 per halaman."),
    ({"page": "1\x00"}, "page", "Karakter NUL tidak diperbolehkan."),
])
@pytest.mark.parametrize("path", LISTS)
def test_a_bad_page_is_a_400_naming_it_never_a_404_or_a_500(world, api, regions, path, params, field, message):
    response = api().get(path, params)
    assert response.status_code == 400 and response.json() == {field: [message]}


@pytest.mark.parametrize("q,message", [
    ("x" * 101, "Kata pencarian paling panjang 100 karakter."),
    ("jalan\x00", "Karakter NUL tidak diperbolehkan."),
])
@pytest.mark.parametrize("path", LISTS[1:])
def test_a_bad_search_is_a_400_naming_it(world, api, regions, path, q, message):
    response = api().get(path, {"q": q})
    assert response.status_code == 400 and response.json() == {"q": [message]}


def test_a_long_list_comes_in_pages(world, api):
    for n in range(5):
        AgencyFactory(name=f"Kecamatan {n}", slug=f"kecamatan-{n}", parent=world.pemkot)
    first = api().get("/api/v1/agencies/", {"page_size": 4}).json()
    assert first["count"] == 15 and len(first["results"]) == 4 and first["next"]
    last = api().get("/api/v1/agencies/", {"page_size": 4, "page": 4}).json()
    assert len(last["results"]) == 3 and last["next"] is None


def test_the_lists_are_in_the_schema_with_their_parameters(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, parameters in (("/api/v1/categories/", {"page", "page_size"}),
                             ("/api/v1/regions/", {"page", "page_size", "parent", "q"}),
                             ("/api/v1/agencies/", {"page", "page_size", "region", "q"})):
        operation = schema["paths"][path]["get"]
        assert operation["description"] and {p["name"] for p in operation["parameters"]} == parameters
        assert "400" in operation["responses"]
    assert "/api/v1/reports/{tracking_id}/attachments/{id}/" in schema["paths"]
