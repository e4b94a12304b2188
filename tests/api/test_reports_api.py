"""The REST API as the mobile app and partner systems use it (SPEC §5, §7)."""
import datetime
import re

import pytest
from PIL import Image

from lapor.reports import services
from lapor.reports.enums import Channel, Status
from lapor.reports.models import Report

from .conftest import photo_with_gps

NEW_REPORT = {"title": "Jalan berlubang", "body": "Di depan SDN 1 Guntung Manggis, sudah sebulan.",
              "addressed_agency": "pemkot"}


def published(world, reporter=None, **kwargs):
    report = services.report_submit(reporter=reporter or world.citizen, title="Lampu jalan mati",
                                    body="Jl. A. Yani km 30", addressed_agency=world.pemkot, **kwargs)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    return Report.objects.get(pk=report.pk)


def answered(world, **kwargs):
    report = published(world, **kwargs)
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diperbaiki.")
    return Report.objects.get(pk=report.pk)


# --- signing in -------------------------------------------------------------------------


def test_a_citizen_gets_a_token_with_username_and_password(world, api):
    response = api().post("/api/v1/auth/token/", {"username": "warga", "password": "rahasia-uji-123"})
    assert response.status_code == 200
    me = api()
    me.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert me.get("/api/v1/me/reports/").status_code == 200


def test_an_address_signed_up_with_is_confirmed_before_a_token_as_before_the_website(world, api):
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.create(user=world.citizen, email=world.citizen.email, verified=False, primary=True)

    refused = api().post("/api/v1/auth/token/", {"username": "warga", "password": "rahasia-uji-123"})

    assert refused.status_code == 403
    assert "Konfirmasi dulu alamat e-mail Anda" in refused.json()["detail"]
    address.verified = True
    address.save()
    assert api().post("/api/v1/auth/token/", {"username": "warga", "password": "rahasia-uji-123"}).status_code == 200


def test_a_wrong_password_gets_no_token(world, api):
    response = api().post("/api/v1/auth/token/", {"username": "warga", "password": "salah"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_staff_cannot_get_a_token_with_a_password_alone(world, api):
    response = api().post("/api/v1/auth/token/", {"username": "petugas.pupr", "password": "rahasia-uji-123"})
    assert response.status_code == 403


def test_signing_in_is_rate_limited(world, api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"sign_in": "3/minute", "submit": "30/hour"}}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [api().post("/api/v1/auth/token/", {"username": "warga", "password": "salah"}).status_code
                 for _ in range(4)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [400, 400, 400, 429]


# --- submitting -------------------------------------------------------------------------


def test_a_citizen_submits_a_report_and_gets_its_tracking_id_at_once(world, api):
    response = api(world.citizen).post("/api/v1/reports/", NEW_REPORT, format="json")
    assert response.status_code == 201, response.json()
    report = Report.objects.get()
    assert response.json()["tracking_id"] == report.tracking_id
    assert response.json()["status"] == Status.SUBMITTED
    assert report.channel == Channel.API and report.reporter == world.citizen
    assert response["Location"].endswith(f"/api/v1/reports/{report.tracking_id}/")


@pytest.mark.parametrize("caller", ["citizen", "agency_admin", "national_admin"])
@pytest.mark.parametrize("anonymous", [False, True])
def test_the_answer_to_a_submit_is_the_report_as_its_reporter_reads_it_next(world, api, caller, anonymous):
    """The answer is written without reading the caller's roles back: it must be what the
    caller's next read says, staff who handle the agency addressed included."""
    client = api(getattr(world, caller))
    filed = client.post("/api/v1/reports/", {**NEW_REPORT, "is_anonymous": anonymous}, format="json")
    assert filed.status_code == 201, filed.json()
    read = client.get(f"/api/v1/reports/{filed.json()['tracking_id']}/")
    assert read.status_code == 200
    assert filed.json() == read.json()
    assert filed.json()["reporter_name"] == getattr(world, caller).display_name
    assert [entry["by"] for entry in filed.json()["history"]] == [getattr(world, caller).display_name]


def test_submitting_needs_a_token(world, api):
    assert api().post("/api/v1/reports/", NEW_REPORT, format="json").status_code == 401
    assert not Report.objects.exists()


def test_a_report_with_a_photo_is_stored_without_its_gps_metadata(world, api):
    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "attachments": [photo_with_gps()]},
                                       format="multipart")
    assert response.status_code == 201, response.json()
    attachment = Report.objects.get().attachments.get()
    with Image.open(attachment.file.path) as stored:
        assert 0x8825 not in stored.getexif()


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_with_a_field_message(world, api):
    import io

    fake = io.BytesIO(b"<svg onload=alert(1)>")
    fake.name = "gambar.svg"
    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "attachments": [fake]}, format="multipart")
    assert response.status_code == 400
    assert "hanya foto" in response.json()["attachments"][0]
    assert not Report.objects.exists()


