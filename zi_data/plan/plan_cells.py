"""A plan sheet as a grid of cells: values and merged ranges from calamine, shading from the XML.

calamine gives no styles, so the fill colours a Gantt sheet needs are read here:
styles.xml says which cell styles are shaded, and one regular-expression pass over
the sheet's XML finds the cells using those styles. A workbook with no shaded
style skips that pass. This module also says which written values mark a month.
"""

import functools
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string
from python_calamine import CalamineWorkbook

MARKS = {"✓", "✔", "√", "V", "X", "1", "TRUE", "YA", "☑", "✅"}
EMPTY_MARKS = {"", "-", "–", "0", "FALSE"}
WHITE_COLORS = {"FFFFFFFF", "00FFFFFF", "FFFFFF", "00000000"}
WHITE_INDEXED = {"9", "64", "65"}  # white, system foreground, system background
CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


@dataclass(slots=True)
class Cell:
    value: object
    shaded_color: str | None


def cell_text(value) -> str:
    """A cell value as one line of text: whole floats without '.0', runs of white space as one space."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def label_text(value) -> str:
    """A cell value as a label to compare: upper case, without a trailing colon."""
    return cell_text(value).upper().rstrip(":")


def is_planned(value, shaded: bool) -> bool | None:
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
    text = label_text(value)
    if text in MARKS:
        return "mark"
    return "empty" if text in EMPTY_MARKS else None


def sheet_rows(book: CalamineWorkbook, name: str, archive: zipfile.ZipFile, part: str | None,
               shaded_styles: dict[int, str]) -> list[list[Cell]]:
    """All rows of a sheet as lists of Cell (row 1 first), merged ranges filled from their anchor."""
    sheet = book.get_sheet_by_name(name)
    rows = [[Cell(value, None) for value in values] for values in sheet.to_python(skip_empty_area=False)]
    height, width = len(rows), max((len(cells) for cells in rows), default=0)
    if part and shaded_styles:
        for (row, col), colour in cell_shading(archive.read(part), shaded_styles).items():
            if row <= height and col <= len(rows[row - 1]):
                rows[row - 1][col - 1].shaded_color = colour
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        spread_merged(rows, top + 1, left + 1, min(bottom + 1, height), min(right + 1, width))
    return rows


def spread_merged(rows, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """Give every cell of a merged range its anchor's shading; its value too if the range is one column
    wide (a KOMPONEN or PENANGGUNG JAWAB spanning rows) or holds a month mark (a ✓ spanning months)."""
    if min_row > max_row or min_col > max_col:
        return
    anchor = rows[min_row - 1][min_col - 1]
    spreads_value = min_col == max_col or label_text(anchor.value) in MARKS
    for r in range(min_row, max_row + 1):
        for cell in rows[r - 1][min_col - 1:max_col]:
            if cell is not anchor:
                cell.value = anchor.value if spreads_value else None
                cell.shaded_color = anchor.shaded_color


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def workbook_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
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


def shaded_styles(archive: zipfile.ZipFile, styles_part: str | None) -> dict[int, str]:
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


def cell_shading(sheet_xml: bytes, shaded: dict[int, str]) -> dict[tuple[int, int], str]:
    """(row, column) -> colour for each cell whose style is shaded, found without parsing the XML."""
    styles = b"|".join(str(index).encode() for index in shaded)
    shaded_cell = re.compile(rb'<(?:\w+:)?c\s[^>]*?\bs="(' + styles + rb')"[^>]*>')
    shading = {}
    for match in shaded_cell.finditer(sheet_xml):
        ref = CELL_REF.search(match.group(0))
        if ref:
            row, col = int(ref.group(2)), column_index_from_string(ref.group(1).decode())
            shading[(row, col)] = shaded[int(match.group(1))]
    return shading
