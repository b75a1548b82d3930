"""read_plan on the plan as offices really keep it: every layout is built here with openpyxl."""

import datetime
import io
import re
import subprocess
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Color, GradientFill, PatternFill

from zi_data import PLAN_COLUMNS, read_plan
from zi_data.base.months import MONTHS


@dataclass(frozen=True)
class Item:
    area: str
    area_name: str
    no: str
    komponen_pos: int
    komponen: str
    indikator: str
    langkah_aksi: str
    bukti_fisik: str
    months: tuple
    penanggung_jawab: str
    row_pos: int

    @property
    def id(self):
        return f"{self.area}-{self.komponen_pos}-{self.row_pos}"


AGEN, TATA, TIK = "Tim Agen Perubahan", "Tim Penguatan Tata Laksana", "Tim Manajemen Perubahan"
ALL = tuple(range(1, 13))
# Area II prints NO "1" for both of its komponen, as the source duplicates its numbering.
ITEMS = [
    Item("I", "Manajemen Perubahan", "1", 1, "Tim Kerja", "SK tim kerja ditetapkan", "Menyusun SK tim kerja",
         "SK tim kerja", (1,), AGEN, 1),
    Item("I", "Manajemen Perubahan", "1", 1, "Tim Kerja", "SK tim kerja ditetapkan", "Mengevaluasi tim kerja",
         "Laporan evaluasi tim", (6, 12), AGEN, 2),
    Item("I", "Manajemen Perubahan", "2.", 2, "Rencana Aksi", "Rencana aksi disusun", "Menyusun rencana aksi",
         "Dokumen rencana aksi", (1, 2, 3), AGEN, 1),
    Item("II", "Penataan Tata Laksana", "1", 1, "SOP", "SOP telah ditetapkan", "Menyusun SOP", "Dokumen SOP",
         (2,), TATA, 1),
    Item("II", "Penataan Tata Laksana", "1", 2, "E-Office", "Presensi elektronik", "Memakai presensi wajah",
         "Rekap presensi", ALL, TATA, 1),
    Item("II", "Penataan Tata Laksana", "1", 2, "E-Office", "Layanan memakai TI", "Aplikasi layanan publik",
         "Tangkapan layar aplikasi", (4, 5, 6), TIK, 2),
    Item("II", "Penataan Tata Laksana", "1", 2, "E-Office", "Layanan memakai TI", "Monev aplikasi",
         "Laporan monev aplikasi", (10, 11, 12), TIK, 3),
]

NUMBERS = list(range(1, 13))
SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
LONG = list(MONTHS)
TITLE = ["RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS",
         "MENUJU WILAYAH BEBAS DARI KORUPSI DAN WILAYAH BIROKRASI BERSIH DAN MELAYANI",
         "DI LINGKUNGAN KOMISI PEMILIHAN UMUM KABUPATEN KAPUAS TAHUN 2025"]
GANTT = PatternFill("solid", fgColor="FF4472C4")
ZEBRA = PatternFill("solid", fgColor="FFF2F2F2")
TEXT_KEYS = ("no", "komponen", "indikator", "langkah_aksi", "bukti_fisik")


def expected_records(items=ITEMS):
    return [{"id": i.id, "area": i.area, "area_name": i.area_name, "no": i.no, "komponen_pos": i.komponen_pos,
             "komponen": i.komponen, "indikator": i.indikator, "langkah_aksi": i.langkah_aksi,
             "bukti_fisik": i.bukti_fisik, "penanggung_jawab": i.penanggung_jawab, "months": i.months}
            for i in items]


def records(plan):
    assert list(plan.columns) == PLAN_COLUMNS
    return plan.drop(columns="row").to_dict("records")


def continues(previous: Item | None, item: Item, key: str) -> bool:
    """Whether `item`'s cell in column `key` repeats the row above (and may be blank or merged)."""
    if previous is None or previous.area != item.area:
        return False
    same_komponen = previous.komponen_pos == item.komponen_pos
    if key in ("no", "komponen"):
        return same_komponen
    if key == "indikator":
        return same_komponen and previous.indikator == item.indikator
    if key == "bukti_fisik":
        return same_komponen and previous.indikator == item.indikator and previous.bukti_fisik == item.bukti_fisik
    if key == "penanggung_jawab":
        return previous.penanggung_jawab == item.penanggung_jawab
    return False


