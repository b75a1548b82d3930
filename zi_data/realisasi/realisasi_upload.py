"""Reading a filled Realisasi workbook: its metadata, Realisasi and plan sheets, from one opened package.

`read_upload(uploaded)` runs in the parsing worker (upload_isolation); it needs no store.
"""

from dataclasses import dataclass

import pandas as pd
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from ..base.cell_values import FIRST_DATE, LAST_DATE, UnreadableRow, cell_text, sheet_values, squash
from ..plan.plan import read_workbook
from ..plan.plan_workbook import PLAN_SHEET
from ..base.problems import InputError, Problem
from .realisasi_layout import (
    FORMAT,
    HEADER_ALIASES,
    HEADERS,
    META_SHEET,
    REALISASI_SHEET,
    REQUIRED_HEADERS,
    column_name,
    header_label,
)
from ..files.uploaded_file import OpenedPackage, UploadedFile, unreadable_workbook

HEADER_SEARCH_ROWS = 10
META_ROWS = 200


@dataclass
class UploadedWorkbook:
    """What a filled workbook says, before it is compared with the store."""
    meta: dict[str, str]
    meta_rows: dict[str, int]  # meta key -> row on the metadata sheet
    sheet: str  # the Realisasi sheet's name as spelled in the file
    columns: dict[str, int]  # column key -> 1-based column on the Realisasi sheet
    rows: list[dict]  # each non-empty row: raw cell values by column key, plus 'row'
    plan: pd.DataFrame | None  # the plan sheet as read_plan reads it; None when missing or unreadable
    plan_problems: list[Problem]
    errors: list[Problem]

    def column(self, key: str) -> str:
        """'H (Status)': where a problem in column `key` is."""
        return column_name(self.columns, key)


def read_upload(uploaded: UploadedFile) -> UploadedWorkbook:
    """Check the .xlsx with the guard, then read its metadata, Realisasi and plan sheets (no store needed).

    InputError only when the guard refuses the file or it is no workbook; sheet problems go to `errors`."""
    package = uploaded.package()
    errors: list[Problem] = []
    try:
        meta, meta_rows = _read_meta(package.book, errors)
        sheet, columns, rows = _read_realisasi(package.book, errors)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # calamine reports damage as CalamineError, or as a Rust panic (a BaseException)
        raise InputError([unreadable_workbook(uploaded.name)]) from None
    plan, plan_problems = _read_plan_sheet(package, uploaded.name)
    return UploadedWorkbook(meta, meta_rows, sheet, columns, rows, plan, plan_problems, errors)


def _sheet_rows(book: CalamineWorkbook, name: str) -> tuple[str, list[list]] | None:
    """(the sheet's own spelling of `name`, its rows from A1) or None when there is no such sheet."""
    for title in book.sheet_names:
        if squash(title).casefold() == name.casefold():
            return title, sheet_values(book.get_sheet_by_name(title))
    return None


def _read_meta(book: CalamineWorkbook, errors: list[Problem]) -> tuple[dict[str, str], dict[str, int]]:
    found = _sheet_rows(book, META_SHEET)
    if found is None:
        errors.append(Problem(
            f"Lembar '{META_SHEET}' tidak ditemukan, jadi tidak diketahui dari data mana berkas ini dibuat.",
            sheet=META_SHEET,
            fix="Unduh buku kerja realisasi dari ZI Monitor, isi lembar Realisasi di sana, lalu unggah berkas itu "
                "(jangan hapus lembar tersembunyi 'Info Unduhan')."))
        return {}, {}
    title, rows = found
    meta, where = {}, {}
    for number, values in enumerate(rows[:META_ROWS], start=1):
        key = cell_text(values[0]) if values else ""
        if key and key not in meta:
            meta[key] = cell_text(values[1]) if len(values) > 1 else ""
            where[key] = number
    if meta.get("format") != FORMAT:
        errors.append(Problem(f"Lembar '{META_SHEET}' bukan milik buku kerja realisasi ZI Monitor.",
                              sheet=title, row=where.get("format"), column="B",
                              fix="Unduh ulang buku kerja realisasi dari ZI Monitor."))
    return meta, where


