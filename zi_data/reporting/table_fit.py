"""Column widths that let an interactive table show every column without a sideways scroll.

Streamlit sizes a table's columns to their content; a table of long texts then scrolls sideways and hides its
last columns (Bukti Tertunggak's Bulan, Hari Terlambat and Status at 1920 px, #23). `fitted_widths` gives each
column its natural width (its longest cell or its name, in an average character's width) when they all fit
TABLE_WIDTH_PX, else caps the widest ones at the same width, never under NAME_CHARS of their name, so the sum
fits; the cells of a capped column then wrap over up to WRAPPED_LINES lines. The table stretches to a wider
container (its columns grow with it), so a long name is cut only where the table is narrowest.
"""

import math

import pandas as pd

TABLE_WIDTH_PX = 510  # the narrowest table: a 1024-px window with the sidebar open leaves 564 px, less room
                      # for the grid's own minimum widths
CHAR_PX = 7.6         # an average character of the table's 14-px type
PAD_PX = 24           # a cell's padding, and room for the header's sort arrow
MIN_TEXT_PX = 80      # a capped column is never narrower than this
NAME_CHARS = 8       # room kept for a column's name: longer names may be cut where the table is narrowest
WRAPPED_LINES = 3
WRAPPED_ROW_PX = 72   # Streamlit wraps cell text only in rows taller than 64 px


def _chars(values) -> int:
    return max((len(str(value)) for value in values), default=0)


def fitted_widths(frame: pd.DataFrame, width_px: int = TABLE_WIDTH_PX) -> tuple[dict[str, int], int | None]:
    """Column name -> width (px) for `frame`, and the row height (px) when some cells must wrap (else None)."""
    names = {str(column): min(len(str(column)), NAME_CHARS) for column in frame.columns}
    natural = {str(column): math.ceil(max(_chars(frame[column].head(2000)), names[str(column)], 1) * CHAR_PX + PAD_PX)
               for column in frame.columns}
    floor = {column: math.ceil(names[column] * CHAR_PX + PAD_PX) for column in natural}
    if sum(natural.values()) <= width_px:
        return natural, None
    cap = _cap(natural, floor, width_px)
    widths = {column: min(natural[column], max(cap, floor[column], MIN_TEXT_PX)) for column in natural}
    return widths, (WRAPPED_ROW_PX if any(widths[c] < natural[c] for c in widths) else None)


def _cap(natural: dict[str, int], floor: dict[str, int], width_px: int) -> int:
    """The largest width every column may be capped at so that the table fits `width_px` (bisection)."""
    low, high = MIN_TEXT_PX, max(natural.values())
    while low < high:
        middle = (low + high + 1) // 2
        total = sum(min(natural[c], max(middle, floor[c], MIN_TEXT_PX)) for c in natural)
        low, high = (middle, high) if total <= width_px else (low, middle - 1)
    return low
