"""Reading the rows under a plan's header: area rows, langkah aksi, continued texts, planned months."""

import re
from dataclasses import dataclass, field

import pandas as pd
from openpyxl.utils import get_column_letter

from ..base.cell_safety import restore_text
from ..base.months import month_name
from .plan_cells import Cell, cell_text, is_planned
from .plan_layout import COLUMN_TITLES, Layout, header_key, month_of
from ..base.problems import PlanError, Problem, shown

PLAN_COLUMNS = [
    "id", "area", "area_name", "no", "komponen_pos", "komponen", "indikator",
    "langkah_aksi", "bukti_fisik", "penanggung_jawab", "months", "row",
]
FILL_DOWN = ("no", "komponen", "indikator", "bukti_fisik", "penanggung_jawab")
ROMAN_AREA = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X)\b[.\s]*(.*)$")


@dataclass
class _Reading:
    """What the rows read so far carry into the next one: the area, the komponen, the continued texts."""
    area: str | None = None
    area_name: str = ""
    current: dict[str, str] = field(default_factory=dict)
    komponen_pos: int = 0
    row_pos: int = 0
    seen_ids: dict[str, int] = field(default_factory=dict)

    def start_area(self, area: str, area_name: str) -> None:
        self.area, self.area_name = area, area_name
        self.current, self.komponen_pos = {}, 0

    def continue_texts(self, texts: dict[str, str], columns: dict[str, int]) -> None:
        """Count a new komponen when KOMPONEN or NO changes; blank cells continue the row above."""
        current = self.current
        if (texts.get("komponen") and texts["komponen"] != current.get("komponen")) or (
                texts.get("no") and texts["no"] != current.get("no")):
            self.komponen_pos += 1
            self.row_pos = 0
            current.pop("indikator", None)
            current.pop("bukti_fisik", None)
        self.row_pos += 1
        if texts.get("indikator") and texts["indikator"] != current.get("indikator"):
            current.pop("bukti_fisik", None)
        for key in FILL_DOWN:
            if key in columns and texts.get(key):
                current[key] = texts[key]


def parse_rows(layout: Layout, rows) -> pd.DataFrame:
    """One row per langkah aksi under the header (columns PLAN_COLUMNS); PlanError lists every problem."""
    problems: list[Problem] = []
    records: list[dict] = []
    reading = _Reading()
    for row_number in range(layout.last_header_row + 1, len(rows) + 1):
        cells = rows[row_number - 1]
        if _is_repeated_header(layout, cells) or _is_numbering_row(cells):
            continue
        texts, planned, unknown, written = _row_content(layout, cells)
        if texts.get("langkah_aksi"):
            records.append(_read_item(layout, row_number, texts, planned, unknown, reading, problems))
            continue
        area_header = _area_header(layout, cells)
        if area_header and not written:
            reading.start_area(*area_header)
        elif planned:
            problems.append(Problem("LANGKAH AKSI kosong padahal ada jadwal bulan.", layout.sheet, row_number,
                                    _col_name("langkah_aksi", layout.columns),
                                    fix="Isi langkah aksi atau hapus tanda bulan pada baris ini."))
        # otherwise a blank row, a signature block or a note under the table
    if not records and not problems:
        problems.append(Problem("Tabel rencana aksi tidak berisi satu pun langkah aksi.", layout.sheet,
                                layout.header_row, fix="Isi baris di bawah judul tabel dengan langkah aksi."))
    if problems:
        raise PlanError(problems)
    return pd.DataFrame.from_records(records, columns=PLAN_COLUMNS)


def _read_item(layout: Layout, row_number: int, texts: dict[str, str], planned: set[int], unknown: list,
               reading: _Reading, problems: list[Problem]) -> dict:
    """The record of one langkah aksi row; its problems are appended to `problems`."""
    cols, sheet = layout.columns, layout.sheet
    if reading.area is None:
        problems.append(Problem("Baris langkah aksi berada di atas judul area (I–VI) pertama.", sheet, row_number,
                                _col_name("no", cols) if "no" in cols else None,
                                fix="Tambahkan baris judul area, misalnya 'I' di kolom NO dan nama area di sebelahnya."))
        reading.area, reading.area_name = "?", ""
    reading.continue_texts(texts, cols)
    current = reading.current
    for month, col, value in unknown:
        problems.append(Problem(
            f"Tanda bulan '{shown(cell_text(value))}' tidak dikenal.", sheet, row_number,
            f"{get_column_letter(col)} ({month_name(month)})",
            fix="Gunakan ✓ (atau ✔, √, v, x, 1, TRUE) untuk bulan yang direncanakan dan kosongkan bulan lainnya."))
    if not current.get("penanggung_jawab"):
        problems.append(Problem("PENANGGUNG JAWAB kosong dan tidak ada baris di atasnya yang bisa dilanjutkan.",
                                sheet, row_number, _col_name("penanggung_jawab", cols),
                                fix="Isi nama tim penanggung jawab, misalnya 'Tim Pengawasan'."))
    item_id = texts.get("id") or f"{reading.area}-{reading.komponen_pos}-{reading.row_pos}"
    if item_id in reading.seen_ids:
        problems.append(Problem(f"ID '{shown(item_id)}' sudah dipakai di baris {reading.seen_ids[item_id]}.", sheet,
                                row_number, _col_name("id", cols) if "id" in cols else None,
                                fix="Setiap langkah aksi harus memiliki ID yang berbeda; jangan menyalin ID baris lain."))
    reading.seen_ids.setdefault(item_id, row_number)
    return {
        "id": item_id, "area": reading.area, "area_name": reading.area_name or "",
        "no": current.get("no", ""), "komponen_pos": reading.komponen_pos,
        "komponen": current.get("komponen", ""), "indikator": current.get("indikator", ""),
        "langkah_aksi": texts["langkah_aksi"], "bukti_fisik": current.get("bukti_fisik", ""),
        "penanggung_jawab": current.get("penanggung_jawab", ""),
        "months": tuple(sorted(planned)), "row": row_number,
    }


