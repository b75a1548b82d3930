"""Column widths of interactive tables: every column within the narrowest table's width (#23)."""

import pandas as pd

from zi_data.reporting.table_fit import MIN_TEXT_PX, NAME_CHARS, TABLE_WIDTH_PX, WRAPPED_ROW_PX, fitted_widths


def test_a_narrow_table_keeps_its_natural_widths_and_one_line_rows():
    widths, row_height = fitted_widths(pd.DataFrame({"ID": ["I-1-1"], "Bulan": ["September"]}))
    assert sum(widths.values()) <= TABLE_WIDTH_PX and row_height is None
    assert widths["Bulan"] > widths["ID"]


def test_long_texts_are_capped_to_fit_and_wrap():
    frame = pd.DataFrame({"ID": ["I-1-1"], "Langkah Aksi": ["kata " * 60], "Catatan": ["panjang " * 40],
                          "Bulan": ["September"], "Hari Terlambat": [120]})
    widths, row_height = fitted_widths(frame)
    assert sum(widths.values()) <= TABLE_WIDTH_PX
    assert row_height == WRAPPED_ROW_PX and row_height > 64  # Streamlit wraps only in rows over 64 px
    assert widths["Langkah Aksi"] >= MIN_TEXT_PX and widths["ID"] < widths["Langkah Aksi"]
    # A column keeps room for its name (up to NAME_CHARS characters of it).
    assert widths["Hari Terlambat"] >= NAME_CHARS * 7


def test_names_alone_wider_than_the_table_keep_room_for_their_start():
    frame = pd.DataFrame({f"Kolom dengan nama panjang {n}": ["x"] for n in range(6)})
    widths, _ = fitted_widths(frame)
    assert all(width >= min(len(name), NAME_CHARS) * 7 for name, width in widths.items())
