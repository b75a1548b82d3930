"""Small real evidence files made in memory: a hand-written PDF, a PNG, a JPEG header, DOCX/PPTX/XLSX packages."""

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest

from zi_data.base.problems import InputError
from zi_data.files.file_types import sniff

MAIN_TYPES = {
    "docx": ("word/document.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
             b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             b"<w:body><w:p><w:r><w:t>SK Tim ZI</w:t></w:r></w:p></w:body></w:document>"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
             b'<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'),
}
MACRO_DOCX_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"


def pdf_bytes(text: str = "Bukti") -> bytes:
    """A minimal one-page PDF, written by hand (offsets in the xref table are exact)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    """A JPEG's start: SOI and a JFIF APP0 segment (enough for sniffing), then the end marker."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def content_types(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> bytes:
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml",
                **(defaults or {})}
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            + "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items())
            + "".join(f'<Override PartName="/{part}" ContentType="{kind}"/>' for part, kind in overrides.items())
            + "</Types>").encode()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def ooxml_bytes(kind: str, *, main_type: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A DOCX or PPTX package: [Content_Types].xml declaring the main part, the package relationships, the part."""
    part, content_type, body = MAIN_TYPES[kind]
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            f'Target="{part}"/></Relationships>').encode()
    return zipped({"[Content_Types].xml": content_types({part: main_type or content_type}),
                   "_rels/.rels": rels, part: body, **(extra or {})})


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Daftar hadir rapat ZI"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def samples() -> dict[str, bytes]:
    """One real file of each allowed kind."""
    return {"pdf": pdf_bytes(), "png": png_bytes(), "jpeg": jpeg_bytes(), "docx": ooxml_bytes("docx"),
            "pptx": ooxml_bytes("pptx"), "xlsx": xlsx_bytes()}


def sniff_refusal(data: bytes, name: str) -> str:
    """The one problem sniff finds in `data` uploaded as `name`, which it must name."""
    with pytest.raises(InputError) as caught:
        sniff(data, name)
    [problem] = caught.value.problems
    assert f"'{name}'" in problem.message
    return problem.message
