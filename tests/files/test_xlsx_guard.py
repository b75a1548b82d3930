"""The upload guard and the worker process: crafted packages built here from a real exported workbook.

Every refusal is checked through `python -m zi_data validate` and `import` (run in this process by
helpers.run_cli), with the store unchanged afterwards.
"""

import io
import os
import resource
import signal
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from helpers import new_store, run_cli
from realisasi_helpers import snapshot
from zi_data.realisasi import realisasi_import
from zi_data.plan.plan import read_plan
from zi_data.base.problems import InputError, PlanError
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import preview_upload
from zi_data.files.sheet_extent import exact_extent, sheet_extent
from zi_data.files.upload_isolation import Limits, run_isolated
from zi_data.files.xml_scan import CHUNK_BYTES, UNSAFE_DECLARATION_PATTERNS, find_tokens, sniff_xml

REALISASI_PART = "xl/worksheets/sheet2.xml"  # the sheets are Petunjuk, Realisasi, Rencana Aksi, Info Unduhan
PLAN_PART = "xl/worksheets/sheet3.xml"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRAY_CELL = b'<row r="100000"><c r="XFD100000" t="inlineStr"><is><t>x</t></is></c></row>'
INDONESIAN_WORDS = ("berkas", "lembar", "tidak", "bagian", "makro", "sel")
BOMB_DOCTYPE = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> bytes:
    """The workbook a fresh store exports (revision 0, plan version 1), made once: it fits every fresh store."""
    return export_workbook(new_store(tmp_path_factory.mktemp("ekspor")), created_at="2025-11-01T00:00:00Z")


