"""The bundled workbook against a hand reading of the signed Lampiran.

Every expected value below was read off the source document
(/work/shared/seeds/000_5323d32bbe141381.txt, the tab-separated Lampiran table),
not taken from read_plan's output. Reading decisions, as listed on the 'Catatan' sheet:
a ✓ printed past month 12 (in the PENANGGUNG JAWAB column, or a 13th mark) is Desember;
blank NO, KOMPONEN, INDIKATOR, BUKTI FISIK and PENANGGUNG JAWAB continue the row above.
"""

import io
import json
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from zi_data import PLAN_COLUMNS, read_plan
from zi_data.plan.plan import read_workbook

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "rencana_aksi_2025.xlsx"

ALL = tuple(range(1, 13))
Q1_DEC = (1, 2, 3, 12)
Q4 = (10, 11, 12)

AGEN = "Tim Agen Perubahan"
TATA = "Tim Penguatan Tata Laksana"
MANAJEMEN = "Tim Manajemen Perubahan"
PELAYANAN = "Tim Pelayanan Publik"
SDM = "Tim Sistem Manajemen Sumber Daya Manusia"
AKUNTABILITAS = "Tim Penguatan Akuntabilitas"
PENGAWASAN = "Tim Pengawasan"

# id: (penanggung jawab, planned months), in document order.
EXPECTED_ROWS = {
    "I-1-1": (AGEN, (1, 12)),
    "I-2-1": (AGEN, (1,)),
    "I-3-1": (AGEN, ALL),
    "I-4-1": (AGEN, ALL),
    "I-4-2": (AGEN, (1,)),
    "II-1-1": (TATA, (1,)),
    "II-1-2": (TATA, (1,)),
    "II-2-1": (MANAJEMEN, ALL),  # 13 marks printed
    "II-2-2": (MANAJEMEN, ALL),  # 13 marks printed
    "II-2-3": (MANAJEMEN, ALL),  # 13 marks printed
    "II-3-1": (PELAYANAN, ALL),
    "II-3-2": (PELAYANAN, ALL),
    "II-3-3": (PELAYANAN, ALL),
    "III-1-1": (SDM, ALL),
    "III-2-1": (SDM, ALL),
    "III-2-2": (SDM, ALL),
    "III-3-1": (SDM, ALL),
    "III-3-2": (SDM, ALL),
    "III-3-3": (SDM, ALL),
    "III-3-4": (SDM, ALL),
    "III-3-5": (SDM, ALL),
    "III-3-6": (SDM, ALL),
    "III-4-1": (SDM, ALL),
    "III-4-2": (SDM, ALL),
    "III-4-3": (SDM, ALL),
    "III-4-4": (SDM, ALL),
    "III-5-1": (SDM, ALL),
    "III-6-1": (SDM, ALL),
    "IV-1-1": (AKUNTABILITAS, ALL),
    "IV-1-2": (AKUNTABILITAS, Q1_DEC),  # 4th mark printed in PENANGGUNG JAWAB
    "IV-1-3": (AKUNTABILITAS, Q1_DEC),  # 4th mark printed in PENANGGUNG JAWAB
    "IV-1-4": (AKUNTABILITAS, ALL),
    "IV-2-1": (AKUNTABILITAS, Q1_DEC),  # 4th mark printed in PENANGGUNG JAWAB
    "IV-2-2": (AKUNTABILITAS, Q1_DEC),  # 4th mark printed in PENANGGUNG JAWAB
    "IV-2-3": (AKUNTABILITAS, Q1_DEC),  # 4th mark printed in PENANGGUNG JAWAB
    "IV-2-4": (AKUNTABILITAS, (1,)),
    "IV-2-5": (AKUNTABILITAS, (1,)),
    "IV-2-6": (AKUNTABILITAS, (1,)),
    "V-1-1": (PENGAWASAN, ALL),
    "V-1-2": (PENGAWASAN, ALL),
    "V-2-1": (PENGAWASAN, ALL),
    "V-2-2": (PENGAWASAN, ALL),
    "V-2-3": (PENGAWASAN, ALL),
    "V-2-4": (PENGAWASAN, ALL),
    "V-3-1": (PENGAWASAN, ALL),
    "V-3-2": (PENGAWASAN, ALL),
    "V-3-3": (PENGAWASAN, ALL),
    "V-3-4": (PENGAWASAN, ALL),
    "V-4-1": (PENGAWASAN, ALL),
    "V-4-2": (PENGAWASAN, ALL),
    "V-4-3": (PENGAWASAN, ALL),
    "V-4-4": (PENGAWASAN, ALL),
    "V-5-1": (PENGAWASAN, ALL),
    "V-5-2": (PENGAWASAN, ALL),
    "V-5-3": (PENGAWASAN, ALL),
    "V-5-4": (PENGAWASAN, ALL),
    "V-5-5": (PENGAWASAN, ALL),
    "VI-1-1": (AGEN, ALL),
    "VI-1-2": (AGEN, ALL),
    "VI-1-3": (AGEN, ALL),
    "VI-2-1": (AGEN, ALL),
    "VI-2-2": (AGEN, ALL),
    "VI-2-3": (AGEN, ALL),
    "VI-2-4": (AGEN, ALL),
    "VI-2-5": (AGEN, ALL),
    "VI-3-1": (AGEN, Q4),  # 4th mark printed in PENANGGUNG JAWAB
    "VI-3-2": (AGEN, Q4),
    "VI-3-3": (AGEN, ALL),
}

