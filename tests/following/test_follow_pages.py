"""Follow and unfollow buttons on the public pages, and "Yang saya ikuti" (SPEC §9)."""
import pytest

from lapor.following.models import Follow
from lapor.following.services import follow_create
from lapor.reports import services
from tests.portal.conftest import kalsel  # noqa: F401  (Kalimantan Selatan's regions)


@pytest.fixture
def published(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu jalan mati di Jl. Trikora",
                                    body="Sudah seminggu gelap.", category=world.category,
                                    addressed_agency=world.pemkot)
    return services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_signed_in_citizen_follows_a_report_from_its_page_and_can_stop(client, world, published):
    client.force_login(world.other_citizen)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Ikuti laporan ini" in page

    response = client.post("/ikuti/tambah/", {"laporan": published.tracking_id, "next": published.get_absolute_url()},
                           follow=True)
    assert response.redirect_chain[-1][0] == published.get_absolute_url()
    assert any("Anda mengikuti ini" in m for m in messages_of(response))
    assert "Berhenti mengikuti" in response.content.decode()
    follow = Follow.objects.get(user=world.other_citizen)
    assert follow.report == published

    client.post(f"/ikuti/{follow.pk}/hapus/", {"next": published.get_absolute_url()})
    assert not Follow.objects.filter(user=world.other_citizen).exists()


def test_following_twice_keeps_one_follow(client, world, published):
    client.force_login(world.other_citizen)
    client.post("/ikuti/tambah/", {"laporan": published.tracking_id})
    response = client.post("/ikuti/tambah/", {"laporan": published.tracking_id}, follow=True)
    assert Follow.objects.filter(user=world.other_citizen).count() == 1
    assert any("sudah mengikuti" in m for m in messages_of(response))


