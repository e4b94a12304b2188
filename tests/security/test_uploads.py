"""Hostile uploads are refused with a message that says what is wrong, in the user's
language, and the rest of what they typed stays; what is accepted is stored clean and
served so that no browser runs it (SPEC §3; issue #10)."""
import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from lapor.api.tokens import token_issue
from lapor.reports import services
from lapor.reports.attachments import clean_upload
from lapor.reports.models import Attachment, Report
from tests.office.staff import sign_in

from . import hostile_files as hostile

LIMIT = 1024 * 1024
TYPE_ID = "tidak dapat diterima: hanya foto (JPEG, PNG, WebP) dan PDF"
TYPE_EN = "cannot be accepted: only photos (JPEG, PNG, WebP) and PDF"


@pytest.fixture(autouse=True)
def one_megabyte_limit(settings):
    settings.LAPOR_MAX_ATTACHMENT_BYTES = LIMIT


def hostile_uploads():
    """(file, what the Indonesian message says, what the English one says)."""
    return [
        (hostile.exe_renamed_jpg(), f"foto.jpg {TYPE_ID}", f"foto.jpg {TYPE_EN}"),
        (hostile.html_renamed_png(), f"foto.png {TYPE_ID}", f"foto.png {TYPE_EN}"),
        (hostile.svg_with_script(), f"peta.svg {TYPE_ID}", f"peta.svg {TYPE_EN}"),
        (hostile.zip_bomb("dokumen.zip"), f"dokumen.zip {TYPE_ID}", f"dokumen.zip {TYPE_EN}"),
        (hostile.zip_bomb("surat.docx"), f"surat.docx {TYPE_ID}", f"surat.docx {TYPE_EN}"),
        (hostile.gifar(), f"foto.gif {TYPE_ID}", f"foto.gif {TYPE_EN}"),
        (hostile.oversized_pdf(LIMIT), "scan.pdf terlalu besar (paling besar 1 MB)", "scan.pdf is too large (at most 1 MB)"),
        (hostile.bomb_png(), "bom.png terlalu besar (paling banyak 40 megapiksel)",
         "bom.png is too large (at most 40 megapixels)"),
        (hostile.upload("surat.pdf", hostile.pdf_with_escaped_javascript()), "surat.pdf berisi skrip",
         "surat.pdf contains scripts"),
    ]


def text(response) -> str:
    # Messages are HTML-escaped in pages and plain in JSON; compare them as a reader sees them.
    from html import unescape

    return unescape(response.content.decode())


# --- The checks themselves ----------------------------------------------------------------

def test_a_decompression_bomb_is_refused_without_decoding_a_pixel():
    with pytest.raises(ValidationError) as error:
        clean_upload(hostile.bomb_png())
    assert error.value.code == "too_many_pixels"


def test_pillows_own_bomb_guard_is_set_to_our_limit_not_left_at_its_default():
    assert Image.MAX_IMAGE_PIXELS == 40_000_000


def test_an_image_just_over_the_pixel_limit_names_its_size(settings):
    settings.LAPOR_MAX_IMAGE_PIXELS = 10_000
    out = io.BytesIO()
    Image.new("L", (200, 100)).save(out, format="PNG")
    with pytest.raises(ValidationError, match="200 × 100 piksel"):
        clean_upload(hostile.upload("lebar.png", out.getvalue()))


@pytest.mark.parametrize("make", [hostile.jpeg_polyglot, hostile.png_polyglot])
def test_a_polyglot_image_is_stored_re_encoded_without_its_script(make):
    clean = clean_upload(hostile.upload("foto.jpg", make()))
    assert b"<script" not in clean.content.lower() and b"<html" not in clean.content.lower()
    Image.open(io.BytesIO(clean.content)).load()  # still a picture


@pytest.mark.parametrize("make", [hostile.pdf_with_escaped_javascript, hostile.pdf_with_javascript_in_an_object_stream])
def test_a_pdf_hiding_javascript_is_refused(make):
    with pytest.raises(ValidationError) as error:
        clean_upload(hostile.upload("surat.pdf", make()))
    assert error.value.code == "active_content"


def test_a_pdf_whose_object_stream_inflates_without_end_is_refused_as_a_bomb():
    with pytest.raises(ValidationError) as error:
        clean_upload(hostile.upload("surat.pdf", hostile.pdf_object_stream_bomb()))
    assert error.value.code == "bomb"


def test_a_page_glued_after_a_pdfs_end_is_not_kept():
    clean = clean_upload(hostile.upload("surat.pdf", hostile.pdf_with_a_page_after_its_end()))
    assert clean.content.endswith(b"%%EOF\n") and b"<script" not in clean.content


def test_an_ordinary_pdf_is_not_refused_because_its_compressed_pages_contain_js_by_chance():
    data = hostile.plain_pdf_with_binary_streams()
    assert hostile.BINARY_PAGE in clean_upload(hostile.upload("surat.pdf", data)).content  # the page, as it was


