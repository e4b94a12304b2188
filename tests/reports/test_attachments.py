"""What a reporter may attach, and what we keep of it (SPEC §3)."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lapor.reports import services
from lapor.reports.attachments import clean_upload, attachment_store


def jpeg_with_gps(size=(64, 48)):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    gps = {1: "S", 2: (3.0, 26.0, 40.0), 3: "E", 4: (114.0, 49.0, 30.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_a_photo_loses_its_gps_position_and_camera_metadata():
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)  # the original does carry GPS
    clean = clean_upload(upload("lubang.jpg", raw))
    assert clean.content_type == "image/jpeg"
    stored = Image.open(io.BytesIO(clean.content))
    assert dict(stored.getexif()) == {}
    assert stored.size == (64, 48)


def test_the_type_comes_from_the_content_not_the_name():
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, format="PNG")
    assert clean_upload(upload("foto.pdf", png.getvalue())).content_type == "image/png"
    with pytest.raises(ValidationError, match="hanya foto"):
        clean_upload(upload("foto.jpg", b"MZ\x90\x00 this is a windows program"))


def test_svg_images_are_refused_because_they_can_carry_scripts():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("peta.svg", svg))
    assert error.value.code == "type"


def test_a_pdf_is_kept_as_it_is_unless_it_carries_scripts():
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    assert clean_upload(upload("surat.pdf", pdf)).content == pdf
    evil = pdf.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("surat.pdf", evil))
    assert error.value.code == "active_content"


def test_too_large_files_are_refused_with_the_limit_named(settings):
    settings.LAPOR_MAX_ATTACHMENT_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="1 MB"):
        clean_upload(upload("besar.pdf", b"%PDF-" + b"0" * (1024 * 1024)))


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    settings.LAPOR_MAX_IMAGE_PIXELS = 1000
    out = io.BytesIO()
    Image.new("L", (2000, 2000)).save(out, format="PNG")  # tiny file, 4 megapixels
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("bom.png", out.getvalue()))
    assert error.value.code == "too_many_pixels"


def test_a_stored_attachment_is_named_by_its_hash_not_by_the_uploaders_file_name(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang")
    attachment = attachment_store(report=report, clean=clean_upload(upload("KTP Siti Rahmawati.jpg", jpeg_with_gps())),
                                  by=world.citizen)
    assert "Siti" not in attachment.file.name
    assert attachment.sha256 in attachment.file.name
    assert attachment.original_name == "KTP Siti Rahmawati.jpg"
    with attachment.file.open("rb") as handle:
        assert dict(Image.open(handle).getexif()) == {}