def write_plan(ws, items=ITEMS, *, title=TITLE, month_labels=NUMBERS, two_row_header=True, first_col=1,
               continuation="repeat", area_style="two_cells", mark="✓", shade=None, zebra=False,
               id_column=False, ket_column=False, repeat_header_before=(), numbering_row=False):
    """Write `items` as a plan table; returns the sheet row of each item."""
    col = {"no": 0, "komponen": 1, "indikator": 2, "langkah_aksi": 3, "bukti_fisik": 4,
           "penanggung_jawab": 17}
    col = {key: first_col + offset for key, offset in col.items()}
    month_col = {m: first_col + 4 + m for m in range(1, 13)}
    last_col = col["penanggung_jawab"]
    if ket_column:
        col["ket"] = last_col = last_col + 1
    if id_column:
        col["id"] = last_col = last_col + 1
    labels = {"no": "NO", "komponen": "KOMPONEN", "indikator": "INDIKATOR", "langkah_aksi": "LANGKAH AKSI",
              "bukti_fisik": "BUKTI FISIK", "penanggung_jawab": "PENANGGUNG JAWAB", "ket": "KET", "id": "ID"}

    row = 1
    for line in title:
        ws.cell(row, first_col, line)
        row += 1
    if title:
        row += 1

    def header(row):
        for key, c in col.items():
            ws.cell(row, c, labels[key])
        if two_row_header:
            ws.cell(row, month_col[1], "PELAKSANAAN (BULAN)")
            ws.merge_cells(start_row=row, start_column=month_col[1], end_row=row, end_column=month_col[12])
            for c in col.values():
                ws.merge_cells(start_row=row, start_column=c, end_row=row + 1, end_column=c)
            row += 1
        for m, c in month_col.items():
            ws.cell(row, c, month_labels[m - 1])
        row += 1
        if numbering_row:
            for c in range(first_col, last_col + 1):
                ws.cell(row, c, c - first_col + 1)
            row += 1
        return row

    row = header(row)
    rows, previous, runs = {}, None, {}
    for item in items:
        if item.id in repeat_header_before:
            row = header(row + 1)
        if previous is None or previous.area != item.area:
            if area_style == "two_cells":
                ws.cell(row, col["no"], item.area)
                ws.cell(row, col["komponen"], item.area_name)
            else:
                ws.cell(row, col["no"], f"{item.area} {item.area_name}")
                if area_style == "one_cell_merged":
                    ws.merge_cells(start_row=row, start_column=col["no"], end_row=row, end_column=last_col)
            row += 1
        for key in (*TEXT_KEYS, "penanggung_jawab"):
            continued = continues(previous, item, key)
            if continuation == "merge":
                continued = continued and runs[key][1] == row - 1
            if continued and continuation != "repeat":
                runs[key][1] = row
                continue
            if continuation == "merge" and key in runs and runs[key][1] > runs[key][0]:
                ws.merge_cells(start_row=runs[key][0], start_column=col[key], end_row=runs[key][1],
                               end_column=col[key])
            runs[key] = [row, row]
            ws.cell(row, col[key], getattr(item, key))
        if zebra and len(rows) % 2 == 1:
            for c in range(first_col, last_col + 1):
                ws.cell(row, c).fill = ZEBRA
        for m in item.months:
            if mark is not None:
                ws.cell(row, month_col[m], mark)
            if shade is not None:
                ws.cell(row, month_col[m]).fill = shade
        if ket_column:
            ws.cell(row, col["ket"], "Rutin" if len(rows) % 2 else "-")
        if id_column:
            ws.cell(row, col["id"], item.id)
        rows[item.id] = row
        previous = item
        row += 1
    if continuation == "merge":
        for key, (start, end) in runs.items():
            if end > start:
                ws.merge_cells(start_row=start, start_column=col[key], end_row=end, end_column=col[key])
    return rows


