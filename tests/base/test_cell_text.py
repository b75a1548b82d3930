"""Cell text and values in uploads: no cell content raises, text makes the round trip, messages show hidden characters."""

import io
import re
from datetime import date, datetime, time

import openpyxl
import pandas as pd
import pytest
import sqlalchemy

from helpers import examples  # noqa: E402
from realisasi_helpers import fill, rows_by_key
from zi_data.base.cell_safety import MAX_CELL_CHARS
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.realisasi_layout import COLUMN_INDEX, DATE_FORMAT, META_SHEET, REALISASI_SHEET

TEAM = "Tim Agen Perubahan"  # row 2 of its workbook is I-1-1 Januari


def preview_of(store, data):
    return preview_upload(store, data, "unggahan.xlsx")


def set_cells(**cells):
    def edit(book):
        for ref, value in cells.items():
            book[REALISASI_SHEET][ref] = value
    return edit


def date_cell(ref, value):
    def edit(book):
        cell = book[REALISASI_SHEET][ref]
        cell.value = value
        cell.number_format = DATE_FORMAT
    return edit


def long_text(key, text, row=2):
    """An edit writing `text` as a text cell in column `key` (openpyxl itself cuts text at 32,767 characters)."""
    def edit(book):
        cell = book[REALISASI_SHEET].cell(row, COLUMN_INDEX[key])
        cell._value, cell.data_type = text, "s"
    return edit


def upload_and_reexport(store, filled) -> dict:
    """Apply `filled`, export again and preview the export: the counts of that second preview."""
    preview = preview_of(store, filled)
    assert preview.ok, [str(p) for p in preview.errors]
    apply_preview(store, preview, by="Ani")
    again = preview_of(store, export_workbook(store, team=TEAM))
    assert again.ok, [str(p) for p in again.errors]
    return again.counts()


def only_error(preview):
    assert not preview.ok
    (problem,) = preview.errors
    return problem


# --- item 4: no cell content raises ------------------------------------------------------------------

@pytest.mark.parametrize("tanggal", ["1 Januari 99999999999999999999", "1 Januari 10000", "31 Desember 1899",
                                     "01/01/0001", "1 Januari " + "9" * 5000])
def test_a_date_with_an_impossible_year_is_a_row_level_message(store, tanggal):
    filled = fill(export_workbook(store, team=TEAM), {("I-1-1", 1): {"status": "Selesai", "bukti": "SK",
                                                                        "tanggal": tanggal}})
    problem = only_error(preview_of(store, filled))
    assert (problem.sheet, problem.row, problem.column) == (REALISASI_SHEET, 2, "J (Tanggal Selesai)")
    assert "di luar rentang" in problem.message and "1900" in problem.message and problem.fix


