"""Reading a Rencana Aksi workbook into one row per langkah aksi.

Offices keep their plans in many shapes: title rows above the table, two header
rows, merged cells, ✓ or x or 1 as marks, months shaded like a Gantt chart.
`read_plan` finds the table by its labels and returns a tidy DataFrame.

Cell values and merged ranges come from python-calamine, several times faster
than openpyxl (see benchmarks/bench_read_plan.py). calamine gives no styles, so
the fill colours a Gantt sheet needs are read here: styles.xml says which cell
styles are shaded, and one regular-expression pass over the sheet's XML finds
the cells using those styles. A workbook with no shaded style skips that pass.
"""

import datetime
import functools
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .cell_safety import restore_text
from .months import MONTH_ALIASES, month_name
from .problems import InputError, PlanError, Problem, shown
from .xlsx_guard import open_checked_zip, read_source

PLAN_COLUMNS = [
    "id", "area", "area_name", "no", "komponen_pos", "komponen", "indikator",
    "langkah_aksi", "bukti_fisik", "penanggung_jawab", "bulan", "row",
]

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
FILL_DOWN = ("no", "komponen", "indikator", "bukti_fisik", "penanggung_jawab")

MARKS = {"✓", "✔", "√", "V", "X", "1", "TRUE", "YA", "☑", "✅"}
EMPTY_MARKS = {"", "-", "–", "0", "FALSE"}
ROMAN_AREA = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X)\b[.\s]*(.*)$")
HEADER_SEARCH_ROWS = 40
INFO_SHEET = "Info"
OFFICE_PATTERNS = (
    r"DI LINGKUNGAN\s+(.{3,80}?)\s+TAHUN\s+20\d\d",
    r"\bPADA\s+(.{3,80}?)\s+TAHUN\s+20\d\d",
    r"((?:KPU|KIP|KOMISI PEMILIHAN UMUM|KOMISI INDEPENDEN PEMILIHAN)\s+(?:PROVINSI|KABUPATEN|KOTA)\s+[A-Z .'-]+?)"
    r"(?:\s+(?:TAHUN|NOMOR)\b|$)",
)
OFFICE_ABBREVIATIONS = (("Komisi Pemilihan Umum", "KPU"), ("Komisi Independen Pemilihan", "KIP"),
                        ("Kpu", "KPU"), ("Kip", "KIP"), ("Ri", "RI"))
WHITE_COLORS = {"FFFFFFFF", "00FFFFFF", "FFFFFF", "00000000"}
WHITE_INDEXED = {"9", "64", "65"}  # white, system foreground, system background
CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


@dataclass
class _Layout:
    sheet: str
    header_row: int
    last_header_row: int
    columns: dict[str, int]
    months: dict[int, int]  # month number -> column index (1-based)
    extra_mark_columns: list[int] = field(default_factory=list)
    labelled_columns: set[int] = field(default_factory=set)


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
            return _read_workbook(book, archive, label)
        finally:
            book.close()


def read_opened_plan(book: CalamineWorkbook, archive: zipfile.ZipFile, label: str) -> pd.DataFrame:
    """read_checked_plan of a workbook already opened: its calamine book and the zip archive the guard returned."""
    return _read_workbook(book, archive, label)


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


def _read_workbook(book: CalamineWorkbook, archive: zipfile.ZipFile, label: str) -> pd.DataFrame:
    worksheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    names = [m.name for m in worksheets if m.visible == SheetVisibleEnum.Visible] or [m.name for m in worksheets]
    parts, styles_part = _guarded(label, None, lambda: _workbook_parts(archive))
    shaded_styles = _guarded(label, None, lambda: _shaded_styles(archive, styles_part))
    header_problems: list[Problem] = []
    for name in names:
        rows = _guarded(label, name, lambda: _sheet_rows(book, name, archive, parts.get(name), shaded_styles))
        layout, problems = _find_layout(name, rows)
        if layout is None:
            header_problems.extend(problems)
            continue
        frame = _parse_rows(layout, rows)
        info = _guarded(label, INFO_SHEET, lambda: _info_sheet(book))
        frame.attrs.update(_document_info(info, rows[: layout.header_row - 1]))
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


