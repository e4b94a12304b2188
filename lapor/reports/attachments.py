"""Taking in attached files safely (SPEC §3): the type is sniffed from the content, the
size is limited, and images are re-encoded so that their metadata (GPS position in EXIF,
camera serials, comments) never reaches storage; larger than ``MAX_IMAGE_SIDE`` pixels on
the long side, they are scaled down (after turning them as the camera meant).

A file is accepted only as one of: JPEG, PNG, WebP (re-encoded, without metadata) or PDF
(checked for a PDF header and end marker, refused when it carries scripts, launch actions
or embedded files). Everything else, including SVG (which can carry scripts), GIF, archives
and office documents (zip containers: no zip bombs to unpack), is refused with a message
that says what is allowed.

Hostile files this answers (tests/security/test_uploads.py): a program or a web page
renamed .jpg/.png (the content decides, not the name); a decompression bomb (a few KB of
PNG claiming 30000×30000 pixels: the canvas is checked before any pixel is decoded, and
Pillow's own guard is set to the same limit); a polyglot image with ``<script>`` in a
comment, a text chunk or after its end (re-encoded from its pixels alone, so the stored
file holds none of it); a PDF hiding JavaScript behind ``#xx`` name escapes or inside a
compressed object stream (names are unescaped, object streams inflated, with a cap so that
a PDF cannot be a zip bomb either); bytes appended after a PDF's last ``%%EOF`` (cut off).
Downloads are served with ``X-Content-Type-Options: nosniff``, PDFs as attachments.
"""
from __future__ import annotations

import hashlib
import io
import re
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

from lapor.accounts import pseudonyms
from lapor.reports.models import Attachment

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
# A stored image is at most this many pixels on its long side: enough to read a street sign
# in a photo or a letter on a screen, and a phone's 12-megapixel photo is stored at well
# under half its weight (it is sent again to every officer and visitor who opens it, often
# by mobile data). JPEG and WebP are encoded at this quality.
MAX_IMAGE_SIDE = 2560
IMAGE_QUALITY = 80
# Pillow's own guard, set deliberately to our limit rather than its 89-megapixel default:
# it warns above the limit and raises DecompressionBombError above twice it, on open.
Image.MAX_IMAGE_PIXELS = getattr(settings, "LAPOR_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
PDF_DANGERS = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z0-9])")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n")
PDF_LAST_EOF = re.compile(rb"%%EOF[\r\n]*")
PDF_FLATE_ONLY = re.compile(rb"/Filter\s*\[?\s*/FlateDecode\s*\]?\s*[/>]")
# Inflated object streams of one PDF, in all: beyond this it is a zip bomb, not a letter.
PDF_MAX_INFLATED = 20 * 1024 * 1024


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str
    sha256: str


def _limits():
    return getattr(settings, "LAPOR_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024), getattr(
        settings, "LAPOR_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS
    )