def rezip(data: bytes, replace=None, add=None, drop=()) -> bytes:
    """`data` with members replaced (name -> bytes, or a function of the old bytes), added or dropped."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename in drop:
                continue
            content = source.read(member.filename)
            change = (replace or {}).get(member.filename)
            target.writestr(member.filename, change(content) if callable(change) else change or content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def with_cells(data: bytes, cells: bytes, part=REALISASI_PART) -> bytes:
    return rezip(data, replace={part: lambda xml: xml.replace(b"</sheetData>", cells + b"</sheetData>")})


def with_types(data: bytes, entries: bytes) -> bytes:
    return rezip(data, replace={"[Content_Types].xml": lambda xml: xml.replace(b"</Types>", entries + b"</Types>")})


def refused_everywhere(tmp_path, store, data: bytes, *expected: str) -> str:
    """`validate`, `import` and `import --yes` all refuse `data` naming `expected`; nothing is stored."""
    path = tmp_path / "unggahan.xlsx"
    path.write_bytes(data)
    before = snapshot(store)
    texts = []
    for args in (["validate", path], ["import", path, "--data-dir", store.data_dir],
                 ["import", path, "--yes", "--data-dir", store.data_dir]):
        result = run_cli(*args)
        err = result.stderr
        assert result.returncode == 1, (args, err)
        assert "Traceback" not in err
        for text in expected:
            assert text in err, (args, err)
        texts.append(err)
    assert snapshot(store) == before
    assert not (store.data_dir / "archive").exists() or not any((store.data_dir / "archive").iterdir())
    return texts[0]


def assert_indonesian(problem) -> None:
    text = str(problem).lower()
    assert any(word in text for word in INDONESIAN_WORDS), text
    assert "traceback" not in text and "error" not in text, text


# 1. Sheet bounds -------------------------------------------------------------------------------------------

def test_one_value_at_xfd100000_is_refused_naming_sheet_and_cell(store, workbook):
    data = with_cells(workbook, STRAY_CELL)
    assert len(data) < 100_000
    before = snapshot(store)
    preview = preview_upload(store, data, "jauh.xlsx")
    [problem] = preview.errors
    assert problem.sheet == "Realisasi" and problem.row == 100000 and problem.column == "XFD"
    assert "sel XFD100000" in problem.message and "XFD100000" in problem.fix
    assert_indonesian(problem)
    assert snapshot(store) == before


def test_the_xfd100000_file_through_validate_and_import(tmp_path, store, workbook):
    err = refused_everywhere(tmp_path, store, with_cells(workbook, STRAY_CELL),
                             "Lembar 'Realisasi'", "sel XFD100000")
    assert "baris 100000, kolom XFD" in err


def test_formatting_far_away_is_harmless_and_accepted(store, workbook):
    """Excel writes a styled empty cell as <c r=".." s=".."/>; the parser does not count it, neither does the guard."""
    data = with_cells(workbook, b'<row r="100000"><c r="XFD100000" s="1"/></row><row r="100001" s="2"/>')
    data = rezip(data, replace={REALISASI_PART: lambda xml: xml.replace(b'<dimension ref="A1:L672"',
                                                                           b'<dimension ref="A1:XFD100001"')})
    preview = preview_upload(store, data, "berformat.xlsx")
    assert preview.ok, preview.errors


def test_rows_without_numbers_are_counted_like_the_parser_counts_them(store, workbook):
    """<row> and <c> without r="…" follow the previous ones: 10,001 of them reach beyond the bounds."""
    rows = b"".join(b"<row><c><v>1</v></c></row>" for _ in range(10_001 - 672))
    preview = preview_upload(store, with_cells(workbook, rows), "panjang.xlsx")
    [problem] = preview.errors
    assert problem.sheet == "Realisasi" and "sel A10001" in problem.message


def test_a_value_hidden_in_a_bulky_sheet_is_found_in_bounded_memory(workbook):
    """A 30 MB sheet part (far bigger than the 57 KB file that killed the server) with the stray value at its end:
    the guard reads it all, in chunks, and refuses it; its peak memory grows by less than 64 MB."""
    row = b"".join(b'<c t="str"><v>%d %s</v></c>' % (col, b"x" * 300) for col in range(1, 11))
    filler = b"".join(b'<row r="%d">' % number + row + b"</row>" for number in range(700, 10_001))
    data = with_cells(workbook, filler + STRAY_CELL)
    assert len(filler) > 30_000_000
    grown_kb, problems = run_isolated(guard_memory, data, label="besar.xlsx")
    [problem] = problems
    assert problem.sheet == "Realisasi" and "sel XFD100000" in problem.message
    assert grown_kb < 64 * 1024, f"the guard grew by {grown_kb // 1024} MB"


def guard_memory(data: bytes):
    """Run in a worker: how much the peak RSS grows while the guard checks `data`, and its problems."""
    from zi_data.files.xlsx_guard import open_checked_zip
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        open_checked_zip(data, "besar.xlsx")
        problems = []
    except InputError as error:
        problems = error.problems
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before, problems


class Trickle(io.BytesIO):
    """A stream handing out at most 5 bytes per read."""

    def read(self, size=-1):
        return super().read(5)


SHEET_SNIPPETS = {
    "explicit value": b'<row r="3"><c r="D3"><v>1</v></c></row>',
    "styled empty cell": b'<row r="3"><c r="Z40" s="1"/></row>',
    "formula without a cached value": b'<row r="3"><c r="Z40"><f>1+1</f></c></row>',
    "empty inline string": b'<row r="30"><c r="Q30" t="inlineStr"><is><t></t></is></c></row>',
    "empty str value": b'<row r="30"><c r="Q31" t="str"><v></v></c></row>',
    "cells without r": b'<row r="9"><c><v>1</v></c><c s="1"/><c><v>2</v></c></row><row><c><v>3</v></c></row>',
    "rows without r": b"<row><c><v>1</v></c></row>" * 4,
    "cell in a comment": b'<!-- <row r="44"><c r="Y44"><v>1</v></c></row> --><row r="5"><c r="E5"><v>1</v></c></row>',
    "cell in CDATA": b'<row r="7"><c r="C7" t="inlineStr"><is><t><![CDATA[<c r="Y44"><v>1</v></c>]]></t></is></c></row>',
    "'<' inside a quoted attribute": b'<row r="8"><c r="B8" x="</row><row r=\'60\'>"><v>1</v></c><c><v>2</v></c></row>',
    "'>' inside an attribute": b'<row r="6"><c x="a>b" r="T6"><v>1</v></c></row>',
    "odd namespace prefix": b'<row r="13"><a!:c xmlns:a!="urn:x" r="M13"><a!:v>1</a!:v></a!:c></row>',
    "namespace prefix": b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="12">'
                        b'<x:c r="K12"><x:v>1</x:v></x:c></x:row>',
}


@pytest.mark.parametrize("name", list(SHEET_SNIPPETS))
def test_the_guard_counts_the_used_range_as_the_parser_does(name, workbook):
    """Small sheets, so the parser can be asked: the guard's extent equals the grid calamine builds."""
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>' + SHEET_SNIPPETS[name]
             + b"</sheetData></worksheet>")
    data = rezip(workbook, replace={REALISASI_PART: sheet})
    grid = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Realisasi")
    expected = (grid.height, grid.width)
    assert reach(exact_extent(io.BytesIO(sheet), 10_000, 200)) == expected
    assert reach(exact_extent(Trickle(sheet), 10_000, 200)) == expected  # every tag and comment split across reads
    for codec in ("utf-8", "utf-16-le", "utf-16-be"):  # the parser decodes UTF-16 parts; the guard does too
        encoded = ("\ufeff" + sheet.decode()).encode(codec)
        bound = reach(sheet_extent(Trickle(encoded), 10_000, 200))  # the quick bound, or the exact extent
        assert bound[0] >= expected[0] and bound[1] >= expected[1]


