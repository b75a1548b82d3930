"""Next year's plan from this year's: a plan written as the plan workbook of a later year, for the office to edit in
Excel and upload as that year (plan_years.preview_new_year reads it like any plan).

The langkah aksi, their IDs, months, teams, bukti fisik and the komponen and indikator texts are carried as they
are; the year changes in the title and the Info sheet. The old decree's number and date are left blank, and the
Catatan sheet says what to fill in, which texts still name the old year, and how to upload the workbook. A plan
workbook holds no progress, so none is carried.
"""

import re

import pandas as pd

from ..base.months import listed_with_rest
from .plan_workbook import plan_workbook_bytes

DECREE_FIELDS = ("Nomor keputusan", "Tanggal penetapan")  # the Info fields that belong to the old decree
NOTE_COLUMNS = ["Jenis", "Lokasi", "Teks sumber", "Catatan"]  # the Catatan sheet's, as in the bundled plan
CHECKED_TEXTS = {"area_name": "AREA", "komponen": "KOMPONEN", "indikator": "INDIKATOR",
                 "langkah_aksi": "LANGKAH AKSI", "bukti_fisik": "BUKTI FISIK"}
IDS_NAMED = 5  # a note names this many IDs of the rows sharing a text, then counts the rest


def draft_workbook(plan: pd.DataFrame, office_name: str, year: int) -> bytes:
    """`plan` (as ProgressStore.plan returns it, its year in `attrs`) as the plan workbook of `year` for the office
    named `office_name` (the name the office list gives, so that the upload finds the office by it)."""
    from_year = int(plan.attrs["year"])
    info = draft_info(plan.attrs.get("info") or {}, office_name, from_year, year)
    return plan_workbook_bytes(plan, info, draft_notes(plan, from_year, year))


def draft_info(info: dict, office_name: str, from_year: int, year: int) -> dict:
    """The Info sheet of the draft: the office and the new year, the decree's fields blank, the source said."""
    drafted = {"Instansi": office_name, "Tahun": ""}
    drafted.update((key, value) for key, value in info.items() if key != "Sumber")
    drafted.update({"Instansi": office_name, "Tahun": str(year), **dict.fromkeys(DECREE_FIELDS, "")})
    drafted["Sumber"] = f"Rancangan dari rencana aksi tahun {from_year} (ZI Monitor); belum ditetapkan."
    return drafted


def draft_notes(plan: pd.DataFrame, from_year: int, year: int) -> pd.DataFrame:
    """The Catatan sheet: the decree's fields to fill in, each text that names `from_year`, then how to go on."""
    rows = [("Perlu diisi", "Info: Nomor keputusan", "",
             f"Nomor keputusan yang menetapkan rencana aksi tahun {year}. Bila lembar Rencana Aksi dicetak, tulis "
             "nomor itu juga di teks LAMPIRAN (baris 2)."),
            ("Perlu diisi", "Info: Tanggal penetapan", "",
             f"Tanggal keputusan itu ditetapkan, misalnya 17 Januari {year}.")]
    rows += _texts_naming(plan, from_year, year)
    rows.append(("Cara memakai", "", "",
                 f"Rancangan ini berisi langkah aksi, ID, bulan, penanggung jawab dan bukti fisik rencana aksi "
                 f"tahun {from_year}. Sunting di Excel: langkah aksi yang tetap dipertahankan ID-nya; langkah aksi "
                 f"baru diberi ID baru. Lalu unggah di halaman Tahun Rencana (atau 'python -m zi_data plan add'). "
                 f"Tahun {year} dimulai tanpa progres: progres tahun {from_year} tidak terbawa."))
    return pd.DataFrame.from_records(rows, columns=NOTE_COLUMNS)


def _texts_naming(plan: pd.DataFrame, from_year: int, year: int) -> list[tuple]:
    """One note per text (per column) that names `from_year`, with the IDs of the rows that show it."""
    pattern = re.compile(rf"(?<!\d){from_year}(?!\d)")
    notes = []
    for column, label in CHECKED_TEXTS.items():
        naming = plan[plan[column].astype(str).str.contains(pattern)]
        for text, rows in naming.groupby(column, sort=False):
            ids = list(rows["id"])
            notes.append(("Perlu diperiksa",
                          f"Rencana Aksi, kolom {label}: {listed_with_rest(ids[:IDS_NAMED], len(ids) - IDS_NAMED)}",
                          text, f"Menyebut tahun {from_year}; ganti dengan {year} bila perlu."))
    return notes