@pytest.mark.parametrize("number", [-1e20, 1e20, -1e12])
def test_a_huge_number_in_the_date_column_is_a_row_level_message(store, number):
    data = export_workbook(store, team=TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"}}, edit=date_cell("J2", number))
    problem = only_error(preview_of(store, filled))
    assert (problem.sheet, problem.row) == (REALISASI_SHEET, 2)
    assert "tanggal" in problem.message.lower() and problem.fix


def test_a_duration_too_long_for_python_is_a_row_level_message(store):
    def edit(book):
        cell = book[REALISASI_SHEET]["K2"]
        cell.value, cell.number_format = 1e20, "[h]:mm:ss"
    filled = fill(export_workbook(store, team=TEAM), {("I-1-1", 1): {"status": "Belum"}}, edit=edit)
    problem = only_error(preview_of(store, filled))
    assert (problem.sheet, problem.row) == (REALISASI_SHEET, 2) and problem.fix


@pytest.mark.parametrize("value", [time(12, 30), datetime(2025, 3, 1, 8, 0), True, 1e300, -5.5])
def test_times_durations_booleans_and_odd_numbers_as_tanggal_are_refused_by_row(store, value):
    filled = fill(export_workbook(store, team=TEAM), {("I-1-1", 1): {"status": "Belum", "tanggal": value}})
    preview = preview_of(store, filled)
    if isinstance(value, datetime):
        assert preview.ok and list(preview.new["tanggal"]) == ["2025-03-01"]
        return
    problem = only_error(preview)
    assert (problem.row, problem.column) == (2, "J (Tanggal Selesai)")


@pytest.mark.parametrize("month", ["1e999", "nan", "inf", 1e300, -1e300, 10**18, "１", "Maret\u200b"])
def test_odd_months_never_raise(store, month):
    filled = fill(export_workbook(store, team=TEAM), {("I-1-1", 1): {"status": "Belum"}},
                  edit=set_cells(F2=month))
    preview = preview_of(store, filled)
    assert all((p.sheet, p.row, p.column) == (REALISASI_SHEET, 2, "F (Bulan)") for p in preview.errors)


# --- item 5: what is accepted makes the round trip ----------------------------------------------------

def test_text_over_the_cell_limit_is_refused_with_row_column_and_limit(store):
    data = export_workbook(store, team=TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Belum"}}, edit=long_text("catatan", "x" * (MAX_CELL_CHARS + 1)))
    problem = only_error(preview_of(store, filled))
    assert (problem.sheet, problem.row, problem.column) == (REALISASI_SHEET, 2, "K (Catatan/Kendala)")
    assert "32.768 karakter" in problem.message and "32.767" in problem.message and problem.fix


def test_a_megabyte_note_is_refused_not_stored(store):
    data = export_workbook(store, team=TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Belum"}}, edit=long_text("catatan", "kendala " * 131_072))
    problem = only_error(preview_of(store, filled))
    assert problem.column == "K (Catatan/Kendala)" and "1.048.575 karakter" in problem.message


def test_text_at_the_limit_round_trips_and_the_apostrophe_counts(store):
    data = export_workbook(store, team=TEAM)
    december = rows_by_key(openpyxl.load_workbook(io.BytesIO(data))[REALISASI_SHEET])[("I-1-1", "Desember")]
    at_limit = "x" * MAX_CELL_CHARS
    formula_at_limit = "=" + "x" * (MAX_CELL_CHARS - 1)  # exported as '=xxx…: one character too many
    refused = only_error(preview_of(store, fill(data, {("I-1-1", 1): {"status": "Belum"}},
                                                edit=long_text("catatan", formula_at_limit))))
    assert refused.column == "K (Catatan/Kendala)" and "tanda petik" in refused.message
    assert "32.768 karakter" in refused.message
    emoji = "\U0001F600" * (MAX_CELL_CHARS // 2 + 1)  # Excel counts an emoji as two characters
    refused = only_error(preview_of(store, fill(data, {("I-1-1", 1): {"status": "Belum", "bukti": emoji}})))
    assert refused.column == "I (Bukti Dukung)"
    filled = fill(data, {("I-1-1", 1): {"status": "Belum", "catatan": at_limit},
                         ("I-1-1", 12): {"status": "Belum"}},
                  edit=long_text("catatan", formula_at_limit[:-1], row=december))
    assert upload_and_reexport(store, filled)["unchanged"] == 2
    assert dict(zip(store.latest()["month"], store.latest()["catatan"])) == {1: at_limit, 12: formula_at_limit[:-1]}


def test_control_characters_are_removed_on_the_way_in(store):
    data = export_workbook(store, team=TEAM)
    # Excel writes a control character in a cell as _xHHHH_; calamine decodes it.
    filled = fill(data, {("I-1-1", 1): {"status": "Belum", "catatan": "sebelum_x0000_sesudah_x0007_\x85x",
                                        "bukti": "a\r\nb\rc"}})
    preview = preview_of(store, filled)
    assert preview.ok and list(preview.new["catatan"]) == ["sebelumsesudahx"]
    assert list(preview.new["bukti_dukung"]) == ["a\nb\nc"]
    assert upload_and_reexport(store, filled) == {"new": 0, "changed": 0, "unchanged": 1, "conflicts": 0,
                                                  "plan_changes": 0, "rejected": 0}


def test_literal_escape_sequences_typed_by_a_user_round_trip(store):
    data = export_workbook(store, team=TEAM)
    typed = "kode _x0041_ dan _x005F_ dan __x00e9__"
    excel_file = typed.replace("_x", "_x005F_x")  # how Excel writes literal _xHHHH_ text
    filled = fill(data, {("I-1-1", 1): {"status": "Belum", "catatan": excel_file}})
    preview = preview_of(store, filled)
    assert preview.ok and list(preview.new["catatan"]) == [typed]
    assert upload_and_reexport(store, filled)["unchanged"] == 1
    assert store.latest().at[0, "catatan"] == typed


def test_a_note_stored_before_the_limit_re_imports_unchanged(store):
    """Text over the limit, control characters or a year before 1900 may be in an older store: re-imported as is."""
    long_note, with_nul = "panjang " * 5000 + "!", "a\x00b"
    with store.transaction() as conn:  # as old versions stored them
        conn.execute(sqlalchemy.text(
            "INSERT INTO entries (ledger_id, item_id, month, status, bukti_dukung, tanggal, catatan, reported_by, "
            "recorded_at) VALUES (:ledger, 'I-1-1', 1, 'Belum', '', '0025-11-17', :long_note, 'Budi', 'x'), "
            "(:ledger, 'I-1-1', 12, 'Belum', :with_nul, '', '', 'Budi', 'x')"),
            {"ledger": store.ledger_id, "long_note": long_note, "with_nul": with_nul})
    counts = preview_of(store, export_workbook(store, team=TEAM)).counts()
    assert counts["unchanged"] == 2 and counts["changed"] == 0
    assert store.latest().set_index("month").at[1, "catatan"] == long_note


def test_the_store_normalises_text_and_refuses_text_over_the_limit(store):
    def append(**values):
        with store.transaction() as conn:
            store.append_entries(conn, pd.DataFrame([{"item_id": "I-1-1", "month": 1, "status": "Belum", **values}]),
                                 None)
    append(catatan=" satu\r\ndua\x00 ", bukti_dukung="\x1b[31mmerah")
    assert store.latest().iloc[0][["catatan", "bukti_dukung"]].tolist() == ["satu\ndua", "[31mmerah"]
    with pytest.raises(Refusal, match="32.767"):
        append(catatan="x" * (MAX_CELL_CHARS + 1))
    assert len(store.entries()) == 1


# --- invisible characters: matched when harmless, shown escaped when refused ---------------------------

def test_zero_width_and_no_break_spaces_in_id_and_status_are_ignored(store):
    data = export_workbook(store, team=TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "\ufeffSelesai\u200b", "bukti": "SK"}},
                  edit=set_cells(A2="I-1-1\u200b", F2="Januari\u00a0"))
    preview = preview_of(store, filled)
    assert preview.ok, [str(p) for p in preview.errors]
    assert list(zip(preview.new["item_id"], preview.new["status"])) == [("I-1-1", "Selesai")]


@pytest.mark.parametrize("cells, column, shown", [
    ({"A2": "Z-9-9\u200b", "H2": "Belum"}, "A (ID)", "ID 'Z-9-9[U+200B]' tidak ada"),
    ({"H2": "Beres\u2060\u00a0"}, "H (Status)", "Status 'Beres[U+2060]' tidak dikenal"),
    ({"H2": "Belum", "F2": "Mar\u200bch"}, "F (Bulan)", "Bulan 'Mar[U+200B]ch' tidak dikenal"),
    ({"H2": "Belum", "J2": "17/11\u200b/2025"}, "J (Tanggal Selesai)", "Tanggal '17/11[U+200B]/2025' tidak dikenal"),
    ({"H2": "Belum\tx"}, "H (Status)", "Status 'Belum[U+0009]x' tidak dikenal"),
])
def test_refused_values_show_invisible_characters_escaped(store, cells, column, shown):
    filled = fill(export_workbook(store, team=TEAM), {}, edit=set_cells(**cells))
    problem = only_error(preview_of(store, filled))
    assert problem.column == column and shown in problem.message


def test_a_long_refused_value_is_quoted_short(store):
    filled = fill(export_workbook(store, team=TEAM), {}, edit=set_cells(H2="salah " * 1000))
    problem = only_error(preview_of(store, filled))
    assert len(problem.message) < 200 and "5.999 karakter" in problem.message


def test_team_in_the_metadata_is_shown_escaped(store):
    def edit(book):
        for row in book[META_SHEET].iter_rows(min_row=2):
            if row[0].value == "tim":
                row[1].value = "Tim Agen\u200b Perubahan"
    preview = preview_of(store, fill(export_workbook(store, team=TEAM), {}, edit=edit))
    assert any("Tim Agen[U+200B] Perubahan" in p.message for p in preview.errors)


def test_exported_workbook_keeps_the_escape_for_other_spreadsheet_programs(store):
    """Excel and LibreOffice decode _xHHHH_ too: the export writes literal ones escaped, as Excel does."""
    with store.transaction() as conn:
        store.append_entries(conn, pd.DataFrame([{"item_id": "I-1-1", "month": 1, "status": "Belum",
                                                  "catatan": "_x0041_"}]), None)
    ws = openpyxl.load_workbook(io.BytesIO(export_workbook(store, team=TEAM)))[REALISASI_SHEET]
    assert ws.cell(rows_by_key(ws)[("I-1-1", "Januari")], COLUMN_INDEX["catatan"]).value == "_x005F_x0041_"


def test_dates_at_the_edges_of_excel_round_trip(store):
    data = export_workbook(store, team=TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Belum", "tanggal": "01/01/1900"},
                         ("I-1-1", 12): {"status": "Belum", "tanggal": date(9999, 12, 31)}})
    assert upload_and_reexport(store, filled)["unchanged"] == 2
    assert sorted(store.latest()["tanggal"]) == ["1900-01-01", "9999-12-31"]


# --- the helpers themselves, for any value (fast, pure functions) --------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from zi_data.base import cell_safety, cell_values  # noqa: E402
from zi_data.base.problems import Refusal, shown as shown_text  # noqa: E402

FAST = settings(max_examples=examples(300), deadline=None, derandomize=True, database=None)
any_value = st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.booleans(), st.dates(), st.datetimes(),
                      st.times(), st.timedeltas(), st.binary(max_size=8), st.lists(st.integers(), max_size=2))


