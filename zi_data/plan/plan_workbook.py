"""Writing a plan as a workbook that looks like the signed Lampiran.

The same sheet is used for the bundled plan and for every workbook offered for
download, so a team lead always sees the plan in the form the office signed.
"""

import io
import re
import zipfile
from copy import copy
from datetime import date, datetime

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..base.cell_safety import inert_text
from ..base.clock import DATE_FORMAT, MOMENT_FORMAT
from .plan import PLAN_COLUMNS
from .plan_info import INFO_SHEET

PLAN_SHEET = "Rencana Aksi"
NOTES_SHEET = "Catatan"
MARK = "✓"
FIXED_TIMESTAMP = "2025-11-17T00:00:00Z"

HEADER_TOP, HEADER_BOTTOM = 8, 9
FIRST_MONTH_COL = 6
PJ_COL = FIRST_MONTH_COL + 12
ID_COL = PJ_COL + 1
TEXT_COLUMNS = {"no": 1, "komponen": 2, "indikator": 3, "langkah_aksi": 4, "bukti_fisik": 5,
                "penanggung_jawab": PJ_COL}
WIDTHS = {1: 5, 2: 20, 3: 30, 4: 34, 5: 30, PJ_COL: 18, ID_COL: 9}

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
AREA_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

DEFAULT_TITLE = (
    "RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS",
    "MENUJU WILAYAH BEBAS DARI KORUPSI DAN WILAYAH BIROKRASI BERSIH DAN MELAYANI",
)


def title_lines(info: dict) -> list[str]:
    full_name = info.get("Nama lengkap instansi") or info.get("Instansi") or ""
    year = info.get("Tahun") or ""
    return [*DEFAULT_TITLE, f"DI LINGKUNGAN {full_name} TAHUN {year}".upper().replace("  ", " ")]


def lampiran_text(info: dict) -> str:
    full_name = (info.get("Nama lengkap instansi") or info.get("Instansi") or "").upper()
    number = info.get("Nomor keputusan") or "…"  # a draft's decree is not yet numbered
    return (f"KEPUTUSAN {full_name} NOMOR {number} TENTANG RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS "
            f"MENUJU WILAYAH BEBAS DARI KORUPSI DAN WILAYAH BIROKRASI BERSIH DAN MELAYANI DI LINGKUNGAN "
            f"{full_name} TAHUN {info.get('Tahun') or ''}").upper()


def add_plan_sheet(workbook: Workbook, plan: pd.DataFrame, info: dict, index: int | None = None):
    """Append the Lampiran-shaped plan sheet for `plan` (columns as read_plan returns)."""
    ws = workbook.create_sheet(PLAN_SHEET, index)
    for col in range(1, ID_COL + 1):
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS.get(col, 4.2)
    _write_title(ws, info)
    _write_header(ws)
    row, item_styles = HEADER_BOTTOM + 1, None
    for area, items in plan.groupby("area", sort=False):
        ws.cell(row, 1, area)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=PJ_COL)
        ws.cell(row, 2, inert_text(items["area_name"].iloc[0]))
        for col in range(1, ID_COL + 1):
            cell = ws.cell(row, col)
            cell.font, cell.fill, cell.border = Font(bold=True), AREA_FILL, BORDER
        row += 1
        for offset, item in enumerate(items.itertuples(index=False)):
            item_styles = _write_item(ws, row + offset, item, item_styles)
        _merge_continuations(ws, items, row)
        row += len(items)
    _set_up_printing(ws, last_row=row - 1)
    return ws


def _write_title(ws, info: dict) -> None:
    ws.merge_cells(start_row=1, start_column=FIRST_MONTH_COL + 4, end_row=1, end_column=ID_COL)
    ws.cell(1, FIRST_MONTH_COL + 4, "LAMPIRAN").font = Font(bold=True)
    ws.merge_cells(start_row=2, start_column=FIRST_MONTH_COL + 4, end_row=2, end_column=ID_COL)
    ws.cell(2, FIRST_MONTH_COL + 4, lampiran_text(info)).alignment = WRAP_TOP
    ws.row_dimensions[2].height = 80
    for offset, line in enumerate(title_lines(info)):
        row = 4 + offset
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ID_COL)
        cell = ws.cell(row, 1, line)
        cell.font = Font(bold=True, size=12)
        cell.alignment = Alignment(horizontal="center")


def _write_header(ws) -> None:
    headers = {1: "NO", 2: "KOMPONEN", 3: "INDIKATOR", 4: "LANGKAH AKSI", 5: "BUKTI FISIK",
               PJ_COL: "PENANGGUNG JAWAB", ID_COL: "ID"}
    for col, label in headers.items():
        ws.merge_cells(start_row=HEADER_TOP, start_column=col, end_row=HEADER_BOTTOM, end_column=col)
        ws.cell(HEADER_TOP, col, label)
    ws.merge_cells(start_row=HEADER_TOP, start_column=FIRST_MONTH_COL, end_row=HEADER_TOP,
                   end_column=FIRST_MONTH_COL + 11)
    ws.cell(HEADER_TOP, FIRST_MONTH_COL, "PELAKSANAAN (BULAN)")
    for month in range(1, 13):
        ws.cell(HEADER_BOTTOM, FIRST_MONTH_COL + month - 1, month)
    for row in (HEADER_TOP, HEADER_BOTTOM):
        for col in range(1, ID_COL + 1):
            cell = ws.cell(row, col)
            cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADER_FILL, BORDER, CENTER


