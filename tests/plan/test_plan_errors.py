"""Bad input: read_plan raises PlanError with every problem, in Indonesian, located; never a traceback."""

import io
import json
import zipfile

import openpyxl
import pytest

from helpers import run_cli
from zi_data import InputError, PlanError, read_plan
from zi_data.plan import plan as plan_module
from zi_data.files import xlsx_guard

HEADER = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", *range(1, 13), "PENANGGUNG JAWAB"]
PJ_COL = "R (PENANGGUNG JAWAB)"
INDONESIAN_WORDS = ("berkas", "kolom", "baris", "tidak", "bukan", "kosong", "terlalu", "isi", "tanda")
ENGLISH_WORDS = ("traceback", "error", "invalid", "not found", "file is", "exception", " the ")


def item(no="1", komponen="Komponen", indikator="Indikator", langkah="Langkah", bukti="Bukti",
         months=(1,), pj="Tim A", marks=None):
    cells = [no, komponen, indikator, langkah, bukti] + [None] * 12 + [pj]
    for m in months:
        cells[4 + m] = "✓"
    for m, value in (marks or {}).items():
        cells[4 + m] = value
    return cells


def sheet_bytes(rows, header=HEADER, title="Renaksi", extra_sheets=()) -> bytes:
    """A workbook whose sheet `title` holds a title row, a blank row, `header` and then `rows`."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    ws.append(["RENCANA AKSI ZONA INTEGRITAS TAHUN 2025"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for name, sheet_rows in extra_sheets:
        extra = book.create_sheet(name)
        for row in sheet_rows:
            extra.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_bytes() -> bytes:
    return sheet_bytes([["I", "Area Satu"], item(), item(langkah="Langkah dua", months=(2, 3))])


def with_members(data: bytes, replace=None, add=None, compress=zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as target:
        for member in source.infolist():
            content = (replace or {}).get(member.filename, source.read(member.filename))
            target.writestr(member.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def zip_of(members: dict) -> bytes:
    """A zip archive holding `members` (name -> content): a file that looks like, but is not, a workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def problems_of(source, label="uji.xlsx"):
    with pytest.raises(PlanError) as caught:
        read_plan(source, label)
    error = caught.value
    assert isinstance(error, InputError)
    assert error.problems, "PlanError must carry at least one problem"
    for problem in error.problems:
        assert_indonesian(str(problem))
        assert problem.fix, f"no fix given: {problem}"
    return error.problems


def assert_indonesian(text: str):
    lowered = text.lower()
    assert any(word in lowered for word in INDONESIAN_WORDS), text
    assert not any(word in lowered for word in ENGLISH_WORDS), text


def test_good_workbook_reads_so_the_fixtures_below_fail_only_where_broken():
    plan = read_plan(good_bytes())
    assert plan["id"].tolist() == ["I-1-1", "I-1-2"]
    assert plan["months"].tolist() == [(1,), (2, 3)]


# Not a workbook ------------------------------------------------------------------------------------------

def test_text_bytes_are_not_a_workbook():
    [problem] = problems_of("NO;KOMPONEN;INDIKATOR\n1;Tim Kerja;SK\n".encode())
    assert "bukan buku kerja Excel" in problem.message
    assert "uji.xlsx" in problem.message


def test_truncated_workbook():
    data = good_bytes()
    [problem] = problems_of(data[: len(data) // 2])
    assert "rusak/terpotong" in problem.message


def test_empty_file():
    [problem] = problems_of(b"")
    assert "kosong" in problem.message


def test_missing_path(tmp_path):
    [problem] = problems_of(tmp_path / "tidak-ada.xlsx", label=None)
    assert "tidak ditemukan" in problem.message
    assert "tidak-ada.xlsx" in problem.message


def test_old_xls_format():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(600)
    [problem] = problems_of(data, "renaksi.xls")
    assert "Excel lama (.xls)" in problem.message
    assert "simpan sebagai .xlsx" in problem.fix


def test_password_protected_workbook():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    [problem] = problems_of(data)
    assert "kata sandi" in problem.message


def test_opendocument_spreadsheet():
    data = zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                   "content.xml": "<office:document-content/>", "META-INF/manifest.xml": "<manifest:manifest/>"})
    [problem] = problems_of(data, "renaksi.ods")
    assert "OpenDocument (.ods)" in problem.message
    assert "xlsx" in problem.fix