# --- On every surface that takes files ----------------------------------------------------

FORM = {"kind": "complaint", "title": "Lampu jalan mati di Jalan Panglima Batur",
        "body": "Sudah dua minggu lampu jalan mati sehingga jalan gelap.", "incident_date": "2026-01-05"}


def portal_client(world, language="id"):
    client = Client()
    client.force_login(world.citizen)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_report_form_names_each_refused_file_and_keeps_the_report_as_typed(world):
    client = portal_client(world)
    for upload, message, _english in hostile_uploads():
        response = client.post("/lapor/", {**FORM, "attachments": [upload]})
        assert response.status_code == 400, upload.name
        page = text(response)
        assert message in page, (upload.name, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', page, re.S))
        assert f'value="{FORM["title"]}"' in page and FORM["body"] in page
    assert not Report.objects.exists()


def test_the_report_form_says_it_in_english_to_an_english_reader(world):
    client = portal_client(world, "en")
    for upload, _indonesian, message in hostile_uploads():
        page = text(client.post("/lapor/", {**FORM, "attachments": [upload]}))
        assert message in page, upload.name


def test_a_good_photo_sent_with_a_bad_file_is_kept_while_the_bad_one_is_refused(world):
    photo = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 10, 10)).save(photo, format="PNG")
    page = text(portal_client(world).post("/lapor/", {**FORM, "attachments": [
        hostile.upload("lubang.png", photo.getvalue()), hostile.exe_renamed_jpg()]}))
    assert f"foto.jpg {TYPE_ID}" in page
    assert 'name="staged"' in page and "lubang.png" in page


def api_client(user, language="id"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
    return client


def test_the_api_refuses_each_file_by_name_in_the_readers_language_and_files_nothing(world):
    for language, index in (("id", 1), ("en", 2)):
        client = api_client(world.citizen, language)
        for case in hostile_uploads():
            upload = case[0]
            response = client.post("/api/v1/reports/", {"title": "Jalan berlubang", "body": "Sudah sebulan.",
                                                        "addressed_agency": "pemkot", "attachments": [upload]},
                                   format="multipart")
            assert response.status_code == 400, upload.name
            errors = response.json()
            assert set(errors) == {"attachments"}, errors  # the rest of the request was fine
            assert case[index] in " ".join(errors["attachments"]), (upload.name, errors)
    assert not Report.objects.exists()


def test_an_answer_from_the_office_with_a_bad_file_is_refused_and_its_text_kept(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Jl. A. Yani km 30",
                                    addressed_agency=world.pemkot, category=world.category)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    client = sign_in(Client(), world.unit_admin)
    body = "Lampu sudah kami ganti pada hari Senin."
    for language, index in (("id", 1), ("en", 2)):
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        for case in hostile_uploads():
            response = client.post(f"/kantor/laporan/{report.tracking_id}/tindakan/tindak-lanjut/",
                                   {"answer-body": body, "answer-files": [case[0]]})
            assert response.status_code == 400, case[0].name
            page = text(response)
            assert case[index] in page, case[0].name
            assert f"{body}</textarea>" in page
    assert not report.followups.exists()


def test_a_file_that_overflows_the_api_answer_endpoint_is_refused_the_same_way(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Jl. A. Yani km 30",
                                    addressed_agency=world.pemkot, category=world.category)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    response = api_client(world.officer).post(f"/api/v1/reports/{report.tracking_id}/answer/",
                                             {"body": "Sudah diganti.", "attachments": [hostile.bomb_png()]},
                                             format="multipart")
    assert response.status_code == 400
    assert "bom.png terlalu besar" in " ".join(response.json()["attachments"])


# --- Serving what was accepted -------------------------------------------------------------

def test_stored_files_are_served_so_that_no_browser_runs_them(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Jl. A. Yani km 30",
                                    addressed_agency=world.pemkot, category=world.category)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    from lapor.reports.attachments import attachment_store

    photo = attachment_store(report=report, clean=clean_upload(hostile.upload("a.jpg", hostile.jpeg_polyglot())),
                             by=world.citizen)
    pdf = attachment_store(report=report, clean=clean_upload(hostile.upload("b.pdf", hostile.pdf_with_a_page_after_its_end())),
                           by=world.citizen)
    office = sign_in(Client(), world.officer)
    for client, url in ((Client(), f"/laporan/{report.tracking_id}/lampiran/{{pk}}/"), (office, "/kantor/lampiran/{pk}/")):
        image = client.get(url.format(pk=photo.pk))
        assert image["Content-Type"] == "image/jpeg" and image["X-Content-Type-Options"] == "nosniff"
        assert b"<script" not in b"".join(image.streaming_content)
        document = client.get(url.format(pk=pdf.pk))
        assert document["Content-Disposition"].startswith("attachment;")
        assert document["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in document["Content-Security-Policy"]
    assert Attachment.objects.count() == 2