def workbook_bytes(**options) -> bytes:
    book = openpyxl.Workbook()
    write_plan(book.active, **options)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(**options):
    return read_plan(workbook_bytes(**options), "varian.xlsx")


def test_plain_layout_reads_every_item():
    assert records(read()) == expected_records()


def test_title_rows_table_not_in_column_a_and_extra_ket_column():
    plan = read(first_col=3, ket_column=True)
    assert records(plan) == expected_records()
    assert plan["row"].tolist()[:2] == [8, 9]


@pytest.mark.parametrize("labels", [NUMBERS, [str(n) for n in NUMBERS], SHORT, LONG,
                                    [m.upper() for m in LONG], [f"{m}." for m in SHORT]],
                         ids=["numbers", "number-text", "jan-des", "januari-desember", "upper", "dotted"])
def test_month_headings(labels):
    assert records(read(month_labels=labels)) == expected_records()


def test_month_headings_as_dates_shown_as_month_names():
    dates = [datetime.datetime(2025, m, 1) for m in NUMBERS]
    assert records(read(month_labels=dates)) == expected_records()


@pytest.mark.parametrize("labels", [NUMBERS, SHORT, LONG], ids=["numbers", "jan-des", "januari-desember"])
def test_single_row_header_with_months_in_the_same_row(labels):
    assert records(read(two_row_header=False, month_labels=labels)) == expected_records()


def test_header_labels_with_case_punctuation_and_alternatives():
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["No.", "Komponen", "Indikator:", "Langkah Aksi / Kegiatan", "BUKTI FISIK/OUTPUT", *SHORT,
               "Penanggung Jawab (PIC)"])
    ws.append(["I", "Area Satu"])
    ws.append(["1", "Komponen", "Indikator", "Langkah", "Bukti", "✓", *[None] * 11, "Tim A"])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_plan(buffer.getvalue())
    assert records(plan) == [{"id": "I-1-1", "area": "I", "area_name": "Area Satu", "no": "1", "komponen_pos": 1,
                              "komponen": "Komponen", "indikator": "Indikator", "langkah_aksi": "Langkah",
                              "bukti_fisik": "Bukti", "penanggung_jawab": "Tim A", "months": (1,)}]


def test_months_in_any_column_order_of_the_header():
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["NO", "KOMPONEN", "INDIKATOR", "LANGKAH AKSI", "PENANGGUNG JAWAB", "BUKTI FISIK", *SHORT])
    ws.append(["I", "Area Satu"])
    ws.append(["1", "Komponen", "Indikator", "Langkah", "Tim A", "Bukti", None, "✓"])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_plan(buffer.getvalue())
    assert plan.loc[0, "months"] == (2,)
    assert plan.loc[0, "bukti_fisik"] == "Bukti"
    assert plan.loc[0, "penanggung_jawab"] == "Tim A"


@pytest.mark.parametrize("continuation", ["blank", "merge"])
def test_blank_and_merged_continuation_cells_are_filled_down(continuation):
    assert records(read(continuation=continuation)) == expected_records()


def test_merged_workbook_really_has_vertical_merges():
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(continuation="merge")))
    merged = {str(r) for r in book.active.merged_cells.ranges}
    assert {"A8:A9", "B8:B9", "R8:R10", "B13:B15", "C14:C15", "R12:R13", "R14:R15"} <= merged


def test_merged_mark_spreads_over_the_months_it_covers():
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, ITEMS[:1], mark=None)
    ws.cell(rows["I-1-1"], 8, "✓")
    ws.merge_cells(start_row=rows["I-1-1"], start_column=8, end_row=rows["I-1-1"], end_column=10)
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_plan(buffer.getvalue()).loc[0, "months"] == (3, 4, 5)


def test_header_repeated_at_page_breaks_is_skipped():
    plan = read(continuation="blank", repeat_header_before=("I-1-2", "II-2-3"))
    assert records(plan) == expected_records()


def test_column_numbering_row_under_the_header_is_skipped():
    assert records(read(numbering_row=True)) == expected_records()
    assert records(read(numbering_row=True, two_row_header=False, month_labels=SHORT)) == expected_records()


