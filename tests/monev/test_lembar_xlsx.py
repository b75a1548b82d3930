"""The lembar monev workbook: the meeting and the office in its header, the same rates as `status --json`, the
follow-ups decided, the signature block, and hostile text written as text."""

import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from helpers import run_cli
from zi_data.monev import monev
from zi_data.plan import status
from zi_data.store.accounts import User
from zi_data.base.cell_safety import typed_text
from zi_data.base.clock import local_date
from zi_data.monev.lembar_xlsx import lembar_xlsx_bytes

ADMIN = User("admin.zi", "admin", "", "6203")
HOSTILE = {  # where: text a spreadsheet would run as a formula, or that looks like an escape
    "chair": '=HYPERLINK("http://contoh.invalid","klik")',
    "participants": "@Peserta Satu\n-Peserta Dua\n+Peserta Tiga",
    "notes": "+SUM(A1:A9) _x0041_",
    "action": "=1+1 tindak lanjut",
    "catatan": "-2+3 kendala",
}
TEAM = "Tim Agen Perubahan"
TABLE_SHEETS = ["Per Area", "Per Tim", "Per Komponen", "Kurva S", "Terlambat", "Tindak Lanjut"]


@pytest.fixture
def meeting_report(store):
    entries = pd.DataFrame([("I-1-1", 1, "Selesai", "SK Tim", ""), ("I-2-1", 1, "Selesai", "", HOSTILE["catatan"]),
                            ("II-2-1", 3, "Selesai", "presensi.pdf", "")],
                           columns=["item_id", "month", "status", "bukti_dukung", "catatan"]).assign(reported_by="uji")
    with store.transaction() as conn:
        store.append_entries(conn, entries, None)
    meeting_id = monev.record_meeting(store, held_on=date(2025, 7, 3), kind="semester", chair=HOSTILE["chair"],
                                      participants=HOSTILE["participants"], participant_count=None, as_of_month=6,
                                      notes=HOSTILE["notes"], by="admin.zi")
    first = monev.add_follow_up(store, action=HOSTILE["action"], team=TEAM, due_on=date(2025, 7, 31),
                                item_id="I-3-1", by="admin.zi", meeting_id=meeting_id)
    closed = monev.add_follow_up(store, action="Unggah daftar hadir", team="Tim Pengawasan",
                                 due_on=date(2025, 7, 10), item_id="", by="admin.zi", meeting_id=meeting_id)
    monev.close_follow_up(store, closed, "Sudah diunggah.", ADMIN)
    monev.add_follow_up(store, action="Di luar rapat", team=TEAM, due_on=date(2025, 8, 1), item_id="", by="admin.zi")
    report = monev.report_data(store, meeting_id=meeting_id, today=date(2025, 8, 5))
    return store, report, first


def workbook_of(report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(lembar_xlsx_bytes(report)))


