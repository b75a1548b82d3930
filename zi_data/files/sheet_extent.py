"""How far a worksheet's values reach, found by streaming its XML in bounded memory.

The workbook parser (calamine) builds every sheet as a full grid from A1 to the last
cell holding a value, so one value typed at XFD100000 asks for 1.6 billion cells.
`sheet_extent` reads the sheet part in chunks and follows calamine's own rules for
cell positions: a <c> takes its position from its r="…" attribute, otherwise it is
the next column of the current row; a <row> takes its number from r="…", otherwise
it follows the previous row. A cell counts when it holds a <v> or <is> child, as
calamine counts any non-empty value; a cell with only a style (<c r="XFD9" s="3"/>,
which Excel writes for formatting) or only a formula without a cached value does
not reach the grid. Comments, CDATA and processing instructions are skipped, as
the parser skips them. The <dimension ref> is recorded: calamine only reserves
space from it when it is small, so it never decides the size of the grid.
"""

import codecs
import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

CHUNK_BYTES = 64 * 1024
QUICK_BYTES = 4 * 1024 * 1024
MAX_TAG_BYTES = 64 * 1024
# A tag ends at the first '>' outside quotes, as the parser's XML reader finds it; quotes may hold anything.
# One token per match: a whole comment, CDATA section, instruction or declaration (groups 1-4; all None while
# it goes on in the next chunk), or a tag: closing slash, local name, attributes and its '>' (None while it goes on).
TOKEN = re.compile(rb"""<(?:!--(.*?-->)?|!\[CDATA\[(.*?\]\]>)?|\?(.*?\?>)?|!([^>]*>)?
                         |(/?)(?:[^\s/>"':]*:)?([^\s/>"']*)((?:[^>"']|"[^"]*"|'[^']*')*)(>)?)""", re.S | re.X)
