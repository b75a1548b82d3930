"""file_types.sniff: evidence kinds decided by content; everything else refused with an Indonesian message."""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from helpers import examples
from evidence_samples import MACRO_DOCX_TYPE, ooxml_bytes, pdf_bytes, samples, sniff_refusal, xlsx_bytes, zipped
from zi_data.files import xlsx_guard
from zi_data.files.evidence_files import max_file_bytes
from zi_data.files.file_types import KINDS, PROGRAM_SIGNATURES, download_name, sniff
from zi_data.base.problems import InputError

SETTINGS = dict(deadline=None, derandomize=True, database=None, print_blob=True,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SAMPLES = samples()


def refusal(data: bytes, name: str = "bukti.pdf") -> str:
    return sniff_refusal(data, name)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_real_kind_is_recognised_whatever_its_name(kind):
    assert sniff(SAMPLES[kind], f"bukti{KINDS[kind].extension}") == kind
    assert sniff(SAMPLES[kind], "tanpa-ekstensi") == kind
    assert sniff(SAMPLES[kind], "menyamar.exe") == kind


def test_kinds_have_indonesian_label_mime_and_extension():
    assert set(KINDS) == {"pdf", "jpeg", "png", "docx", "xlsx", "pptx"}
    assert KINDS["pdf"] == ("PDF", "application/pdf", ".pdf", ())
    assert all(kind.mime and "html" not in kind.mime and kind.extension.startswith(".") for kind in KINDS.values())


def test_a_pdf_must_start_with_its_signature_at_the_first_byte():
    """No preamble is allowed: scanners and office programs write `%PDF-` first; a prefix is what a polyglot needs."""
    assert sniff(pdf_bytes(), "bukti.pdf") == "pdf"
    for preamble in (b"\x00", b"\x00" * 1000, b" ", b"\r\n", b"\xef\xbb\xbf", b"junk", b"%!PS-Adobe-3.0\n"):
        assert "tidak dikenali" in refusal(preamble + pdf_bytes())


@pytest.mark.parametrize("signature", PROGRAM_SIGNATURES)
@pytest.mark.parametrize("document", [b"%PDF-1.4\n", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04"])
def test_a_program_signature_wins_over_any_document_signature_in_the_head(signature, document):
    for gap in (0, 2, 60, 900):
        assert "program" in refusal(signature + b"\x00" * gap + document + pdf_bytes())


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><body><script>alert(1)</script>%PDF-1.4</body></html>",
    b"  \n<html><head></head>%PDF-1.7",
    b"%PDF-1.4\n<script>fetch('/')</script>",
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>%PDF-',
    b"\xef\xbb\xbf<svg/onload=alert(1)>",
    "\ufeff<html>%PDF-1.4".encode("utf-16-le"),
    b"<p>hanya teks %PDF-1.4</p>",
])
def test_html_svg_and_scripts_named_pdf_are_refused(data):
    assert "HTML" in refusal(data)


@pytest.mark.parametrize("data, reason", [
    (b"MZ\x90\x00" + b"\x00" * 60, "program"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "program"),
    (b"#!/bin/sh\nrm -rf /\n", "program"),
    (b"teks biasa tanpa tanda jenis", "tidak dikenali"),
    (xlsx_guard.OLE_SIGNATURE + b"\x00" * 512, "Office lama"),
])
def test_programs_legacy_office_and_unknown_content_are_refused(data, reason):
    assert reason in refusal(data)


def test_plain_zips_and_broken_zips_are_refused():
    assert "ZIP" in refusal(zipped({"a.txt": b"isi"}), "bukti.docx")
    assert "ZIP" in refusal(zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>"}))
    assert "ZIP" in refusal(ooxml_bytes("docx")[:200], "bukti.docx")
    assert "ZIP" in refusal(b"PK\x05\x06" + b"\x00" * 18, "kosong.zip")


def test_a_declared_main_part_that_is_missing_does_not_make_a_document():
    data = ooxml_bytes("docx")
    source = zipfile.ZipFile(io.BytesIO(data))
    without_part = zipped({name: source.read(name) for name in source.namelist() if name != "word/document.xml"})
    assert "ZIP" in refusal(without_part, "bukti.docx")


@pytest.mark.parametrize("data", [
    ooxml_bytes("docx", main_type=MACRO_DOCX_TYPE),
    ooxml_bytes("docx", extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
    ooxml_bytes("pptx", extra={"ppt/VBAPROJECT.BIN": b"x"}),
    ooxml_bytes("docx", extra={"word/activeX/activeX1.xml": b"<ax/>"}),
])
def test_macro_enabled_ooxml_is_refused(data):
    assert "makro" in refusal(data, "bukti.docx")


def test_doctype_in_content_types_is_refused():
    data = ooxml_bytes("docx")
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    members["[Content_Types].xml"] = b'<!DOCTYPE x [<!ENTITY a "a">]>' + members["[Content_Types].xml"]
    assert "DOCTYPE" in refusal(zipped(members), "bukti.docx")


def test_xlsx_specific_checks_are_not_run_on_evidence_spreadsheets():
    """An evidence workbook may reach beyond the realisasi workbook's sheet bounds (10,000 rows)."""
    book = openpyxl.Workbook()
    book.active["A12000"] = "baris jauh"
    out = io.BytesIO()
    book.save(out)
    assert sniff(out.getvalue(), "rekap.xlsx") == "xlsx"


def test_zip_bombs_are_refused_from_the_directory(monkeypatch):
    bomb = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (3 * 1_048_576)})
    assert "rasio kompresi" in refusal(bomb, "bom.docx")
    monkeypatch.setattr(xlsx_guard, "MAX_MEMBERS", 3)
    assert "terlalu banyak bagian" in refusal(ooxml_bytes("docx", extra={"a": b"1", "b": b"2"}), "banyak.docx")


def test_empty_and_oversize_files_are_refused(monkeypatch):
    assert "kosong" in refusal(b"")
    assert max_file_bytes() == 20 * 1_048_576
    monkeypatch.setenv("ZI_EVIDENCE_MAX_MB", "0.001")
    assert max_file_bytes() == 1048
    message = refusal(b"%PDF-1.4" + b"\x00" * 2000)
    assert "terlalu besar" in message
    assert sniff(pdf_bytes()[:1000], "kecil.pdf") == "pdf"


def test_the_file_name_is_shown_with_invisible_characters_spelled_out():
    with pytest.raises(InputError) as caught:
        sniff(b"<html>", "bukti\u200b.pdf")
    assert "bukti[U+200B].pdf" in caught.value.problems[0].message


@settings(max_examples=examples(300), **SETTINGS)
@given(data=st.one_of(
    st.binary(max_size=2048),
    st.builds(lambda prefix, rest: prefix + rest,
              st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n",
                               xlsx_guard.OLE_SIGNATURE, b"\xff\xfe", b"<", b"MZ"]),
              st.binary(max_size=2048)),
    st.builds(lambda data, cut: data[:cut], st.sampled_from(sorted(SAMPLES.values())), st.integers(0, 4096)),
))
def test_random_bytes_never_crash_sniff(data):
    try:
        kind = sniff(data, "acak.pdf")
    except InputError as error:
        assert error.problems and "'acak.pdf'" in error.problems[0].message
    else:
        assert kind in KINDS