def test_binary_workbook():
    data = zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\x83\x01\x00"})
    [problem] = problems_of(data, "renaksi.xlsb")
    assert ".xlsb" in problem.message


def test_other_zip_is_not_a_workbook():
    data = zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    [problem] = problems_of(data, "surat.docx")
    assert "bukan buku kerja Excel" in problem.message


def test_macro_enabled_workbook(no_parsing):
    data = with_members(good_bytes(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    [problem] = problems_of(data, "renaksi.xlsm")
    assert "makro" in problem.message


def test_damaged_sheet_part_is_reported_not_raised():
    data = with_members(good_bytes(), replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"})
    [problem] = problems_of(data)
    assert "isi rusak" in problem.message


def test_damaged_compressed_member_is_reported_not_raised():
    data = bytearray(good_bytes())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    member = archive.getinfo("xl/worksheets/sheet1.xml")
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    for offset in range(start + 5, start + member.compress_size - 5):
        data[offset] ^= 0x5A
    [problem] = problems_of(bytes(data))
    assert "rusak" in problem.message


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the workbook parser is reached."""
    class Unreachable:
        @staticmethod
        def from_filelike(_):
            pytest.fail("the workbook was parsed before the guard refused it")
    monkeypatch.setattr(plan_module, "CalamineWorkbook", Unreachable)


def test_xml_entity_bomb_is_refused_before_parsing(no_parsing):
    data = good_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 9))
    bomb = b"<!DOCTYPE worksheet [" + entities + b"]>" + sheet.replace(b"<t>Langkah dua</t>", b"<t>&lol8;</t>")
    assert bomb.count(b"&lol8;") == 1
    [problem] = problems_of(with_members(data, replace={"xl/worksheets/sheet1.xml": bomb}))
    assert "DOCTYPE" in problem.message
    assert "xl/worksheets/sheet1.xml" in problem.message


# Too large -----------------------------------------------------------------------------------------------

def test_file_too_large_as_bytes_path_and_file_object(monkeypatch, tmp_path):
    data = good_bytes()
    monkeypatch.setattr(xlsx_guard, "MAX_FILE_BYTES", len(data) - 1)
    path = tmp_path / "besar.xlsx"
    path.write_bytes(data)
    for source in (data, path, io.BytesIO(data)):
        [problem] = problems_of(source)
        assert "terlalu besar" in problem.message
        assert "MB" in problem.fix


def test_zip_bomb_is_refused_from_the_zip_directory(no_parsing):
    """300 MB of zeros compress to about a megabyte; the guard must refuse it before decompressing."""
    out = io.BytesIO(good_bytes())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        zeros = bytes(1 << 20)
        with archive.open("xl/media/image1.png", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(zeros)
    data = out.getvalue()
    assert len(data) < 3 << 20
    [problem] = problems_of(data)
    assert "terlalu besar setelah diekstrak (300 MB" in problem.message


def test_uncompressed_total_limit(monkeypatch):
    data = good_bytes()
    monkeypatch.setattr(xlsx_guard, "MAX_UNCOMPRESSED_BYTES", 10_000)
    [problem] = problems_of(data)
    assert "terlalu besar setelah diekstrak" in problem.message


def test_one_member_with_an_absurd_compression_ratio():
    data = with_members(good_bytes(), add={"xl/media/zeros.bin": bytes(2 << 20)})
    assert len(data) < 100_000
    [problem] = problems_of(data)
    assert "rasio kompresi yang tidak wajar" in problem.message


def test_too_many_members(monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_MEMBERS", 5)
    [problem] = problems_of(good_bytes())
    assert "terlalu banyak bagian" in problem.message


# No table, wrong columns ---------------------------------------------------------------------------------

def test_workbook_without_a_plan_table():
    data = sheet_bytes([["Anggaran", 1000]], header=["URAIAN", "JUMLAH"],
                       extra_sheets=[("Catatan", [["Tidak ada tabel di sini"]])])
    [problem] = problems_of(data)
    assert "Tidak ditemukan tabel rencana aksi" in problem.message
    assert "'Renaksi'" in problem.message and "'Catatan'" in problem.message
    assert "LANGKAH AKSI" in problem.fix


def test_missing_bukti_fisik_column():
    header = [h for h in HEADER if h != "BUKTI FISIK"]
    row = item()
    del row[4]
    [problem] = problems_of(sheet_bytes([["I", "Area"], row], header=header))
    assert problem.sheet == "Renaksi"
    assert problem.row == 3
    assert "BUKTI FISIK" in problem.message
    assert "Lembar 'Renaksi', baris 3" in str(problem)


def test_missing_langkah_aksi_column_is_named():
    header = [h for h in HEADER if h != "LANGKAH AKSI"]
    [problem] = problems_of(sheet_bytes([], header=header))
    assert "LANGKAH AKSI" in problem.message
    assert problem.row == 3


def test_missing_month_columns_are_named():
    header = [h if h != 8 else "Agst" for h in HEADER]
    [problem] = problems_of(sheet_bytes([["I", "Area"], item()], header=header))
    assert "bulan Agustus" in problem.message
    assert problem.row == 3


def test_no_month_columns_at_all():
    header = ["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "BUKTI FISIK", "PENANGGUNG JAWAB"]
    [problem] = problems_of(sheet_bytes([], header=header))
    assert "bulan 1–12" in problem.message


def test_title_cell_named_like_a_column_does_not_hide_the_real_header():
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["KOMPONEN", "INDIKATOR", "RENCANA AKSI"])
    ws.append([])
    ws.append(HEADER)
    ws.append(["I", "Area"])
    ws.append(item())
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_plan(buffer.getvalue())["langkah_aksi"].tolist() == ["Langkah"]


def test_header_without_rows():
    [problem] = problems_of(sheet_bytes([]))
    assert "tidak berisi satu pun langkah aksi" in problem.message
    assert problem.row == 3


# Bad rows -----------------------------------------------------------------------------------------------

def test_row_without_penanggung_jawab():
    [problem] = problems_of(sheet_bytes([["I", "Area"], item(pj=None)]))
    assert problem.sheet == "Renaksi"
    assert problem.row == 5
    assert problem.column == PJ_COL
    assert "PENANGGUNG JAWAB kosong" in problem.message
    assert "Lembar 'Renaksi', baris 5, kolom R (PENANGGUNG JAWAB)" in str(problem)


def test_penanggung_jawab_does_not_continue_into_a_new_area():
    rows = [["I", "Area Satu"], item(), ["II", "Area Dua"], item(pj=None)]
    [problem] = problems_of(sheet_bytes(rows))
    assert (problem.row, problem.column) == (7, PJ_COL)


@pytest.mark.parametrize("mark", ["?", "abc", "2", "Rapat"])
def test_unknown_month_mark(mark):
    [problem] = problems_of(sheet_bytes([["I", "Area"], item(marks={3: mark})]))
    assert problem.row == 5
    assert problem.column == "H (Maret)"
    assert f"Tanda bulan '{mark}' tidak dikenal" in problem.message
    assert "✓" in problem.fix


def test_months_without_langkah_aksi():
    [problem] = problems_of(sheet_bytes([["I", "Area"], item(), item(langkah=None, months=(4,))]))
    assert (problem.row, problem.column) == (6, "D (LANGKAH AKSI)")
    assert "LANGKAH AKSI kosong" in problem.message


def test_rows_above_the_first_area_header():
    [problem] = problems_of(sheet_bytes([item(), item(langkah="Dua")]))
    assert problem.row == 4
    assert "judul area" in problem.message


def test_duplicate_ids():
    header = [*HEADER, "ID"]
    rows = [["I", "Area"], item() + ["I-1-1"], item(langkah="Dua") + ["I-1-2"], item(langkah="Tiga") + ["I-1-1"]]
    [problem] = problems_of(sheet_bytes(rows, header=header))
    assert (problem.row, problem.column) == (7, "S (ID)")
    assert "ID 'I-1-1' sudah dipakai di baris 5" in problem.message


def test_two_bad_rows_give_two_problems():
    rows = [["I", "Area"], item(pj=None), item(langkah="Dua"), item(langkah="Tiga", marks={2: "?"})]
    problems = problems_of(sheet_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(5, PJ_COL), (7, "G (Februari)")]


def test_every_problem_in_the_file_is_reported_at_once():
    header = [*HEADER, "ID"]
    rows = [
        item(langkah="Sebelum area") + ["X-1"],
        ["I", "Area"],
        item(pj=None, marks={1: "abc", 5: "??"}) + ["I-1-1"],
        item(langkah="Dua") + ["I-1-1"],
        item(langkah=None, months=(6,)) + [None],
    ]
    problems = problems_of(sheet_bytes(rows, header=header))
    found = sorted((p.row, p.column or "", p.message.split(" ")[0]) for p in problems)
    assert found == sorted([
        (4, "A (NO)", "Baris"),
        (6, "F (Januari)", "Tanda"),
        (6, "J (Mei)", "Tanda"),
        (6, "R (PENANGGUNG JAWAB)", "PENANGGUNG"),
        (7, "S (ID)", "ID"),
        (8, "D (LANGKAH AKSI)", "LANGKAH"),
    ])
    assert str(PlanError(problems)).count("\n") == len(problems) - 1


# Command line --------------------------------------------------------------------------------------------

BAD_FILES = {
    "teks.xlsx": lambda: b"bukan excel",
    "terpotong.xlsx": lambda: good_bytes()[:2000],
    "tanpa_pj.xlsx": lambda: sheet_bytes([["I", "Area"], item(pj=None), item(marks={4: "?"})]),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_cli_validate_reports_in_indonesian(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name]())
    stderr = run_cli("validate", path, check_returncode=1).stderr
    assert stderr.startswith("Berkas tidak dapat diproses")
    lines = [line for line in stderr.splitlines() if line.startswith("- ")]
    assert lines
    for line in lines:
        assert_indonesian(line)
    if name == "tanpa_pj.xlsx":
        assert len(lines) == 2
        assert "baris 5, kolom R (PENANGGUNG JAWAB)" in stderr
        assert "baris 6, kolom I (April)" in stderr


def test_cli_validate_of_a_truncated_file_exits_1_without_traceback(tmp_path):
    path = tmp_path / "terpotong.xlsx"
    path.write_bytes(BAD_FILES["terpotong.xlsx"]())
    result = run_cli("validate", path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "bukan buku kerja Excel (.xlsx) atau rusak/terpotong" in result.stderr


def test_cli_validate_json_lists_the_problems(tmp_path):
    path = tmp_path / "tanpa_pj.xlsx"
    path.write_bytes(BAD_FILES["tanpa_pj.xlsx"]())
    report = json.loads(run_cli("validate", path, "--json", check_returncode=1).stdout)
    assert report["ok"] is False
    assert [(p["sheet"], p["row"], p["column"]) for p in report["problems"]] == [
        ("Renaksi", 5, PJ_COL), ("Renaksi", 6, "I (April)")]