@dataclass(slots=True)
class _Cell:
    value: object
    shaded_color: str | None


def _sheet_rows(book: CalamineWorkbook, name: str, archive: zipfile.ZipFile, part: str | None,
                shaded_styles: dict[int, str]) -> list[list[_Cell]]:
    """All rows of a sheet as lists of _Cell (row 1 first), merged ranges filled from their anchor."""
    sheet = book.get_sheet_by_name(name)
    rows = [[_Cell(value, None) for value in values] for values in sheet.to_python(skip_empty_area=False)]
    height, width = len(rows), max((len(cells) for cells in rows), default=0)
    if part and shaded_styles:
        for (row, col), colour in _cell_shading(archive.read(part), shaded_styles).items():
            if row <= height and col <= len(rows[row - 1]):
                rows[row - 1][col - 1].shaded_color = colour
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        _spread_merged(rows, top + 1, left + 1, min(bottom + 1, height), min(right + 1, width))
    return rows


def _spread_merged(rows, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """Give every cell of a merged range its anchor's shading; its value too if the range is one column
    wide (a KOMPONEN or PENANGGUNG JAWAB spanning rows) or holds a month mark (a ✓ spanning months)."""
    if min_row > max_row or min_col > max_col:
        return
    anchor = rows[min_row - 1][min_col - 1]
    spreads_value = min_col == max_col or _label(anchor.value) in MARKS
    for r in range(min_row, max_row + 1):
        for cell in rows[r - 1][min_col - 1:max_col]:
            if cell is not anchor:
                cell.value = anchor.value if spreads_value else None
                cell.shaded_color = anchor.shaded_color


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _workbook_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """Sheet name -> worksheet part in the zip, and the styles part, from the workbook's relationships."""
    relationships = {}
    for rel in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        relationships[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], part)
    parts = {}
    for element in ET.fromstring(archive.read("xl/workbook.xml")).iter():
        if _local(element.tag) == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            if rel_id in relationships:
                parts[element.get("name")] = relationships[rel_id][1]
    return parts, next((part for kind, part in relationships.values() if kind == "styles"), None)


def _shaded_styles(archive: zipfile.ZipFile, styles_part: str | None) -> dict[int, str]:
    """Cell style index -> shading colour, for the styles whose fill is visible."""
    if styles_part is None or styles_part not in archive.namelist():
        return {}
    fills, cell_styles = [], []
    for section in ET.fromstring(archive.read(styles_part)):
        if _local(section.tag) == "fills":
            fills = [_fill_colour(fill) for fill in section]
        elif _local(section.tag) == "cellXfs":
            cell_styles = [int(xf.get("fillId", 0)) for xf in section]
    return {index: fills[fill_id] for index, fill_id in enumerate(cell_styles)
            if fill_id < len(fills) and fills[fill_id]}


def _fill_colour(fill: ET.Element) -> str | None:
    """A key naming the fill's visible colour, or None for no fill or a white one."""
    for pattern in fill:
        if _local(pattern.tag) == "gradientFill":
            return "gradient"
        if _local(pattern.tag) != "patternFill" or pattern.get("patternType", "none") == "none":
            continue
        colour = next((c for c in pattern if _local(c.tag) == "fgColor"), None)
        if colour is None:
            return None
        if colour.get("rgb"):
            rgb = colour.get("rgb").upper()
            return None if rgb in WHITE_COLORS else rgb
        if colour.get("theme"):
            tint = float(colour.get("tint", 0))
            return None if colour.get("theme") == "0" and not tint else f"theme{colour.get('theme')}:{tint}"
        if colour.get("indexed"):
            return None if colour.get("indexed") in WHITE_INDEXED else f"indexed{colour.get('indexed')}"
    return None


