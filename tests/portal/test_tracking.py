"""Finding a report by its tracking ID (SPEC §3, §7)."""
from lapor.reports.tracking import damm_check_digit

from .conftest import published, submitted


def typo_of(tracking_id: str) -> str:
    """The same ID with its first two digits swapped (or one digit changed if equal)."""
    a, b = tracking_id[0], tracking_id[1]
    if a != b:
        return b + a + tracking_id[2:]
    return tracking_id[0] + str((int(b) + 1) % 10) + tracking_id[2:]


def test_a_published_report_is_found_by_anyone_and_shows_its_public_page(client, world):
    report = published(world)
    response = client.get("/lacak/", {"id": f"#{report.tracking_id[:3]} {report.tracking_id[3:]}"})
    assert response.status_code == 302 and response["Location"] == f"/laporan/{report.tracking_id}/"
    page = client.get(response["Location"]).content.decode()
    assert report.title in page and "Riwayat" in page


def test_a_mistyped_tracking_id_gets_a_clear_message_not_a_search(client, world):
    report = published(world)
    response = client.get("/lacak/", {"id": typo_of(report.tracking_id)})
    assert response.status_code == 400
    assert "Nomor pelacakan tidak valid" in response.content.decode()


def test_a_well_formed_id_of_no_report_is_not_found(client, db):
    body = "12345678"
    response = client.get("/lacak/", {"id": body + damm_check_digit(body)})
    assert response.status_code == 404
    assert "Laporan tidak ditemukan" in response.content.decode()


def test_an_unverified_report_is_not_found_by_others_but_found_by_its_reporter(client, world):
    report = submitted(world)
    assert client.get("/lacak/", {"id": report.tracking_id}).status_code == 404
    client.force_login(world.other_citizen)
    assert client.get("/lacak/", {"id": report.tracking_id}).status_code == 404
    client.force_login(world.citizen)
    response = client.get("/lacak/", {"id": report.tracking_id})
    assert response["Location"] == f"/laporan/{report.tracking_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "Admin memverifikasi laporan" in page and "Batas waktu" in page


def test_the_reporter_sees_the_deadline_in_the_responsible_agencys_zone(client, world):
    report = published(world)
    client.force_login(world.citizen)
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Instansi yang berwenang wajib memberi tindak lanjut" in page
    assert "WITA" in page


def test_the_public_page_shows_each_file_under_the_report_or_answer_it_came_with(
        client, world, settings, tmp_path, django_assert_num_queries):
    """The report's own photo under "Lampiran", each answer's file under that answer; one
    query reads them all, however many answers carry files. (Read by a signed-in citizen,
    for whom the page is rendered on every request; the public's copy is kept, see
    test_report_page_kept.py.)"""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lapor.reports.attachments import attachment_store, clean_upload
    from lapor.reports.services import report_answer

    from .conftest import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path

    def photo(name):
        return clean_upload(SimpleUploadedFile(name, jpeg_with_gps()))

    report = published(world)
    own = attachment_store(report=report, clean=photo("lubang.jpg"), by=world.citizen)
    first = report_answer(report=report, by=world.unit_admin, body="Tim sudah meninjau lokasi.")
    on_first = attachment_store(report=report, followup=first, clean=photo("tinjau.jpg"), by=world.officer)
    url = f"/laporan/{report.tracking_id}/"

    def links(page, pk):
        return page.count(f"/laporan/{report.tracking_id}/lampiran/{pk}/")

    client.force_login(world.other_citizen)
    client.get(url)  # kept reference rows warm
    with CaptureQueriesContext(connection) as one_answer:
        page = client.get(url).content.decode()
    assert sum('FROM "reports_attachment"' in q["sql"] for q in one_answer.captured_queries) == 1
    assert links(page, own.pk) == 1 and links(page, on_first.pk) == 1
    # The report's file is listed before the answers; the answer's file after its text.
    assert page.index(f"lampiran/{own.pk}/") < page.index("Tim sudah meninjau lokasi.") < page.index(
        f"lampiran/{on_first.pk}/")

    second = report_answer(report=report, by=world.unit_admin, body="Lubang sudah ditambal.")
    on_second = [attachment_store(report=report, followup=second, clean=photo(f"tambal{n}.jpg"), by=world.officer)
                 for n in range(2)]
    with django_assert_num_queries(len(one_answer.captured_queries)):
        page = client.get(url).content.decode()
    assert [links(page, a.pk) for a in [own, on_first, *on_second]] == [1, 1, 1, 1]
    assert page.index("Lubang sudah ditambal.") < page.index(f"lampiran/{on_second[0].pk}/")
    assert page.index(f"lampiran/{on_first.pk}/") < page.index("Lubang sudah ditambal.")


def test_everyone_sees_the_60_day_outer_limit_of_a_published_report(client, world):
    from zoneinfo import ZoneInfo

    from django.utils import formats

    report = published(world)
    limit = report.outer_due_at.astimezone(ZoneInfo(report.assigned_agency.time_zone))
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert f"wajib selesai paling lambat {formats.date_format(limit, 'j F Y')}" in page
    assert "Perpres 76/2013" in page
    english = client.get(f"/laporan/{report.tracking_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "must be settled by" in english


def test_a_returned_report_shows_no_outer_limit_until_it_is_complete(client, world):
    from lapor.reports.services import report_return

    report = submitted(world)
    report_return(report=report, by=world.national_admin, missing="Lokasi tepat")
    client.force_login(world.citizen)
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Batas waktu" in page and "Perpres 76/2013" not in page
