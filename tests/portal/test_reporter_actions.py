"""The reporter's side of the lifecycle on the report page: reply, rate, complete,
reopen (SPEC §4) — only what policy.allowed_actions offers, errors as messages."""
from lapor.reports.enums import Status
from lapor.reports.services import report_return

from .conftest import answered, published, submitted


def page_of(client, report) -> str:
    return client.get(f"/laporan/{report.tracking_id}/").content.decode()


def act(client, report, slug, **data):
    return client.post(f"/laporan/{report.tracking_id}/{slug}/", {f"{slug}-{k}": v for k, v in data.items()})


def test_a_reporter_not_satisfied_with_the_answer_replies_and_the_agency_must_answer_again(citizen_client, world):
    report = answered(world)
    page = page_of(citizen_client, report)
    assert "Belum puas? Tanggapi" in page and "Sudah puas?" in page
    response = act(citizen_client, report, "tanggapi", text="Lubangnya masih ada di sisi kiri.")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert "Lubangnya masih ada di sisi kiri." in page_of(citizen_client, report)


def test_an_empty_reply_is_refused_with_the_typed_form_kept_not_an_error_page(citizen_client, world):
    report = answered(world)
    response = act(citizen_client, report, "tanggapi", text="   ")
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


def test_a_satisfied_reporter_rates_the_answer_and_the_report_closes(citizen_client, world):
    report = answered(world)
    act(citizen_client, report, "nilai", comment="Cepat, terima kasih.")
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.followups.get().satisfied is True


def test_a_closed_report_can_be_reopened_once(citizen_client, world):
    report = answered(world)
    act(citizen_client, report, "nilai", comment="")
    assert "Buka kembali laporan" in page_of(citizen_client, report)
    act(citizen_client, report, "buka-kembali", reason="Lubang muncul lagi setelah hujan.")
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED and report.reopen_count == 1


def test_a_returned_report_is_completed_by_its_reporter(citizen_client, world):
    report = submitted(world)
    report_return(report=report, by=world.national_admin, missing="Sebutkan nama jalan dan RT.")
    page = page_of(citizen_client, report)
    assert "Sebutkan nama jalan dan RT." in page and "Lengkapi laporan" in page
    act(citizen_client, report, "lengkapi", addition="Jalan Kenanga RT 05.", address="Jalan Kenanga")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.address == "Jalan Kenanga"


def test_a_returned_report_is_completed_with_the_photo_and_the_pin_that_were_asked_for(citizen_client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from .conftest import jpeg_with_gps

    report = submitted(world)
    report_return(report=report, by=world.national_admin, missing="Titik lokasi dan foto jalannya.")
    page = page_of(citizen_client, report)
    assert 'enctype="multipart/form-data" data-pin-form' in page and 'id="map"' in page
    assert "leaflet/leaflet.js" in page

    photo = SimpleUploadedFile("jalan.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = citizen_client.post(f"/laporan/{report.tracking_id}/lengkapi/", {
        "lengkapi-addition": "Di depan SDN 1, lihat foto.", "lengkapi-latitude": "-3.44",
        "lengkapi-longitude": "114.83", "lengkapi-attachments": [photo]})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and (report.latitude, report.longitude) == (-3.44, 114.83)
    stored = report.attachments.get()
    with Image.open(stored.file.path) as image:
        assert 0x8825 not in image.getexif()  # where the photo was taken is not kept


