"""Evidence DOCX/XLSX/PPTX: macros, ActiveX and OLE objects refused by relationship type and by content, whatever
their parts are called; external relationships refused but for http(s)/mailto hyperlinks."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import examples
from evidence_samples import ooxml_bytes, sniff_refusal, xlsx_bytes
from zi_data.files.file_types import sniff
from zi_data.files.package_checks import OLE_SIGNATURE
from zi_data.base.problems import InputError

SETTINGS = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
MS = "http://schemas.microsoft.com/office/2006/relationships/"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REFUSED_TYPES = {MS + "vbaProject": "makro", MS + "wordVbaData": "makro", MS + "vbaProjectSignature": "makro",
                 MS + "keyMapCustomizations": "makro", MS + "activeXControlBinary": "ActiveX",
                 OFFICE + "control": "ActiveX", OFFICE + "oleObject": "OLE"}


def relationships(*rels: tuple[str, str, str | None]) -> bytes:
    body = "".join(f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"'
                   + (f' TargetMode="{mode}"' if mode else "") + "/>" for n, (kind, target, mode) in enumerate(rels))
    return ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>').encode()


def docx_with(rels_part: str = "word/_rels/document.xml.rels", *rels, extra=None) -> bytes:
    return ooxml_bytes("docx", extra={rels_part: relationships(*rels), **(extra or {})})


def refusal(data: bytes, name: str = "bukti.docx") -> str:
    return sniff_refusal(data, name)


@pytest.mark.parametrize("data, reason", [
    (docx_with("word/_rels/document.xml.rels", (MS + "vbaProject", "stuff.dat", None),
               extra={"word/stuff.dat": b"bukan nama makro"}), "makro"),
    (docx_with("word/_rels/document.xml.rels", (MS.upper() + "VBAPROJECT/", "x.bin", None)), "makro"),
    (docx_with("word/_rels/document.xml.rels", (OFFICE + "control", "activeX/a.xml", None)), "ActiveX"),
    (docx_with("word/_rels/document.xml.rels", (OFFICE + "oleObject", "embeddings/o.bin", None)), "OLE"),
    (docx_with("word/_rels/document.xml.rels", (OFFICE + "oleObject", "file:///C:/x.xls", "External")), "OLE"),
    (ooxml_bytes("docx", extra={"word/embeddings/objek.dat": OLE_SIGNATURE + b"\x00" * 500}), "OLE"),
    (ooxml_bytes("pptx", extra={"ppt/media/gambar.png": OLE_SIGNATURE + b"\x00" * 500}), "OLE"),
    (docx_with("word/_rels/settings.xml.rels",
               (OFFICE + "attachedTemplate", "https://contoh.invalid/t.dotm", "External")), "TargetMode External"),
    (docx_with("word/_rels/document.xml.rels", (OFFICE + "image", "http://contoh.invalid/a.png", "external")),
     "TargetMode External"),
    (docx_with("word/_rels/document.xml.rels", (OFFICE + "hyperlink", "file://server/share/x.exe", "External")),
     "TargetMode External"),
    (docx_with("word/_rels/document.xml.rels", (OFFICE + "frame", "\\\\server\\share", "External")),
     "TargetMode External"),
    (ooxml_bytes("docx", extra={"word/_rels/document.xml.rels": b'<!DOCTYPE r [<!ENTITY a "a">]><Relationships/>'}),
     "DOCTYPE"),
    (ooxml_bytes("docx", extra={"word/_rels/document.xml.rels": b"<Relationships><rusak"}), "rusak"),
])
def test_macros_controls_ole_and_external_relationships_are_refused(data, reason):
    assert reason in refusal(data)


def test_plain_documents_with_web_hyperlinks_pass():
    data = docx_with("word/_rels/document.xml.rels", (OFFICE + "hyperlink", "https://zi.example.go.id/", "External"),
                     (OFFICE + "hyperlink", "mailto:tim@example.go.id", "External"),
                     (OFFICE + "styles", "styles.xml", None))
    assert sniff(data, "sk.docx") == "docx"
    assert sniff(xlsx_bytes(), "rekap.xlsx") == "xlsx"


@settings(max_examples=examples(200), **SETTINGS)
@given(kind=st.sampled_from(sorted(REFUSED_TYPES)), case=st.sampled_from([str, str.upper, str.lower]),
       folder=st.sampled_from(["word/_rels/", "_rels/", "word/glossary/_rels/", "customXml/_rels/"]),
       part=st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12),
       target=st.text("abcdefghijklmnopqrstuvwxyz0123456789./", min_size=1, max_size=30),
       mode=st.sampled_from([None, "Internal", "External"]))
def test_a_refused_relationship_type_is_refused_whatever_the_names(kind, case, folder, part, target, mode):
    data = docx_with(f"{folder}{part}.xml.rels", (case(kind), target, mode))
    assert REFUSED_TYPES[kind] in refusal(data)


@settings(max_examples=examples(150), **SETTINGS)
@given(kind=st.sampled_from([OFFICE + name for name in ("attachedTemplate", "image", "frame", "subDocument",
                                                         "externalLinkPath", "oleObject", "hyperlink")]),
       scheme=st.sampled_from(["file://", "\\\\", "smb://", "ftp://", "javascript:", "C:\\", ""]),
       target=st.text("abcdefghijklmnopqrstuvwxyz0123456789./", min_size=1, max_size=30),
       mode=st.sampled_from(["External", "EXTERNAL", "external", " External "]))
def test_an_external_relationship_is_refused_unless_a_web_hyperlink(kind, scheme, target, mode):
    with pytest.raises(InputError):
        sniff(docx_with("word/_rels/document.xml.rels", (kind, scheme + target, mode)), "bukti.docx")
