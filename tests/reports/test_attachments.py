"""What a reporter may attach, and what we keep of it (SPEC §3)."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lapor.reports import services
from lapor.reports.attachments import clean_upload, attachment_store
from tests.pdfs import pdf


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


def test_a_pdf_is_refused_when_it_carries_scripts():
    plain = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    evil = plain.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("surat.pdf", evil))
    assert error.value.code == "active_content"


def test_a_pdf_keeps_its_pages_and_loses_who_wrote_it():
    """An anonymous reporter's letter names them in its properties, its XMP and its comments."""
    from pypdf import PdfReader

    raw = pdf(Author="Budi Santoso", Creator="warga.banjarbaru NIK 6372051708850001", Title="HP 081251234567",
              xmp=b"<x:xmpmeta><dc:creator>Budi Santoso</dc:creator></x:xmpmeta>", comment_by="Budi Santoso")
    assert b"Budi Santoso" in raw and b"6372051708850001" in raw

    clean = clean_upload(upload("surat.pdf", raw)).content

    for trace in (b"Budi", b"6372051708850001", b"081251234567", b"banjarbaru"):
        assert trace not in clean
    kept = PdfReader(io.BytesIO(clean))
    assert len(kept.pages) == 1 and kept.pages[0]["/Annots"][0].get_object()["/Contents"] == "Lihat di sini"
    assert "/Author" not in kept.metadata


def test_a_photo_inside_a_pdf_loses_its_gps_position_and_keeps_its_pixels():
    from pypdf import PdfReader

    photo = jpeg_with_gps()
    raw = pdf(photo=photo)
    assert b"KameraMerek" in raw

    clean = clean_upload(upload("surat.pdf", raw)).content

    assert b"KameraMerek" not in clean and b"Exif" not in clean
    (image,) = PdfReader(io.BytesIO(clean)).pages[0].images
    stored = Image.open(io.BytesIO(image.data))
    assert dict(stored.getexif()) == {}
    assert stored.tobytes() == Image.open(io.BytesIO(photo)).tobytes()  # the same pixels, not encoded again


def progressive_with_comment_between_scans(secret: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, format="JPEG", progressive=True)
    jpeg = out.getvalue()
    second_scan = jpeg.index(b"\xff\xda", jpeg.index(b"\xff\xda") + 2)
    comment = b"\xff\xfe" + (len(secret) + 2).to_bytes(2, "big") + secret
    return jpeg[:second_scan] + comment + jpeg[second_scan:]


def test_nothing_of_a_jpeg_but_its_pixels_survives_not_even_behind_its_end_or_between_its_scans():
    """A phone's motion photo or a maker's trailer follows the image's end marker, with a
    second picture and its own EXIF; an editor may write a comment between two scans."""
    from lapor.reports.attachments import jpeg_without_metadata

    photo = jpeg_with_gps()
    behind = photo + b"MotionPhoto_Data" + jpeg_with_gps()
    cleaned = jpeg_without_metadata(behind)
    assert b"KameraMerek" not in cleaned and b"MotionPhoto" not in cleaned and cleaned.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(cleaned)).tobytes() == Image.open(io.BytesIO(photo)).tobytes()

    scans = progressive_with_comment_between_scans(b"dipotret oleh Budi")
    cleaned = jpeg_without_metadata(scans)
    assert b"Budi" not in cleaned
    assert Image.open(io.BytesIO(cleaned)).tobytes() == Image.open(io.BytesIO(scans)).tobytes()


def test_a_pdfs_photos_lose_their_metadata_wherever_they_are_placed():
    """An image inside a comment's appearance, a page's thumbnail, XMP on a page: no corner
    of the document keeps who made it or where."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject,
                               TextStringObject)

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)

    def jpeg_image(data, **extra):
        image = StreamObject()
        image._data = data
        image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                      NameObject("/Width"): NumberObject(64), NameObject("/Height"): NumberObject(48),
                      NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                      NameObject("/BitsPerComponent"): NumberObject(8), NameObject("/Filter"): NameObject("/DCTDecode"),
                      **extra})
        return writer._add_object(image)

    stamp_picture = jpeg_image(jpeg_with_gps(), **{NameObject("/DecodeParms"): DictionaryObject(
        {NameObject("/ColorTransform"): NumberObject(1)})})
    appearance = StreamObject()
    appearance._data = b"q 64 0 0 48 0 0 cm /Foto Do Q"
    appearance.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                       NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(64),
                                                         NumberObject(48)]),
                       NameObject("/Resources"): DictionaryObject({NameObject("/XObject"): DictionaryObject(
                           {NameObject("/Foto"): stamp_picture})})})
    stamp = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Stamp"),
        NameObject("/Rect"): ArrayObject([NumberObject(10), NumberObject(10), NumberObject(74), NumberObject(58)]),
        NameObject("/T"): TextStringObject("Budi Santoso"),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)})})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(stamp)])
    page[NameObject("/Thumb")] = jpeg_image(jpeg_with_gps())
    xmp = StreamObject()
    xmp._data = b"<x:xmpmeta><dc:creator>Budi Santoso</dc:creator></x:xmpmeta>"
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    page[NameObject("/Metadata")] = writer._add_object(xmp)
    raw = io.BytesIO()
    writer.write(raw)
    assert raw.getvalue().count(b"KameraMerek") == 2 and b"Budi Santoso" in raw.getvalue()

    clean = clean_upload(upload("surat.pdf", raw.getvalue())).content

    assert b"KameraMerek" not in clean and b"Budi" not in clean
    kept = PdfReader(io.BytesIO(clean)).pages[0]
    stamp_kept = kept["/Annots"][0].get_object()
    picture = stamp_kept["/AP"]["/N"].get_object()["/Resources"]["/XObject"]["/Foto"].get_object()
    assert picture["/DecodeParms"]["/ColorTransform"] == 1  # how its colours are read: kept
    assert "/Thumb" not in kept


def test_a_pdf_that_cannot_be_read_is_refused_as_broken():
    with pytest.raises(ValidationError) as error:
        clean_upload(upload("surat.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"))
    assert error.value.code == "broken"


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


def test_a_pdf_locked_with_a_password_is_refused_with_that_reason():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt("rahasia")
    locked = io.BytesIO()
    writer.write(locked)

    with pytest.raises(ValidationError) as error:
        clean_upload(upload("surat.pdf", locked.getvalue()))
    assert error.value.code == "encrypted" and "kata sandi" in error.value.messages[0]
