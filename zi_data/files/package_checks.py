"""Checks on the parts inside an uploaded .xlsx package, before any parser reads them.

- Every part that is XML (by [Content_Types].xml, by its name, or by sniffing its
  first bytes) is read to its end and refused if it declares a DOCTYPE or ENTITY.
- Macros, ActiveX controls and links to external workbooks are refused whatever the
  part is called: by content type, by part name in any letter case, by relationship
  type, and a compound file holding a VBA project.
- Each worksheet's values must stay within MAX_SHEET_ROWS x MAX_SHEET_COLUMNS, since
  the parser builds every sheet as a full grid (see sheet_extent).
All reading is streaming, so memory stays bounded whatever the parts hold.
"""

import posixpath
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass

from ..base.problems import InputError, Problem
from .sheet_extent import MalformedSheet, cell_name, column_name, sheet_extent
from .xml_scan import UNSAFE_DECLARATION_PATTERNS, find_tokens, sniff_xml, token_patterns

MAX_SHEET_ROWS = 10_000
MAX_SHEET_COLUMNS = 200
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
CONTENT_TYPES = "[Content_Types].xml"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEGACY_XML_SUFFIXES = (".xml", ".rels", ".vml")
MACRO_CONTENT_WORDS = ("macroenabled", "vbaproject", "vbadata", "ms-office.vba")
ACTIVEX_WORDS = ("activex",)
EXTERNAL_LINK_WORDS = ("externallink",)
# Relationship types (their last path segment) that bring in code or other workbooks.
RELATIONSHIP_TOKENS = ("/vbaProject", "/vbaProjectSignature", "/activeXControlBinary", "/control\"",
                       "/control'", "/externalLink", "/externalLinkPath", "/wordVbaData")
RELATIONSHIP_PATTERNS = token_patterns(RELATIONSHIP_TOKENS)
VBA_STREAM_PATTERNS = token_patterns(("_VBA_PROJECT",))
SHEET_DATA_PATTERNS = token_patterns(("sheetData",))

NOT_SAFE_FIX = "Berkas ini tidak aman untuk dibaca; simpan ulang dari Excel atau LibreOffice sebagai .xlsx."
NO_MACROS_FIX = ("Simpan sebagai 'Excel Workbook (.xlsx)' tanpa makro, kontrol ActiveX atau tautan ke buku kerja "
                 "lain (File › Simpan Sebagai), lalu unggah kembali.")
READ_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError,
               OSError, EOFError)


@dataclass(frozen=True)
class ContentTypes:
    """[Content_Types].xml: content type by extension (Default) and by part name (Override), lower case."""
    defaults: dict[str, str]
    overrides: dict[str, str]

    def of(self, part_name: str) -> str:
        name = "/" + part_name.lstrip("/").lower()
        if name in self.overrides:
            return self.overrides[name]
        extension = posixpath.splitext(name)[1].lstrip(".")
        return self.defaults.get(extension, "")


def check_package(archive: zipfile.ZipFile, label: str, not_xlsx: Problem) -> None:
    """Raise InputError naming the first unsafe part of `archive` (see the module docstring)."""
    members = archive.infolist()
    _check_unique_names(members, label, not_xlsx)
    by_name = {m.filename: m for m in members}
    types_member = by_name[CONTENT_TYPES]
    check_xml_part(archive, types_member, label, not_xlsx)
    types = read_content_types(archive, types_member, label, not_xlsx)
    _check_declared_types(types, label)
    xml_members = []
    for member in members:
        if member.filename == CONTENT_TYPES:
            continue
        content_type = types.of(member.filename)
        _check_part_name_and_type(member.filename, content_type, label)
        if _is_xml(archive, member, content_type, not_xlsx):
            check_xml_part(archive, member, label, not_xlsx)
            if _is_relationships(member.filename, content_type):
                _check_relationships(archive, member, label, not_xlsx)
            xml_members.append(member)
        else:
            _check_binary_part(archive, member, label, not_xlsx)
    _check_sheet_extents(archive, xml_members, label, not_xlsx)


def _open(archive, member, not_xlsx: Problem):
    try:
        return archive.open(member)
    except READ_ERRORS:
        raise InputError([not_xlsx]) from None


def _read_all(read, not_xlsx: Problem):
    try:
        return read()
    except READ_ERRORS:
        raise InputError([not_xlsx]) from None


def _check_unique_names(members, label: str, not_xlsx: Problem) -> None:
    """Part names are compared without letter case (OPC); two parts with one name make the reading ambiguous."""
    seen = set()
    for member in members:
        key = member.filename.lower()
        if key in seen:
            raise InputError([Problem(
                f"Berkas '{label}' memuat dua bagian bernama sama ({member.filename}).", fix=not_xlsx.fix)])
        seen.add(key)