def _cell_shading(sheet_xml: bytes, shaded_styles: dict[int, str]) -> dict[tuple[int, int], str]:
    """(row, column) -> colour for each cell whose style is shaded, found without parsing the XML."""
    styles = b"|".join(str(index).encode() for index in shaded_styles)
    shaded_cell = re.compile(rb'<(?:\w+:)?c\s[^>]*?\bs="(' + styles + rb')"[^>]*>')
    shading = {}
    for match in shaded_cell.finditer(sheet_xml):
        ref = CELL_REF.search(match.group(0))
        if ref:
            row, col = int(ref.group(2)), column_index_from_string(ref.group(1).decode())
            shading[(row, col)] = shaded_styles[int(match.group(1))]
    return shading


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _label(value) -> str:
    return _text(value).upper().rstrip(":")


def _header_key(value) -> str | None:
    """The column a header cell names: 'Penanggung Jawab (PIC)' and 'BUKTI FISIK/OUTPUT' count too."""
    label = _label(value)
    if label in LABEL_KEYS:
        return LABEL_KEYS[label]
    shortened = re.sub(r"\s*\(.*?\)", "", label).split("/")[0].strip(" .:")
    return LABEL_KEYS.get(shortened)


def _month_of(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.date):
        return value.month
    text = _label(value).rstrip(".")
    return MONTH_ALIASES.get(text)


def _find_layout(sheet: str, rows) -> tuple[_Layout | None, list[Problem]]:
    """The first row labelled like a plan header; else the problem with the most complete candidate."""
    best: tuple[float, Problem] | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        for col, cell in enumerate(cells, start=1):
            key = _header_key(cell.value)
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
            last_month_col = max(months.values())
            extra = [c for c in range(last_month_col + 1, columns["penanggung_jawab"])
                     if c not in columns.values()]
            labelled = {col for r in range(index, month_row + 1)
                        for col, cell in enumerate(rows[r - 1], start=1) if _text(cell.value)}
            return _Layout(sheet, index, month_row, columns, months, extra, labelled), []
        score = len(found) + len(months) / 12
        if best is None or score > best[0]:
            best = (score, Problem(
                f"Kolom {', '.join(missing)} tidak ditemukan pada baris judul tabel.",
                sheet=sheet, row=index,
                fix="Tambahkan kolom tersebut dengan judul persis seperti itu "
                    "(bulan boleh ditulis 1–12, Jan–Des atau Januari–Desember)."))
    return None, [best[1]] if best else []


def _month_columns(rows, header_row: int, taken: set[int]) -> tuple[dict[int, int], int]:
    """Month number -> column from the header row or the row below it, whichever names more months."""
    best: tuple[dict[int, int], int] = ({}, header_row)
    for candidate in (header_row, header_row + 1):
        if candidate > len(rows):
            break
        found: dict[int, int] = {}
        for col, cell in enumerate(rows[candidate - 1], start=1):
            month = _month_of(cell.value)
            if month and month not in found and col not in taken:
                found[month] = col
        if len(found) > len(best[0]):
            best = (found, candidate)
    return best


def _is_numbering_row(cells) -> bool:
    """A row numbering the table's columns (1, 2, 3, ... or (1), (2), ...), printed under some headers."""
    numbers = []
    for cell in cells:
        text = _text(cell.value).strip("()")
        if not text:
            continue
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 5 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _mark(value, shaded: bool) -> bool | None:
    """True for a planned month, False for an empty one, None for an unknown mark.

    An empty cell (or '-', '0') is planned only when shaded, as in a Gantt sheet.
    """
    if value is None or value == "":
        return shaded
    kind = _mark_kind(value)
    if kind == "empty":
        return shaded
    return True if kind == "mark" else None


@functools.lru_cache(maxsize=4096, typed=True)
def _mark_kind(value) -> str | None:
    """'mark', 'empty' or None (unknown) for a written month cell; cached, as plans repeat few values."""
    if isinstance(value, bool):
        return "mark" if value else "empty"
    text = _label(value)
    if text in MARKS:
        return "mark"
    return "empty" if text in EMPTY_MARKS else None


def _cell(cells, col: int | None) -> _Cell:
    return cells[col - 1] if col and col <= len(cells) else _Cell(None, None)