def _read_realisasi(book: CalamineWorkbook, errors: list[Problem]) -> tuple[str, dict[str, int], list[dict]]:
    found = _sheet_rows(book, REALISASI_SHEET)
    if found is None:
        errors.append(Problem(f"Lembar '{REALISASI_SHEET}' tidak ditemukan.", sheet=REALISASI_SHEET,
                              fix="Isi lembar Realisasi pada buku kerja yang diunduh dari ZI Monitor; jangan "
                                  "menghapus atau mengganti namanya."))
        return REALISASI_SHEET, {}, []
    sheet, all_rows = found
    header_row, columns = _find_header(all_rows)
    if header_row is None:
        errors.append(Problem("Baris judul kolom (ID, Bulan, Status, ...) tidak ditemukan di 10 baris pertama.",
                              sheet=sheet, row=1,
                              fix="Kembalikan baris judul seperti saat diunduh: ID, Area, Komponen, Langkah Aksi, "
                                  "Bukti Fisik, Bulan, Penanggung Jawab, Status, Bukti Dukung, Tanggal Selesai, "
                                  "Catatan/Kendala, Dilaporkan oleh."))
        return sheet, {}, []
    missing = [HEADERS[key] for key in REQUIRED_HEADERS if key not in columns]
    if missing:
        errors.append(Problem(f"Kolom {', '.join(missing)} tidak ditemukan pada baris judul.",
                              sheet=sheet, row=header_row,
                              fix="Kembalikan kolom tersebut dengan judul seperti saat diunduh."))
        return sheet, columns, []
    return sheet, columns, _report_rows(sheet, all_rows, header_row, columns, errors)


def _find_header(all_rows) -> tuple[int | None, dict[str, int]]:
    """(the header row's number, column key -> 1-based column), or (None, {}) when no row in the first ten is one."""
    for number, values in enumerate(all_rows[:HEADER_SEARCH_ROWS], start=1):
        labels = [header_label(v) for v in values]
        known = sum(any(label in names for names in HEADER_ALIASES.values()) for label in labels)
        if "ID" in labels and known >= 3:
            columns = {}
            for col, label in enumerate(labels, start=1):
                for key, names in HEADER_ALIASES.items():
                    if label in names and key not in columns:
                        columns[key] = col
            return number, columns
    return None, {}


def _report_rows(sheet: str, all_rows, header_row: int, columns: dict[str, int], errors: list[Problem]) -> list[dict]:
    """Every non-empty row below the header: raw cell values by column key, plus 'row'."""
    rows = []
    for number, values in enumerate(all_rows[header_row:], start=header_row + 1):
        if isinstance(values, UnreadableRow):
            errors.append(Problem(
                f"Baris ini tidak dapat dibaca: ada sel tanggal atau durasi berisi angka di luar rentang tanggal "
                f"Excel ({FIRST_DATE:%d/%m/%Y}–{LAST_DATE:%d/%m/%Y}).", sheet=sheet, row=number,
                column=f"{get_column_letter(columns['tanggal'])} ({HEADERS['tanggal']}) atau kolom lain",
                fix="Periksa sel tanggal pada baris ini; tulis tanggal seperti 17/11/2025 atau kosongkan."))
            continue
        record = {key: (values[col - 1] if col <= len(values) else None) for key, col in columns.items()}
        if all(cell_text(v) == "" for v in record.values()):
            continue
        record["row"] = number
        rows.append(record)
    return rows


def _read_plan_sheet(package: OpenedPackage, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    missing = Problem(f"Lembar '{PLAN_SHEET}' tidak ditemukan atau tidak berisi tabel rencana aksi.", sheet=PLAN_SHEET,
                      fix=f"Kembalikan lembar '{PLAN_SHEET}' seperti saat diunduh.")
    try:
        plan = read_workbook(package.book, package.archive, label)
    except InputError as error:
        return None, [p for p in error.problems if p.sheet == PLAN_SHEET] or [missing]
    if plan.attrs.get("sheet") != PLAN_SHEET:
        return None, [missing]
    return plan, []