def test_a_bad_file_is_named_in_the_same_answer_as_the_other_bad_fields(world, api):
    import io

    fake = io.BytesIO(b"<svg onload=alert(1)>")
    fake.name = "gambar.svg"
    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "title": "", "attachments": [fake]},
                                       format="multipart")
    assert response.status_code == 400
    assert set(response.json()) == {"title", "attachments"}
    assert "gambar.svg" in response.json()["attachments"][0]
    assert not Report.objects.exists()


def test_an_answer_with_a_bad_file_and_no_text_hears_of_both_and_stores_nothing(world, api):
    import io

    report = published(world)
    fake = io.BytesIO(b"bukan foto")
    fake.name = "foto.jpg"
    response = api(world.unit_admin).post(f"/api/v1/reports/{report.tracking_id}/answer/",
                                          {"body": "", "attachments": [fake]}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()) == {"body", "attachments"}
    assert not report.followups.exists()


def test_service_validation_comes_back_as_field_messages_in_indonesian(world, api):
    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "latitude": 52.5, "longitude": 13.4},
                                       format="json")
    assert response.status_code == 400
    assert response.json() == {"latitude": ["Titik lokasi berada di luar wilayah Indonesia."]}


def test_every_bad_field_is_named_in_one_answer_the_services_own_checks_included(world, api):
    import datetime

    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    bad = {**NEW_REPORT, "title": "", "incident_date": tomorrow, "longitude": 114.8}
    response = api(world.citizen).post("/api/v1/reports/", bad, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "title": ["Bidang ini tidak boleh kosong."],
        "incident_date": ["Tanggal kejadian tidak boleh di masa depan."],
        "longitude": ["Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."],
    }
    outside = {**NEW_REPORT, "title": "", "latitude": 52.5, "longitude": 13.4}
    assert api(world.citizen).post("/api/v1/reports/", outside, format="json").json() == {
        "title": ["Bidang ini tidak boleh kosong."], "latitude": ["Titik lokasi berada di luar wilayah Indonesia."]}
    assert not Report.objects.exists()


def test_an_unknown_region_code_is_named_in_indonesian_and_a_code_without_dots_is_understood(world, api):
    from lapor.regions.models import Region

    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "region": "99.99"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"region": ["Kode wilayah 99.99 tidak dikenal."]}
    assert not Report.objects.exists()
    Region.objects.create(code="63", name="Kalimantan Selatan", level=1)
    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "region": "63"}, format="json")
    assert response.status_code == 201
    assert Report.objects.get().region_id == "63"


