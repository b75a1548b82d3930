"""The kind of an evidence file, decided by its content, never by its name.

Allowed: PDF (starting with `%PDF-` at its very first byte), JPEG, PNG and the
Office Open XML documents DOCX, XLSX and PPTX (a zip whose [Content_Types].xml declares the main
part of that type). The zip of an OOXML document is checked like an uploaded workbook's directory
(member count, total size, compression ratio) before anything in it is read; only
[Content_Types].xml, the relationships parts and the first bytes of each part are then read.
Refused, with an Indonesian message naming the file: HTML, SVG and scripts (also when named .pdf), programs, plain zips, legacy Office files, OOXML with macros or
ActiveX (by part name and content type here, by relationship type in office_checks), external
relationships and embedded OLE objects (office_checks), PDFs with active content (pdf_checks), empty
files and files over max_file_bytes().

Program and script signatures are checked before any document signature, and markup anywhere in
the head refuses the file whatever signature comes first. A file's name for download is always
`download_name`'s: the person's name with its extension replaced by the sniffed kind's.
"""

import io
import posixpath
import re
import zipfile
from typing import NamedTuple

from .evidence_files import max_file_bytes
from .package_names import FILE_BYTES, safe_component, with_extension
from .package_checks import CONTENT_TYPES, MAX_CONTENT_TYPES_BYTES, READ_ERRORS, ContentTypes, read_content_types
from .office_checks import office_problem
from .pdf_checks import active_content
from ..base.problems import InputError, Problem, shown
from .xlsx_guard import OLE_SIGNATURE, expansion_problem
from .xml_scan import UNSAFE_DECLARATION_PATTERNS, find_tokens

HEAD_BYTES = 1024  # the head searched for markup
PDF_SIGNATURE = b"%PDF-"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
PROGRAM_SIGNATURES = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
                      b"\xca\xfe\xba\xbe", b"#!", b"\x00asm")
# Text a browser or viewer would run as a page, drawing or script, looked for in any letter case.
MARKUP_PATTERN = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|\?xml)"
                            rb"|javascript:", re.IGNORECASE)
MACRO_WORDS = ("macroenabled", "vbaproject", "vbadata", "ms-office.vba", "activex")


class FileKind(NamedTuple):
    label: str
    mime: str
    extension: str
    other_extensions: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.other_extensions)


