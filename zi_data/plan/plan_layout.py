"""Finding a plan's table on a sheet: the header row by its labels, the month columns below it."""

import datetime
import re
from dataclasses import dataclass, field

from ..base.months import MONTH_ALIASES, month_name
from .plan_cells import cell_text, label_text
from ..base.problems import Problem

HEADER_LABELS = {
    "no": ("NO", "NO.", "NOMOR"),
    "komponen": ("KOMPONEN",),
    "indikator": ("INDIKATOR",),
    "langkah_aksi": ("LANGKAH AKSI", "RENCANA AKSI", "KEGIATAN"),
    "bukti_fisik": ("BUKTI FISIK", "BUKTI DUKUNG", "OUTPUT"),
    "penanggung_jawab": ("PENANGGUNG JAWAB", "PENANGGUNGJAWAB", "PJ", "PIC"),
    "id": ("ID", "ID LANGKAH AKSI", "KODE"),
}
LABEL_KEYS = {label: key for key, labels in HEADER_LABELS.items() for label in labels}
REQUIRED = ("komponen", "indikator", "langkah_aksi", "bukti_fisik", "penanggung_jawab")
MIN_HEADER_LABELS = 3
COLUMN_TITLES = {
    "no": "NO", "komponen": "KOMPONEN", "indikator": "INDIKATOR", "langkah_aksi": "LANGKAH AKSI",
    "bukti_fisik": "BUKTI FISIK", "penanggung_jawab": "PENANGGUNG JAWAB", "id": "ID",
}
HEADER_SEARCH_ROWS = 40


@dataclass
class Layout:
    sheet: str
    header_row: int
    last_header_row: int
    columns: dict[str, int]
    months: dict[int, int]  # month number -> column index (1-based)
    extra_mark_columns: list[int] = field(default_factory=list)
    labelled_columns: set[int] = field(default_factory=set)


def header_key(value) -> str | None:
    """The column a header cell names: 'Penanggung Jawab (PIC)' and 'BUKTI FISIK/OUTPUT' count too."""
    label = label_text(value)
    if label in LABEL_KEYS:
        return LABEL_KEYS[label]
    shortened = re.sub(r"\s*\(.*?\)", "", label).split("/")[0].strip(" .:")
    return LABEL_KEYS.get(shortened)


def month_of(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.date):
        return value.month
    return MONTH_ALIASES.get(label_text(value).rstrip("."))


def find_layout(sheet: str, rows) -> tuple[Layout | None, list[Problem]]:
    """The first row labelled like a plan header; else the problem with the most complete candidate."""
    best: tuple[float, Problem] | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        for col, cell in enumerate(cells, start=1):
            key = header_key(cell.value)
            if key and key not in columns:
                columns[key] = col
        found = [key for key in REQUIRED if key in columns]
        if len(found) < MIN_HEADER_LABELS:
            continue
        months, month_row = _month_columns(rows, index, set(columns.values()))
        missing = [COLUMN_TITLES[key] for key in REQUIRED if key not in columns]
        if not months:
            missing.append("bulan 1–12 (PELAKSANAAN)")
        elif len(months) < 12:
            missing.append("bulan " + ", ".join(month_name(m) for m in range(1, 13) if m not in months))
        if not missing:
            return _layout(sheet, rows, index, month_row, columns, months), []
        score = len(found) + len(months) / 12
        if best is None or score > best[0]:
            best = (score, Problem(
                f"Kolom {', '.join(missing)} tidak ditemukan pada baris judul tabel.",
                sheet=sheet, row=index,
                fix="Tambahkan kolom tersebut dengan judul persis seperti itu "
                    "(bulan boleh ditulis 1–12, Jan–Des atau Januari–Desember)."))
    return None, [best[1]] if best else []


def _layout(sheet: str, rows, header_row: int, month_row: int, columns: dict[str, int],
            months: dict[int, int]) -> Layout:
    last_month_col = max(months.values())
    extra = [c for c in range(last_month_col + 1, columns["penanggung_jawab"]) if c not in columns.values()]
    labelled = {col for r in range(header_row, month_row + 1)
                for col, cell in enumerate(rows[r - 1], start=1) if cell_text(cell.value)}
    return Layout(sheet, header_row, month_row, columns, months, extra, labelled)


def _month_columns(rows, header_row: int, taken: set[int]) -> tuple[dict[int, int], int]:
    """Month number -> column from the header row or the row below it, whichever names more months."""
    best: tuple[dict[int, int], int] = ({}, header_row)
    for candidate in (header_row, header_row + 1):
        if candidate > len(rows):
            break
        found: dict[int, int] = {}
        for col, cell in enumerate(rows[candidate - 1], start=1):
            month = month_of(cell.value)
            if month and month not in found and col not in taken:
                found[month] = col
        if len(found) > len(best[0]):
            best = (found, candidate)
    return best
