"""Tables of the lembar monev that may run over several pages: the header row is repeated on each page.

A cell's text is wrapped to its column and capped at the column's `max_lines` (the last line then ends with
"…"), so that a row never needs more than a page.
"""

from dataclasses import dataclass

from ..reporting.charts import GRID
from .lembar_pdf_layout import MARGIN, LembarDocument, line_height, rgb

SIZE = 7.5
HEADER_FILL = "#E8E8E8"
PAD = 1.0


@dataclass(frozen=True)
class Column:
    label: str
    width: float
    max_lines: int = 1
    align: str = "L"


def table(doc: LembarDocument, y: float, columns: list[Column], rows: list[list[str]],
          heading: str | None = None) -> float:
    """`rows` under a header row from y, breaking pages as needed (heading and header repeated with
    "(lanjutan)"); returns the y below the table."""
    first = _row_lines(doc, columns, rows[0]) if rows else []
    y = _start(doc, y, columns, heading, _row_height(first), continued=False)
    for row in rows:
        lines = _row_lines(doc, columns, row)
        height = _row_height(lines)
        if height > doc.room_left(y):
            y = _start(doc, doc.new_page(), columns, heading, height, continued=True)
        _draw_row(doc, y, columns, lines, height)
        y += height
    return y


def _start(doc: LembarDocument, y: float, columns: list[Column], heading: str | None, first_row: float,
           continued: bool) -> float:
    """The heading and header row at y, on a new page when they and the first row do not fit."""
    heading_height = line_height(SIZE + 1) + 1 if heading else 0
    header = [doc.wrap(column.label, column.width - 2 * PAD, size=SIZE, bold=True, max_lines=2) for column in columns]
    needed = heading_height + _row_height(header) + first_row
    if needed > doc.room_left(y):
        y = doc.new_page()
        continued = continued or heading is None
    if heading:
        doc.text_line(MARGIN, y, sum(column.width for column in columns),
                      heading + (" (lanjutan)" if continued else ""), size=SIZE + 1, bold=True)
        y += heading_height
    doc.set_fill_color(*rgb(HEADER_FILL))
    doc.rect(MARGIN, y, sum(column.width for column in columns), _row_height(header), style="F")
    _draw_row(doc, y, columns, header, _row_height(header), bold=True)
    return y + _row_height(header)


def _row_lines(doc: LembarDocument, columns: list[Column], row: list[str]) -> list[list[str]]:
    return [doc.wrap(text, column.width - 2 * PAD, size=SIZE, max_lines=column.max_lines)
            for column, text in zip(columns, row)]


def _row_height(lines: list[list[str]]) -> float:
    return max((len(cell) for cell in lines), default=1) * line_height(SIZE) + 2 * PAD


def _draw_row(doc: LembarDocument, y: float, columns: list[Column], lines: list[list[str]], height: float,
              bold: bool = False) -> None:
    x = MARGIN
    for column, cell in zip(columns, lines):
        for number, line in enumerate(cell):
            doc.text_line(x + PAD, y + PAD + number * line_height(SIZE), column.width - 2 * PAD, line, size=SIZE,
                          bold=bold, align=column.align)
        x += column.width
    doc.set_draw_color(*rgb(GRID))
    doc.set_line_width(0.15)
    doc.line(MARGIN, y + height, x, y + height)
