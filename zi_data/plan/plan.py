"""Reading a Rencana Aksi workbook into one row per langkah aksi.

Offices keep their plans in many shapes: title rows above the table, two header
rows, merged cells, ✓ or x or 1 as marks, months shaded like a Gantt chart.
`read_plan` finds the table by its labels and returns a tidy DataFrame.

Cell values and merged ranges come from python-calamine, several times faster
than openpyxl (see benchmarks/bench_read_plan.py); the shading calamine cannot
see is read from the XML (plan_cells). The table is found by plan_layout, its
rows read by plan_rows, the office and year by plan_info.
"""

import io
import zipfile

import pandas as pd
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .plan_cells import shaded_styles, sheet_rows, workbook_parts
from .plan_info import INFO_SHEET, document_info, info_sheet
from .plan_layout import find_layout
from .plan_rows import PLAN_COLUMNS, parse_rows
from ..base.problems import InputError, PlanError, Problem
from ..files.xlsx_guard import open_checked_zip, read_source

__all__ = ["PLAN_COLUMNS", "read_checked_plan", "read_plan", "read_workbook"]


def read_plan(source, file_label: str | None = None) -> pd.DataFrame:
    """Read a plan workbook (path, bytes or binary file object).

    Returns one row per langkah aksi in document order with the columns in
    PLAN_COLUMNS; `bulan` is the sorted tuple of planned months. The frame's
    `attrs` carry the sheet name, office, year and title found in the file.
    Raises PlanError listing every problem found.
    """
    try:
        data, label = read_source(source, file_label)
        open_checked_zip(data, label).close()
    except PlanError:
        raise
    except InputError as error:
        raise PlanError(error.problems) from None
    return read_checked_plan(data, label)


def read_checked_plan(data: bytes, label: str) -> pd.DataFrame:
    """read_plan of workbook bytes that open_checked_zip has already accepted."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = _guarded(label, None, lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)))
        try:
            return read_workbook(book, archive, label)
        finally:
            book.close()


def read_workbook(book: CalamineWorkbook, archive: zipfile.ZipFile, label: str) -> pd.DataFrame:
    """read_plan of a workbook already opened twice: by calamine (`book`) and as a zip (`archive`).

    The first visible sheet holding a plan table is read; `label` names the file in messages.
    """
    worksheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    names = [m.name for m in worksheets if m.visible == SheetVisibleEnum.Visible] or [m.name for m in worksheets]
    parts, styles_part = _guarded(label, None, lambda: workbook_parts(archive))
    shaded = _guarded(label, None, lambda: shaded_styles(archive, styles_part))
    header_problems: list[Problem] = []
    for name in names:
        rows = _guarded(label, name, lambda: sheet_rows(book, name, archive, parts.get(name), shaded))
        layout, problems = find_layout(name, rows)
        if layout is None:
            header_problems.extend(problems)
            continue
        frame = parse_rows(layout, rows)
        info = _guarded(label, INFO_SHEET, lambda: info_sheet(book))
        frame.attrs.update(document_info(info, rows[: layout.header_row - 1]))
        frame.attrs["sheet"] = layout.sheet
        frame.attrs["file"] = label
        return frame
    if header_problems:
        raise PlanError(header_problems)
    sheets = ", ".join(f"'{m.name}'" for m in worksheets)
    raise PlanError([Problem(
        f"Tidak ditemukan tabel rencana aksi di berkas '{label}' (lembar yang diperiksa: {sheets}).",
        fix="Tabel harus memiliki baris judul kolom KOMPONEN, INDIKATOR, LANGKAH AKSI, BUKTI FISIK, "
            "kolom bulan 1–12 dan PENANGGUNG JAWAB.")])


def _guarded(label: str, sheet: str | None, read):
    """Run `read`, turning any failure of the workbook parser into PlanError."""
    try:
        return read()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # calamine reports damage as CalamineError, or as a Rust panic (a BaseException)
        raise PlanError([_unreadable(label, sheet)]) from None


def _unreadable(label: str, sheet: str | None = None) -> Problem:
    return Problem(
        f"Berkas '{label}' tidak dapat dibaca sebagai buku kerja Excel (isi rusak).", sheet=sheet,
        fix="Buka berkas di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu unggah kembali.")
