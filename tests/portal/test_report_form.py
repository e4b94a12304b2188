"""Filing a report on the web: the form, its check step, attachments, the receipt."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lapor.accounts.models import ReporterProfile
from lapor.agencies.models import RoutingRule
from lapor.reports.enums import Status
from lapor.reports.models import Report

from .conftest import jpeg_with_gps, published

FORM = {
    "kind": "complaint",
    "title": "Lampu jalan mati di Jalan Panglima Batur",
    "body": "Sudah dua minggu lampu jalan mati sehingga jalan gelap di malam hari.",
    "incident_date": "2026-01-05",
}


def input_tag(page: str, name: str) -> str:
    """The whole <input …> tag of the field called ``name``."""
    start = page.index(f'name="{name}"')
    return page[page.rindex("<", 0, start): page.index(">", start) + 1]


def post(client, **changes):
    data = {**FORM, **changes}
    return client.post("/lapor/", {k: v for k, v in data.items() if v is not None})


def test_a_visitor_must_sign_in_before_filing_a_report(client, db):
    response = client.get("/lapor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")


def test_the_form_explains_anonymous_and_confidential_and_that_an_anonymous_location_is_public(citizen_client, world):
    page = citizen_client.get("/lapor/").content.decode()
    assert "Identitas Anda disembunyikan dari instansi dan publik" in page
    # The pin and address of an anonymous report are shown (docs/decisions/0008).
    assert "termasuk titik lokasi dan alamat kejadian. Bila kejadiannya di rumah Anda sendiri, pilih juga Rahasia." in page
    assert "Seluruh laporan hanya dapat dibaca oleh Anda dan petugas yang menanganinya" in page


def test_topics_are_offered_in_their_own_order_each_with_its_sub_topics(citizen_client, world):
    import re

    from lapor.core.kept import forget
    from tests.factories import CategoryFactory

    roads = CategoryFactory(name="Pekerjaan Umum", position=1)
    transport = CategoryFactory(name="Perhubungan", position=2)
    CategoryFactory(name="Jalan rusak", parent=roads, position=1)
    CategoryFactory(name="Angkutan umum", parent=transport, position=1)  # sorts before "Pekerjaan Umum"
    forget()

    page = citizen_client.get("/lapor/").content.decode()

    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    assert groups.index("Pekerjaan Umum") < groups.index("Perhubungan")
    assert re.search(r'<optgroup label="Perhubungan">.*?Angkutan umum.*?</optgroup>', page, re.S)


def test_a_citizen_files_a_report_and_gets_the_tracking_id_and_the_deadline(citizen_client, world):
    response = post(citizen_client, category=str(world.category.pk), addressed_agency=str(world.pupr.pk))
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/laporan/{report.tracking_id}/terkirim/"
    assert report.reporter == world.citizen and report.status == Status.SUBMITTED
    receipt = citizen_client.get(response["Location"]).content.decode()
    assert report.tracking_id in receipt
    # The deadline in the addressed agency's zone (WITA), with the working days left.
    assert "WITA" in receipt and "hari kerja lagi" in receipt


def test_a_failed_validation_keeps_everything_typed_and_never_errors(citizen_client, world):
    response = post(citizen_client, title="", is_anonymous="on", address="Depan pasar Bauntung")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Laporan belum terkirim" in page
    assert FORM["body"] in page
    assert 'value="Depan pasar Bauntung"' in input_tag(page, "address")
    assert "checked" in input_tag(page, "is_anonymous")
    assert not Report.objects.exists()


def test_an_accepted_photo_is_kept_when_the_form_comes_back_with_an_error(citizen_client, world):
    photo = SimpleUploadedFile("jalan.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = citizen_client.post("/lapor/", {**FORM, "title": "", "attachments": [photo]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "jalan.jpg" in page and "tidak perlu dipilih lagi" in page
    token = page.split('name="staged" value="')[1].split('"')[0]
    response = citizen_client.post("/lapor/", {**FORM, "staged": token})
    report = Report.objects.get()
    attachment = report.attachments.get()
    with attachment.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert not stored.getexif(), "GPS and camera EXIF must be stripped before storing"


def test_each_refused_file_is_named_with_its_reason(citizen_client, world):
    script = SimpleUploadedFile("gambar.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml")
    empty = SimpleUploadedFile("kosong.pdf", b"", content_type="application/pdf")
    response = citizen_client.post("/lapor/", {**FORM, "attachments": [script, empty]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "gambar.svg tidak dapat diterima" in page
    assert "kosong.pdf kosong" in page
    assert not Report.objects.exists()


def test_another_citizen_cannot_use_someone_elses_staged_file(client, world):
    client.force_login(world.citizen)
    photo = SimpleUploadedFile("jalan.jpg", jpeg_with_gps(), content_type="image/jpeg")
    page = client.post("/lapor/", {**FORM, "title": "", "attachments": [photo]}).content.decode()
    token = page.split('name="staged" value="')[1].split('"')[0]
    client.force_login(world.other_citizen)
    client.post("/lapor/", {**FORM, "staged": token})
    assert Report.objects.get().attachments.count() == 0


def test_a_file_ticked_twice_is_attached_once_and_a_file_left_behind_is_removed_after_a_day(client, world):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from lapor.notifications.services import run_background_pass

    client.force_login(world.citizen)
    photo = SimpleUploadedFile("jalan.jpg", jpeg_with_gps(), content_type="image/jpeg")
    page = client.post("/lapor/", {**FORM, "title": "", "attachments": [photo]}).content.decode()
    token = page.split('name="staged" value="')[1].split('"')[0]
    client.post("/lapor/", {**FORM, "staged": [token, token], "checked": "True"})
    assert Report.objects.get().attachments.count() == 1

    left = SimpleUploadedFile("lain.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post("/lapor/", {**FORM, "title": "", "attachments": [left]})  # a form never sent again
    assert len(default_storage.listdir("staging")[1]) == 1
    run_background_pass(now=timezone.now(), deliver=False)
    assert len(default_storage.listdir("staging")[1]) == 1  # still usable today
    run_background_pass(now=timezone.now() + datetime.timedelta(days=1, minutes=1), deliver=False)
    assert default_storage.listdir("staging")[1] == []


def test_text_that_names_people_suggests_confidential_before_submitting(citizen_client, world):
    response = post(citizen_client, body="Pak Joko Widodo, kepala dinas, meminta uang pelicin.")
    page = response.content.decode()
    assert response.status_code == 200 and not Report.objects.exists()
    assert "memuat data pribadi" in page and "jadikan laporan ini rahasia" in page
    # The safe choice is the default: the box comes ticked; the citizen unticks it to publish.
    assert 'id="check_confidential" checked' in page
    # Everything typed is still there, and the second post (now confirmed) submits.
    assert "meminta uang pelicin" in page
    post(citizen_client, body="Pak Joko Widodo, kepala dinas, meminta uang pelicin.", checked="True", is_confidential="on")
    assert Report.objects.get().is_confidential


def test_a_citizen_who_unticks_confidential_at_the_check_gets_a_public_report(citizen_client, world):
    post(citizen_client, body="Pak Joko Widodo, kepala dinas, meminta uang pelicin.")
    post(citizen_client, body="Pak Joko Widodo, kepala dinas, meminta uang pelicin.", checked="True")
    assert not Report.objects.get().is_confidential


def test_likely_duplicates_are_offered_for_support_before_submitting(citizen_client, world):
    original = published(world, reporter=world.other_citizen, title="Lampu jalan mati di Panglima Batur",
                         body="Lampu jalan mati, jalan gelap di malam hari.", latitude=-3.44, longitude=114.83)
    response = post(citizen_client, category=str(world.category.pk), addressed_agency=str(world.pupr.pk),
                    latitude="-3.4401", longitude="114.8301")
    page = response.content.decode()
    assert not Report.objects.exclude(pk=original.pk).exists()
    assert "Mungkin masalah yang sama sudah dilaporkan" in page
    assert f'formaction="/laporan/{original.tracking_id}/dukung/"' in page
    citizen_client.post(f"/laporan/{original.tracking_id}/dukung/", {**FORM})
    original.refresh_from_db()
    assert original.support_count == 1


def test_the_routing_rules_suggest_an_agency_when_none_is_chosen(citizen_client, world, kalsel):
    RoutingRule.objects.create(category=world.category, region_id="63.72", agency=world.pupr)
    response = post(citizen_client, category=str(world.category.pk), province="63", regency="63.72")
    page = response.content.decode()
    assert "biasanya ditangani oleh <strong>Dinas PUPR Banjarbaru</strong>" in page
    assert f'<option value="{world.pupr.pk}" selected>' in page


def test_without_javascript_the_next_region_step_is_rendered_by_the_server(citizen_client, world, kalsel):
    response = citizen_client.post("/lapor/", {**FORM, "province": "63", "regency": "63.72", "refresh_region": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and not Report.objects.exists()
    assert 'value="63.72.02"' in page  # Banjarbaru's districts are offered now
    assert FORM["body"] in page


def test_the_deepest_region_chosen_is_the_reports_region(citizen_client, world, kalsel):
    post(citizen_client, province="63", regency="63.72", district="63.72.02", checked="True")
    assert Report.objects.get().region_id == "63.72.02"


def test_a_region_no_longer_under_the_chosen_province_is_dropped_not_an_error(citizen_client, world, kalsel):
    post(citizen_client, province="63", regency="11.01", checked="True")
    assert Report.objects.get().region_id == "63"


def test_coordinates_outside_indonesia_are_refused_by_the_service_as_a_field_error(citizen_client, world):
    response = post(citizen_client, latitude="48.85", longitude="2.35", checked="True")
    assert response.status_code == 400
    assert "di luar wilayah Indonesia" in response.content.decode()


def test_a_proxy_files_for_a_resident_who_gets_a_phone_only_account(client, world):
    client.force_login(world.proxy)
    page = client.get("/lapor/").content.decode()
    assert "Melapor atas nama warga" in page
    post(client, resident_name="Mak Inah", resident_phone="0812-7777-1234", checked="True")
    report = Report.objects.get()
    assert report.filed_by == world.proxy
    assert report.reporter.full_name == "Mak Inah"
    profile = ReporterProfile.objects.get(user=report.reporter)
    assert profile.is_phone_only and profile.phone == "+6281277771234"
    assert not report.reporter.has_usable_password()
    # The same resident again, under the same name: found by phone, no second account.
    post(client, resident_name=" Mak  Inah ", resident_phone="+62 812 7777 1234", checked="True")
    assert Report.objects.filter(reporter=report.reporter).count() == 2


def test_a_proxy_never_learns_whose_nik_or_phone_it_typed(client, world):
    """Another citizen's number under a made-up name is filed, like any other, under the
    name typed: no error, and nothing of the citizen's (tests/portal/test_proxy_filing.py)."""
    profile = world.other_citizen.profile
    client.force_login(world.proxy)

    response = post(client, resident_name="Nama Karangan", resident_phone=profile.phone, checked="True")

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.filed_by == world.proxy and report.reporter != world.other_citizen
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Nama Karangan (diajukan oleh Anda sebagai RT/RW)" in page
    assert world.other_citizen.full_name not in page
    # Under the very name the citizen registered with, it is filed for them.
    post(client, resident_name=f" {world.other_citizen.full_name} ", resident_phone=profile.phone,
         title="Lampu jalan kedua mati", checked="True")
    assert Report.objects.get(title="Lampu jalan kedua mati").reporter == world.other_citizen