def _write_item(ws, row: int, item, styles: list | None) -> list:
    """One plan row; `styles` are the style arrays of the first item row, copied to the later ones (styling each
    cell through openpyxl's descriptors hashes the style objects every time, several times slower). Returns the
    styles to pass to the next row."""
    for key, col in TEXT_COLUMNS.items():
        ws.cell(row, col, inert_text(getattr(item, key)))
    for month in item.months:
        ws.cell(row, FIRST_MONTH_COL + month - 1, MARK)
    ws.cell(row, ID_COL, inert_text(item.id))
    cells = [ws.cell(row, col) for col in range(1, ID_COL + 1)]
    if styles is not None:
        for cell, style in zip(cells, styles):
            cell._style = copy(style)
        return styles
    for col, cell in enumerate(cells, start=1):
        cell.border = BORDER
        cell.alignment = CENTER if FIRST_MONTH_COL <= col < PJ_COL or col in (1, ID_COL) else WRAP_TOP
    cells[-1].font = Font(color="595959", size=9)
    return [copy(cell._style) for cell in cells]


def _set_up_printing(ws, last_row: int) -> None:
    """Landscape A4, one page wide, the header repeated on every page."""
    ws.freeze_panes = ws.cell(HEADER_BOTTOM + 1, 1)
    ws.print_title_rows = f"{HEADER_TOP}:{HEADER_BOTTOM}"
    ws.print_area = f"A1:{get_column_letter(ID_COL)}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def fit_row_heights(ws, first_row: int = 1) -> None:
    """Rows tall enough for their wrapped text, estimated from each column's width (a spreadsheet program does not
    grow a row on opening, so a printed cell would otherwise show its first line over the next row). Merged cells
    are left as they are."""
    merged = {cell for ranges in ws.merged_cells.ranges for cell in ranges.cells}
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or (cell.row, cell.column) in merged:
                continue
            width = ws.column_dimensions[cell.column_letter].width or 13
            per_line = max(1, int(width * (0.85 if cell.font and cell.font.bold else 1.0)) - 1)
            lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines


def set_up_printing(ws, title_rows: str | None = "1:1", landscape: bool = True, page_numbers: bool = True,
                    footer_left: str = "") -> None:
    """How a sheet a person may print comes out of the printer: A4 in `landscape` (else portrait), every column
    on the page's width (fit to one page wide, as many pages down as needed), `title_rows` (e.g. "1:1", the
    header) repeated on every page, centred; with `page_numbers` "Halaman N dari M" in the footer, and
    `footer_left` (e.g. the print date) at its left. Works on write-only sheets too."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if page_numbers:
        ws.oddFooter.right.text = "Halaman &P dari &N"
    if footer_left:
        ws.oddFooter.left.text = footer_left.replace("&", "&&")


def _merge_continuations(ws, items: pd.DataFrame, first_row: int) -> None:
    """Merge cells that continue the one above, as the signed document does."""
    groups = {
        "no": ["komponen_pos"],
        "komponen": ["komponen_pos"],
        "indikator": ["komponen_pos", "indikator"],
        "bukti_fisik": ["komponen_pos", "indikator", "bukti_fisik"],
        "penanggung_jawab": ["penanggung_jawab"],
    }
    for key, by in groups.items():
        run_keys = list(zip(*(items[column] for column in by)))
        start = 0
        for i in range(1, len(run_keys) + 1):
            if i == len(run_keys) or run_keys[i] != run_keys[start]:
                if i - start > 1:
                    ws.merge_cells(start_row=first_row + start, start_column=TEXT_COLUMNS[key],
                                   end_row=first_row + i - 1, end_column=TEXT_COLUMNS[key])
                start = i


def add_info_sheet(workbook: Workbook, info: dict) -> None:
    ws = workbook.create_sheet(INFO_SHEET)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 26, 80
    for key, value in info.items():
        ws.append([inert_text(key), inert_text(value)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)


def add_table_sheet(workbook: Workbook, title: str, frame: pd.DataFrame, widths: dict[str, float],
                    printable: bool = True) -> None:
    """A sheet of `frame` under a bold, frozen header; `printable`: with set_up_printing's page setup (landscape
    when its columns are wider than 100 characters)."""
    ws = workbook.create_sheet(title)
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADER_FILL, BORDER, CENTER
    for values in frame.itertuples(index=False):
        ws.append([inert_text(v) for v in values])
    for i, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(name, 20)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment, cell.border = WRAP_TOP, BORDER
            if isinstance(cell.value, date):  # a real date cell (sorts), shown as people read it
                cell.number_format = MOMENT_FORMAT if isinstance(cell.value, datetime) else DATE_FORMAT
    ws.freeze_panes = "A2"
    if printable:
        fit_row_heights(ws)
        set_up_printing(ws, "1:1", landscape=sum(ws.column_dimensions[get_column_letter(i)].width
                                                 for i in range(1, len(frame.columns) + 1)) > 100)


def plan_workbook_bytes(plan: pd.DataFrame, info: dict, notes: pd.DataFrame | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    add_plan_sheet(workbook, plan[PLAN_COLUMNS], info)
    add_info_sheet(workbook, info)
    if notes is not None:
        add_table_sheet(workbook, NOTES_SHEET, notes,
                        {"Jenis": 20, "Lokasi": 24, "Teks sumber": 40, "Catatan": 90},
                        printable=False)  # the bundled plan's bytes stay as released (build_plan_workbook --check)
    workbook.active = 0
    return save_deterministic(workbook)


def save_deterministic(workbook: Workbook, timestamp: str = FIXED_TIMESTAMP) -> bytes:
    """Save with fixed document and zip dates, so the same content gives the same bytes."""
    workbook.properties.creator = "ZI Monitor"
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>" + timestamp.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(member.filename, date_time=(2025, 11, 17, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data)
    return out.getvalue()