EXPECTED_BY_AREA = {"I": 5, "II": 8, "III": 15, "IV": 10, "V": 19, "VI": 11}
EXPECTED_BY_TEAM = {AGEN: 16, TATA: 2, MANAJEMEN: 3, PELAYANAN: 3, SDM: 15, AKUNTABILITAS: 10, PENGAWASAN: 19}
EXPECTED_PLANNED_ITEM_MONTHS = 671

EXPECTED_AREA_NAMES = {
    "I": "Pembangunan unit kerja untuk memperoleh predikat WBW/WBBMKPU",
    "II": "PENATAAN TATA LAKSANA",
    "III": "Penataan Sistem Manajemen SDM",
    "IV": "Penguatan Akuntabilitas",
    "V": "Penguatan Pengawasan",
    "VI": "Peningkatan Kualitas Pelayanan Publik",
}

# (area, komponen position): (printed NO, KOMPONEN). Area III prints "3." twice and no "2.".
EXPECTED_KOMPONEN = {
    ("I", 1): ("1", "Tim Kerja"),
    ("I", 2): ("2.", "Dokumen Rencana Aksi"),
    ("I", 3): ("3.", "Pemantauan dan Evaluasi Pembangunan WBK/ WBBM"),
    ("I", 4): ("4.", "Perubahan Pola Pikir dan Budaya Kerja"),
    ("II", 1): ("1", "Prosedur Operasional tetap (SOP) kegiatan Utama"),
    ("II", 2): ("2.", "E- Office pemanfaatan aplikasi presensi"),
    ("II", 3): ("3.", "Keterbukaan Informasi Publik"),
    ("III", 1): ("1", "Perencanaan Kebutuhan Pegawai Sesuai dengan kebutuhan"),
    ("III", 2): ("3.", "Pola Mutasi Internal"),
    ("III", 3): ("3.", "Pengembangan Pegawai Berbasis kompetensi"),
    ("III", 4): ("4.", "Penetapan Kinerja Individu"),
    ("III", 5): ("5.", "Penegakan aturan kode etik dan aturan perilaku pegawai"),
    ("III", 6): ("6.", "Sistem Informasi Kepegawaian"),
    ("IV", 1): ("1", "Ketertiban pimpinan"),
    ("IV", 2): ("2.", "Pengelolaan Akuntabilitas Kinerja"),
    ("V", 1): ("1", "Pengendalian Gratifikasi"),
    ("V", 2): ("2.", "Penetapan SPIP"),
    ("V", 3): ("3.", "Pengaduan Masyarakat"),
    ("V", 4): ("4.", "Whistle Blowing System"),
    ("V", 5): ("5.", "Penanganan benturan Kepentingan"),
    ("VI", 1): ("1", "Standar Pelayanan"),
    ("VI", 2): ("2.", "Budaya pelayanan prima"),
    ("VI", 3): ("3.", "Penilaian Kepuasan Pelayanan"),
}

TEXT_COLUMNS = ["area_name", "no", "komponen", "indikator", "langkah_aksi", "bukti_fisik", "penanggung_jawab"]


@pytest.fixture(scope="module")
def plan():
    return read_plan(BUNDLED)


@pytest.fixture(scope="module")
def by_id(plan):
    return plan.set_index("id")


def test_columns_and_row_count(plan):
    assert list(plan.columns) == PLAN_COLUMNS
    assert len(plan) == 68
    assert plan["id"].is_unique


def test_rows_in_document_order_with_expected_ids(plan):
    assert plan["id"].tolist() == list(EXPECTED_ROWS)
    assert plan["row"].is_monotonic_increasing