def test_a_citizen_who_is_not_a_proxy_is_not_offered_to_file_for_others(citizen_client, world):
    assert "Melapor atas nama warga" not in citizen_client.get("/lapor/").content.decode()
    post(citizen_client, resident_name="Mak Inah", resident_phone="081277771234", checked="True")
    assert Report.objects.get().reporter == world.citizen


def test_whistleblowing_is_always_confidential(citizen_client, world):
    post(citizen_client, kind="whistleblowing", checked="True")
    assert Report.objects.get().is_confidential


def test_the_receipt_is_only_for_the_reporter(client, world):
    from .conftest import submitted

    report = submitted(world)
    client.force_login(world.other_citizen)
    assert client.get(f"/laporan/{report.tracking_id}/terkirim/").status_code == 404


def test_a_body_longer_than_the_limit_is_named_and_the_rest_is_kept(citizen_client, world):
    from lapor.reports.services import BODY_LENGTH

    response = post(citizen_client, body="a" * (BODY_LENGTH + 1), address="Depan pasar Bauntung")

    assert response.status_code == 400
    page = response.content.decode()
    assert f"paling banyak {BODY_LENGTH}" in page.replace(".", "").replace(",", "")
    assert 'value="Depan pasar Bauntung"' in input_tag(page, "address")
    assert f'maxlength="{BODY_LENGTH}"' in page  # the browser stops the typing there too
    assert not Report.objects.exists()


def test_a_body_of_invisible_characters_is_an_empty_body(citizen_client, world):
    response = post(citizen_client, body="\u200b\u200b \u2060\ufeff")

    assert response.status_code == 400
    assert "Bidang ini harus diisi." in response.content.decode()
    assert not Report.objects.exists()


def test_every_mistake_is_named_on_the_first_submit(citizen_client, world):
    """The form's own checks and the lifecycle's (the pin, the date) come back together,
    not one round after the other."""
    response = post(citizen_client, title="", latitude="48.85", longitude="2.35", incident_date="2999-01-01")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Bidang ini harus diisi." in page
    assert "di luar wilayah Indonesia" in page
    assert "Tanggal kejadian tidak boleh di masa depan." in page
    assert not Report.objects.exists()


def test_an_incident_date_before_the_republic_is_taken_for_a_typing_slip(citizen_client, world):
    response = post(citizen_client, incident_date="0001-01-01")

    assert response.status_code == 400
    assert "Tanggal kejadian tidak boleh sebelum 17 Agustus 1945" in response.content.decode()
    assert not Report.objects.exists()
