"""Every table a person can download is formula-safe (issue 21, "Every table people can download").

Streamlit's own *Download as CSV* (and clipboard copy) of st.dataframe/st.data_editor writes each cell as shown,
so every page draws its tables through app_pages/frame/tables.py, which marks text a spreadsheet would run as a
formula with a leading apostrophe (zi_data.base.cell_safety, the rule of every exported workbook). `lke mapping`'s
CSV follows the same rule.
"""

import ast
import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers import csv_table, examples, KOMPONEN_TABLE, new_store, open_as, run_cli, THRESHOLDS
from page_helpers import ADMIN, ITEM, LKE_EDITOR_KEY, MONTH, PDF, attachments_shown, matriks
from realisasi_helpers import PASSWORD
from zi_data.evidence import evidence
from zi_data.store.accounts import Accounts
from zi_data.base.cell_safety import (FORMULA_PREFIXES, TEXT_MARK, formula_safe, formula_safe_frame, inert_text,
                                      restore_text, restored_frame)
from zi_data.lke.lke_mapping import mapping_in_force, read_table_csv, set_mapping, table_csv, validated
from zi_data.store.progress_store import ProgressStore

ROOT = Path(__file__).resolve().parents[2]
TABLE_MODULE = ROOT / "app_pages" / "frame" / "tables.py"
FORMULAS = ('=HYPERLINK("evil.example","klik")+cmd.pdf', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3",
            "\t=1+1", "\r=1+1", "'=A1", "''@A1")

PLAIN_NUMBER = re.compile(r"[+-][0-9][0-9.,]*(?: ?%)?")  # shown as it is: it calls nothing
# Text as people type it: ordinary, and formula-like (a prefix, possibly after apostrophes, before anything).
texts = st.one_of(st.text(), st.from_regex(PLAIN_NUMBER, fullmatch=True),
                  st.builds(lambda marks, prefix, rest: TEXT_MARK * marks + prefix + rest,
                            st.integers(0, 3), st.sampled_from(FORMULA_PREFIXES), st.text()))
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # inert_text drops them


def runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(text)


@pytest.mark.parametrize("text", FORMULAS)
def test_each_attack_is_marked(text):
    assert formula_safe(text) == TEXT_MARK + text and restore_text(formula_safe(text)) == text


@settings(max_examples=examples(300))
@given(texts)
@example("'-0")  # found by Hypothesis: a plain number after an apostrophe
def test_a_shown_cell_never_starts_like_a_formula_and_reads_as_typed(text):
    shown = formula_safe(text)
    assert not runs_as_formula(shown)
    assert restore_text(shown) == text  # the apostrophe is the only change, and it is undone exactly
    assert shown in (text, TEXT_MARK + text)
    if not text.lstrip(TEXT_MARK).startswith(FORMULA_PREFIXES) or PLAIN_NUMBER.fullmatch(text):
        assert shown == text  # ordinary text and plain signed numbers are shown untouched; a plain number after
        # apostrophes ("'-0") is marked, as restore_text takes one apostrophe off whatever it reads back
    elif "_x" not in text and not XML_FORBIDDEN.search(text):
        assert shown == inert_text(text)  # the same rule as the exported workbooks


@pytest.mark.parametrize("text", ["+0,21", "-3", "-12,5 %", "+1.234,5%"])
def test_a_plain_signed_number_is_shown_as_it_is(text):
    assert formula_safe(text) == text and formula_safe(TEXT_MARK + text) == TEXT_MARK * 2 + text


@pytest.mark.parametrize("text", ["-2+3", "+1)", "-1,5+cmd|' /C calc'!A0", "-1e3", "+0,21 poin", "-"])
def test_a_signed_text_that_is_more_than_a_number_is_marked(text):
    assert formula_safe(text) == TEXT_MARK + text


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(texts, st.integers(-10**6, 10**6), st.one_of(st.none(), texts)), max_size=8),
       st.sampled_from(["Berkas", "=Kolom", "@kolom"]))
def test_a_shown_table_marks_every_text_cell_and_name_and_keeps_numbers(rows, name):
    frame = pd.DataFrame(rows, columns=[name, "Jumlah", "Catatan"])
    shown = formula_safe_frame(frame)
    cells = [value for column in shown.columns for value in shown[column] if isinstance(value, str)]
    assert not any(runs_as_formula(text) for text in cells + list(shown.columns))
    assert shown["Jumlah"].tolist() == frame["Jumlah"].tolist() and shown["Jumlah"].dtype == frame["Jumlah"].dtype
    assert restored_frame(shown).equals(frame)
    assert restored_frame(shown).columns.tolist() == frame.columns.tolist()


def test_a_table_given_as_columns_is_marked_too():
    shown = formula_safe_frame({"Isi": ["=1+1", "Nama"], "Nilai": ["@A1", "3"]})
    assert shown.to_dict("list") == {"Isi": ["'=1+1", "Nama"], "Nilai": ["'@A1", "3"]}