def _row_months(layout: _Layout, cells) -> tuple[set[int], list[tuple[int, int, object]], bool]:
    """Planned months, unknown marks (month, column, value) and whether any month holds a written mark.

    A shaded month cell counts as planned only if its colour differs from the LANGKAH AKSI
    cell's, so zebra-striped rows (whole row one colour) are not read as a Gantt bar.
    """
    row_fill = _cell(cells, layout.columns["langkah_aksi"]).shaded_color
    planned, unknown, written = set(), [], False
    for month, col in layout.months.items():
        month_cell = _cell(cells, col)
        shaded = month_cell.shaded_color is not None and month_cell.shaded_color != row_fill
        mark = _mark(month_cell.value, shaded)
        if mark is None:
            unknown.append((month, col, month_cell.value))
        elif mark:
            planned.add(month)
            written = written or bool(_text(month_cell.value))
    return planned, unknown, written


def _is_repeated_header(layout: _Layout, cells) -> bool:
    """The header or its month row printed again further down (at a page break)."""
    if _header_key(_cell(cells, layout.columns["langkah_aksi"]).value) == "langkah_aksi":
        return True
    return all(_month_of(_cell(cells, col).value) == month for month, col in layout.months.items())


def _area_header(layout: _Layout, cells) -> tuple[str, str] | None:
    """('II', 'Penataan Tata Laksana') for a row like 'II | Penataan ...' or 'II Penataan ...'."""
    first_month_col = min(layout.months.values())
    texts = [_text(c.value) for c in cells[: first_month_col - 1]]
    texts = [t for t in texts if t]
    if not texts:
        return None
    match = ROMAN_AREA.match(texts[0])
    if not match:
        return None
    name = match.group(2).strip() or next((t for t in texts[1:] if t != match.group(1)), "")
    return match.group(1), name


def _shifted_team(layout: _Layout, cells) -> str:
    """The team name printed one column right of PENANGGUNG JAWAB, under no header, when a ✓ took its place."""
    col = layout.columns["penanggung_jawab"] + 1
    if col in layout.labelled_columns:
        return ""
    text = _text(_cell(cells, col).value)
    return "" if _mark(text, False) else text


