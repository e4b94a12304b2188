"""Taking in attached files safely (SPEC §3): the type is sniffed from the content, the
size is limited, and images are re-encoded so that their metadata (GPS position in EXIF,
camera serials, comments) never reaches storage.

A file is accepted only as one of: JPEG, PNG, WebP (re-encoded, without metadata) or PDF
(checked for a PDF header and end marker, refused when it carries scripts, launch actions
or embedded files). Everything else, including SVG (which can carry scripts), is refused
with a message that says what is allowed.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lapor.reports.models import Attachment

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF_DANGERS = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction\s*<<[^>]*?/JS)\b")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str
    sha256: str


def _limits():
    return getattr(settings, "LAPOR_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024), getattr(
        settings, "LAPOR_MAX_IMAGE_PIXELS", 40_000_000
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
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("Berkas PDF %(name)s rusak atau tidak lengkap.") % {"name": name}, code="broken")
    if PDF_DANGERS.search(data):
        raise ValidationError(
            _("Berkas PDF %(name)s berisi skrip atau lampiran tersembunyi dan tidak dapat diterima.") % {"name": name},
            code="active_content",
        )
    return CleanFile(data, "application/pdf", "pdf", name, hashlib.sha256(data).hexdigest())


def _clean_image(data: bytes, name: str, max_pixels: int) -> CleanFile:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise _unsupported(name) from None
    if fmt not in IMAGE_FORMATS:
        raise _unsupported(name)
    if width * height > max_pixels:
        # Checked before decoding: a small file can claim a huge canvas (a decompression bomb).
        raise ValidationError(_("Gambar %(name)s terlalu besar ukurannya.") % {"name": name}, code="too_many_pixels")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Keep what the camera meant (orientation), then drop every metadata block.
            image = ImageOps.exif_transpose(image)
            # A fresh image from the pixels alone carries no EXIF, XMP, ICC or text chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette())
            out = io.BytesIO()
            options = {"quality": 85, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            clean.save(out, format=fmt, **options)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("Gambar %(name)s rusak dan tidak dapat dibaca.") % {"name": name}, code="broken") from None
    content = out.getvalue()
    content_type, extension = IMAGE_FORMATS[fmt]
    return CleanFile(content, content_type, extension, name, hashlib.sha256(content).hexdigest())


def attachment_store(*, report, clean: CleanFile, by=None, followup=None, now=None) -> Attachment:
    """Store a cleaned file on a report (or on one of its follow-ups). The caller has
    already checked that ``by`` may add it (submitting, answering)."""
    attachment = Attachment(
        report=report, followup=followup, original_name=clean.original_name, content_type=clean.content_type,
        size=len(clean.content), sha256=clean.sha256, uploaded_by=by, created_at=now or timezone.now(),
    )
    attachment.file.save(f"{clean.sha256}.{clean.extension}", ContentFile(clean.content), save=False)
    attachment.save()
    return attachment