def test_rows_per_area(plan):
    assert dict(Counter(plan["area"])) == EXPECTED_BY_AREA
    assert sum(EXPECTED_BY_AREA.values()) == 68


def test_rows_per_team(plan):
    assert dict(Counter(plan["penanggung_jawab"])) == EXPECTED_BY_TEAM
    assert sum(EXPECTED_BY_TEAM.values()) == 68


def test_planned_months_of_every_row(plan):
    actual = dict(zip(plan["id"], plan["months"]))
    wrong = {item: (actual.get(item), months) for item, (_, months) in EXPECTED_ROWS.items()
             if actual.get(item) != months}
    assert wrong == {}, "id: (read, expected)"


def test_team_of_every_row(plan):
    actual = dict(zip(plan["id"], plan["penanggung_jawab"]))
    wrong = {item: (actual.get(item), team) for item, (team, _) in EXPECTED_ROWS.items()
             if actual.get(item) != team}
    assert wrong == {}, "id: (read, expected)"


def test_planned_item_months_total(plan):
    assert sum(len(months) for months in plan["months"]) == EXPECTED_PLANNED_ITEM_MONTHS
    assert sum(len(months) for _, months in EXPECTED_ROWS.values()) == EXPECTED_PLANNED_ITEM_MONTHS


def test_months_are_sorted_tuples_of_ints(plan):
    for months in plan["months"]:
        assert isinstance(months, tuple)
        assert list(months) == sorted(set(months))
        assert all(type(m) is int and 1 <= m <= 12 for m in months)


def test_area_names(plan):
    names = plan.groupby("area", sort=False)["area_name"].unique()
    assert {area: list(values) for area, values in names.items()} == {
        area: [name] for area, name in EXPECTED_AREA_NAMES.items()}


def test_komponen_and_printed_no_filled_down(plan):
    actual = {(r.area, r.komponen_pos): (r.no, r.komponen)
              for r in plan.drop_duplicates(["area", "komponen_pos"]).itertuples()}
    assert actual == EXPECTED_KOMPONEN
    for (area, pos), group in plan.groupby(["area", "komponen_pos"]):
        assert set(group["komponen"]) == {EXPECTED_KOMPONEN[(area, pos)][1]}


def test_printed_no_is_duplicated_but_ids_are_not(plan):
    area_three = plan[plan["area"] == "III"].drop_duplicates("komponen_pos")
    assert area_three["no"].tolist() == ["1", "3.", "3.", "4.", "5.", "6."]
    assert plan["id"].is_unique


def test_continuation_rows_take_text_from_above(by_id):
    assert by_id.loc["II-3-2", "indikator"] == by_id.loc["II-3-1", "indikator"]
    assert by_id.loc["II-3-2", "bukti_fisik"] == by_id.loc["II-3-1", "bukti_fisik"]
    assert by_id.loc["II-3-2", "langkah_aksi"] == (
        "2 KPU Kabupaten Kapuas menyediakan informasi publik secara jelas, akurat dan tepat waktu")
    assert by_id.loc["III-3-6", "indikator"] == by_id.loc["III-3-5", "indikator"]
    assert by_id.loc["IV-1-3", "indikator"] == "Pimpinan terlibat secara langsung pada saat penetapan kinerja"
    assert by_id.loc["I-4-2", "komponen"] == "Perubahan Pola Pikir dan Budaya Kerja"
    assert by_id.loc["I-4-2", "indikator"] == "Telah menetapkan agen perubahan"


def test_texts_verbatim_with_source_typos(by_id):
    assert by_id.loc["I-1-1", "bukti_fisik"] == (
        "SK Tim Kerja ZI tahun 2025/ Kelompok Kerja yang ditandangani oleh ketua KPU Kabupaten Kapuas, "
        "dan prosedur pemilihan Tim Kerja ZI")
    assert by_id.loc["IV-1-1", "komponen"] == "Ketertiban pimpinan"
    assert by_id.loc["III-3-6", "bukti_fisik"] == "Formulir onitoring efektifitas pendidikan dan pelatihan"
    assert by_id.loc["III-3-6", "langkah_aksi"] == (
        "Melakukan monev terhadap kegiatan pendidikan dan pelatihan yang telah Diikuti")
    assert by_id.loc["III-3-4", "indikator"].startswith("pegawai di unit kerjatelah memperoleh")
    assert by_id.loc["III-4-1", "bukti_fisik"].endswith("Sasaran Kinerja Pegawai Eselon III sdan IV tahun 2025")
    assert by_id.loc["I-3-1", "indikator"] == (
        "Timeline pemantauan dan evaluasi pembangunan WBK/ WBBM (per semester/ per triwulan")
    assert by_id.loc["III-3-5", "bukti_fisik"].startswith(
        "Usulan diklat/ bimtek dari KPU Kabupaten Kapuas ke KPU Provinsi Papua Barat")
    assert by_id.loc["VI-2-4", "indikator"] == "Telah terdapat saranan layanan terpadu/ terintegrasi"