def test_a_completion_with_an_error_keeps_the_text_and_the_accepted_photo(citizen_client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import jpeg_with_gps

    report = submitted(world)
    report_return(report=report, by=world.national_admin, missing="Foto jalannya.")
    photo = SimpleUploadedFile("jalan.jpg", jpeg_with_gps(), content_type="image/jpeg")
    bad = SimpleUploadedFile("skrip.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml")
    response = citizen_client.post(f"/laporan/{report.tracking_id}/lengkapi/", {
        "lengkapi-addition": "Fotonya terlampir.", "lengkapi-latitude": "-3.44", "lengkapi-attachments": [photo, bad]})

    assert response.status_code == 400
    page = response.content.decode()
    assert "skrip.svg" in page and "hanya foto" in page  # the bad file, named
    assert "Isi lintang dan bujur bersama-sama" in page
    assert "Fotonya terlampir." in page and "jalan.jpg" in page  # kept: nothing to type or pick again
    token = page.split('name="lengkapi-staged" value="')[1].split('"')[0]
    report.refresh_from_db()
    assert report.status == Status.RETURNED and not report.attachments.exists()

    citizen_client.post(f"/laporan/{report.tracking_id}/lengkapi/", {
        "lengkapi-addition": "Fotonya terlampir.", "lengkapi-staged": token})
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.attachments.count() == 1


def test_the_public_and_other_citizens_are_offered_no_reporter_action(client, world):
    report = answered(world)
    assert "Belum puas? Tanggapi" not in page_of(client, report)
    client.force_login(world.other_citizen)
    assert "Belum puas? Tanggapi" not in page_of(client, report)
    response = act(client, report, "tanggapi", text="Saya ikut menanggapi.")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


def test_an_action_the_status_no_longer_allows_becomes_a_message(citizen_client, world):
    report = published(world)  # dispatched, not answered yet
    response = act(citizen_client, report, "nilai", comment="")
    assert response.status_code == 302
    messages = citizen_client.get(response["Location"]).content.decode()
    assert "Tindakan “dinilai pelapor” tidak dapat dilakukan pada laporan berstatus “Terdisposisi”." in messages
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED


def test_a_citizen_supports_a_published_report_once(client, world):
    report = published(world)
    client.force_login(world.other_citizen)
    assert "Dukung: ini masalah saya juga" in page_of(client, report)
    client.post(f"/laporan/{report.tracking_id}/dukung/")
    client.post(f"/laporan/{report.tracking_id}/dukung/")
    report.refresh_from_db()
    assert report.support_count == 1
    assert "Anda mendukung laporan ini." in page_of(client, report)


def test_the_reporter_cannot_support_their_own_report(citizen_client, world):
    report = published(world)
    assert "Dukung: ini masalah saya juga" not in page_of(citizen_client, report)
    citizen_client.post(f"/laporan/{report.tracking_id}/dukung/")
    report.refresh_from_db()
    assert report.support_count == 0


def test_a_visitor_is_asked_to_sign_in_to_support(client, world):
    report = published(world)
    assert "Masuk untuk mendukung laporan ini" in page_of(client, report)
    assert client.post(f"/laporan/{report.tracking_id}/dukung/").status_code == 302
    report.refresh_from_db()
    assert report.support_count == 0


def test_my_reports_lists_everything_i_filed_and_marks_where_it_is_my_move(citizen_client, world):
    waiting = answered(world, is_confidential=True, title="Laporan rahasia saya")
    other = submitted(world, reporter=world.other_citizen, title="Laporan warga lain")
    page = citizen_client.get("/laporan-saya/").content.decode()
    assert waiting.tracking_id in page and "Menunggu tanggapan Anda." in page
    assert other.tracking_id not in page


def test_a_pin_outside_indonesia_is_named_with_the_other_errors_in_one_answer(citizen_client, world):
    report = submitted(world)
    report_return(report=report, by=world.national_admin, missing="Titik lokasi.")
    response = act(citizen_client, report, "lengkapi", addition="", latitude="52.5", longitude="13.4")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Titik lokasi berada di luar wilayah Indonesia." in page and "Bidang ini harus diisi." in page
    report.refresh_from_db()
    assert report.status == Status.RETURNED


def test_an_archived_report_tells_its_reporter_what_now(citizen_client, world):
    # "Diarsipkan: Spam." alone leaves the citizen with nothing to do: the page says what archiving means and what next.
    from lapor.reports.services import report_archive, report_submit

    report = report_submit(reporter=world.citizen, title="Jalan rusak", body="Rusak.", addressed_agency=world.pemkot)
    report_archive(report=report, by=world.agency_admin, reason="too_general", note="Sebutkan nama jalannya.")
    page = " ".join(citizen_client.get(f"/laporan/{report.tracking_id}/").content.decode().split())
    assert "Laporan ini diarsipkan:" in page and "tidak ditindaklanjuti" in page
    assert 'href="/lapor/">Kirim laporan baru</a>' in page and "Sebutkan nama jalannya." in page
