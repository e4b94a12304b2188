"""Declaring and ending disasters in the back office: national admins anywhere, agency
admins only in their agency's region (and below it)."""
import pytest
from django.test import Client
from django.utils import timezone

from lapor.disasters.models import Disaster
from tests.office.staff import sign_in


@pytest.fixture
def as_staff(db):
    def make(user):
        return sign_in(Client(), user)
    return make


def form(setting, **fields):
    start = timezone.localtime().replace(second=0, microsecond=0)
    values = {"title": "Banjir Landasan Ulin", "description": "Genangan di jalan utama.",
              "category": str(setting.flood.pk), "region": "63.72.02", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
              "ends_at": "", "is_active": "on"}
    values.update(fields)
    return values


def test_an_agency_admin_declares_a_disaster_in_their_city_and_it_shows_on_the_home_page(as_staff, world, setting):
    client = as_staff(world.agency_admin)
    assert "Wilayah Anda: 63.72" in client.get("/kantor/darurat/").content.decode()
    response = client.post("/kantor/darurat/", form(setting))
    assert response.status_code == 302
    disaster = Disaster.objects.get()
    assert (disaster.region_id, disaster.category) == ("63.72.02", setting.flood)
    assert disaster.created_by == world.agency_admin
    assert "Tanggap darurat: Banjir Landasan Ulin" in Client().get("/").content.decode()


def test_an_agency_admin_cannot_declare_one_outside_their_region(as_staff, world, setting):
    client = as_staff(world.agency_admin)
    response = client.post("/kantor/darurat/", form(setting, region="63.03", title="Banjir Martapura"))
    assert response.status_code == 400
    assert "Wilayah ini di luar wilayah instansi Anda (63.72)." in response.content.decode()
    assert 'value="Banjir Martapura"' in response.content.decode()  # what was typed stays
    assert not Disaster.objects.exists()


def test_bad_dates_and_unknown_regions_are_explained(as_staff, world, setting):
    client = as_staff(world.national_admin)
    response = client.post("/kantor/darurat/", form(setting, region="99", ends_at="2020-01-01T00:00"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kode wilayah 99 tidak dikenal." in html
    assert "Waktu berakhir harus sesudah waktu mulai." in html


def test_the_national_admin_declares_anywhere_and_ends_it(as_staff, world, setting):
    client = as_staff(world.national_admin)
    client.post("/kantor/darurat/", form(setting, region="63", title="Banjir Kalimantan Selatan"))
    disaster = Disaster.objects.get()
    assert "Tanggap darurat" in Client().get("/").content.decode()
    client.post(f"/kantor/darurat/{disaster.pk}/akhiri/")
    disaster.refresh_from_db()
    assert not disaster.is_active and disaster.ends_at is not None
    assert "Tanggap darurat" not in Client().get("/").content.decode()


def test_an_agency_admin_sees_and_changes_only_their_regions_disasters(as_staff, world, setting, flood):
    theirs = flood(region=setting.banjar, title="Banjir Martapura")
    mine = flood(title="Banjir Banjarbaru")
    client = as_staff(world.agency_admin)
    listing = client.get("/kantor/darurat/").content.decode()
    assert "Banjir Banjarbaru" in listing and "Banjir Martapura" not in listing
    assert client.get(f"/kantor/darurat/{theirs.pk}/").status_code == 404
    assert client.post(f"/kantor/darurat/{theirs.pk}/akhiri/").status_code == 404

    changed = form(setting, region="63.72", title="Banjir besar Banjarbaru")
    response = client.post(f"/kantor/darurat/{mine.pk}/", changed)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.title, mine.region_id) == ("Banjir besar Banjarbaru", "63.72")


@pytest.mark.parametrize("persona", ["officer", "unit_admin", "inspector"])
def test_staff_without_an_admin_role_cannot_manage_disasters(as_staff, world, setting, persona):
    client = as_staff(getattr(world, persona))
    assert client.get("/kantor/darurat/").status_code == 403
    assert client.post("/kantor/darurat/", form(setting)).status_code == 403
    assert not Disaster.objects.exists()


def test_a_citizen_is_refused_and_someone_signed_out_is_sent_to_sign_in(client, world, setting):
    assert client.get("/kantor/darurat/").status_code == 302
    client.force_login(world.citizen)
    assert client.get("/kantor/darurat/").status_code == 403