def reach(extent) -> tuple[int, int]:
    return extent.rows, extent.columns


# The worker process ----------------------------------------------------------------------------------------

def abort(*_args):
    """What calamine does when an allocation fails: the process aborts (SIGABRT), no Python exception."""
    os.abort()


def test_a_native_abort_in_the_worker_is_an_indonesian_problem(monkeypatch, store, workbook):
    monkeypatch.setattr(realisasi_import, "read_upload", abort)
    before = snapshot(store)
    preview = preview_upload(store, workbook, "mati.xlsx")
    [problem] = preview.errors
    assert "'mati.xlsx' tidak dapat diproses" in problem.message and "SIGABRT" in problem.message
    assert_indonesian(problem)
    assert snapshot(store) == before
    monkeypatch.undo()
    assert preview_upload(store, workbook, "lagi.xlsx").ok  # this process, and the next worker, go on


def read_every_cell(data: bytes) -> int:
    """The parser without the guard: builds the sheet's full grid (XFD2000 needs about 1.3 GB)."""
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Realisasi")
    return len(sheet.to_python(skip_empty_area=False))


def test_the_memory_limit_stops_a_worker_the_guard_would_not(workbook):
    data = with_cells(workbook, b'<row r="2000"><c r="XFD2000"><v>1</v></c></row>')
    with pytest.raises(InputError) as caught:
        run_isolated(read_every_cell, data, label="rakus.xlsx", limits=Limits(memory_bytes=900 * 1024 * 1024))
    [problem] = caught.value.problems
    assert "'rakus.xlsx' tidak dapat diproses" in problem.message and "batas memori 900 MB" in problem.message


def test_a_python_memory_error_and_a_timeout_become_problems():
    with pytest.raises(InputError) as caught:
        run_isolated(bytearray, 4 << 30, label="besar.xlsx")
    assert "melebihi batas memori" in caught.value.problems[0].message
    with pytest.raises(InputError) as caught:
        run_isolated(signal.pause, label="lambat.xlsx", limits=Limits(timeout_seconds=1))  # waits forever
    assert "melebihi batas waktu 1 detik" in caught.value.problems[0].message


def test_input_errors_cross_the_process_boundary_with_their_class():
    with pytest.raises(PlanError) as caught:
        run_isolated(read_plan, b"bukan excel", "teks.xlsx", label="teks.xlsx")
    assert "bukan buku kerja Excel" in caught.value.problems[0].message


def test_the_page_survives_a_dying_worker(monkeypatch, tmp_path, workbook):
    from streamlit.testing.v1 import AppTest
    from pathlib import Path
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "halaman"))
    monkeypatch.setattr(realisasi_import, "read_upload", abort)
    app = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page("app_pages/perbarui_progres.py").run()
    app.text_input(key="pelapor").set_value("Rina").run()
    app.file_uploader[0].upload("mati.xlsx", workbook, "application/octet-stream").run()
    assert not app.exception
    assert "tidak dapat diterima" in app.error[0].value
    monkeypatch.undo()
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "halaman"))
    app.switch_page("app_pages/ringkasan.py").run()
    assert not app.exception and app.title[0].value == "Ringkasan"


# 2. XML declarations anywhere --------------------------------------------------------------------------------

def test_doctype_after_a_5_kb_comment_is_refused(tmp_path, store, workbook):
    data = rezip(workbook, replace={PLAN_PART: lambda xml: b"<!--" + b"x" * 5000 + b"-->" + BOMB_DOCTYPE + xml})
    refused_everywhere(tmp_path, store, data, "DOCTYPE/ENTITY", PLAN_PART)


def test_doctype_in_a_part_named_styles_dat_is_refused(tmp_path, store, workbook):
    styles = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/styles.xml")
    data = rezip(workbook, drop=("xl/styles.xml",), add={"xl/styles.dat": BOMB_DOCTYPE + styles}, replace={
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(b'Target="styles.xml"', b'Target="styles.dat"'),
        "[Content_Types].xml": lambda xml: xml.replace(b"/xl/styles.xml", b"/xl/styles.dat")})
    refused_everywhere(tmp_path, store, data, "DOCTYPE/ENTITY", "xl/styles.dat")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_doctype_in_a_utf16_part_with_an_unknown_extension_is_refused(store, workbook, codec):
    part = ("\ufeff" + " " * 70_000 + '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>').encode(codec)
    preview = preview_upload(store, rezip(workbook, add={"customXml/item1.data": part}), "utf16.xlsx")
    [problem] = preview.errors
    assert "DOCTYPE/ENTITY" in problem.message and "customXml/item1.data" in problem.message