@pytest.mark.parametrize("area_style", ["two_cells", "one_cell", "one_cell_merged"])
def test_area_header_rows(area_style):
    plan = read(area_style=area_style, continuation="merge")
    assert records(plan) == expected_records()
    assert dict(zip(plan["area"], plan["area_name"])) == {"I": "Manajemen Perubahan", "II": "Penataan Tata Laksana"}


def test_area_header_with_dot_and_shaded_row():
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, area_style="one_cell")
    area_row = rows["I-1-1"] - 1
    assert ws.cell(area_row, 1).value == "I Manajemen Perubahan"
    ws.cell(area_row, 1, "I. Manajemen Perubahan")
    for c in range(1, 19):
        ws.cell(area_row, c).fill = ZEBRA
    ws.cell(area_row, 4).fill = PatternFill()
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_plan(buffer.getvalue())
    assert records(plan) == expected_records()


@pytest.mark.parametrize("mark", ["✓", "✔", "√", "v", "V", "x", "X", "1", 1, 1.0, "TRUE", "true", True, " ✓ "],
                         ids=lambda m: f"{type(m).__name__}:{m!r}")
def test_every_accepted_mark(mark):
    assert records(read(mark=mark)) == expected_records()


@pytest.mark.parametrize("empty", ["-", "0", 0, False, "FALSE", " "], ids=repr)
def test_empty_marks_are_not_planned(empty):
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, ITEMS[:1])
    for c in range(7, 18):
        ws.cell(rows["I-1-1"], c, empty)
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_plan(buffer.getvalue()).loc[0, "months"] == (1,)


@pytest.mark.parametrize("fill", [GANTT, PatternFill("solid", fgColor=Color(theme=4, tint=0.3999)),
                                  PatternFill("solid", fgColor=Color(indexed=13)),
                                  PatternFill("darkGrid", fgColor="FF000000"),
                                  GradientFill(stop=("FF4472C4", "FF9DC3E6"))],
                         ids=["rgb", "theme", "indexed", "pattern", "gradient"])
def test_gantt_months_marked_only_by_shading(fill):
    assert records(read(mark=None, shade=fill)) == expected_records()


def test_gantt_bar_as_one_merged_shaded_cell():
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, ITEMS[:1], mark=None)
    ws.cell(rows["I-1-1"], 9).fill = GANTT
    ws.merge_cells(start_row=rows["I-1-1"], start_column=9, end_row=rows["I-1-1"], end_column=12)
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_plan(buffer.getvalue()).loc[0, "months"] == (4, 5, 6, 7)


def test_gantt_on_zebra_striped_rows_counts_only_the_bar():
    plan = read(mark=None, shade=GANTT, zebra=True)
    assert records(plan) == expected_records()


def test_zebra_striped_rows_with_marks_do_not_plan_every_month():
    book = openpyxl.Workbook()
    ws = book.active
    write_plan(ws, zebra=True)
    striped = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 7).fill.fgColor.rgb == "FFF2F2F2"]
    assert striped
    buffer = io.BytesIO()
    book.save(buffer)
    assert records(read_plan(buffer.getvalue())) == expected_records()


def test_white_fill_is_not_shading():
    assert records(read(shade=None, mark=None, zebra=False))[0]["months"] == ()
    white = PatternFill("solid", fgColor="FFFFFFFF")
    assert records(read(mark="✓", shade=white)) == expected_records()
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, ITEMS[:1], mark=None)
    for c in range(6, 18):
        ws.cell(rows["I-1-1"], c).fill = white
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_plan(buffer.getvalue()).loc[0, "months"] == ()


def test_ids_derived_from_structure_not_from_the_printed_no():
    plan = read()
    assert plan["id"].tolist() == ["I-1-1", "I-1-2", "I-2-1", "II-1-1", "II-2-1", "II-2-2", "II-2-3"]
    area_two = plan[plan["area"] == "II"]
    assert set(area_two["no"]) == {"1"}
    assert area_two["komponen_pos"].tolist() == [1, 2, 2, 2]