def direct_table_calls(path: Path) -> list[str]:
    """Calls of .dataframe(…) or .data_editor(…) on anything (st, a column, a container) in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.name}:{node.lineno} {node.func.attr}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("dataframe", "data_editor")]


def test_no_page_draws_a_table_but_through_the_formula_safe_wrapper():
    pages = sorted((ROOT / "app_pages").rglob("*.py")) + [ROOT / "dashboard.py"]
    assert len(pages) > 20
    direct = [call for page in pages if page != TABLE_MODULE for call in direct_table_calls(page)]
    assert not direct, f"draw tables with app_pages.frame.tables.shown_table/edited_table (formula-safe): {direct}"
    assert len(direct_table_calls(TABLE_MODULE)) == 2  # the wrapper itself: one dataframe, one data_editor


def test_the_check_finds_a_direct_call(tmp_path):
    page = tmp_path / "halaman_baru.py"
    page.write_text("import streamlit as st\nleft, right = st.columns(2)\nright.dataframe({'a': ['=1']})\n"
                    "st.data_editor({'a': ['=1']})\n")
    assert direct_table_calls(page) == ["halaman_baru.py:3 dataframe", "halaman_baru.py:4 data_editor"]


@pytest.fixture
def attach_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.parametrize("name", [FORMULAS[0], "@SUM(A1)+cmd.pdf", "-cmd.pdf"])
def test_a_visitor_sees_a_formula_like_attachment_name_marked_in_the_matriks_table(attach_dir, name):
    """The attack: an editor names a file like a formula; a visitor's download of the Matriks table ran it."""
    evidence.attach_file(new_store(), ITEM, MONTH, name, PDF, "rina")
    shown = attachments_shown(matriks())
    assert shown["Berkas"].tolist() == [TEXT_MARK + name]
    assert all(not runs_as_formula(value) for value in shown.to_numpy().ravel() if isinstance(value, str))


@pytest.fixture
def lke_store(seeded_data_dir, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    store = ProgressStore(seeded_data_dir)
    Accounts(store).add(ADMIN.name, ADMIN.role, ADMIN.team, PASSWORD, "uji")
    return store


def formula_mapping() -> pd.DataFrame:
    """KOMPONEN_TABLE whose area V komponen and sub-unsur are formula-like."""
    table = csv_table(KOMPONEN_TABLE)
    rows = table.index[table["komponen"] != ""]
    table.loc[rows, "komponen"] = FORMULAS[:3]
    table.loc[rows, "lke_sub_item"] = ["@SUM(1+1)", "-2+3", "=1+1"]
    return table


def test_the_lke_editor_shows_formula_like_text_marked_and_saves_it_as_typed(lke_store):
    set_mapping(lke_store, formula_mapping(), "koordinator")
    app = open_as(ADMIN, "app_pages/kesiapan_lke.py")
    shown = app.data_editor[0].value
    assert shown["komponen"].tolist()[5:8] == [TEXT_MARK + text for text in FORMULAS[:3]]
    app.session_state[LKE_EDITOR_KEY] = {"edited_rows": {0: {"weight": 9}, 1: {"weight": 6}}, "added_rows": [],
                                     "deleted_rows": []}
    app.run()
    next(button for button in app.button if button.label == "Simpan pemetaan").click().run()
    assert not app.exception, [e.value for e in app.exception]
    saved = mapping_in_force(lke_store).table
    assert list(saved["weight"])[:2] == [9, 6]
    assert saved["komponen"].tolist()[5:8] == list(FORMULAS[:3])  # as typed: no apostrophe stored
    assert saved["lke_sub_item"].tolist()[5:8] == ["@SUM(1+1)", "-2+3", "=1+1"]


def test_a_viewer_sees_the_lke_table_marked(lke_store):
    set_mapping(lke_store, formula_mapping(), "koordinator")
    shown = open_as(None, "app_pages/kesiapan_lke.py").dataframe[-1].value
    assert shown["Sub-unsur LKE"].tolist()[5:8] == ["'@SUM(1+1)", "'-2+3", "'=1+1"]


def test_lke_mapping_prints_formula_like_text_with_the_apostrophe_and_reads_it_back(lke_store, tmp_path):
    set_mapping(lke_store, formula_mapping(), "koordinator")
    printed = run_cli("lke", "mapping", check_returncode=0).stdout
    rows = list(csv.reader(io.StringIO(printed)))
    assert not any(runs_as_formula(cell) for row in rows for cell in row)
    assert [row[1] for row in rows[6:9]] == [TEXT_MARK + text for text in FORMULAS[:3]]
    assert [row[3] for row in rows[6:9]] == ["'@SUM(1+1)", "'-2+3", "'=1+1"]
    again = tmp_path / "pemetaan.csv"
    again.write_text(printed, encoding="utf-8")  # the printed table, put in force again: the same table
    run_cli("lke", "mapping", "--file", again, "--user", ADMIN.name, stdin=PASSWORD + "\n", check_returncode=0)
    assert mapping_in_force(lke_store).table.equals(validated(formula_mapping(), THRESHOLDS))


@settings(max_examples=examples(50), deadline=None)
@given(st.lists(texts.map(lambda text: " ".join(text.replace("\x00", "").split())), min_size=3, max_size=3))
def test_the_lke_csv_round_trip_keeps_any_text(komponen):
    """Any komponen as the table holds it (validated: spaces collapsed) is printed formula-safe and read back."""
    table = validated(csv_table(KOMPONEN_TABLE), THRESHOLDS)
    rows = table.index[table["komponen"] != ""]
    table.loc[rows, "komponen"] = komponen
    written = table_csv(table)
    assert not any(runs_as_formula(cell) for row in csv.reader(io.StringIO(written)) for cell in row)
    read = read_table_csv(written.encode())
    assert read["komponen"].tolist() == table["komponen"].tolist()
    assert read.drop(columns="komponen").astype(str).values.tolist() == table.drop(columns="komponen").assign(
        weight=[f"{weight:g}" for weight in table["weight"]]).astype(str).values.tolist()