@pytest.mark.parametrize("offset", range(CHUNK_BYTES - 12, CHUNK_BYTES + 2))
def test_a_declaration_split_across_chunks_is_found(offset):
    part = b"<x>" + b" " * (offset - 3) + b"<!DOCTYPE x>" + b" " * 100
    assert find_tokens(io.BytesIO(part), UNSAFE_DECLARATION_PATTERNS) == {"<!DOCTYPE"}


def test_what_counts_as_xml():
    assert sniff_xml(io.BytesIO(b"\xef\xbb\xbf \r\n<?xml version='1.0'?><a/>"))
    assert sniff_xml(io.BytesIO("\ufeff<a/>".encode("utf-16-le")))
    assert sniff_xml(io.BytesIO("<a/>".encode("utf-16-be")))
    assert sniff_xml(io.BytesIO(b" " * 200_000 + b"<a/>"))
    assert not sniff_xml(io.BytesIO(b"\x89PNG\r\n\x1a\n<!DOCTYPE"))
    assert not sniff_xml(io.BytesIO(b""))


def test_a_binary_image_holding_the_same_bytes_is_not_xml_and_is_accepted(store, workbook):
    image = b"\x89PNG\r\n\x1a\n" + b"<!DOCTYPE" + bytes(range(256)) * 4
    data = with_types(rezip(workbook, add={"xl/media/image1.png": image}),
                      b'<Default Extension="png" ContentType="image/png"/>')
    assert preview_upload(store, data, "gambar.xlsx").ok


# 3. Macros, ActiveX and external links under any name ----------------------------------------------------

VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "_VBA_PROJECT".encode("utf-16-le") + bytes(600)
MACRO_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
MACRO_FILES = {
    "macro-enabled main part": lambda wb: rezip(wb, replace={"[Content_Types].xml": lambda xml: xml.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", MACRO_MAIN)}),
    "xl/VBAProject.bin": lambda wb: rezip(wb, add={"xl/VBAProject.bin": VBA}),
    "xl/macros.bin typed as VBA": lambda wb: with_types(rezip(wb, add={"xl/macros.bin": b"code"}),
                                                        b'<Override PartName="/xl/macros.bin" '
                                                        b'ContentType="application/vnd.ms-office.vbaProject"/>'),
    "every .bin typed as VBA": lambda wb: with_types(rezip(wb, add={"xl/macros.bin": b"code"}),
                                                     b'<Default Extension="bin" '
                                                     b'ContentType="application/vnd.ms-office.vbaProject"/>'),
    "VBA found by its relationship": lambda wb: rezip(wb, add={"xl/macros.dat": b"code"}, replace={
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(b"</Relationships>", (
            b'<Relationship Id="rId99" Target="macros.dat" Type="http://schemas.microsoft.com/office/2006/'
            b'relationships/vbaProject"/></Relationships>'))}),
    "VBA project stream in an innocent part": lambda wb: rezip(wb, add={"xl/printerSettings/p1.bin": VBA}),
    "ActiveX part": lambda wb: with_types(rezip(wb, add={"xl/activeX/activeX1.xml": b"<ax:ocx/>"}),
                                          b'<Override PartName="/xl/activeX/activeX1.xml" '
                                          b'ContentType="application/vnd.ms-office.activeX+xml"/>'),
    "external link part": lambda wb: rezip(wb, add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
}


@pytest.mark.parametrize("name", list(MACRO_FILES))
def test_macros_activex_and_external_links_are_refused_under_any_name(tmp_path, store, workbook, name):
    kind = {"ActiveX part": "berisi kontrol ActiveX",
            "external link part": "berisi tautan ke buku kerja lain"}.get(name, "berisi makro (VBA)")
    err = refused_everywhere(tmp_path, store, MACRO_FILES[name](workbook), kind, "demi keamanan")
    assert "Simpan sebagai 'Excel Workbook (.xlsx)' tanpa makro" in err


def test_the_bundled_plan_and_a_full_export_still_pass(store, workbook):
    from zi_data.base import paths
    from zi_data.files.xlsx_guard import open_checked_zip
    open_checked_zip(paths.BUNDLED_PLAN.read_bytes(), "rencana").close()
    assert preview_upload(store, workbook, "unduhan.xlsx").ok