def test_derived_ids_stay_when_a_row_is_appended_to_another_komponen():
    before = read(continuation="merge")
    added = Item("I", "Manajemen Perubahan", "1", 1, "Tim Kerja", "SK tim kerja ditetapkan",
                 "Sosialisasi tim kerja", "Foto sosialisasi", (3,), AGEN, 3)
    items = ITEMS[:2] + [added] + ITEMS[2:]
    after = read(items=items, continuation="merge")
    ids_before = dict(zip(before["langkah_aksi"], before["id"]))
    ids_after = dict(zip(after["langkah_aksi"], after["id"]))
    assert ids_after.pop("Sosialisasi tim kerja") == "I-1-3"
    assert ids_after == ids_before


def test_id_column_is_used_when_present():
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, id_column=True)
    ws.cell(rows["II-2-3"], 19, "II-2-9")
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_plan(buffer.getvalue())
    assert plan["id"].tolist()[-1] == "II-2-9"
    assert plan["id"].tolist()[:-1] == [i.id for i in ITEMS[:-1]]


def test_mark_printed_past_december_counts_as_december_and_pj_shifted_right():
    """The PDF-to-text layout of the source: a 13th ✓ under PENANGGUNG JAWAB, the name one cell further."""
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, ITEMS[3:6], continuation="blank")
    ws.cell(rows["II-2-1"], 18, "✓")
    ws.cell(rows["II-2-1"], 19, TATA)
    ws.cell(rows["II-2-2"], 18, "✓")
    ws.cell(rows["II-2-2"], 19, TIK)
    for m in range(4, 7):
        ws.cell(rows["II-2-2"], 5 + m).value = None
    for m in range(1, 4):
        ws.cell(rows["II-2-2"], 5 + m, "✓")
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_plan(buffer.getvalue()).set_index("id")
    assert plan.loc["II-2-1", "months"] == ALL
    assert plan.loc["II-2-1", "penanggung_jawab"] == TATA
    assert plan.loc["II-2-2", "months"] == (1, 2, 3, 12)
    assert plan.loc["II-2-2", "penanggung_jawab"] == TIK


def test_mark_in_pj_column_continues_the_team_above():
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, ITEMS[:2], continuation="blank")
    ws.cell(rows["I-1-2"], 18, "✓")
    ws.cell(rows["I-1-2"], 17).value = None
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_plan(buffer.getvalue()).set_index("id")
    assert plan.loc["I-1-2", "months"] == (6, 12)
    assert plan.loc["I-1-2", "penanggung_jawab"] == AGEN


def test_italic_runs_in_a_cell_read_as_plain_text():
    book = openpyxl.Workbook()
    ws = book.active
    rows = write_plan(ws, ITEMS[:1])
    ws.cell(rows["I-1-1"], 3, CellRichText("Pimpinan sebagai ", TextBlock(InlineFont(i=True), "role model"),
                                           " pembangunan ZI"))
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_plan(buffer.getvalue()).loc[0, "indikator"] == "Pimpinan sebagai role model pembangunan ZI"