def read_content_types(archive, member, label: str, not_xlsx: Problem) -> ContentTypes:
    if member.file_size > MAX_CONTENT_TYPES_BYTES:
        raise InputError([not_xlsx])
    try:
        root = ET.fromstring(_read_all(lambda: archive.read(member), not_xlsx))
    except ET.ParseError:
        raise InputError([not_xlsx]) from None
    defaults, overrides = {}, {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        content_type = (element.get("ContentType") or "").strip().lower()
        if tag == "Default" and element.get("Extension") is not None:
            defaults[element.get("Extension").lower().lstrip(".")] = content_type
        elif tag == "Override" and element.get("PartName") is not None:
            overrides["/" + element.get("PartName").lstrip("/").lower()] = content_type
    return ContentTypes(defaults, overrides)


def _macro_problem(label: str, what: str) -> InputError:
    return InputError([Problem(
        f"Berkas '{label}' berisi {what}; berkas seperti ini tidak diterima demi keamanan.", fix=NO_MACROS_FIX)])


def _kind_of(text: str) -> str | None:
    """What a content type or part name in lower case says the part is: makro, ActiveX, external link or None."""
    if any(word in text for word in MACRO_CONTENT_WORDS) or posixpath.basename(text) == "vbaproject.bin":
        return "makro (VBA)"
    if any(word in text for word in ACTIVEX_WORDS):
        return "kontrol ActiveX"
    if any(word in text for word in EXTERNAL_LINK_WORDS):
        return "tautan ke buku kerja lain (external link)"
    return None


def _check_declared_types(types: ContentTypes, label: str) -> None:
    for part, content_type in [*types.overrides.items(), *types.defaults.items()]:
        if kind := _kind_of(content_type):
            raise _macro_problem(label, f"{kind} (jenis isi '{content_type}' untuk '{part}')")


def _check_part_name_and_type(name: str, content_type: str, label: str) -> None:
    for text in (name.lower(), content_type):
        if kind := _kind_of(text):
            raise _macro_problem(label, f"{kind} (bagian {name})")


def _is_relationships(name: str, content_type: str) -> bool:
    return name.lower().endswith(".rels") or "relationships" in content_type


def _is_xml(archive, member, content_type: str, not_xlsx: Problem) -> bool:
    base = content_type.split(";", 1)[0].strip()
    if base.endswith(("+xml", "/xml")) or "vmldrawing" in base or member.filename.lower().endswith(LEGACY_XML_SUFFIXES):
        return True
    with _open(archive, member, not_xlsx) as part:
        return _read_all(lambda: sniff_xml(part), not_xlsx)


def check_xml_part(archive, member, label: str, not_xlsx: Problem) -> None:
    with _open(archive, member, not_xlsx) as part:
        found = _read_all(lambda: find_tokens(part, UNSAFE_DECLARATION_PATTERNS), not_xlsx)
    if found:
        raise InputError([Problem(
            f"Berkas '{label}' memuat bagian XML dengan deklarasi DOCTYPE/ENTITY ({member.filename}).",
            fix=NOT_SAFE_FIX)])


def _check_relationships(archive, member, label: str, not_xlsx: Problem) -> None:
    with _open(archive, member, not_xlsx) as part:
        found = _read_all(lambda: find_tokens(part, RELATIONSHIP_PATTERNS), not_xlsx)
    if found:
        kind = _kind_of(sorted(found)[0].lower()) or "makro (VBA)"
        raise _macro_problem(label, f"{kind} (hubungan di {member.filename})")


def _check_binary_part(archive, member, label: str, not_xlsx: Problem) -> None:
    """A compound file (the container of a VBA project) is refused when it holds a VBA project stream."""
    with _open(archive, member, not_xlsx) as part:
        if _read_all(lambda: part.read(len(OLE_SIGNATURE)), not_xlsx) != OLE_SIGNATURE:
            return
        found = _read_all(lambda: find_tokens(part, VBA_STREAM_PATTERNS), not_xlsx)
    if found:
        raise _macro_problem(label, f"makro (VBA) (bagian {member.filename})")


def _sheet_names(archive) -> dict[str, str]:
    """Worksheet part name (lower case) -> the sheet's name in workbook.xml; empty when it cannot be read."""
    try:
        relationships = {}
        for rel in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            relationships[rel.get("Id")] = part.lower()
        names = {}
        for element in ET.fromstring(archive.read("xl/workbook.xml")).iter():
            if element.tag.rsplit("}", 1)[-1] == "sheet":
                rel_id = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
                if rel_id in relationships:
                    names[relationships[rel_id]] = element.get("name") or ""
        return names
    except (KeyError, ET.ParseError, *READ_ERRORS):
        return {}


def _check_sheet_extents(archive, members, label: str, not_xlsx: Problem) -> None:
    """Every XML part holding sheet data (whatever its name) must keep its values within the bounds."""
    sheet_names = _sheet_names(archive)
    for member in members:
        name = member.filename
        if not (name.lower() in sheet_names or _has_sheet_data(archive, member, not_xlsx)):
            continue
        sheet = sheet_names.get(name.lower()) or name
        with _open(archive, member, not_xlsx) as part:
            try:
                extent = _read_all(lambda: sheet_extent(part, MAX_SHEET_ROWS, MAX_SHEET_COLUMNS), not_xlsx)
            except MalformedSheet as error:
                raise InputError([Problem(
                    f"Berkas '{label}' rusak: lembar ini memuat alamat sel yang tidak sah ({error}).", sheet=sheet,
                    fix="Buka berkas di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu unggah kembali.")])
        if extent.rows > MAX_SHEET_ROWS or extent.columns > MAX_SHEET_COLUMNS:
            row, column = extent.lowest_cell if extent.rows > MAX_SHEET_ROWS else extent.rightmost_cell
            cell = cell_name(row, column)
            raise InputError([Problem(
                f"Berkas '{label}' tidak dapat dibaca: lembar ini berisi nilai di sel {cell}, jauh di luar batas "
                f"{MAX_SHEET_ROWS:_} baris × {MAX_SHEET_COLUMNS} kolom".replace("_", ".") + ".",
                sheet=sheet, row=row, column=column_name(column),
                fix=f"Hapus isi sel {cell} dan sel lain yang tidak sengaja terisi di luar tabel (pilih baris atau "
                    "kolom kosong di bawah/kanan tabel, klik kanan › Hapus), simpan lalu unggah kembali.")])


def _has_sheet_data(archive, member, not_xlsx: Problem) -> bool:
    with _open(archive, member, not_xlsx) as part:
        return bool(_read_all(lambda: find_tokens(part, SHEET_DATA_PATTERNS), not_xlsx))