def test_italic_markup_removed_and_text_kept(by_id, plan):
    for column in TEXT_COLUMNS:
        assert not plan[column].str.contains("<i>|</i>|<", regex=True).any(), column
    assert by_id.loc["I-4-1", "indikator"] == (
        "Para Pimpinan berperan sebagai role model dalam pelaksanaan pembangunan WBK/ WBBM")
    assert by_id.loc["V-4-1", "langkah_aksi"].startswith(
        "Mensosialisasikan pedoman pelaksanaan whistle blowing system , serta sosialisasi")
    assert by_id.loc["V-3-1", "bukti_fisik"] == (
        "Foto kotak aduan dan tangkapan layar kanal pengaduan online KPU Kabupaten Kapuas")


def test_no_empty_required_text(plan):
    for column in ["komponen", "indikator", "langkah_aksi", "bukti_fisik", "penanggung_jawab", "area_name"]:
        assert (plan[column].str.strip() != "").all(), column


def test_document_info(plan):
    assert plan.attrs["office"] == "KPU Kabupaten Kapuas"
    assert plan.attrs["year"] == 2025
    assert plan.attrs["sheet"] == "Rencana Aksi"


def test_read_workbook_reads_a_package_opened_by_the_caller(plan):
    data = BUNDLED.read_bytes()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            frame = read_workbook(book, archive, "rencana.xlsx")
        finally:
            book.close()
    pd.testing.assert_frame_equal(frame, plan)
    assert frame.attrs["file"] == "rencana.xlsx" and frame.attrs["office"] == plan.attrs["office"]


def test_rebuild_is_byte_identical():
    # The script as a maintainer runs it: a fresh interpreter, its own sys.path set-up, its exit code.
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_plan_workbook.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


@pytest.fixture(scope="module")
def workbook():
    book = openpyxl.load_workbook(BUNDLED)
    yield book
    book.close()


def test_sheet_is_shaped_like_the_lampiran(workbook):
    assert workbook.sheetnames[0] == "Rencana Aksi"
    sheet = workbook["Rencana Aksi"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert len(merged) > 20
    assert {"A8:A9", "F8:Q8", "R53:R71"} <= merged
    assert sheet.print_title_rows == "$8:$9"
    assert sheet.page_setup.orientation == "landscape"
    assert [sheet.cell(9, col).value for col in range(6, 18)] == list(range(1, 13))


def test_notes_sheet_lists_the_reading_decisions(workbook):
    rows = list(workbook["Catatan"].iter_rows(values_only=True))
    assert rows[0] == ("Jenis", "Lokasi", "Teks sumber", "Catatan")
    decisions = [row for row in rows[1:] if row[0] == "Keputusan transkripsi"]
    text = "\n".join(" ".join(str(v or "") for v in row) for row in decisions)
    assert "melanjutkan isi baris di atasnya" in text
    assert "Desember" in text and "PENANGGUNG JAWAB" in text
    assert "tidak diturunkan dari kolom NO" in text
    for item in ["II-2-1", "IV-1-2", "IV-2-3", "VI-3-1"]:
        assert item in text, item
    typos = {(row[1], row[2]) for row in rows[1:] if row[0] == "Salah ketik"}
    assert {("I-1-1", "ditandangani"), ("IV-1-1", "Ketertiban pimpinan"),
            ("III-3-6", "Formulir onitoring")} <= typos


def test_cli_validate_json_summary():
    """The one end-to-end run of the real `python -m zi_data` (every other command line test runs it in
    this process, by helpers.run_cli): entry point, worker process, JSON on stdout, exit code."""
    result = subprocess.run([sys.executable, "-m", "zi_data", "validate", str(BUNDLED), "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["items"] == 68
    assert summary["planned_item_months"] == EXPECTED_PLANNED_ITEM_MONTHS
    assert summary["by_area"] == EXPECTED_BY_AREA
    assert summary["by_team"] == EXPECTED_BY_TEAM
    assert summary["office"] == "KPU Kabupaten Kapuas"
    assert summary["year"] == 2025