def test_someone_signed_out_is_sent_to_sign_in_and_back(client, published):
    response = client.post("/ikuti/tambah/", {"laporan": published.tracking_id, "next": published.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/?next=")
    assert published.tracking_id in response["Location"]
    assert not Follow.objects.exists()


def test_a_confidential_report_offers_no_follow_button_and_cannot_be_followed(client, world):
    secret = services.report_submit(reporter=world.citizen, title="Pungutan liar di kelurahan", body="…",
                                    addressed_agency=world.pemkot, is_confidential=True)
    services.report_verify(report=secret, by=world.agency_admin, agency=world.pupr)
    client.force_login(world.citizen)  # its reporter sees the page, but it is not public
    assert "Ikuti laporan ini" not in client.get(secret.get_absolute_url()).content.decode()

    client.force_login(world.other_citizen)
    response = client.post("/ikuti/tambah/", {"laporan": secret.tracking_id}, follow=True)
    assert response.status_code == 200
    assert "Laporan tidak ditemukan." in messages_of(response)
    assert not Follow.objects.exists()


def test_the_public_list_follows_its_region_and_category_filter(client, world, kalsel):
    client.force_login(world.other_citizen)
    unfiltered = client.get("/laporan/").content.decode()
    assert "Pilih wilayah atau kategori untuk mengikuti" in unfiltered

    query = {"province": "63", "regency": "63.72", "category": str(world.category.pk)}
    page = client.get("/laporan/", query).content.decode()
    assert "Ikuti laporan baru: Kota Banjarbaru · Jalan Rusak" in page
    client.post("/ikuti/tambah/", {"wilayah": "63.72", "kategori": str(world.category.pk), "next": "/laporan/"})
    follow = Follow.objects.get(user=world.other_citizen)
    assert (follow.region_id, follow.category_id) == ("63.72", world.category.pk)
    assert "Berhenti mengikuti" in client.get("/laporan/", query).content.decode()


def test_the_map_follows_its_filter_and_offers_its_view_as_a_circle(client, world, kalsel):
    client.force_login(world.other_citizen)
    page = client.get("/peta/", {"wilayah": "63.72"}).content.decode()
    assert "Ikuti laporan baru: Kota Banjarbaru" in page
    assert 'id="ikuti-area-peta" hidden' in page  # shown by the map's script, with its centre

    client.post("/ikuti/tambah/", {"lat": "-3.44201", "lon": "114.83105", "radius": "4.26",
                                   "kategori": world.category.slug, "next": "/peta/"})
    follow = Follow.objects.get(user=world.other_citizen)
    assert (follow.latitude, follow.longitude, follow.radius_km, follow.category) == (
        -3.442, 114.8311, 4.3, world.category)


@pytest.mark.parametrize("data, message", [
    ({"lat": "-3.44", "lon": "114.83", "radius": "500"}, "Radius harus antara 0.1 dan 50 km."),
    ({"lat": "51.5", "lon": "-0.12", "radius": "5"}, "Titik pusat berada di luar wilayah Indonesia."),
    ({"lat": "-3.44", "lon": "abc", "radius": "5"}, "Masukkan sebuah bilangan."),
    ({"lat": "-3.44", "radius": "5"}, "Lingkaran peta memerlukan titik pusat dan radius."),
    ({"wilayah": "99.99"}, "Kode wilayah 99.99 tidak dikenal."),
    ({"kategori": "tidak-ada"}, "Kategori tidak dikenal."),
    ({}, "Pilih wilayah, area peta, atau kategori yang ingin diikuti."),
])
def test_a_bad_follow_request_is_told_what_is_wrong_and_follows_nothing(client, world, kalsel, data, message):
    client.force_login(world.other_citizen)
    response = client.post("/ikuti/tambah/", {**data, "next": "/peta/"}, follow=True)
    assert response.status_code == 200
    assert message in messages_of(response)
    assert not Follow.objects.exists()


def test_a_foreign_next_address_is_not_followed(client, world, kalsel):
    client.force_login(world.other_citizen)
    response = client.post("/ikuti/tambah/", {"wilayah": "63", "next": "https://jahat.example/"})
    assert response["Location"] == "/ikuti/"


def test_my_follows_lists_each_with_its_feed_and_removes_only_mine(client, world, kalsel, published):
    from lapor.regions.models import Region

    mine, _ = follow_create(user=world.other_citizen, region=Region.objects.get(code="63.72"), category=world.category)
    follow_create(user=world.other_citizen, report=published)
    theirs, _ = follow_create(user=world.citizen, region=Region.objects.get(code="63"))
    client.force_login(world.other_citizen)

    page = client.get("/ikuti/").content.decode()
    assert "Wilayah Kota Banjarbaru (63.72) · Kategori Jalan Rusak" in page
    assert f"/peta/atom.xml?wilayah=63.72&amp;kategori={world.category.slug}" in page
    assert f"Laporan #{published.tracking_id}" in page
    assert f"/laporan/{published.tracking_id}/atom.xml" in page
    assert "Kalimantan Selatan" not in page  # someone else's follow

    assert client.post(f"/ikuti/{theirs.pk}/hapus/").status_code == 404
    client.post(f"/ikuti/{mine.pk}/hapus/")
    assert list(Follow.objects.filter(user=world.other_citizen).values_list("report", flat=True)) == [published.pk]


def test_a_followed_report_that_stopped_being_public_shows_nothing_of_itself(client, world, published):
    follow_create(user=world.other_citizen, report=published)
    services.report_close(report=published, by=world.agency_admin, reason="Selesai")
    from lapor.reports.models import Report

    Report.objects.filter(pk=published.pk).update(is_confidential=True)  # e.g. corrected by an admin
    client.force_login(world.other_citizen)
    page = client.get("/ikuti/").content.decode()
    assert published.title not in page
    assert "Laporan yang tidak lagi dapat ditampilkan" in page


def test_the_follow_pages_read_in_english_after_the_language_switch(client, world, published):
    from django.utils import translation

    client.force_login(world.other_citizen)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        assert "Follow this report" in client.get(published.get_absolute_url()).content.decode()
        client.post("/ikuti/tambah/", {"laporan": published.tracking_id})
        page = client.get("/ikuti/").content.decode()
        assert "What I follow" in page and "Unfollow" in page and "Yang saya ikuti" not in page
    finally:
        translation.deactivate()
