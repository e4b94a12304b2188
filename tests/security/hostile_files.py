"""Hostile uploads, built in memory: what an attacker (or an unlucky citizen) sends."""
import io
import struct
import zipfile
import zlib
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from tests.pdfs import pdf

SCRIPT = b"<script>alert(document.cookie)</script>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    # The browser's claimed type is whatever the attacker says; ours comes from the content.
    return SimpleUploadedFile(name, content, content_type=content_type)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@lru_cache(maxsize=1)
def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A valid 1-bit PNG of width × height black pixels: ~100 KB on disk, 900 megapixels
    (several GB) once decoded."""
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    rows, block = [], 1000
    for start in range(0, height, block):
        rows.append(packer.compress(row * min(block, height - start)))
    idat = b"".join(rows) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def exe_renamed_jpg() -> SimpleUploadedFile:
    return upload("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00This program", "image/jpeg")


def html_renamed_png() -> SimpleUploadedFile:
    return upload("foto.png", b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>", "image/png")


def svg_with_script() -> SimpleUploadedFile:
    return upload("peta.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">' + SCRIPT + b"</svg>",
                  "image/svg+xml")


def zip_bomb(name: str = "dokumen.zip") -> SimpleUploadedFile:
    """50 MB of zeros in a ~50 KB zip (also what a .docx or .xlsx is: a zip)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (50 * 1024 * 1024))
    return upload(name, out.getvalue(), "application/zip")


def gifar() -> SimpleUploadedFile:
    """A GIF with a script in its comment and a zip (a Java archive) glued to its end."""
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, format="GIF", comment=SCRIPT)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as jar:
        jar.writestr("index.html", SCRIPT)
    return upload("foto.gif", out.getvalue() + archive.getvalue(), "image/gif")


def oversized_pdf(limit: int) -> SimpleUploadedFile:
    return upload("scan.pdf", b"%PDF-1.4\n" + b"0" * limit + b"\n%%EOF\n", "application/pdf")


def bomb_png() -> SimpleUploadedFile:
    return upload("bom.png", png_bomb(), "image/png")


def jpeg_polyglot() -> bytes:
    """A real photo with a script in its JPEG comment and an HTML page after its end."""
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, format="JPEG", comment=SCRIPT)
    return out.getvalue() + b"<html><body>" + SCRIPT + b"</body></html>"


def png_polyglot() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 200, 0)).save(out, format="PNG", pnginfo=info)
    return out.getvalue() + SCRIPT


PDF_HEAD = b"%PDF-1.7\n"
PDF_TAIL = b"trailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_with_escaped_javascript() -> bytes:
    # "/J#61vaScript" is "/JavaScript" to a PDF reader.
    return (PDF_HEAD + b"1 0 obj << /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >> endobj\n"
            + PDF_TAIL)


def pdf_with_javascript_in_an_object_stream() -> bytes:
    objects = b"2 0 << /S /JavaScript /JS (app.alert(1)) >>"
    packed = zlib.compress(objects)
    return (PDF_HEAD + b"1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n"
            + b"3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length " + str(len(packed)).encode()
            + b" >>\nstream\n" + packed + b"\nendstream\nendobj\n" + PDF_TAIL)


def pdf_object_stream_bomb() -> bytes:
    packed = zlib.compress(b" " * (64 * 1024 * 1024), 9)
    return (PDF_HEAD + b"3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
            + str(len(packed)).encode() + b" >>\nstream\n" + packed + b"\nendstream\nendobj\n" + PDF_TAIL)


def pdf_with_a_page_after_its_end() -> bytes:
    return pdf() + b"<html><body>" + SCRIPT + b"</body></html>"


BINARY_PAGE = b"\x00\x01/JS \x02" * 10


def plain_pdf_with_binary_streams() -> bytes:
    """An ordinary PDF whose compressed page content happens to contain the bytes "/JS"."""
    return pdf(content=BINARY_PAGE)
