"""Property-based tests of uploads (Hypothesis): any cell content gives a preview, accepted text makes the round trip.

Each example writes values into a real .xlsx made from one exported Realisasi
workbook (kept in memory) and previews it against a small store. Values cover
what python-calamine can give for a cell: text (any unicode, control characters
as Excel escapes them, literal _xHHHH_, formula-like, near and over the 32,767
cell limit), formulas, numbers (huge, negative, fractional, nan, infinities),
dates, date-times, times, durations, booleans and empty cells, with date,
duration or text number formats. Runs are derandomized so CI sees the same examples.
"""

import io
import json
import re
import shutil
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from zi_data.base.cell_safety import MAX_CELL_CHARS
from zi_data.base.problems import Problem
from zi_data.store.progress_rows import STATUSES
from helpers import examples, new_store
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_checks import check_rows
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.realisasi_layout import COLUMNS, COLUMN_INDEX, DATE_FORMAT, REALISASI_SHEET
from zi_data.realisasi.realisasi_preview import ImportPreview
from zi_data.realisasi.realisasi_upload import read_upload
from zi_data.files.uploaded_file import UploadedFile

TEAM = "Tim Penguatan Tata Laksana"  # two rows through January: a small workbook, cheap examples
SETTINGS = dict(deadline=None, derandomize=True, database=None, print_blob=True,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


class Template:
    """A seeded store directory and the team's exported workbook, loaded once and reused by every example."""

    def __init__(self, directory):
        self.directory = directory
        store = new_store(directory)
        self.data = export_workbook(store, team=TEAM, through_month=1, created_at="2025-02-01T00:00:00Z")
        self.book = openpyxl.load_workbook(io.BytesIO(self.data))
        self.copies = 0

    def __repr__(self):
        return f"Template({TEAM!r})"

    def fresh_store(self) -> ProgressStore:
        """A new store per example: a copy of the seeded directory (no reseeding)."""
        self.copies += 1
        target = self.directory.parent / f"store{self.copies}"
        shutil.copytree(self.directory, target)
        return ProgressStore(target)

    def with_cells(self, cells: dict) -> bytes:
        """The workbook with cells[(row, key)] = (kind_value, number_format) on the Realisasi sheet."""
        ws = self.book[REALISASI_SHEET]
        saved = []
        for (row, key), (kind_value, number_format) in cells.items():
            cell = ws.cell(row, COLUMN_INDEX[key])
            saved.append((cell, cell._value, cell.data_type, cell.number_format))
            put(cell, kind_value, number_format)
        out = io.BytesIO()
        try:
            self.book.save(out)
        finally:
            for cell, value, data_type, number_format in reversed(saved):
                cell._value, cell.data_type, cell.number_format = value, data_type, number_format
        return out.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return Template(tmp_path_factory.mktemp("seeded") / "data")


# --- strategies ---------------------------------------------------------------------------------------

any_char = st.characters(blacklist_categories=("Cs",))  # every code point a file can carry
fragments = st.sampled_from([
    "I-1-1", "i-1-1 ", "I-1-1\u200b", "Z-9-9", "Januari", "Desember", "Selesai", "belum", "\ufeffSebagian",
    "17/11/2025", "31 Maret 2025", "1 Januari 99999999999999999999", "31/02/2025", "0", "-1", "1e999", "nan",
    "_x0000_", "_x0041_", "_x005F_x0041_", "\r\n", "\t", "\u00a0", "\u200b", "\u2028", "'", "'=", "=", "+", "-", "@",
    "\U0001F600", "e\u0301", "ß", "İ", "\x00", "\x1b[31m", "\x85", "\x7f", "\ufffe",
])
short_texts = st.one_of(
    st.text(any_char, max_size=20),
    st.lists(st.one_of(fragments, st.text(any_char, max_size=4)), max_size=6).map("".join),
)
long_texts = st.builds(lambda head, char, size: head + char * size, st.sampled_from(["", "=", "'", " ", "_x0041_"]),
                       st.sampled_from(["x", "é", "\U0001F600", " ", "_", "\n"]),
                       st.integers(MAX_CELL_CHARS - 4, MAX_CELL_CHARS + 2))
texts = st.one_of(short_texts, short_texts, short_texts, short_texts, long_texts)  # long ones are slow: 1 in 5


@st.composite
def text_cells(draw, source=texts):
    """('text', what the file holds): as Excel writes it (escapes) or raw _xHHHH_ as another program might."""
    text = draw(source)
    if draw(st.booleans()):
        text = _LITERAL_ESCAPE.sub("_x005F_", text)
    return "text", _XML_FORBIDDEN.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


cell_values = st.one_of(
    st.none().map(lambda v: ("value", v)),
    text_cells(),
    st.sampled_from(["=1+1", "=A1", "=1/0", '="x"&"y"', "=HYPERLINK(\"http://x\")"]).map(lambda v: ("value", v)),
    st.integers(-10**30, 10**30).map(lambda v: ("value", v)),
    st.floats().map(lambda v: ("value", v)),
    st.sampled_from([0, 1, 12, 13, 45_777, 20_000, 80_001, -1e20, 1e20, 2_958_466, 0.5]).map(lambda v: ("value", v)),
    st.dates().map(lambda v: ("value", v)),
    st.datetimes().map(lambda v: ("value", v)),
    st.times().map(lambda v: ("value", v)),
    st.timedeltas().map(lambda v: ("value", v)),
    st.booleans().map(lambda v: ("value", v)),
)
number_formats = st.sampled_from([None, None, DATE_FORMAT, "[h]:mm:ss", "@", "0.00"])
columns = [key for key, *_rest in COLUMNS]


def put(cell, kind_value, number_format=None) -> None:
    kind, value = kind_value
    if kind == "text":
        cell._value, cell.data_type = value, "s"  # as is: no formula guess, no cut at 32,767
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format


def assert_located(problem) -> None:
    assert isinstance(problem, Problem)
    assert problem.sheet == REALISASI_SHEET and problem.row and problem.row >= 2, problem
    assert problem.column and problem.fix and problem.message, problem
    str(problem)


# --- item 4: any cell content gives a preview --------------------------------------------------------

@settings(max_examples=examples(40), **SETTINGS)
@given(cells=st.dictionaries(st.tuples(st.integers(2, 4), st.sampled_from(columns)),
                             st.tuples(cell_values, number_formats), max_size=10))
def test_any_cell_content_gives_a_preview_or_located_problems_never_an_exception(template, cells):
    store = template.fresh_store()
    data = template.with_cells(cells)
    preview = preview_upload(store, data, "acak.xlsx")
    assert isinstance(preview, ImportPreview)
    for problem in preview.errors:
        assert_located(problem)
    for problem in preview.warnings:
        assert isinstance(problem, Problem) and str(problem)
    json.dumps(preview.as_dict(), ensure_ascii=False)  # what the command line prints with --json
    event("accepted" if preview.ok else "refused")
    if preview.ok:
        apply_preview(store, preview, by="Ani")


# --- item 5: anything accepted survives export and re-import ----------------------------------------

statuses = st.builds(lambda status, case, before, after: before + case(status) + after,
                     st.sampled_from(STATUSES), st.sampled_from([str, str.lower, str.upper]),
                     st.sampled_from(["", " ", "\u200b", "\ufeff", "\u00a0"]), st.sampled_from(["", " ", "\u200b"]))
tanggal_values = st.one_of(
    st.none(),
    st.dates(date(1900, 1, 1), date(9999, 12, 31)),
    st.dates(date(1900, 1, 1), date(9999, 12, 31)).map(lambda d: ("text", d.strftime("%d/%m/%Y"))),
    st.datetimes(datetime(1954, 1, 1), datetime(9999, 12, 30)),
)
reports = st.fixed_dictionaries({
    "status": statuses.map(lambda s: ("text", s)), "bukti_dukung": text_cells(), "catatan": text_cells(),
    "reported_by": text_cells(), "tanggal": tanggal_values.map(lambda v: v if isinstance(v, tuple) else ("value", v)),
})


@settings(max_examples=examples(15), **SETTINGS)
@given(rows=st.lists(reports, min_size=1, max_size=2))
def test_accepted_text_survives_export_and_re_import_with_no_change(template, rows):
    store = template.fresh_store()
    filled = template.with_cells({(row, key): (value, None) for row, report in enumerate(rows, start=2)
                                  for key, value in report.items()})
    preview = preview_upload(store, filled, "isi.xlsx")
    for problem in preview.errors:
        assert_located(problem)
    event("accepted" if preview.ok else "refused: " + preview.errors[0].column)
    if not preview.ok:
        assert all("terlalu panjang" in p.message for p in preview.errors), [str(p) for p in preview.errors]
        return
    applied = apply_preview(store, preview, by="Ani")
    stored = store.latest()
    assert len(stored) == applied.counts["new"] == len(rows)

    exported = export_workbook(store, team=TEAM, through_month=1)
    again = preview_upload(store, exported, "lagi.xlsx")
    assert again.ok and again.counts() == {"new": 0, "changed": 0, "unchanged": len(rows), "conflicts": 0,
                                           "plan_changes": 0, "rejected": 0}
    # Read back, the export holds exactly what is stored, reporter included.
    read_back = check_rows(read_upload(UploadedFile(exported, "lagi.xlsx")), store.plan(), TEAM).entries
    keys = ["item_id", "month", "status", "bukti_dukung", "tanggal", "catatan", "reported_by"]
    assert (sorted(tuple(str(entry[k]) for k in keys) for entry in read_back)
            == sorted(tuple(str(v) for v in row) for row in stored[keys].itertuples(index=False)))
