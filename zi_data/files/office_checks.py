"""What an evidence DOCX, XLSX or PPTX may not hold, read from its relationships and parts, not from their names.

Refused: a relationship to a macro project or its data (vbaProject, vbaProjectSignature, wordVbaData,
keyMapCustomizations, attachedToolbars), to an ActiveX control (control, activeXControlBinary), to an embedded or
linked OLE object (oleObject), whatever the target part is called (`word/stuff.dat` is a macro project when a
relationship says so); any relationship with TargetMode="External" (a remote template, frame, picture or data
source fetched when the file opens), except a hyperlink to an http(s) or mailto address, which opens only when a
person clicks it; and any part that is a compound (OLE) file, the container of macros and embedded objects. Every
relationships part is checked for DOCTYPE/ENTITY before it is parsed.
"""

import posixpath
import xml.etree.ElementTree as ET

from .package_checks import OLE_SIGNATURE, READ_ERRORS
from .xml_scan import UNSAFE_DECLARATION_PATTERNS, find_tokens

MAX_RELATIONSHIPS_BYTES = 8 * 1024 * 1024
MACRO_TYPES = {"vbaproject", "vbaprojectsignature", "wordvbadata", "keymapcustomizations", "attachedtoolbars"}
ACTIVEX_TYPES = {"control", "activexcontrolbinary"}
OLE_TYPES = {"oleobject"}
SAFE_EXTERNAL_SCHEMES = ("http://", "https://", "mailto:")

MACROS = "makro (VBA)"
ACTIVEX = "kontrol ActiveX"
OLE = "objek OLE tersemat atau tertaut"
EXTERNAL = "tautan ke berkas atau templat di luar dokumen (TargetMode External)"
UNREADABLE = "bagian hubungan (relationships) yang rusak atau terlalu besar"
DECLARATION = "bagian XML dengan deklarasi DOCTYPE/ENTITY"


def office_problem(archive, members, types) -> str | None:
    """What the package `archive` holds that is refused (an Indonesian phrase naming it and the part), or None."""
    for member in members:
        try:
            reason = _part_problem(archive, member, types.of(member.filename))
        except READ_ERRORS:
            reason = UNREADABLE
        if reason:
            return f"{reason} ({member.filename})"
    return None


def _part_problem(archive, member, content_type: str) -> str | None:
    if member.filename.lower().endswith(".rels") or "relationships" in content_type:
        return _relationships_problem(archive, member)
    with archive.open(member) as part:
        if part.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE:
            return OLE
    return None


def _relationships_problem(archive, member) -> str | None:
    if member.file_size > MAX_RELATIONSHIPS_BYTES:
        return UNREADABLE
    with archive.open(member) as part:
        if find_tokens(part, UNSAFE_DECLARATION_PATTERNS):
            return DECLARATION
    try:
        root = ET.fromstring(archive.read(member))
    except ET.ParseError:
        return UNREADABLE
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "Relationship" and (reason := _relationship_problem(element)):
            return reason
    return None


def _relationship_problem(element) -> str | None:
    kind = posixpath.basename((element.get("Type") or "").strip().rstrip("/")).lower()
    if kind in MACRO_TYPES:
        return MACROS
    if kind in ACTIVEX_TYPES:
        return ACTIVEX
    if kind in OLE_TYPES:
        return OLE
    if (element.get("TargetMode") or "").strip().lower() == "external":
        target = (element.get("Target") or "").strip().lower()
        if kind != "hyperlink" or not target.startswith(SAFE_EXTERNAL_SCHEMES):
            return EXTERNAL
    return None