def test_wrong_dimension_in_sheet_xml_still_reads_every_row():
    """Some exporters write <dimension ref="A1"/>; read-only readers must not trust it."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert count == 1
            target.writestr(member, data)
    assert records(read_plan(out.getvalue())) == expected_records()


def test_namespace_prefixed_sheet_xml_as_written_by_the_openxml_sdk():
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(mark=None, shade=GANTT, continuation="merge")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<(/?)([A-Za-z])", rb"<\1x:\2", data).replace(b"xmlns=", b"xmlns:x=")
                assert b"<x:c " in data and b"<x:mergeCell " in data
            target.writestr(member, data)
    assert records(read_plan(out.getvalue())) == expected_records()


def test_plan_on_a_later_sheet_after_an_instructions_sheet():
    book = openpyxl.Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Isi tabel pada lembar berikutnya."])
    write_plan(book.create_sheet("Renaksi 2025"))
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_plan(buffer.getvalue())
    assert records(plan) == expected_records()
    assert plan.attrs["sheet"] == "Renaksi 2025"


def test_blank_rows_and_signature_block_below_the_table_are_ignored():
    book = openpyxl.Workbook()
    ws = book.active
    write_plan(ws)
    last = ws.max_row
    ws.cell(last + 3, 14, "Ditetapkan di Kuala Kapuas")
    ws.cell(last + 4, 14, "pada tanggal 17 November 2025")
    ws.cell(last + 6, 14, "KETUA KOMISI PEMILIHAN UMUM")
    ws.cell(last + 8, 14, "Ttd")
    ws.cell(last + 10, 14, "CHARLES BRONSON")
    ws.cell(last + 12, 1, "Keterangan: ✓ = bulan pelaksanaan")
    buffer = io.BytesIO()
    book.save(buffer)
    assert records(read_plan(buffer.getvalue())) == expected_records()


@pytest.mark.parametrize("line, office, year", [
    ("DI LINGKUNGAN KOMISI PEMILIHAN UMUM KABUPATEN KAPUAS TAHUN 2025", "KPU Kabupaten Kapuas", 2025),
    ("DI LINGKUNGAN KPU PROVINSI KALIMANTAN TENGAH TAHUN 2024", "KPU Provinsi Kalimantan Tengah", 2024),
    ("PADA BADAN PUSAT STATISTIK KOTA PALANGKA RAYA TAHUN 2026", "Badan Pusat Statistik Kota Palangka Raya", 2026),
])
def test_office_and_year_from_title_rows_when_there_is_no_info_sheet(line, office, year):
    plan = read(title=[*TITLE[:2], line])
    assert plan.attrs["office"] == office
    assert plan.attrs["year"] == year
    assert plan.attrs["info"] == {}


def test_no_title_rows_gives_empty_office():
    plan = read(title=[])
    assert records(plan) == expected_records()
    assert plan.attrs["office"] == ""
    assert plan.attrs["year"] is None


def test_info_sheet_wins_over_title_rows():
    book = openpyxl.Workbook()
    write_plan(book.active)
    info = book.create_sheet("Info")
    info.append(["Instansi", "KPU Kota Palangka Raya"])
    info.append(["Tahun", "Tahun 2026"])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = read_plan(buffer.getvalue())
    assert plan.attrs["office"] == "KPU Kota Palangka Raya"
    assert plan.attrs["year"] == 2026


def test_source_can_be_path_bytes_or_file_object(tmp_path):
    data = workbook_bytes()
    path = tmp_path / "renaksi.xlsx"
    path.write_bytes(data)
    from_path = read_plan(path)
    from_str = read_plan(str(path))
    from_file = read_plan(io.BytesIO(data))
    assert records(from_path) == records(from_str) == records(from_file) == expected_records()
    assert from_path.attrs["file"] == "renaksi.xlsx"


# LibreOffice ----------------------------------------------------------------------------------------------

LIBREOFFICE_VARIANTS = {
    "merged_marks": dict(continuation="merge", area_style="one_cell_merged"),
    "gantt": dict(mark=None, shade=GANTT, zebra=True, continuation="blank"),
    "bool_marks": dict(mark=True, month_labels=SHORT, two_row_header=False, ket_column=True),
}


@pytest.fixture(scope="module")
def libreoffice_saved(soffice, tmp_path_factory):
    source_dir = tmp_path_factory.mktemp("openpyxl")
    out_dir = tmp_path_factory.mktemp("libreoffice")
    profile = tmp_path_factory.mktemp("lo-profile")
    files = []
    for name, options in LIBREOFFICE_VARIANTS.items():
        path = source_dir / f"{name}.xlsx"
        path.write_bytes(workbook_bytes(**options))
        files.append(str(path))
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out_dir), *files], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return {name: out_dir / f"{name}.xlsx" for name in LIBREOFFICE_VARIANTS}


@pytest.mark.parametrize("name", list(LIBREOFFICE_VARIANTS))
def test_workbook_saved_by_libreoffice(libreoffice_saved, name):
    path = libreoffice_saved[name]
    with zipfile.ZipFile(path) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    plan = read_plan(path)
    assert records(plan) == expected_records()
    assert plan.attrs["office"] == "KPU Kabupaten Kapuas"