ATTRIBUTE = re.compile(rb"""([^\s=/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
REFERENCE = re.compile(rb"([A-Za-z]*)([0-9]+)")
# The quick bound (see quick_bound): every start tag that may be a cell, and those whose first attribute is r.
CELL_START = re.compile(rb"""<(?:[^\s/>"':]*:)?c(?=[\s/>])""")
CELL_START_WITH_R = re.compile(rb"""<(?:[^\s/>"':]*:)?c\s+r\s*=\s*(?:"([A-Za-z]*)([0-9]+)"|'([A-Za-z]*)([0-9]+)')""")
FOLLOWED = frozenset((b"row", b"c", b"v", b"is", b"sheetData", b"dimension"))
# Markup skipped as a whole, by what follows '<': comments, CDATA, processing instructions, declarations.
SKIPPED = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"), (b"<!", b">"))
LONGEST_OPENER = max(len(opener) for opener, _ in SKIPPED)


class MalformedSheet(ValueError):
    """The sheet XML cannot be followed (a cell reference no parser accepts, or an endless tag)."""


@dataclass
class Extent:
    """The farthest row and column (1-based) holding a value, and the (row, column) of the cells reaching them."""
    rows: int = 0
    columns: int = 0
    lowest_cell: tuple[int, int] = (0, 0)
    rightmost_cell: tuple[int, int] = (0, 0)
    dimension: str = ""
    cells: int = 0  # cells holding a value

    def reach(self, row: int, column: int) -> None:
        self.cells += 1
        if row > self.rows:
            self.rows, self.lowest_cell = row, (row, column)
        if column > self.columns:
            self.columns, self.rightmost_cell = column, (row, column)


def column_name(column: int) -> str:
    """'XFD' for 16384; a column beyond what three letters can name is written as its number."""
    return get_column_letter(column) if 1 <= column <= 18278 else f"ke-{column}"


def cell_name(row: int, column: int) -> str:
    """'XFD100000' for (100000, 16384)."""
    return f"{column_name(column)}{row}"


def parse_reference(text: bytes) -> tuple[int, int | None]:
    """(row, column or None), 1-based, of 'B7' or '7', read as calamine reads it; MalformedSheet otherwise."""
    match = REFERENCE.fullmatch(text)
    if not match or int(match.group(2)) < 1:
        raise MalformedSheet(text.decode("latin-1")[:40])
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + letter - ord("A") + 1
    return int(match.group(2)), column or None


class _Follower:
    """Follows the cells of one sheet part through its tags."""

    def __init__(self):
        self.extent = Extent()
        self.in_sheet_data = False
        self.row = 1  # the row a <c> without r="…" belongs to
        self.column = 1  # the column the next <c> without r="…" takes
        self.cell: tuple[int, int] | None = None  # the open <c> element's position
        self.cell_has_value = False

    def tag(self, closing: bool, name: bytes, attributes: bytes, empty: bool) -> None:
        if name == b"dimension" and not closing:
            self.extent.dimension = (_attribute(attributes, b"ref") or b"").decode("latin-1")[:40]
        elif name == b"sheetData":
            self.in_sheet_data = not closing and not empty
        elif not self.in_sheet_data:
            return
        elif name == b"row":
            if not closing:
                reference = _attribute(attributes, b"r")
                if reference is not None:
                    self.row = parse_reference(reference)[0]
            if closing or empty:
                self.row += 1
                self.column = 1
        elif name == b"c" and not closing:
            self._close_cell()
            reference = _attribute(attributes, b"r")
            if reference is not None:
                row, column = parse_reference(reference)
                if column is None:
                    raise MalformedSheet(reference.decode("latin-1")[:40])
                self.column = column
            else:
                row, column = self.row, self.column
            self.cell, self.cell_has_value = (row, column), False
            self.column += 1
            if empty:
                self._close_cell()
        elif name == b"c":
            self._close_cell()
        elif name in (b"v", b"is") and not closing and self.cell is not None:
            self.cell_has_value = True

    def _close_cell(self) -> None:
        if self.cell is not None and self.cell_has_value:
            self.extent.reach(*self.cell)
        self.cell, self.cell_has_value = None, False

    def finish(self) -> Extent:
        self._close_cell()
        return self.extent


def _attribute(attributes: bytes, wanted: bytes) -> bytes | None:
    """The value of attribute `wanted` (exact name, as the parser matches it); MalformedSheet if given twice."""
    values = {match.group(2) if match.group(2) is not None else match.group(3)
              for match in ATTRIBUTE.finditer(attributes) if match.group(1) == wanted}
    if len(values) > 1:
        raise MalformedSheet(b" ".join(sorted(values)).decode("latin-1")[:40])
    return values.pop() if values else None


class _Utf8Stream:
    """A UTF-16 or UTF-32 part read as UTF-8, as the parser decodes it (it detects them the same way)."""

    def __init__(self, part, codec: str, head: bytes):
        self.part, self.decoder, self.head = part, codecs.getincrementaldecoder(codec)("replace"), head

    def read(self, size: int) -> bytes:
        data, self.head = self.head + self.part.read(size), b""
        return self.decoder.decode(data, final=not data).encode("utf-8", "replace")


def _as_utf8(part):
    head = part.read(4)
    for marks, codec in (((b"\x00\x00\xfe\xff", b"\x00\x00\x00<"), "utf-32-be"),
                         ((b"\xff\xfe\x00\x00", b"<\x00\x00\x00"), "utf-32-le"),
                         ((b"\xfe\xff", b"\x00<"), "utf-16-be"), ((b"\xff\xfe", b"<\x00"), "utf-16-le")):
        if head.startswith(marks):
            return _Utf8Stream(part, codec, head)
    return _Utf8Stream(part, "utf-8", head)


def quick_bound(data: bytes) -> tuple[int, int] | None:
    """(rows, columns) no cell of the sheet XML `data` goes beyond, or None when it cannot be told quickly.

    Excel, LibreOffice and openpyxl write r="…" first on every cell. If every text that may start a cell
    (in a comment or attribute too) has a plain r="…" first, every real cell has one, so its position is
    that reference and the largest references bound them all, values or not.
    """
    starts = CELL_START.findall(data)
    with_reference = CELL_START_WITH_R.findall(data)
    if len(starts) != len(with_reference):
        return None
    rows = columns = 0
    for letters, digits, quoted_letters, quoted_digits in with_reference:
        row, column = parse_reference((letters or quoted_letters) + (digits or quoted_digits))
        rows, columns = max(rows, row), max(columns, column or 0)
    return rows, columns


class _Chain:
    """`first` bytes, then the rest of `stream`."""

    def __init__(self, first: bytes, stream):
        self.first, self.stream = first, stream

    def read(self, size: int) -> bytes:
        if self.first:
            data, self.first = self.first, b""
            return data
        return self.stream.read(size)


def sheet_extent(part, max_rows: int, max_columns: int) -> Extent:
    """How far the values of the sheet XML in the open binary stream `part` reach, at most; MalformedSheet if
    it cannot be followed. A sheet of ordinary size written with r="…" on every cell is settled by quick_bound
    (its Extent is then an upper bound); otherwise exact_extent follows it tag by tag."""
    part = _as_utf8(part)
    head = b""
    while len(head) < QUICK_BYTES and (more := part.read(QUICK_BYTES - len(head))):
        head += more
    if len(head) < QUICK_BYTES:  # the whole part: a sheet of ordinary size
        bound = quick_bound(head)
        if bound is not None and bound[0] <= max_rows and bound[1] <= max_columns:
            return Extent(rows=bound[0], columns=bound[1])
    return exact_extent(_Chain(head, part), max_rows, max_columns)


def exact_extent(part, max_rows: int, max_columns: int) -> Extent:
    """The Extent of the (UTF-8) sheet XML in the open binary stream `part`, counted as the parser counts.

    MalformedSheet if it cannot be followed. Reading stops at the first cell beyond `max_rows` or `max_columns`: that cell is the farthest one reported.
    """
    follower = _Follower()
    pending = b""
    closer: bytes | None = None  # inside a comment, CDATA, instruction or declaration until this
    while True:
        chunk = part.read(CHUNK_BYTES)
        data = pending + chunk
        at_end = not chunk
        position = 0
        pending = b""
        while True:
            if closer is not None:
                end = data.find(closer, position)
                if end < 0:
                    pending = data[max(position, len(data) - len(closer) + 1):]
                    break
                position, closer = end + len(closer), None
            for match in TOKEN.finditer(data, position):
                start = match.start()
                if len(data) - start < LONGEST_OPENER and not at_end:
                    pending = data[start:]  # too short to tell what starts here
                    break
                comment, cdata, instruction, declaration, closing, name, attributes, complete = match.groups()
                if name is None:  # a comment, CDATA, instruction or declaration
                    if not (comment or cdata or instruction or declaration):  # it goes on in the next chunk
                        opener, closer = next(pair for pair in SKIPPED if data.startswith(pair[0], start))
                        position = start + len(opener)
                        break
                    continue
                if complete is None:  # the tag goes on in the next chunk
                    if not at_end:  # at the end, an unclosed tag: the parser fails on it as well
                        if len(data) - start > MAX_TAG_BYTES:
                            raise MalformedSheet("tag")
                        pending = data[start:]
                    break
                if name in FOLLOWED:
                    follower.tag(closing == b"/", name, attributes, attributes[-1:] == b"/")
                    if follower.extent.rows > max_rows or follower.extent.columns > max_columns:
                        return follower.extent  # beyond the bounds: no need to read further
            else:
                break
            if closer is None:
                break
        if at_end:
            return follower.finish()