@settings(max_examples=examples(150), **SETTINGS)
@given(before=st.text(max_size=200), tag=st.sampled_from(["html", "HTML", "script", "svg", "iframe", "body",
                                                          "!DOCTYPE html", "Svg", "object", "embed"]),
       after=st.text(max_size=200), pdf_marker_at=st.integers(0, 3))
def test_an_html_file_named_pdf_is_always_refused(before, tag, after, pdf_marker_at):
    """Markup anywhere in the first kilobyte, before or after a %PDF- marker, in any case and with any text around."""
    parts = [before.encode("utf-8")[:300], f"<{tag}>".encode(), after.encode("utf-8")[:300]]
    parts.insert(pdf_marker_at, b"%PDF-1.4")
    with pytest.raises(InputError):
        sniff(b"".join(parts), "laporan.pdf")


def test_a_real_xlsx_is_recognised():
    assert sniff(xlsx_bytes(), "daftar.xlsx") == "xlsx"


@settings(max_examples=examples(200), **SETTINGS)
@given(signature=st.sampled_from(PROGRAM_SIGNATURES), middle=st.binary(max_size=1500),
       document=st.sampled_from(sorted(SAMPLES.values())), suffix=st.binary(max_size=300))
def test_a_program_signature_with_anything_after_it_is_never_a_document(signature, middle, document, suffix):
    assert "program" in refusal(signature + middle + document + suffix, "laporan.pdf")


@settings(max_examples=examples(200), **SETTINGS)
@given(prefix=st.binary(min_size=1, max_size=1100).filter(
    lambda p: not p.startswith((b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"PK"))),
    suffix=st.binary(max_size=300))
def test_a_pdf_after_any_prefix_is_never_a_pdf(prefix, suffix):
    with pytest.raises(InputError):
        sniff(prefix + pdf_bytes() + suffix, "laporan.pdf")


def test_a_valid_pdf_named_html_with_script_after_its_first_kilobyte_is_named_pdf_for_download():
    data = pdf_bytes() + b" " * 1100 + b"<html><script>alert(document.cookie)</script></html>"
    assert sniff(data, "rechnung.html") == "pdf"
    assert download_name("rechnung.html", "pdf") == "rechnung.pdf"


@pytest.mark.parametrize("name, kind, expected", [
    ("rechnung.html", "pdf", "rechnung.pdf"), ("laporan.PDF", "pdf", "laporan.PDF"), ("foto.jpeg", "jpeg", "foto.jpeg"),
    ("foto.png", "jpeg", "foto.jpg"), ("../../x.exe", "docx", "x.docx"), ("C:\\a\\b.svg", "png", "b.png"),
    ("", "xlsx", "_.xlsx"), ("rapat\u202efdp.exe", "pdf", "rapatfdp.pdf"), ("SK Tim", "pptx", "SK Tim.pptx"),
])
def test_the_download_name_ends_in_the_sniffed_kinds_extension(name, kind, expected):
    assert download_name(name, kind) == expected


@settings(max_examples=examples(300), **SETTINGS)
@given(name=st.text(max_size=300), kind=st.sampled_from(sorted(KINDS)))
def test_any_name_is_downloaded_with_its_kinds_extension_and_no_path(name, kind):
    shown = download_name(name, kind)
    assert shown.lower().endswith(tuple(e.lower() for e in KINDS[kind].extensions))
    assert "/" not in shown and "\\" not in shown and shown not in (".", "..") and not shown.startswith(".")
    assert all(ch.isprintable() for ch in shown)
