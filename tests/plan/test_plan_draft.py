"""Next year's plan from this year's (plan_draft): the workbook reads back, with the plan reader, as the same langkah
aksi in the new year; the old decree's fields are left to fill in and the Catatan sheet says so."""

import io

import openpyxl
import pandas as pd

from helpers import ROOT, make_plan
from zi_data.plan.plan import PLAN_COLUMNS, read_plan
from zi_data.plan.plan_draft import draft_workbook
from zi_data.plan.plan_workbook import NOTES_SHEET, PLAN_SHEET

BUNDLED = ROOT / "data" / "rencana_aksi_2025.xlsx"
CARRIED = [column for column in PLAN_COLUMNS if column != "row"]  # all but where each row stands in the sheet


def notes(data: bytes) -> list[dict]:
    rows = list(openpyxl.load_workbook(io.BytesIO(data))[NOTES_SHEET].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_draft_reads_back_as_the_same_langkah_aksi_in_the_new_year():
    plan = read_plan(BUNDLED)
    drafted = draft_workbook(plan, "KPU Kabupaten Kapuas", 2026)
    again = read_plan(drafted, "rancangan.xlsx")
    pd.testing.assert_frame_equal(again[CARRIED], plan[CARRIED])
    assert (again.attrs["year"], again.attrs["office"]) == (2026, "KPU Kabupaten Kapuas")
    info = again.attrs["info"]
    assert info["Tahun"] == "2026" and info["Nomor keputusan"] == "" and info["Tanggal penetapan"] == ""
    assert info["Nama lengkap instansi"] == "Komisi Pemilihan Umum Kabupaten Kapuas"
    assert info["Ditetapkan di"] == "Kuala Kapuas" and "tahun 2025" in info["Sumber"]
    assert again.attrs["title"][-1] == "DI LINGKUNGAN KOMISI PEMILIHAN UMUM KABUPATEN KAPUAS TAHUN 2026"
    assert not any("2025" in line for line in again.attrs["title"])  # the year changed in the title and LAMPIRAN
    assert "NOMOR … TENTANG" in again.attrs["title"][1]
    assert openpyxl.load_workbook(io.BytesIO(drafted)).sheetnames == [PLAN_SHEET, "Info", NOTES_SHEET]


def test_the_office_is_named_as_the_office_list_names_it():
    plan = read_plan(BUNDLED)
    assert read_plan(draft_workbook(plan, "KPU Kab. Kapuas", 2027)).attrs["office"] == "KPU Kab. Kapuas"


def test_the_notes_name_the_fields_to_fill_and_each_text_that_names_the_old_year():
    plan = make_plan([("A-1", "I", "T1", "K1", (1,)), ("A-2", "I", "T1", "K1", (2,)), ("A-3", "I", "T2", "K1", (3,))])
    plan.loc[:, "bukti_fisik"] = ["Laporan 2025", "Laporan 2025", "Nomor 120251"]  # the last names no year
    plan.loc[2, "langkah_aksi"] = "Rapat tahun 2025"
    rows = notes(draft_workbook(plan, "KPU Contoh", 2026))
    assert [(row["Jenis"], row["Lokasi"]) for row in rows] == [
        ("Perlu diisi", "Info: Nomor keputusan"), ("Perlu diisi", "Info: Tanggal penetapan"),
        ("Perlu diperiksa", "Rencana Aksi, kolom LANGKAH AKSI: A-3"),
        ("Perlu diperiksa", "Rencana Aksi, kolom BUKTI FISIK: A-1, A-2"),
        ("Cara memakai", None)]
    assert rows[3]["Teks sumber"] == "Laporan 2025"
    assert rows[3]["Catatan"] == "Menyebut tahun 2025; ganti dengan 2026 bila perlu."
    assert "unggah di halaman Tahun Rencana" in rows[-1]["Catatan"] and "tidak terbawa" in rows[-1]["Catatan"]


def test_a_text_shared_by_many_rows_names_a_few_ids_and_counts_the_rest():
    plan = make_plan([(f"A-{n}", "I", "T1", "K1", (1,)) for n in range(1, 9)])
    plan.loc[:, "indikator"] = "Indikator 2025"
    (shared,) = [row for row in notes(draft_workbook(plan, "KPU Contoh", 2026)) if row["Jenis"] == "Perlu diperiksa"]
    assert shared["Lokasi"] == "Rencana Aksi, kolom INDIKATOR: A-1, A-2, A-3, A-4, A-5 … dan 3 lainnya"
