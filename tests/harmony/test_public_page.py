"""The public /silapat/ page: registry figures, a visitor counter, the SOP pages; never
personal data."""
import datetime

import pytest

from django.utils import timezone

from lapor.harmony.enums import OrganizationKind, OrganizationLevel, Religion, WorshipKind
from lapor.harmony.models import HouseOfWorship, Population, ReligiousOrganization, VisitorCount


def test_the_public_page_shows_the_figures_but_no_personal_data(harmony, incident, client):
    ReligiousOrganization.objects.create(
        region=harmony.region("63.72.02.1005"), name="Majelis Taklim Guntung Manggis",
        kind=OrganizationKind.ORGANIZATION, religion=Religion.ISLAM, level=OrganizationLevel.VILLAGE,
        contact_name="Ibu Hajah Salmah", contact_phone="+6281351112222", contact_email="salmah.taklim@example.id",
    )
    for name in ("Masjid Al-Ikhlas", "Masjid Nurul Iman"):
        HouseOfWorship.objects.create(village=harmony.region("63.72.02.1005"), kind=WorshipKind.MASJID,
                                      religion=Religion.ISLAM, name=name)
    HouseOfWorship.objects.create(village=harmony.region("63.72.04.1003"), kind=WorshipKind.GEREJA,
                                  religion=Religion.KATOLIK, name="Gereja Santo Yosef")
    Population.objects.create(village=harmony.region("63.72.02.1005"), year=2025, religion=Religion.ISLAM,
                              count=12377)
    incident(level=3, body="Pak Rahmat Hidayat mengerahkan massa.", groups="Jemaat Gereja Bethel")

    html = client.get("/silapat/").content.decode()

    assert "Landasan Ulin" in html and "Banjarbaru Utara" in html
    assert "12.377" in html or "12,377" in html
    for secret in ("Salmah", "+6281351112222", "081351112222", "salmah.taklim@example.id",
                   "Rahmat Hidayat", "Jemaat Gereja Bethel", "mengerahkan massa", "Ketegangan soal"):
        assert secret not in html, secret


def test_one_village_counted_anew_leaves_the_other_villages_population_in_its_district(harmony, client):
    from lapor.harmony.selectors import registry_figures

    Population.objects.create(village=harmony.region("63.72.02.1005"), year=2025, religion=Religion.ISLAM, count=12000)
    Population.objects.create(village=harmony.region("63.72.02.1005"), year=2025, religion=Religion.KATOLIK, count=377)
    Population.objects.create(village=harmony.region("63.72.02.1004"), year=2025, religion=Religion.ISLAM, count=9000)
    Population.objects.create(village=harmony.region("63.72.02.1004"), year=2026, religion=Religion.ISLAM, count=9500)
    [district] = [d for d in registry_figures() if d.code == "63.72.02"]
    assert district.population_by_religion == {Religion.ISLAM: 21500, Religion.KATOLIK: 377}
    assert district.population_years == "2025–2026"
    html = client.get("/silapat/").content.decode()
    assert "21.877" in html and "2025–2026" in html


def test_organisations_above_the_districts_are_said_beside_the_table(harmony, client):
    ReligiousOrganization.objects.create(
        region=harmony.region("63.72"), name="MUI Kota Banjarbaru", kind=OrganizationKind.ORGANIZATION,
        religion=Religion.ISLAM, level=OrganizationLevel.VILLAGE)
    html = " ".join(client.get("/silapat/").content.decode().split())
    assert "Selain itu, 1 organisasi terdaftar di tingkat kabupaten/kota atau provinsi" in html


def test_each_visit_to_the_public_page_is_counted_per_day(harmony, client):
    client.get("/silapat/")
    response = client.get("/silapat/")

    today = timezone.localdate()
    assert VisitorCount.objects.get(day=today).count == 2
    assert "Pengunjung hari ini: 2" in response.content.decode()
    VisitorCount.objects.create(day=today - datetime.timedelta(days=1), count=40)
    assert "Seluruhnya: 43" in client.get("/silapat/").content.decode()


def test_the_operator_sop_is_in_app_help_in_indonesian(harmony, client):
    response = client.get("/silapat/panduan/operator/")

    assert response.status_code == 200
    assert "Mengimpor berkas CSV" in response.content.decode()
    assert client.get("/silapat/panduan/tidak-ada/").status_code == 404


def test_a_signed_in_citizen_reports_an_incident_from_the_silapat_page(harmony, client):
    client.force_login(harmony.world.citizen)

    response = client.post("/silapat/lapor/", {
        "title": "Penolakan kegiatan ibadah", "body": "Sekelompok orang membubarkan kebaktian.",
        "tension_kind": "antar", "groups": "Jemaat rumah doa", "village": "63.72.02.1005",
    })

    report = harmony.world.citizen.reports.get()
    assert response.status_code == 302 and response["Location"] == f"/laporan/{report.tracking_id}/terkirim/"
    assert report.is_confidential and report.addressed_agency == harmony.kesbangpol
    receipt = client.get(response["Location"]).content.decode()
    assert report.tracking_id in receipt and "Laporan ini rahasia" in receipt


def test_a_silapat_report_with_a_mistake_comes_back_as_a_bad_request_with_what_was_typed(harmony, client):
    client.force_login(harmony.world.citizen)
    response = client.post("/silapat/lapor/", {
        "title": "", "body": "Sekelompok orang membubarkan kebaktian.", "tension_kind": "antar",
        "groups": "Jemaat rumah doa", "village": "63.72.02.1005"})
    assert response.status_code == 400
    assert "Sekelompok orang membubarkan kebaktian." in response.content.decode()
    assert not harmony.world.citizen.reports.exists()


def test_the_silapat_form_keeps_the_same_per_account_limit_as_every_other_way_of_filing(harmony, client, settings):
    settings.LAPOR_SUBMIT_PER_HOUR = 1
    client.force_login(harmony.world.citizen)
    incident = {"title": "Penolakan kegiatan ibadah", "body": "Sekelompok orang membubarkan kebaktian.",
                "tension_kind": "antar", "groups": "Jemaat rumah doa", "village": "63.72.02.1005"}
    assert client.post("/silapat/lapor/", incident).status_code == 302

    again = {**incident, "title": "Spanduk provokatif di depan masjid"}
    response = client.post("/silapat/lapor/", again)

    assert response.status_code == 429
    page = response.content.decode()
    assert "laporan berikutnya dapat dikirim setelah" in page
    assert again["title"] in page and again["body"] in page  # what was typed stays
    assert harmony.world.citizen.reports.count() == 1


@pytest.mark.django_db(transaction=True)
def test_silapat_reports_sent_all_at_once_at_the_limit_get_in_only_as_far_as_the_limit(harmony, settings):
    import itertools

    from django.test import Client

    from tests.api.concurrency import concurrently

    settings.LAPOR_SUBMIT_PER_HOUR = 1
    numbers = itertools.count()

    def send():
        client = Client()
        client.force_login(harmony.world.citizen)
        return client.post("/silapat/lapor/", {
            "title": f"Penolakan kegiatan ibadah {next(numbers)}", "body": "Sekelompok orang membubarkan kebaktian.",
            "tension_kind": "antar", "groups": "Jemaat rumah doa", "village": "63.72.02.1005"}).status_code

    codes = concurrently(send, times=3)  # at once on PostgreSQL; one after the other on SQLite
    assert sorted(codes) == [302, 429, 429]
    assert harmony.world.citizen.reports.count() == 1
