"""Real PDFs for the tests that attach one: a page, and what else a test asks for."""
import io

from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject,
                           TextStringObject)


def pdf(*, content: bytes | None = None, comment_by: str = "", xmp: bytes = b"", photo: bytes = b"",
        **info: str) -> bytes:
    """A one-page PDF written by pypdf. ``content``: the page's content stream as stored
    (declared FlateDecode, written as given); ``comment_by``: a comment on the page by
    that author; ``xmp``: an XMP packet on the document; ``photo``: a JPEG placed on the
    page as it is (as a scanner or a word processor does); ``info``: document information
    (``Author="…"``)."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    if photo:
        image = StreamObject()
        image._data = photo
        image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                      NameObject("/Width"): NumberObject(64), NameObject("/Height"): NumberObject(48),
                      NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                      NameObject("/BitsPerComponent"): NumberObject(8), NameObject("/Filter"): NameObject("/DCTDecode")})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
            {NameObject("/Foto"): writer._add_object(image)})})
        drawing = StreamObject()
        drawing._data = b"q 64 0 0 48 10 10 cm /Foto Do Q"
        page[NameObject("/Contents")] = writer._add_object(drawing)
    if content is not None:
        stream = StreamObject()
        stream._data = content
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page[NameObject("/Contents")] = writer._add_object(stream)
    if comment_by:
        note = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([NumberObject(10), NumberObject(10), NumberObject(30), NumberObject(30)]),
            NameObject("/T"): TextStringObject(comment_by), NameObject("/Contents"): TextStringObject("Lihat di sini"),
        })
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    if xmp:
        packet = StreamObject()
        packet._data = xmp
        packet.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        writer._root_object[NameObject("/Metadata")] = writer._add_object(packet)
    if info:
        writer.add_metadata({f"/{key}": value for key, value in info.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