def _row_content(layout: Layout, cells) -> tuple[dict[str, str], set[int], list, bool]:
    """The row's texts per column, planned months, unknown marks and whether a month holds a written mark.

    A ✓ printed past the last month column (in an unlabelled column or in PENANGGUNG JAWAB, pushing the
    team one column right) is read as Desember.
    """
    texts = {key: restore_text(cell_text(_cell(cells, col).value)) for key, col in layout.columns.items()}
    planned, unknown, written = _row_months(layout, cells)
    team_value = _cell(cells, layout.columns["penanggung_jawab"]).value
    if is_planned(team_value, False) and cell_text(team_value):
        planned.add(12)
        texts["penanggung_jawab"] = _shifted_team(layout, cells)
    if any(is_planned(_cell(cells, c).value, False) for c in layout.extra_mark_columns):
        planned.add(12)
    return texts, planned, unknown, written


def _is_numbering_row(cells) -> bool:
    """A row numbering the table's columns (1, 2, 3, ... or (1), (2), ...), printed under some headers."""
    numbers = []
    for cell in cells:
        text = cell_text(cell.value).strip("()")
        if not text:
            continue
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 5 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _cell(cells, col: int | None) -> Cell:
    return cells[col - 1] if col and col <= len(cells) else Cell(None, None)


def _row_months(layout: Layout, cells) -> tuple[set[int], list[tuple[int, int, object]], bool]:
    """Planned months, unknown marks (month, column, value) and whether any month holds a written mark.

    A shaded month cell counts as planned only if its colour differs from the LANGKAH AKSI
    cell's, so zebra-striped rows (whole row one colour) are not read as a Gantt bar.
    """
    row_fill = _cell(cells, layout.columns["langkah_aksi"]).shaded_color
    planned, unknown, written = set(), [], False
    for month, col in layout.months.items():
        month_cell = _cell(cells, col)
        shaded = month_cell.shaded_color is not None and month_cell.shaded_color != row_fill
        mark = is_planned(month_cell.value, shaded)
        if mark is None:
            unknown.append((month, col, month_cell.value))
        elif mark:
            planned.add(month)
            written = written or bool(cell_text(month_cell.value))
    return planned, unknown, written


def _is_repeated_header(layout: Layout, cells) -> bool:
    """The header or its month row printed again further down (at a page break)."""
    if header_key(_cell(cells, layout.columns["langkah_aksi"]).value) == "langkah_aksi":
        return True
    return all(month_of(_cell(cells, col).value) == month for month, col in layout.months.items())


def _area_header(layout: Layout, cells) -> tuple[str, str] | None:
    """('II', 'Penataan Tata Laksana') for a row like 'II | Penataan ...' or 'II Penataan ...'."""
    first_month_col = min(layout.months.values())
    texts = [cell_text(c.value) for c in cells[: first_month_col - 1]]
    texts = [t for t in texts if t]
    if not texts:
        return None
    match = ROMAN_AREA.match(texts[0])
    if not match:
        return None
    name = match.group(2).strip() or next((t for t in texts[1:] if t != match.group(1)), "")
    return match.group(1), name


def _shifted_team(layout: Layout, cells) -> str:
    """The team name printed one column right of PENANGGUNG JAWAB, under no header, when a ✓ took its place."""
    col = layout.columns["penanggung_jawab"] + 1
    if col in layout.labelled_columns:
        return ""
    text = cell_text(_cell(cells, col).value)
    return "" if is_planned(text, False) else text


def _col_name(key: str, cols: dict[str, int]) -> str:
    return f"{get_column_letter(cols[key])} ({COLUMN_TITLES[key]})"