def _parse_rows(layout: _Layout, rows) -> pd.DataFrame:
    cols, sheet = layout.columns, layout.sheet
    problems: list[Problem] = []
    records: list[dict] = []
    area = area_name = None
    current: dict[str, str] = {}
    komponen_pos = row_pos = 0
    seen_ids: dict[str, int] = {}

    for row_number in range(layout.last_header_row + 1, len(rows) + 1):
        cells = rows[row_number - 1]
        if _is_repeated_header(layout, cells) or _is_numbering_row(cells):
            continue
        texts = {key: restore_text(_text(_cell(cells, col).value)) for key, col in cols.items()}
        planned, unknown, written = _row_months(layout, cells)
        pj_value = _cell(cells, cols["penanggung_jawab"]).value
        if _mark(pj_value, False) and _text(pj_value):
            planned.add(12)  # a ✓ printed past the last month column is read as Desember
            texts["penanggung_jawab"] = _shifted_team(layout, cells)
        if any(_mark(_cell(cells, c).value, False) for c in layout.extra_mark_columns):
            planned.add(12)

        if not texts.get("langkah_aksi"):
            area_header = _area_header(layout, cells)
            if area_header and not written:
                area, area_name = area_header
                current, komponen_pos = {}, 0
            elif planned:
                problems.append(Problem("LANGKAH AKSI kosong padahal ada jadwal bulan.", sheet, row_number,
                                        _col_name("langkah_aksi", cols),
                                        fix="Isi langkah aksi atau hapus tanda bulan pada baris ini."))
            continue  # otherwise a blank row, a signature block or a note under the table
        if area is None:
            problems.append(Problem("Baris langkah aksi berada di atas judul area (I–VI) pertama.", sheet, row_number,
                                    _col_name("no", cols) if "no" in cols else None,
                                    fix="Tambahkan baris judul area, misalnya 'I' di kolom NO dan nama area di sebelahnya."))
            area, area_name = "?", ""

        new_komponen = (texts.get("komponen") and texts["komponen"] != current.get("komponen")) or (
            texts.get("no") and texts["no"] != current.get("no"))
        if new_komponen:
            komponen_pos += 1
            row_pos = 0
            current.pop("indikator", None)
            current.pop("bukti_fisik", None)
        row_pos += 1
        if texts.get("indikator") and texts["indikator"] != current.get("indikator"):
            current.pop("bukti_fisik", None)
        for key in FILL_DOWN:
            if key in cols and texts.get(key):
                current[key] = texts[key]
        for month, col, value in unknown:
            problems.append(Problem(
                f"Tanda bulan '{shown(_text(value))}' tidak dikenal.", sheet, row_number,
                f"{get_column_letter(col)} ({month_name(month)})",
                fix="Gunakan ✓ (atau ✔, √, v, x, 1, TRUE) untuk bulan yang direncanakan dan kosongkan bulan lainnya."))
        if not current.get("penanggung_jawab"):
            problems.append(Problem("PENANGGUNG JAWAB kosong dan tidak ada baris di atasnya yang bisa dilanjutkan.",
                                    sheet, row_number, _col_name("penanggung_jawab", cols),
                                    fix="Isi nama tim penanggung jawab, misalnya 'Tim Pengawasan'."))
        item_id = texts.get("id") or f"{area}-{komponen_pos}-{row_pos}"
        if item_id in seen_ids:
            problems.append(Problem(f"ID '{shown(item_id)}' sudah dipakai di baris {seen_ids[item_id]}.", sheet, row_number,
                                    _col_name("id", cols) if "id" in cols else None,
                                    fix="Setiap langkah aksi harus memiliki ID yang berbeda; jangan menyalin ID baris lain."))
        seen_ids.setdefault(item_id, row_number)
        records.append({
            "id": item_id, "area": area, "area_name": area_name or "",
            "no": current.get("no", ""), "komponen_pos": komponen_pos,
            "komponen": current.get("komponen", ""), "indikator": current.get("indikator", ""),
            "langkah_aksi": texts["langkah_aksi"], "bukti_fisik": current.get("bukti_fisik", ""),
            "penanggung_jawab": current.get("penanggung_jawab", ""),
            "bulan": tuple(sorted(planned)), "row": row_number,
        })
    if not records and not problems:
        problems.append(Problem("Tabel rencana aksi tidak berisi satu pun langkah aksi.", sheet, layout.header_row,
                                fix="Isi baris di bawah judul tabel dengan langkah aksi."))
    if problems:
        raise PlanError(problems)
    return pd.DataFrame.from_records(records, columns=PLAN_COLUMNS)


def _col_name(key: str, cols: dict[str, int]) -> str:
    return f"{get_column_letter(cols[key])} ({COLUMN_TITLES[key]})"


def _info_sheet(book: CalamineWorkbook) -> dict:
    info: dict = {}
    if INFO_SHEET in book.sheet_names:
        for key, value, *_ in (row + ["", ""] for row in book.get_sheet_by_name(INFO_SHEET).to_python()):
            if _text(key):
                info[_text(key)] = value
    return info


def _document_info(info: dict, title_rows) -> dict:
    """Office, year and title from the 'Info' sheet's values or, failing that, the title rows."""
    title = [_text(c.value) for cells in title_rows for c in cells if _text(c.value)]
    joined = " ".join(title).upper()
    years = re.findall(r"20\d\d", _text(info.get("Tahun"))) or re.findall(r"TAHUN\s+(20\d\d)", joined)
    office = _text(info.get("Instansi"))
    if not office:
        office = next((_office_name(m.group(1)) for pattern in OFFICE_PATTERNS
                       if (m := re.search(pattern, joined))), "")
    return {"office": office, "year": int(years[-1]) if years else None, "title": title,
            "info": {k: _text(v) for k, v in info.items()}}


def _office_name(upper: str) -> str:
    """'KOMISI PEMILIHAN UMUM KABUPATEN KAPUAS' -> 'KPU Kabupaten Kapuas'."""
    name = upper.strip(" .,").title()
    for long, short in OFFICE_ABBREVIATIONS:
        name = re.sub(rf"\b{long}\b", short, name)
    return name