def read_by_calamine(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def rows_of(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def facts(sheet) -> dict:
    return {row[0]: row[1] for row in rows_of(sheet) if row[0] is not None}


def test_the_summary_names_the_office_the_meeting_the_as_of_month_and_the_rule(meeting_report):
    _store, report, _first = meeting_report
    book = workbook_of(report)
    assert book.sheetnames == ["Ringkasan", *TABLE_SHEETS]
    summary = book["Ringkasan"]
    assert summary["A1"].value == "KOMISI PEMILIHAN UMUM KABUPATEN KAPUAS"  # the letterhead
    assert summary["A3"].value == "LEMBAR MONITORING DAN EVALUASI PEMBANGUNAN ZONA INTEGRITAS"
    found = facts(summary)
    assert found["Kantor"] == "Komisi Pemilihan Umum Kabupaten Kapuas" and found["Tahun rencana aksi"] == 2025
    assert found["Tanggal rapat"] == "3 Juli 2025" and found["Jenis rapat"] == "Monev semester"
    assert found["Bulan acuan"] == "Juni 2025 (posisi per 30 Juni 2025)"
    assert found["Aturan hitung"] == "Selesai dengan bukti dukung"
    assert found["Jumlah peserta"] == 3 and found["Tindak lanjut"] == 2
    assert found["Tindak lanjut terbuka"] == 2  # on the meeting's day; one was closed later
    read_back = {row[0]: row[1] for row in read_by_calamine(lembar_xlsx_bytes(report))["Ringkasan"]}
    assert {typed_text(read_back[label]) for label in ("Pimpinan rapat", "Peserta", "Catatan rapat")} == {
        HOSTILE["chair"], HOSTILE["participants"], HOSTILE["notes"]}


def test_a_report_without_a_meeting_says_so_and_lists_the_open_follow_ups(meeting_report):
    store, _report, _first = meeting_report
    book = workbook_of(monev.report_data(store, as_of_month=6, today=date(2025, 8, 5)))
    found = facts(book["Ringkasan"])
    assert found["Rapat"] == "Tanpa rapat tercatat (posisi terkini)" and "Tanggal rapat" not in found
    actions = [typed_text(row[1]) for row in rows_of(book["Tindak Lanjut"])[1:]]
    assert actions == [HOSTILE["action"], "Di luar rapat"]  # open ones, by due date


def test_the_rates_equal_status_json_for_the_same_month(meeting_report):
    store, report, _first = meeting_report
    printed = json.loads(run_cli("status", "--json", "--as-of", "2025-06", data_dir=store.data_dir,
                                 check_returncode=0).stdout)
    book = workbook_of(report)
    for sheet, part, first_count in (("Per Area", "by_area", 2), ("Per Tim", "by_team", 1)):
        rows = rows_of(book[sheet])[1:]
        expected = [*printed[part].items(), (status.OVERALL_GROUP, printed["overall"])]
        assert [row[0] for row in rows] == [group for group, _shape in expected]
        assert [list(row[first_count:]) for row in rows] == [_rate_cells(shape) for _group, shape in expected]
        assert all(book[sheet].cell(2, first_count + offset).number_format == "0.0%" for offset in (3, 6))
    assert rows_of(book["Per Area"])[1][1] == report["snapshot"]["area_names"]["I"]
    metrics = {row[0]: row[1:4] for row in rows_of(book["Ringkasan"]) if str(row[0]).startswith("Capaian ")}
    assert metrics == {"Capaian s.d. Juni": _metric(printed["overall"]["as_of"]),
                       "Capaian tahunan": _metric(printed["overall"]["annual"])}


def test_komponen_rates_and_the_kurva_s_are_the_snapshot_s(meeting_report):
    _store, report, _first = meeting_report
    book = workbook_of(report)
    snapshot = report["snapshot"]
    komponen = rows_of(book["Per Komponen"])[1:-1]
    assert [row[0] for row in komponen] == list(snapshot["by_komponen"])
    assert [list(row[1:]) for row in komponen] == [_rate_cells(shape) for shape in snapshot["by_komponen"].values()]
    kurva = rows_of(book["Kurva S"])[1:]
    assert [row[0] for row in kurva] == [point["month_name"] for point in snapshot["kurva_s"]]
    assert kurva[5][1:3] == (snapshot["kurva_s"][5]["planned"], snapshot["kurva_s"][5]["realised"])
    assert kurva[5][3] == pytest.approx(snapshot["kurva_s"][5]["planned_pct"] / 100)
    assert kurva[6][2] is None and kurva[6][4] is None  # nothing realised after the as-of month


def test_overdue_evidence_is_grouped_by_team_and_follow_ups_are_the_meeting_s(meeting_report):
    _store, report, first = meeting_report
    book = workbook_of(report)
    overdue = rows_of(book["Terlambat"])
    assert overdue[0][:2] == ("Penanggung Jawab", "ID") and len(overdue) - 1 == len(report["snapshot"]["overdue"])
    teams = [row[0] for row in overdue[1:]]
    assert teams == sorted(teams)
    assert any(row[1] == "I-2-1" and typed_text(row[-1]) == HOSTILE["catatan"] for row in overdue[1:])
    follow_ups = rows_of(book["Tindak Lanjut"])
    assert follow_ups[0][:4] == ("No.", "Tindak Lanjut", "Penanggung Jawab", "Tenggat")
    # as they stood on the meeting's day (3 July 2025): the closure came later, nothing was past due yet
    assert [(row[0], typed_text(row[1]), row[2], row[3].date(), row[4], row[6]) for row in follow_ups[1:]] == [
        (first + 1, "Unggah daftar hadir", "Tim Pengawasan", date(2025, 7, 10), None, "Terbuka"),
        (first, HOSTILE["action"], TEAM, date(2025, 7, 31), "I-3-1", "Terbuka")]
    assert follow_ups[1][7] is None and follow_ups[1][9] is None


def test_the_summary_ends_with_the_place_date_and_both_signatures(meeting_report):
    store, report, _first = meeting_report
    rows = rows_of(workbook_of(report)["Ringkasan"])
    column_a, column_c = [row[0] for row in rows], [row[2] for row in rows]
    signer = column_c.index("Ketua Tim Kerja Zona Integritas,")
    assert column_c[signer - 1] == "Kuala Kapuas, 3 Juli 2025"  # where the plan was signed, the meeting's date
    assert column_a[signer:signer + 2] == ["Mengetahui,", "Ketua KPU Kabupaten Kapuas"]
    assert [text.split(".")[0] for text in column_a[signer + 2:] if text] == ["", "NIP"]  # dots: no name set
    assert [text.split(".")[0] for text in column_c[signer + 1:] if text] == ["", "NIP"]
    without_meeting = workbook_of(monev.report_data(store, as_of_month=6) | {"place": ""})
    column_c = [row[2] for row in rows_of(without_meeting["Ringkasan"])]
    assert column_c[column_c.index("Ketua Tim Kerja Zona Integritas,") - 1] == f"{'.' * 24}, {'.' * 24} 2025"


def test_every_text_cell_is_text_and_typed_text_comes_back_as_typed(meeting_report):
    _store, report, _first = meeting_report
    book = workbook_of(report)
    texts = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in texts)
    assert not [cell.value for cell in texts if cell.value.startswith(("=", "+", "-", "@"))]
    values = {typed_text(value) for rows in read_by_calamine(lembar_xlsx_bytes(report)).values() for row in rows
              for value in row if isinstance(value, str)}
    assert set(HOSTILE.values()) <= values  # as a spreadsheet reads them (calamine decodes _xHHHH_ as Excel does)


def test_each_table_has_a_bold_frozen_header_and_sensible_widths(meeting_report):
    _store, report, _first = meeting_report
    book = workbook_of(report)
    assert book["Ringkasan"]["A1"].font.bold
    for name in TABLE_SHEETS:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(6 <= width <= 60 for width in widths), (name, widths)


def _rate_cells(shape: dict) -> list:
    return [shape[part][key] for part in ("as_of", "annual") for key in ("planned", "done", "rate")]


def _metric(shape: dict) -> tuple:
    return shape["rate"], shape["done"], shape["planned"]