@FAST
@given(any_value)
def test_parsing_any_value_raises_nothing_but_value_error(value):
    assert isinstance(cell_values.cell_text(value), str)
    assert cell_values.number_of(value) is None or isinstance(cell_values.number_of(value), float)
    assert cell_values.month_of(value) in (None, *range(1, 13))
    try:
        found = cell_values.date_of(value)
    except ValueError:
        return
    assert found is None or cell_values.FIRST_DATE <= found <= cell_values.LAST_DATE


@FAST
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_clean_text_is_idempotent_and_the_written_cell_reads_back_the_same(text):
    clean = cell_safety.clean_text(text)
    assert cell_safety.clean_text(clean) == clean
    assert not any(ch in clean for ch in "\r\x00\x1b\x7f\x85\ufffe")
    written = cell_safety.inert_text(clean)
    decoded = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), written)  # as calamine decodes
    assert cell_safety.typed_text(decoded) == clean == cell_safety.exported_text(text)


@FAST
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_shown_text_has_no_invisible_characters(text):
    assert all(ch == " " or ch.isprintable() for ch in shown_text(text))


def test_shown_spells_out_invisible_characters():
    assert shown_text("I-1-1\u200b") == "I-1-1[U+200B]"
    assert shown_text("a\u00a0b\ufeff\u2028\t\x00") == "a[U+00A0]b[U+FEFF][U+2028][U+0009][U+0000]"
    assert shown_text("Tim Pengawasan") == "Tim Pengawasan"