def test_an_unknown_category_or_agency_is_named_in_the_callers_language(world, api):
    bad = {**NEW_REPORT, "category": "tidak-ada", "addressed_agency": "tidak-ada"}
    response = api(world.citizen).post("/api/v1/reports/", bad, format="json")
    assert response.status_code == 400
    assert response.json() == {"category": ["Kategori “tidak-ada” tidak dikenal atau tidak aktif."],
                               "addressed_agency": ["Instansi “tidak-ada” tidak dikenal atau tidak aktif."]}
    response = api(world.citizen).post("/api/v1/reports/", bad, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["category"] == ["Category “tidak-ada” is unknown or no longer active."]
    assert not Report.objects.exists()


def test_a_nul_character_in_a_reference_is_named_not_a_server_error(world, api):
    bad = {**NEW_REPORT, "category": "jalan\x00rusak", "addressed_agency": "pem\x00kot", "region": "63\x00"}
    response = api(world.citizen).post("/api/v1/reports/", bad, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["category"] == errors["addressed_agency"] == ["Karakter NUL tidak diperbolehkan."]
    assert "region" in errors
    assert not Report.objects.exists()


def test_a_body_that_is_not_json_is_named_in_the_callers_language_with_where_it_broke(world, api):
    client = api(world.citizen)
    broken = '{"title": "Jalan berlubang", "body": }'
    response = client.post("/api/v1/reports/", broken, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Isi permintaan bukan JSON yang sah (baris 1, kolom 38).",
                               "code": "parse_error"}
    response = client.post("/api/v1/reports/", broken, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "The request body is not valid JSON (line 1, column 38)."
    assert not Report.objects.exists()


def test_a_multipart_body_without_its_boundary_is_named_in_the_callers_language(world, api):
    client = api(world.citizen)
    response = client.post("/api/v1/reports/", b"title=x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json() == {"code": "parse_error", "detail": "Isi permintaan multipart/form-data tidak dapat "
                               "dibaca; periksa bentuknya, misalnya batasnya (boundary) pada Content-Type."}
    english = client.post("/api/v1/reports/", b"title=x", content_type="multipart/form-data",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert "boundary" in english.json()["detail"] and "multipart" in english.json()["detail"]
    assert english.json()["detail"] != response.json()["detail"]


def test_text_sent_where_a_file_is_due_is_named_and_every_file_is_still_checked(world, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    svg = SimpleUploadedFile("gambar.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml")
    response = api(world.citizen).post("/api/v1/reports/", {
        **NEW_REPORT, "attachments": [photo_with_gps(), svg, "bukan berkas"]}, format="multipart")

    assert response.status_code == 400
    messages = response.json()["attachments"]
    assert messages[0] == "Isian attachments hanya menerima berkas (foto atau PDF), bukan teks."
    assert len(messages) == 2 and "gambar.svg" in messages[1]  # the SVG is named too, in the same answer
    assert not Report.objects.exists()


def test_the_frameworks_own_field_messages_are_indonesian_too(world, api):
    # Django REST framework's Indonesian catalogue lacks a third of its messages (a bad
    # boolean, a list where text is due…); lapor/api/locale/id fills them in.
    client = api(world.citizen)
    bad = {**NEW_REPORT, "is_anonymous": "barangkali", "title": ["Jalan", "berlubang"]}
    response = client.post("/api/v1/reports/", bad, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "is_anonymous": ["Isi bidang ini harus berupa nilai benar/salah (true atau false)."],
        "title": ["Isi bidang ini harus berupa teks."]}
    response = client.post("/api/v1/reports/", bad, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["is_anonymous"] == ["Must be a valid boolean."]
    # A number where text is due is a caller's mix-up, not a title "123" (DRF would take it).
    numbers = client.post("/api/v1/reports/", {**NEW_REPORT, "title": 123, "body": 4.5}, format="json")
    assert numbers.status_code == 400
    assert numbers.json() == {"title": ["Isi bidang ini harus berupa teks."], "body": ["Isi bidang ini harus berupa teks."]}
    assert not Report.objects.exists()


def test_whistleblowing_through_the_api_is_confidential(world, api):
    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "kind": "whistleblowing"}, format="json")
    assert response.status_code == 201
    assert response.json()["is_confidential"] is True


def test_submitting_is_rate_limited(world, api, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = {"submit": "2/hour", "sign_in": "10/minute"}
    try:
        client = api(world.citizen)
        responses = [client.post("/api/v1/reports/", NEW_REPORT, format="json") for _ in range(3)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert [r.status_code for r in responses] == [201, 201, 429]
    assert Report.objects.count() == 2
    # Said whole in the caller's language, the wait included.
    assert re.fullmatch(r"Permintaan ini telah dibatasi\. Coba lagi dalam \d+ detik\.", responses[2].json()["detail"])


# --- reading ----------------------------------------------------------------------------


def test_the_public_list_shows_published_reports_only(world, api):
    public = published(world)
    confidential = published(world, is_confidential=True)
    unverified = services.report_submit(reporter=world.citizen, title="Baru", body="Belum diverifikasi")
    ids = [r["tracking_id"] for r in api().get("/api/v1/reports/").json()["results"]]
    assert ids == [public.tracking_id]
    assert confidential.tracking_id not in ids and unverified.tracking_id not in ids


def test_the_public_list_filters_and_paginates(world, api):
    for _ in range(3):
        published(world)
    other = services.report_submit(reporter=world.other_citizen, title="Puskesmas", body="Antre lama",
                                   addressed_agency=world.pemkab)
    services.report_verify(report=other, by=world.other_agency_admin, agency=world.pupr_banjar)
    page = api().get("/api/v1/reports/", {"page_size": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]
    by_agency = api().get("/api/v1/reports/", {"agency": "pupr-banjar"}).json()
    assert [r["tracking_id"] for r in by_agency["results"]] == [other.tracking_id]
    assert api().get("/api/v1/reports/", {"status": "closed"}).json()["count"] == 0
    assert api().get("/api/v1/reports/", {"status": "dispatched, closed"}).json()["count"] == 4


def test_the_region_filter_takes_a_code_with_or_without_its_dots(world, api):
    from tests.factories import RegionFactory

    city = RegionFactory(code="63.72", name="Kota Banjarbaru")
    in_city, elsewhere = published(world, region=city), published(world)
    for code in ("63.72", "6372"):
        found = api().get("/api/v1/reports/", {"region": code})
        assert found.status_code == 200
        assert [r["tracking_id"] for r in found.json()["results"]] == [in_city.tracking_id]  # not `elsewhere`


def test_an_unknown_status_or_kind_is_named_not_answered_with_an_empty_list(world, api):
    published(world)
    for name, value in (("status", "dispatched,selesai"), ("kind", "keluhan")):
        answer = api().get("/api/v1/reports/", {name: value})
        assert answer.status_code == 400
        [message] = answer.json()[name]
        assert message.startswith(f"Tidak dikenal: {value.split(',')[-1]}. Pilihan: ") and "dispatched" not in message[:25]


def test_an_unknown_category_agency_or_region_is_named_not_answered_with_an_empty_list(world, api):
    published(world)

    answer = api().get("/api/v1/reports/", {"category": "nope", "agency": "tidak-ada", "region": "zz"})

    assert answer.status_code == 400
    assert answer.json() == {
        "category": ["Tidak dikenal: nope. Lihat /api/v1/categories/."],
        "agency": ["Tidak dikenal: tidak-ada. Lihat /api/v1/agencies/."],
        "region": ["Tidak dikenal: zz. Lihat /api/v1/regions/."],
    }


@pytest.mark.parametrize("since", ["kemarin", "2026-03-01T00:00:00", "2026-13-45T00:00:00+07:00"])
def test_a_bad_date_filter_is_a_400_not_a_500(world, api, since):
    response = api().get("/api/v1/reports/", {"since": since})
    assert response.status_code == 400 and "since" in response.json()


def test_a_date_with_an_offset_beyond_what_postgresql_stores_still_filters(world, api):
    # ISO 8601 allows +18:57; PostgreSQL does not. Found by schemathesis.
    response = api().get("/api/v1/reports/", {"since": "3367-01-12T02:19:48+18:57"})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_the_public_never_sees_the_name_of_a_reporter_who_did_not_choose_to_show_it(world, api):
    report = published(world)
    named = published(world, show_reporter_name=True)
    assert api().get(f"/api/v1/reports/{report.tracking_id}/").json()["reporter_name"] is None
    assert api().get(f"/api/v1/reports/{named.tracking_id}/").json()["reporter_name"] == "Siti Rahmawati"


def test_the_agency_never_sees_who_filed_an_anonymous_report(world, api):
    report = published(world, is_anonymous=True)
    assert api(world.officer).get(f"/api/v1/reports/{report.tracking_id}/").json()["reporter_name"] is None
    assert api(world.citizen).get(f"/api/v1/reports/{report.tracking_id}/").json()["reporter_name"] == "Siti Rahmawati"


@pytest.mark.parametrize("persona,sees", [
    ("citizen", True), ("officer", True), ("inspector", True), ("agency_admin", True),
    ("other_citizen", False), ("other_agency_officer", False), ("other_unit_officer", False),
])
def test_a_confidential_report_is_visible_only_to_those_policy_allows(world, api, persona, sees):
    report = published(world, is_confidential=True)
    response = api(getattr(world, persona)).get(f"/api/v1/reports/{report.tracking_id}/")
    assert response.status_code == (200 if sees else 404)


def test_a_confidential_report_is_a_404_for_the_public(world, api):
    report = published(world, is_confidential=True)
    assert api().get(f"/api/v1/reports/{report.tracking_id}/").status_code == 404


def test_a_report_not_there_and_one_not_to_be_seen_get_the_same_words_in_the_callers_language(world, api):
    hidden = published(world, is_confidential=True)
    for language, words in (("id", "Laporan tidak ditemukan."), ("en", "Report not found.")):
        answers = [api().get(f"/api/v1/reports/{tracking_id}/", HTTP_ACCEPT_LANGUAGE=language)
                   for tracking_id in (hidden.tracking_id, "123456789", "abc")]
        assert [(a.status_code, a.json()["detail"]) for a in answers] == [(404, words)] * 3, language
        # Any other missing thing: the framework's own words, translated (not Django's
        # English "No Report matches the given query.").
        missing = api().get(f"/api/v1/reports/{published(world).tracking_id}/attachments/999999/",
                            HTTP_ACCEPT_LANGUAGE=language)
        assert missing.status_code == 404 and "matches the given query" not in missing.content.decode()


def test_internal_notes_are_in_the_history_for_staff_only(world, api):
    report = published(world)
    services.report_add_note(report=report, by=world.officer, text="Telepon pelapor besok")
    staff = api(world.officer).get(f"/api/v1/reports/{report.tracking_id}/").json()["history"]
    public = api().get(f"/api/v1/reports/{report.tracking_id}/").json()["history"]
    assert "Telepon pelapor besok" in [e["text"] for e in staff]
    assert "Telepon pelapor besok" not in [e["text"] for e in public]


def test_my_reports_lists_the_citizens_own_reports_whatever_their_status(world, api):
    mine = services.report_submit(reporter=world.citizen, title="Baru", body="Belum diverifikasi")
    published(world, reporter=world.other_citizen)
    ids = [r["tracking_id"] for r in api(world.citizen).get("/api/v1/me/reports/").json()["results"]]
    assert ids == [mine.tracking_id]


# --- acting -----------------------------------------------------------------------------


def test_the_reporter_replies_to_an_answer_and_the_report_goes_back_to_the_agency(world, api):
    report = answered(world)
    response = api(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/reply/", {"text": "Belum selesai"})
    assert response.status_code == 200
    assert response.json()["status"] == Status.DISPATCHED


def test_the_reporter_rates_an_answer_and_the_report_closes(world, api):
    report = answered(world)
    response = api(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/rate/", {"comment": "Terima kasih"})
    assert response.status_code == 200 and response.json()["status"] == Status.CLOSED


def test_someone_else_replying_to_a_public_report_is_forbidden(world, api):
    report = answered(world)
    response = api(world.other_citizen).post(f"/api/v1/reports/{report.tracking_id}/reply/", {"text": "Saya juga"})
    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_someone_else_acting_on_a_report_is_forbidden_whatever_its_status(world, api):
    """Not "this status does not allow it", which would tell them to wait: it is not
    theirs to act on at all. Its own reporter, at the same status, is told the status."""
    report = published(world)  # with the agency, no answer yet: nothing to reply to or rate
    for action, body in (("reply", {"text": "Saya juga"}), ("rate", {"comment": "Bagus"}), ("complete", {"addition": "Lokasinya di depan sekolah."})):
        response = api(world.other_citizen).post(f"/api/v1/reports/{report.tracking_id}/{action}/", body)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), action
        response = api(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/{action}/", body)
        assert (response.status_code, response.json()["code"]) == (400, "illegal_transition"), action
    assert Report.objects.get(pk=report.pk).status == report.status


def returned(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Di jalan itu.",
                                    addressed_agency=world.pemkot)
    services.report_return(report=report, by=world.agency_admin, missing="Lokasi tepat dan foto lampunya.")
    return Report.objects.get(pk=report.pk)


def test_the_app_completes_a_returned_report_with_text_a_pin_and_a_photo(world, api):
    report = returned(world)

    response = api(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/complete/", {
        "addition": "Di depan SDN 1 Guntung Manggis.", "latitude": "-3.44", "longitude": "114.83",
        "attachments": [photo_with_gps()]}, format="multipart")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.SUBMITTED
    report = Report.objects.get(pk=report.pk)
    assert "Di depan SDN 1 Guntung Manggis." in report.body and (report.latitude, report.longitude) == (-3.44, 114.83)
    assert report.outer_due_at is not None and report.missing_items == ""
    with Image.open(report.attachments.get().file.path) as stored:
        assert 0x8825 not in stored.getexif()


def test_a_bad_completion_names_every_bad_field_and_changes_nothing(world, api):
    import io

    report = returned(world)
    fake = io.BytesIO(b"<svg/>")
    fake.name = "lokasi.svg"
    response = api(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/complete/", {
        "addition": "", "latitude": "52.5", "longitude": "13.4", "attachments": [fake]}, format="multipart")

    assert response.status_code == 400
    assert set(response.json()) == {"addition", "latitude", "attachments"}
    assert response.json()["latitude"] == ["Titik lokasi berada di luar wilayah Indonesia."]
    report = Report.objects.get(pk=report.pk)
    assert report.status == Status.RETURNED and not report.attachments.exists()


def test_only_the_reporter_completes_or_reopens(world, api):
    report = returned(world)
    response = api(world.other_citizen).post(f"/api/v1/reports/{report.tracking_id}/complete/",
                                             {"addition": "Bukan laporan saya."}, format="json")
    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).status == Status.RETURNED


def test_the_app_reopens_a_closed_report_once(world, api):
    report = answered(world)
    services.report_rate(report=report, by=world.citizen)
    client = api(world.citizen)
    # Until when, the app can say (as the report's page does).
    closed = client.get(f"/api/v1/reports/{report.tracking_id}/").json()
    assert closed["reopen_until"] == Report.objects.get(pk=report.pk).reopen_until.astimezone(
        datetime.timezone(datetime.timedelta(hours=7))).isoformat()

    first = client.post(f"/api/v1/reports/{report.tracking_id}/reopen/", {"reason": "Lampunya mati lagi."},
                        format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["status"] == Status.DISPATCHED
    services.report_answer(report=report, by=world.unit_admin, body="Sudah diganti lagi.")
    services.report_rate(report=Report.objects.get(pk=report.pk), by=world.citizen)
    again = client.post(f"/api/v1/reports/{report.tracking_id}/reopen/", {"reason": "Mati lagi."}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "illegal_transition"
    assert "satu kali" in again.json()["detail"]
    blank = client.post(f"/api/v1/reports/{report.tracking_id}/reopen/", {"reason": ""}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()


def test_rating_before_any_answer_is_a_400_saying_why(world, api):
    report = published(world)
    response = api(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/rate/", {})
    assert response.status_code == 400
    assert response.json()["code"] == "illegal_transition"


def test_the_unit_admin_sees_the_report_in_the_inbox_and_answers_it(world, api):
    report = published(world)
    inbox = api(world.unit_admin).get("/api/v1/inbox/").json()
    assert [r["tracking_id"] for r in inbox["results"]] == [report.tracking_id]
    response = api(world.unit_admin).post(f"/api/v1/reports/{report.tracking_id}/answer/",
                                          {"body": "Lampu sudah diganti.", "attachments": [photo_with_gps()]},
                                          format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.IN_PROGRESS
    assert response.json()["followups"][0]["body"] == "Lampu sudah diganti."
    assert report.followups.get().attachments.count() == 1


def test_an_officers_answer_is_a_draft_the_citizen_does_not_see_until_the_admin_approves(world, api):
    from lapor.reports import drafts

    report = published(world)
    response = api(world.officer).post(f"/api/v1/reports/{report.tracking_id}/answer/",
                                       {"body": "Lampu akan diganti Senin.", "attachments": [photo_with_gps()]},
                                       format="multipart")
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == Status.DISPATCHED and response.json()["followups"] == []
    assert response.json()["history"][-1]["action"] == "draft_answer"
    citizen_view = api(world.citizen).get(f"/api/v1/reports/{report.tracking_id}/").json()
    assert citizen_view["followups"] == []
    assert "draft_answer" not in [e["action"] for e in citizen_view["history"]]
    assert "Senin" not in str(api(None).get(f"/api/v1/reports/{report.tracking_id}/").json())
    drafts.draft_approve(draft=drafts.open_draft(report), by=world.unit_admin)
    citizen_view = api(world.citizen).get(f"/api/v1/reports/{report.tracking_id}/").json()
    assert citizen_view["followups"][0]["body"] == "Lampu akan diganti Senin."
    assert report.followups.get().attachments.count() == 1


def test_another_agencys_inbox_does_not_show_the_report(world, api):
    published(world)
    assert api(world.other_agency_officer).get("/api/v1/inbox/").json()["count"] == 0


def test_an_officer_of_another_agency_cannot_answer_a_public_report(world, api):
    report = published(world)
    response = api(world.other_agency_officer).post(f"/api/v1/reports/{report.tracking_id}/answer/",
                                                    {"body": "Bukan kami"})
    assert response.status_code == 403
    assert not report.followups.exists()


def test_a_citizen_has_no_inbox(world, api):
    assert api(world.citizen).get("/api/v1/inbox/").status_code == 403



def test_field_messages_come_in_english_when_the_client_asks_for_it(world, api):
    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "latitude": 52.5, "longitude": 13.4},
                                       format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"latitude": ["The location is outside Indonesia."]}


def test_a_report_handed_back_as_not_our_authority_reads_as_awaiting_transfer(world, api):
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Jl. A. Yani km 31",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jalan kabupaten")
    body = api().get(f"/api/v1/reports/{report.tracking_id}/").json()
    assert (body["status"], body["status_label"]) == ("submitted", "Menunggu pelimpahan")


def test_the_public_list_counts_up_to_the_cap_and_says_there_are_more(world, api, monkeypatch):
    """As the website's list: counting a million published reports on every page cost the
    database ~100 ms; past the cap the answer says so (count_capped) instead."""
    import lapor.core.pagination

    monkeypatch.setattr(lapor.core.pagination, "COUNT_CAP", 3)
    for n in range(5):
        report = services.report_submit(reporter=world.citizen, title=f"Lampu mati {n}", body="Jl. A. Yani",
                                        addressed_agency=world.pemkot)
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    body = api().get("/api/v1/reports/", {"page_size": 2}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (3, True, 2)
    assert "page=2" in body["next"]
    last = api().get("/api/v1/reports/", {"page_size": 2, "page": 2}).json()
    assert (len(last["results"]), last["next"]) == (1, None)  # the cap's pages, then narrow the filters
    none_closed = api().get("/api/v1/reports/", {"status": "closed"}).json()
    assert (none_closed["count"], none_closed["count_capped"]) == (0, False)


@pytest.mark.parametrize("params, field, message", [
    ({"page": "abc"}, "page", "bilangan bulat"),
    ({"page": "0"}, "page", "bilangan bulat"),
    ({"page": "9"}, "page", "tidak ada"),
    ({"page_size": "101"}, "page_size", "Paling banyak 100"),
])
def test_a_bad_page_of_a_report_list_is_a_400_naming_it(world, api, params, field, message):
    response = api().get("/api/v1/reports/", params)
    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_an_api_request_too_big_to_read_is_answered_in_json(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000

    response = api(world.citizen).post("/api/v1/reports/", {"title": "Jalan", "body": "x" * 60_000,
                                                           "addressed_agency": "pemkot"}, format="json")

    assert response.status_code == 413
    assert response.json()["code"] == "too_big"
    assert not Report.objects.exists()


def test_an_idempotency_key_too_long_is_refused_not_cut_short_into_another_reports_key(world, api):
    client = api(world.citizen)
    first = client.post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="k" * 200)
    assert first.status_code == 201

    longer = client.post("/api/v1/reports/", NEW_REPORT, format="json", HTTP_IDEMPOTENCY_KEY="k" * 200 + "2")

    assert longer.status_code == 400
    assert longer.json() == {"idempotency_key": ["Idempotency-Key paling panjang 200 karakter."]}
    assert Report.objects.count() == 1


def test_a_body_longer_than_the_limit_is_named_by_the_api(world, api):
    from lapor.reports.services import BODY_LENGTH

    response = api(world.citizen).post("/api/v1/reports/", {**NEW_REPORT, "body": "a" * (BODY_LENGTH + 1)},
                                       format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["body"]
    assert not Report.objects.exists()


def test_the_public_history_names_who_routed_a_report_not_where_it_was_sent(world, api):
    """A verification's entry is the router's act: read by the public it is "Admin Instansi",
    not the unit the report went to (which had done nothing yet)."""
    report = published(world)  # verified by the city's admin to Dinas PUPR
    services.report_dispose(report=report, by=world.unit_admin, unit=world.bina_marga)
    history = api().get(f"/api/v1/reports/{report.tracking_id}/").json()["history"]
    by = {entry["action"]: entry["by"] for entry in history}
    assert by["verify"] == "Admin Instansi" and by["dispose"] == "Admin Unit Kerja"
    assert world.pupr.name not in by.values() and world.bina_marga.name not in by.values()
    services.report_answer(report=report, by=world.unit_admin, body="Sudah ditambal.")
    history = api().get(f"/api/v1/reports/{report.tracking_id}/").json()["history"]
    assert [e["by"] for e in history if e["action"] == "answer"] == [world.bina_marga.name]  # who answered