def clean_upload(uploaded) -> CleanFile:
    """Check and clean one uploaded file; raises ValidationError saying what is wrong."""
    max_bytes, max_pixels = _limits()
    name = (getattr(uploaded, "name", "") or "berkas")[-200:]
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(_("Berkas %(name)s terlalu besar (paling besar %(limit)s MB).")
                              % {"name": name, "limit": max_bytes // (1024 * 1024)}, code="too_large")
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(_("Berkas %(name)s terlalu besar (paling besar %(limit)s MB).")
                              % {"name": name, "limit": max_bytes // (1024 * 1024)}, code="too_large")
    if not data:
        raise ValidationError(_("Berkas %(name)s kosong.") % {"name": name}, code="empty")
    if data.startswith(b"%PDF-"):
        return _clean_pdf(data, name)
    return _clean_image(data, name, max_pixels)


def _unsupported(name):
    return ValidationError(
        _("Berkas %(name)s tidak dapat diterima: hanya foto (JPEG, PNG, WebP) dan PDF.") % {"name": name},
        code="type",
    )


def _clean_pdf(data: bytes, name: str) -> CleanFile:
    ends = list(PDF_LAST_EOF.finditer(data))
    if not ends or ends[-1].end() < len(data) - 2048:
        raise ValidationError(_("Berkas PDF %(name)s rusak atau tidak lengkap.") % {"name": name}, code="broken")
    # Whatever follows the last end marker is no part of the document (a reader ignores
    # it) but could be a page or a script a careless viewer would sniff: it is not kept.
    data = data[: ends[-1].end()]
    structure, object_streams = _pdf_parts(data)
    inflated = []
    budget = PDF_MAX_INFLATED
    for dictionary, body in object_streams:
        content = _inflate(body, budget) if PDF_FLATE_ONLY.search(dictionary) else b""
        if content == b"":
            # An object stream we cannot read is one we cannot check.
            raise ValidationError(
                _("Berkas PDF %(name)s memakai pemadatan yang tidak dapat diperiksa; simpan ulang sebagai PDF "
                  "biasa lalu kirim lagi.") % {"name": name}, code="unreadable")
        if content is None:
            raise ValidationError(
                _("Berkas PDF %(name)s berisi data terkompresi yang tidak wajar dan tidak dapat diterima.")
                % {"name": name}, code="bomb")
        budget -= len(content)
        inflated.append(content)
    for part in (structure, *inflated):
        if PDF_DANGERS.search(_unescape_names(part)):
            raise _pdf_active(name)
    data = _without_pdf_metadata(data, name)
    return CleanFile(data, "application/pdf", "pdf", name, hashlib.sha256(data).hexdigest())


# What a PDF says of who made it, besides its pages: the document information (author,
# creator, title, often the account or the phone it came from), XMP packets (on the
# document, a page or an image), and the author and times of each comment. A report's
# files are shown to agencies and, once published, to everyone, also those of an
# anonymous reporter: like a photo's EXIF, none of it is kept.
PDF_ANNOTATION_PEOPLE = ("/T", "/M", "/NM", "/CreationDate")


def _without_pdf_metadata(data: bytes, name: str) -> bytes:
    """The document's pages, written anew by pypdf without any of the above (its outline,
    forms and document-level extras go too: a report's file is read, not edited)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(_("Berkas PDF %(name)s dikunci dengan kata sandi; kirim salinan tanpa kata "
                                    "sandi.") % {"name": name}, code="encrypted")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        _forget_pdf_people(writer)
        writer.add_metadata({"/Producer": "Lapor"})  # in place of pypdf's own, which names nobody either
        # What was taken out above is no longer referred to: not written at all.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise ValidationError(_("Berkas PDF %(name)s rusak atau tidak lengkap.") % {"name": name},
                              code="broken") from None
    return out.getvalue()


def _forget_pdf_people(writer) -> None:
    """Every object of the document as it will be written (pages, their images and forms,
    comments and their appearances, patterns, fonts' glyph pictures, soft masks, alternate
    images): each loses its XMP and its editors' private data, each comment its author and
    times, each JPEG its metadata segments, each page its thumbnail. Walking every object,
    rather than following the pages' resources, leaves no corner (an image inside a
    comment's appearance is an image too). ``writer._objects`` is pypdf's own list of them."""
    from pypdf.generic import DictionaryObject, StreamObject

    for page in writer.pages:
        page.pop("/Thumb", None)  # a small copy of the page a scanner adds: not needed to read it
    for found in list(writer._objects):
        if not isinstance(found, DictionaryObject):
            continue
        for key in ("/Metadata", "/PieceInfo"):
            found.pop(key, None)
        if found.get("/Type") == "/Annot" or "/Rect" in found and "/Subtype" in found:
            for key in PDF_ANNOTATION_PEOPLE:
                found.pop(key, None)
        for annotation in found.get("/Annots") or []:  # comments written inside the page itself
            annotation = annotation.get_object()
            if isinstance(annotation, DictionaryObject):
                for key in PDF_ANNOTATION_PEOPLE:
                    annotation.pop(key, None)
        if isinstance(found, StreamObject) and found.get("/Subtype") == "/Image" and \
                _filters(found)[-1:] == ["/DCTDecode"]:
            _forget_jpeg_people(found)


def _filters(stream) -> list[str]:
    named = stream.get("/Filter")
    named = named.get_object() if named is not None else []
    return [str(name) for name in (named if isinstance(named, list) else [named])]


def _forget_jpeg_people(image) -> None:
    """A photo placed in a PDF is the camera's JPEG as it was, EXIF (the place it was taken,
    the phone) and all: it is stored again without those segments, its pixels untouched.
    A deflate layer around it, if any, is undone; the JPEG's own decoding parameters
    (``/ColorTransform``) stay."""
    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    filters = _filters(image)
    params = image.get("/DecodeParms")
    params = params.get_object() if params is not None else None
    jpeg = image.get_data()
    StreamObject.set_data(image, jpeg_without_metadata(jpeg))
    image.decoded_self = None
    image[NameObject("/Filter")] = NameObject("/DCTDecode")
    if len(filters) > 1:
        # One entry per filter: the JPEG's is the last; the others' went with their filters.
        last = params[-1] if isinstance(params, list) and params else None
        last = last.get_object() if last is not None else None
        if isinstance(last, DictionaryObject):
            image[NameObject("/DecodeParms")] = last
        else:
            image.pop("/DecodeParms", None)


# What a JPEG may carry besides its pixels: APP1 (EXIF, XMP), APP3–APP13 and APP15 (makers'
# and editors' data, IPTC names), comments, a JFIF extension (JFXX: another picture), any
# other APP2 block (a second picture, FlashPix), and whatever follows the image's end
# (a phone's motion clip, a maker's trailer, more pictures with their own EXIF). Kept: the
# JFIF header, an ICC colour profile (APP2), Adobe's colour marker (APP14), the tables,
# frames and scans.
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _jpeg_segment_kept(marker: int, segment: bytes) -> bool:
    if marker == 0xE0:
        return segment[2:7] == b"JFIF\x00"
    if marker == 0xE2:
        return segment[2:14] == b"ICC_PROFILE\x00"
    if marker == 0xEE:
        return True
    return not (0xE0 <= marker <= 0xEF or marker == 0xFE)


def jpeg_without_metadata(jpeg: bytes) -> bytes:
    """``jpeg`` with only what draws its pixels: segment by segment, scan data copied as it
    is, nothing after its end marker. Raises ValueError for what is not a JPEG."""
    if not jpeg.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out, position, size = [b"\xff\xd8"], 2, len(jpeg)
    while True:
        if position >= size:
            out.append(b"\xff\xd9")  # cut short before its end marker: ended here
            return b"".join(out)
        if jpeg[position] != 0xFF:
            raise ValueError("not a JPEG marker")
        while position < size and jpeg[position] == 0xFF:
            position += 1  # fill bytes
        if position >= size:
            raise ValueError("a JPEG marker runs past the end")
        marker = jpeg[position]
        position += 1
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return b"".join(out)  # anything after the image's end is not kept
        if marker in _JPEG_STANDALONE:
            out.append(bytes([0xFF, marker]))
            continue
        length = int.from_bytes(jpeg[position: position + 2], "big")
        segment = jpeg[position: position + length]
        if length < 2 or len(segment) != length:
            raise ValueError("a JPEG segment runs past the end")
        position += length
        if marker == 0xDA:  # a scan: its header, then entropy-coded data up to the next marker
            scan_end = position
            while True:
                scan_end = jpeg.find(b"\xff", scan_end)
                if scan_end < 0 or scan_end + 1 >= size:
                    scan_end = size  # cut short inside the scan
                    break
                follower = jpeg[scan_end + 1]
                if follower == 0x00 or 0xD0 <= follower <= 0xD7:
                    scan_end += 2  # a stuffed 0xFF or a restart marker: still the scan
                elif follower == 0xFF:
                    scan_end += 1  # fill before a marker
                else:
                    break
            out.append(b"\xff\xda" + segment + jpeg[position:scan_end])
            position = scan_end
            continue
        if _jpeg_segment_kept(marker, segment):
            out.append(bytes([0xFF, marker]) + segment)


def _pdf_active(name):
    return ValidationError(
        _("Berkas PDF %(name)s berisi skrip atau lampiran tersembunyi dan tidak dapat diterima.") % {"name": name},
        code="active_content",
    )


def _unescape_names(part: bytes) -> bytes:
    # "/J#61vaScript" is "/JavaScript" to a PDF reader.
    return PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), part)


def _pdf_parts(data: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The PDF without its stream contents (the objects and dictionaries, where actions
    are named), and the (dictionary, raw content) of each object stream, whose objects are
    compressed and would otherwise hide from the check. Stream contents themselves (page
    drawings, images) are skipped: binary data would match "/JS" by chance."""
    outside, object_streams, position = [], [], 0
    for match in PDF_STREAM.finditer(data):
        before = data[max(position, match.start() - 4096): match.start()]
        if match.start() < position or not before.rstrip().endswith(b">>"):
            continue  # the word "stream" inside "endstream", or in text
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        dictionary = before[before.rfind(b"obj") + 3:] if b"obj" in before else before
        outside.append(data[position:match.start()])
        if b"/ObjStm" in _unescape_names(dictionary):
            object_streams.append((_unescape_names(dictionary), data[match.end():end]))
        position = end
    outside.append(data[position:])
    return b"".join(outside), object_streams


def _inflate(body: bytes, budget: int) -> bytes | None:
    """The inflated stream; None when it would grow past ``budget`` bytes, empty when it
    is not deflate data."""
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(body, budget + 1)
    except zlib.error:
        return b""
    if len(content) > budget or inflater.unconsumed_tail:
        return None
    return content


def _too_many_pixels(name, max_pixels, width=None, height=None):
    if width and height:
        message = _(
            "Gambar %(name)s terlalu besar: %(width)s × %(height)s piksel (paling banyak %(limit)s megapiksel)."
        ) % {"name": name, "width": width, "height": height, "limit": max(1, round(max_pixels / 1_000_000))}
    else:
        message = _("Gambar %(name)s terlalu besar (paling banyak %(limit)s megapiksel).") % {
            "name": name, "limit": max(1, round(max_pixels / 1_000_000))}
    return ValidationError(message, code="too_many_pixels")


def _looks_like_image(data: bytes) -> bool:
    return data.startswith(IMAGE_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _clean_image(data: bytes, name: str, max_pixels: int) -> CleanFile:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's guard (MAX_IMAGE_PIXELS) fired while reading the header.
        raise _too_many_pixels(name, max_pixels) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        if _looks_like_image(data):
            raise ValidationError(_("Gambar %(name)s rusak dan tidak dapat dibaca.") % {"name": name},
                                  code="broken") from None
        raise _unsupported(name) from None
    if fmt not in IMAGE_FORMATS:
        raise _unsupported(name)
    if width * height > max_pixels:
        # Checked before decoding: a small file can claim a huge canvas (a decompression bomb).
        raise _too_many_pixels(name, max_pixels, width, height)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Its own quality, for a JPEG sent smaller than our encoding would make it.
            source_quality = _jpeg_quality(image) if fmt == "JPEG" and max(image.size) <= MAX_IMAGE_SIDE else None
            # Keep what the camera meant (orientation), then drop every metadata block.
            image = ImageOps.exif_transpose(image)
            if max(image.size) > MAX_IMAGE_SIDE:
                image = ImageOps.contain(image, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
            # A fresh image from the pixels alone carries no EXIF, XMP, ICC or text chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette())
            out = io.BytesIO()
            options = {"quality": IMAGE_QUALITY, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            clean.save(out, format=fmt, **options)
            if source_quality and out.tell() > len(data):
                # Sent at a lower quality (a photo forwarded by a chat app): kept at it, not
                # made heavier than it came.
                out = io.BytesIO()
                clean.save(out, format=fmt, optimize=True, **source_quality)
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ValidationError(_("Gambar %(name)s rusak dan tidak dapat dibaca.") % {"name": name},
                              code="broken") from None
    content = out.getvalue()
    content_type, extension = IMAGE_FORMATS[fmt]
    return CleanFile(content, content_type, extension, name, hashlib.sha256(content).hexdigest())


def _jpeg_quality(image) -> dict:
    """Encoder options that reproduce a decoded JPEG's quality: its quantization tables
    and chroma subsampling (pixels only: nothing else of the file is carried over)."""
    return {"qtables": image.quantization, "subsampling": JpegImagePlugin.get_sampling(image)}


# Served inline (shown in the page); anything else is a download. With nosniff, a browser
# never reads these bytes as a page, whatever they contain.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def attachment_response(attachment: Attachment, *, filename: str, cache_control: str) -> FileResponse:
    """The HTTP response that serves a stored attachment, for views that have already
    checked who may see it. Raises OSError when the stored file is missing."""
    inline = attachment.content_type in INLINE_TYPES
    content_type = attachment.content_type if inline or attachment.content_type == "application/pdf" else (
        "application/octet-stream")
    response = FileResponse(attachment.file.open("rb"), content_type=content_type, as_attachment=not inline,
                            filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Even opened directly, the file runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = cache_control
    return response


def attachment_store(*, report, clean: CleanFile, by=None, followup=None, now=None) -> Attachment:
    """Store a cleaned file on a report (or on one of its follow-ups). The caller has
    already checked that ``by`` may add it (submitting, answering)."""
    attachment = Attachment(
        report=report, followup=followup, original_name=clean.original_name, content_type=clean.content_type,
        size=len(clean.content), sha256=clean.sha256, created_at=now or timezone.now(),
        # On an anonymous report, its reporter's files are their stand-in's.
        uploaded_by=pseudonyms.acting_as(report, by),
    )
    attachment.file.save(f"{clean.sha256}.{clean.extension}", ContentFile(clean.content), save=False)
    attachment.save()
    return attachment