KINDS = {
    "pdf": FileKind("PDF", "application/pdf", ".pdf"),
    "jpeg": FileKind("Gambar JPEG", "image/jpeg", ".jpg", (".jpeg", ".jpe")),
    "png": FileKind("Gambar PNG", "image/png", ".png"),
    "docx": FileKind("Dokumen Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     ".docx"),
    "xlsx": FileKind("Buku kerja Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     ".xlsx"),
    "pptx": FileKind("Presentasi PowerPoint",
                     "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
# The content type of the main part that makes an OOXML package a document of each kind.
MAIN_PART_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
ALLOWED_TEXT = "PDF, JPG/JPEG, PNG, DOCX, XLSX atau PPTX"
PDF_REPRINT_FIX = ("Cetak ulang dokumen ke PDF (Cetak › Simpan sebagai PDF atau Microsoft Print to PDF), lalu unggah "
                   "lagi berkas PDF hasil cetakan itu.")
OFFICE_FIX = ("Simpan ulang dokumen tanpa makro, kontrol, objek tersemat atau tautan ke templat/berkas luar, atau "
              "cetak ke PDF, lalu unggah kembali.")
ALLOWED_FIX = f"Unggah bukti berupa {ALLOWED_TEXT}; simpan ulang dokumen ke salah satu jenis itu bila perlu."


def sniff(data: bytes, file_name: str) -> str:
    """The kind (a key of KINDS) of the file `file_name` holding `data`; InputError for anything else."""
    name = shown(file_name)
    _check_size(data, name)
    head = data[:HEAD_BYTES]
    if data.startswith(PROGRAM_SIGNATURES):
        raise _refused(name, "adalah program atau skrip yang dapat dijalankan")
    if _looks_like_markup(head):
        raise _refused(name, "berisi halaman web, gambar SVG atau skrip (HTML/XML), bukan dokumen yang diizinkan")
    if data.startswith(JPEG_SIGNATURE):
        return "jpeg"
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data.startswith(ZIP_SIGNATURES):
        return _ooxml_kind(data, name)
    if data.startswith(PDF_SIGNATURE):
        if reason := active_content(data):
            raise _refused(name, f"PDF berisi {reason}", fix=PDF_REPRINT_FIX)
        return "pdf"
    if data.startswith(OLE_SIGNATURE):
        raise _refused(name, "berformat Office lama (.doc/.xls/.ppt) atau dilindungi kata sandi",
                       fix="Buka di Office atau LibreOffice, hapus kata sandinya bila ada, lalu simpan sebagai "
                           "DOCX, XLSX, PPTX atau PDF.")
    raise _refused(name, "jenisnya tidak dikenali dari isinya")


def download_name(file_name: str, kind: str) -> str:
    """The name a stored file of `kind` is shown and downloaded under: the person's name, its last part only, made
    safe, its extension replaced by the kind's (`rechnung.html` holding a PDF -> `rechnung.pdf`)."""
    extensions = KINDS[kind].extensions
    name = str(file_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return safe_component(with_extension(safe_component(name, FILE_BYTES), extensions), FILE_BYTES)


def _looks_like_markup(head: bytes) -> bool:
    """Whether the first bytes read as a web page, SVG, XML or script: in UTF-8, or in UTF-16/32 by their BOM."""
    texts = [head]
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            texts.append(head[len(bom):].decode(codec, errors="ignore").encode("ascii", errors="ignore"))
            break
    return any(MARKUP_PATTERN.search(text) or text.lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(b"<")
               for text in texts)


def _check_size(data: bytes, name: str) -> None:
    if not data:
        raise InputError([Problem(f"Berkas '{name}' kosong.", fix="Unggah berkas bukti yang berisi dokumen.")])
    if len(data) > max_file_bytes():
        raise InputError([oversize_problem(name, len(data))])


def oversize_problem(name: str, size: int) -> Problem:
    """What is wrong with an evidence file of `size` bytes, over the limit."""
    return Problem(f"Berkas '{name}' terlalu besar ({_megabytes(size)}).",
                   fix=f"Batas ukuran berkas bukti adalah {_megabytes(max_file_bytes())}; perkecil atau pecah "
                       "berkasnya.")


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB".replace(".", ",")


def size_text(size: int) -> str:
    """A file size as people read it in Indonesian: '850 B', '12,3 KB', '1,2 MB'."""
    if size < 1024:
        return f"{size} B"
    if size < 1_048_576:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    if size < 1024 ** 3:
        return _megabytes(size)
    return f"{size / 1024 ** 3:.1f} GB".replace(".", ",")


def _refused(name: str, reason: str, fix: str = ALLOWED_FIX) -> InputError:
    return InputError([Problem(f"Berkas '{name}' tidak diterima: {reason}.", fix=fix)])


def _ooxml_kind(data: bytes, name: str) -> str:
    """docx, xlsx or pptx by the main part [Content_Types].xml declares; InputError for any other zip."""
    plain_zip = _refused(name, "berupa arsip ZIP biasa atau rusak, bukan dokumen DOCX, XLSX atau PPTX",
                         fix="Ekstrak arsipnya dan unggah setiap dokumen di dalamnya sendiri-sendiri.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if problem := expansion_problem(members, name, fix="Berkas ini tidak aman untuk dibuka; " + ALLOWED_FIX):
                raise InputError([problem])
            types_member = _content_types_member(members, plain_zip)
            types = _read_types(archive, types_member, name, plain_zip)
            problem = office_problem(archive, members, types)
    except READ_ERRORS:
        raise plain_zip from None
    _check_no_macros(members, types, name)
    if problem:
        raise _refused(name, f"berisi {problem}", fix=OFFICE_FIX)
    return _main_kind(members, types, plain_zip)


def _content_types_member(members, plain_zip: InputError) -> zipfile.ZipInfo:
    found = [m for m in members if m.filename == CONTENT_TYPES]
    if len(found) != 1 or found[0].file_size > MAX_CONTENT_TYPES_BYTES:
        raise plain_zip
    if len({m.filename.lower() for m in members}) != len(members):
        raise plain_zip  # two parts with one name (OPC ignores letter case): no single reading
    return found[0]


def _read_types(archive, member, name: str, plain_zip: InputError) -> ContentTypes:
    with archive.open(member) as part:
        if find_tokens(part, UNSAFE_DECLARATION_PATTERNS):
            raise _refused(name, "memuat bagian XML dengan deklarasi DOCTYPE/ENTITY")
    return read_content_types(archive, member, name, plain_zip.problems[0])


def _check_no_macros(members, types: ContentTypes, name: str) -> None:
    texts = [*types.defaults.values(), *types.overrides.values(), *types.overrides.keys(),
             *(m.filename.lower() for m in members)]
    for text in texts:
        if any(word in text for word in MACRO_WORDS) or posixpath.basename(text) == "vbaproject.bin":
            raise _refused(name, "berisi makro (VBA) atau kontrol ActiveX",
                           fix="Simpan ulang tanpa makro (mis. sebagai .docx, .xlsx atau .pptx biasa, atau PDF), "
                               "lalu unggah kembali.")


def _main_kind(members, types: ContentTypes, plain_zip: InputError) -> str:
    """The one kind whose main part is declared and present in the package."""
    present = {"/" + m.filename.lower() for m in members}
    kinds = {MAIN_PART_TYPES[content_type] for part, content_type in types.overrides.items()
             if content_type in MAIN_PART_TYPES and part in present}
    kinds |= {MAIN_PART_TYPES[content_type] for extension, content_type in types.defaults.items()
              if content_type in MAIN_PART_TYPES and any(part.endswith("." + extension) for part in present)}
    if len(kinds) != 1:
        raise plain_zip
    return kinds.pop()
