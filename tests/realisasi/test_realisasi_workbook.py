"""The Realisasi workbook: export layout, validation of uploads, preview categories, apply and undo."""

import hashlib
import io
import json
import pickle
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import date, datetime
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest

from helpers import new_store, run_cli
from realisasi_helpers import ROOT, fill, needs_soffice, rows_by_key, snapshot, through_libreoffice
from zi_data.plan import plan
from zi_data.files import uploaded_file
from zi_data.base.months import MONTHS
from zi_data.plan.plan import read_plan
from zi_data.plan.plan_queries import plan_fingerprint, team_plan
from zi_data.plan.plan_workbook import PLAN_SHEET, add_plan_sheet
from zi_data.base.problems import InputError
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_file_name, export_workbook, resolve_month
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.realisasi_layout import (COLUMN_INDEX, COLUMNS, DATE_FORMAT, EXAMPLE_MARK, FORMAT, GUIDE_SHEET,
                                                META_SHEET, REALISASI_SHEET)
from zi_data.realisasi.realisasi_preview import PreviewOutdated
from zi_data.realisasi.realisasi_upload import read_upload
from zi_data.realisasi.undo_rules import undo_upload

TEAM = "Tim Pengawasan"
OTHER_TEAM = "Tim Agen Perubahan"


def record(store, rows, by="Budi") -> int:
    """Write reports straight into the store (another upload), returning the upload id."""
    frame = pd.DataFrame([{"item_id": i, "month": m, "status": s, "bukti_dukung": b, "tanggal": t, "catatan": c,
                           "reported_by": by} for i, m, s, b, t, c in rows])
    with store.transaction() as conn:
        upload_id = store.record_upload(conn, "lain.xlsx", "0" * 64, "", by, "realisasi", {}, store.revision())
        store.append_entries(conn, frame, upload_id)
    return upload_id


def planned(plan, team=None, through=12) -> list[tuple[str, int]]:
    subset = plan if team is None else plan[plan["penanggung_jawab"] == team]
    return [(i, m) for i, months in zip(subset["id"], subset["months"]) for m in months if m <= through]


def current(store) -> dict:
    return {(r.item_id, r.month): (r.status, r.bukti_dukung, r.tanggal, r.catatan, r.reported_by)
            for r in store.latest().itertuples()}


def load(data: bytes, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(data), **kwargs)


def preview_of(store, data, **kwargs):
    return preview_upload(store, data, "unggahan.xlsx", **kwargs)


def exported_sheet(store):
    """The workbook exported for OTHER_TEAM, its Realisasi sheet, and the sheet's rows by (ID, month name)."""
    data = export_workbook(store, team=OTHER_TEAM)
    ws = load(data)[REALISASI_SHEET]
    return data, ws, rows_by_key(ws)


# --- export -----------------------------------------------------------------------------------------

def test_export_has_one_row_per_planned_item_month_up_to_the_month(store):
    data = export_workbook(store, through_month=10, created_at="2025-11-01T00:00:00Z")
    book = load(data)
    assert book.sheetnames == [GUIDE_SHEET, REALISASI_SHEET, PLAN_SHEET, META_SHEET]
    assert book.active.title == REALISASI_SHEET
    assert [ws.sheet_state for ws in book.worksheets] == ["visible", "visible", "visible", "hidden"]
    assert [ws.sheet_view.tabSelected for ws in book.worksheets] == [False, True, False, False]
    ws = book[REALISASI_SHEET]
    assert [c.value for c in ws[1]] == [header for _k, header, _w, _p in COLUMNS]
    expected = planned(store.plan(), through=10)
    assert len(expected) == 555
    rows = [(r[0], MONTHS.index(r[5]) + 1) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert rows == expected
    assert all(not any(r[7:]) for r in ws.iter_rows(min_row=2, values_only=True))  # nothing recorded yet
    first = [c.value for c in ws[2]]
    item = store.plan().iloc[0]
    assert first[:7] == [item.id, f"{item.area}. {item.area_name}", item.komponen, item.langkah_aksi,
                         item.bukti_fisik, "Januari", item.penanggung_jawab]
    assert ws.freeze_panes == "B2"
    assert ws["A2"].fill.fgColor.rgb.endswith("F2F2F2") and ws["H2"].fill.fill_type is None
    assert ws["J2"].number_format == DATE_FORMAT
    meta = {r[0]: r[1] for r in book[META_SHEET].iter_rows(min_row=2, values_only=True) if r[0]}
    assert meta["format"] == FORMAT and meta["revisi_data"] == "0" and meta["versi_rencana"] == "1"
    assert not meta["tim"] and meta["sampai_bulan"] == "10"
    assert meta["dibuat_pada"] == "2025-11-01T00:00:00Z"
    assert meta["sidik_rencana"] == plan_fingerprint(store.plan())
    guide = " ".join(str(c.value) for row in book[GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "Selesai, Sebagian atau Belum" in guide and EXAMPLE_MARK not in guide


def test_export_is_deterministic_for_the_same_state(store):
    first = export_workbook(store, created_at="2025-11-01T00:00:00Z")
    assert export_workbook(store, created_at="2025-11-01T00:00:00Z") == first


def test_status_is_a_dropdown_and_dates_are_validated(store):
    ws = load(export_workbook(store, team=TEAM, through_month=3))[REALISASI_SHEET]
    last = ws.max_row
    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    status = validations[f"H2:H{last}"]
    assert status.type == "list" and status.formula1 == '"Selesai,Sebagian,Belum"'
    assert status.showErrorMessage and not status.showDropDown  # showDropDown=True would hide the arrow
    assert validations[f"J2:J{last}"].type == "date"


def test_export_for_one_team_through_a_month(store):
    data = export_workbook(store, team="tim  PENGAWASAN", through_month=resolve_month("Maret"))
    book = load(data)
    rows = [(r[0], MONTHS.index(r[5]) + 1, r[6]) for r in book[REALISASI_SHEET].iter_rows(min_row=2, values_only=True)]
    assert [(i, m) for i, m, _ in rows] == planned(store.plan(), TEAM, 3)
    assert {team for *_x, team in rows} == {TEAM}
    plan_sheet = read_plan(data)
    assert plan_sheet.attrs["sheet"] == PLAN_SHEET
    assert list(plan_sheet["id"]) == list(store.plan().query("penanggung_jawab == @TEAM")["id"])
    meta = {r[0]: r[1] for r in book[META_SHEET].iter_rows(min_row=2, values_only=True) if r[0]}
    assert meta["tim"] == TEAM and meta["sampai_bulan"] == "3"
    assert export_file_name(store.plan(), TEAM, 3) == "realisasi_2025_tim-pengawasan_sd-maret.xlsx"


@pytest.mark.parametrize("team", [
    "Tim Agen Perubahan", "Tim Penguatan Tata Laksana", "Tim Manajemen Perubahan", "Tim Pelayanan Publik",
    "Tim Sistem Manajemen Sumber Daya Manusia", "Tim Penguatan Akuntabilitas", "Tim Pengawasan"])
def test_the_plan_sheet_of_every_team_reads_back_unchanged(store, team):
    data = export_workbook(store, team=team)
    assert plan_fingerprint(read_plan(data)) == plan_fingerprint(team_plan(store.plan(), team))
    preview = preview_of(store, data)
    assert preview.ok and preview.plan_changes.empty and preview.counts()["new"] == 0


def test_export_refuses_an_unknown_team_or_month(store):
    with pytest.raises(InputError, match="Tim 'Tim Hantu' tidak ada"):
        export_workbook(store, team="Tim Hantu")
    with pytest.raises(InputError, match="di luar 1–12"):
        export_workbook(store, through_month=13)
    with pytest.raises(InputError, match="Bulan 'Maretan' tidak dikenal"):
        resolve_month("Maretan")


def test_export_carries_what_is_recorded_and_the_revision(store):
    record(store, [("I-1-1", 1, "Selesai", "https://drive/sk-tim.pdf", "2025-01-20", "SK terbit"),
                   ("I-1-1", 12, "Belum", "", "", "menunggu rapat")])
    data, ws, where = exported_sheet(store)
    done = [c.value for c in ws[where[("I-1-1", "Januari")]]]
    assert done[7:10] == ["Selesai", "https://drive/sk-tim.pdf", datetime(2025, 1, 20)]
    assert done[10:] == ["SK terbit", "Budi"]
    assert [c.value for c in ws[where[("I-1-1", "Desember")]]][7:] == ["Belum", None, None, "menunggu rapat", "Budi"]
    meta = {r[0]: r[1] for r in load(data)[META_SHEET].iter_rows(min_row=2, values_only=True) if r[0]}
    assert meta["revisi_data"] == str(store.revision()) == "2"
    preview = preview_of(store, data)  # downloaded and uploaded untouched: nothing to do
    assert preview.ok and preview.counts() == {"new": 0, "changed": 0, "unchanged": 2, "conflicts": 0,
                                               "plan_changes": 0, "rejected": 0}


def test_user_text_is_written_inert_and_reads_back_the_same(store):
    record(store, [("I-1-1", 1, "Selesai", "=HYPERLINK(\"http://evil\")", "", "+62 811 kendala"),
                   ("I-2-1", 1, "Sebagian", "@SUM(A1)", "", "- belum ada anggaran\n- menunggu SK")])
    data, ws, where = exported_sheet(store)
    first, second = ws[where[("I-1-1", "Januari")]], ws[where[("I-2-1", "Januari")]]
    assert first[8].value == "'=HYPERLINK(\"http://evil\")" and first[8].data_type == "s"
    assert first[10].value == "'+62 811 kendala" and second[8].value == "'@SUM(A1)"
    assert second[10].value.startswith("'- belum")
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    preview = preview_of(store, data)
    assert preview.ok and preview.counts()["unchanged"] == 2 and preview.counts()["changed"] == 0


def test_workbook_parts_are_well_formed_and_within_excel_limits(store):
    record(store, [("I-1-1", 1, "Selesai", "bukti", "2025-01-20", "catatan\x07 dengan karakter kontrol")])
    data = export_workbook(store)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))  # raises on malformed XML
        workbook_xml = archive.read("xl/workbook.xml").decode()
    assert 'activeTab="1"' in workbook_xml
    ws = load(data)[REALISASI_SHEET]
    for validation in ws.data_validations.dataValidation:
        assert len(validation.formula1 or "") <= 255 and len(validation.error or "") <= 225
        assert len(validation.errorTitle or "") <= 32 and len(validation.prompt or "") <= 255


@needs_soffice
def test_opens_in_libreoffice_and_reads_back_unchanged(store, tmp_path):
    record(store, [("V-1-1", 1, "Selesai", "https://drive/laporan.pdf", "2025-01-31", "=catatan"),
                   ("V-1-1", 2, "Sebagian", "Notulen rapat", "", "baris satu\nbaris dua")])
    data = export_workbook(store, team=TEAM, through_month=6)
    converted = through_libreoffice(data, tmp_path)
    assert converted != data
    book = load(converted)
    assert book.sheetnames == [GUIDE_SHEET, REALISASI_SHEET, PLAN_SHEET, META_SHEET]
    assert book[META_SHEET].sheet_state == "hidden"
    ws = book[REALISASI_SHEET]
    assert any(v.type == "list" and v.formula1 == '"Selesai,Sebagian,Belum"' for v in ws.data_validations.dataValidation)
    assert ws.max_row - 1 == len(planned(store.plan(), TEAM, 6))
    preview = preview_of(store, converted)
    assert preview.ok, preview.errors
    assert preview.counts() == {"new": 0, "changed": 0, "unchanged": 2, "conflicts": 0, "plan_changes": 0, "rejected": 0}
    assert preview.warnings == []


# --- preview categories, apply, undo -----------------------------------------------------------------

def test_new_changed_unchanged_and_conflicts(store):
    record(store, [("I-1-1", 1, "Sebagian", "draf SK", "", ""),       # will conflict
                   ("I-1-1", 12, "Belum", "", "", "menunggu"),         # will be changed by the upload
                   ("I-2-1", 1, "Selesai", "berita acara", "", ""),    # left untouched; store changes later
                   ("I-3-1", 1, "Sebagian", "undangan", "", "")])      # upload and store agree later
    data = export_workbook(store, team=OTHER_TEAM)
    base = store.revision()
    record(store, [("I-1-1", 1, "Selesai", "SK final", "", ""), ("I-2-1", 1, "Selesai", "berita acara v2", "", ""),
                   ("I-3-1", 1, "Selesai", "notulen", "2025-01-30", "")], by="Sari")
    filled = fill(data, {
        ("I-1-1", 1): {"status": "Belum", "catatan": "SK belum ditandatangani"},
        ("I-1-1", 12): {"status": "Selesai", "bukti": "SK 2025", "tanggal": date(2025, 12, 5), "catatan": None},
        ("I-3-1", 1): {"status": "Selesai", "bukti": "notulen", "tanggal": "30/01/2025"},
        ("I-4-1", 3): {"status": "Selesai", "bukti": "daftar hadir", "by": "Rina"},
    })
    before = snapshot(store)
    preview = preview_of(store, filled)
    assert snapshot(store) == before
    assert preview.ok and preview.base_revision == base and preview.team == OTHER_TEAM
    assert preview.counts() == {"new": 1, "changed": 1, "unchanged": 2, "conflicts": 1, "plan_changes": 0, "rejected": 0}
    new = preview.new.iloc[0]
    assert (new.item_id, new.month, new.status, new.bukti_dukung, new.reported_by) == ("I-4-1", 3, "Selesai",
                                                                                        "daftar hadir", "Rina")
    changed = preview.changed.iloc[0]
    assert (changed.item_id, changed.month, changed.status, changed.tanggal, changed.previous_status) == (
        "I-1-1", 12, "Selesai", "2025-12-05", "Belum")
    conflict = preview.conflicts.iloc[0]
    assert (conflict.item_id, conflict.month, conflict.status, conflict.base_status, conflict.current_status,
            conflict.current_bukti_dukung, conflict.current_reported_by) == (
        "I-1-1", 1, "Belum", "Sebagian", "Selesai", "SK final", "Sari")

    applied = apply_preview(store, preview, by="Ani")
    state = current(store)
    assert state[("I-1-1", 1)][:2] == ("Selesai", "SK final")  # the conflict did not overwrite
    assert state[("I-2-1", 1)][1] == "berita acara v2"  # untouched row did not revert the newer value
    assert state[("I-1-1", 12)] == ("Selesai", "SK 2025", "2025-12-05", "", "Ani")
    assert state[("I-4-1", 3)] == ("Selesai", "daftar hadir", "", "", "Rina")
    upload = store.uploads().set_index("upload_id").loc[applied.upload_id]
    assert upload.kind == "realisasi" and upload.uploaded_by == "Ani" and upload.base_revision == base
    assert upload.counts == {"new": 1, "changed": 1, "unchanged": 2, "conflicts": 1, "plan_changes": 0, "rejected": 0}
    assert store.archive_path(upload.archive_name).read_bytes() == filled
    assert upload.sha256 == preview.sha256


def test_a_conflict_is_overwritten_only_when_asked(store):
    data = export_workbook(store, team=OTHER_TEAM)
    record(store, [("I-1-1", 1, "Sebagian", "draf", "", "")], by="Sari")
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK final"}})
    preview = preview_of(store, filled)
    assert preview.conflict_keys() == {("I-1-1", 1)}
    with pytest.raises(ValueError):
        apply_preview(store, preview, by="Ani", take_uploaded_for={("I-2-1", 1)})
    applied = apply_preview(store, preview, by="Ani", take_uploaded_for={("I-1-1", 1)})
    assert current(store)[("I-1-1", 1)][:2] == ("Selesai", "SK final")
    assert applied.counts["changed"] == 1 and applied.counts["conflicts"] == 0


def test_a_preview_made_stale_by_another_upload_is_refused(store):
    data = export_workbook(store, team=OTHER_TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"}, ("I-2-1", 1): {"status": "Belum"}})
    preview = preview_of(store, filled)
    assert preview.counts()["new"] == 2
    record(store, [("I-1-1", 1, "Sebagian", "draf", "", "")], by="Sari")
    before = snapshot(store)
    with pytest.raises(PreviewOutdated) as error:
        apply_preview(store, preview, by="Ani")
    assert "berubah sejak pratinjau" in str(error.value)
    assert snapshot(store) == before
    applied = apply_preview(store, preview, by="Ani", accept_changes=True)
    assert applied.counts == {"new": 1, "changed": 0, "unchanged": 0, "conflicts": 1, "plan_changes": 0, "rejected": 0}
    assert current(store)[("I-1-1", 1)][0] == "Sebagian"


def test_an_unrelated_upload_between_preview_and_confirmation_does_not_matter(store):
    data = export_workbook(store, team=OTHER_TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"}})
    preview = preview_of(store, filled)
    record(store, [("V-1-1", 1, "Selesai", "laporan", "", "")], by="Sari")
    applied = apply_preview(store, preview, by="Ani")
    assert applied.counts["new"] == 1 and current(store)[("I-1-1", 1)][0] == "Selesai"


def test_an_upload_is_unzipped_and_parsed_once_for_all_its_sheets(store, monkeypatch):
    filled = fill(export_workbook(store), {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"}})
    opened = Counter()
    zip_archive, calamine_workbook = zipfile.ZipFile, uploaded_file.CalamineWorkbook

    class CountedZip(zip_archive):
        def __init__(self, *args, **kwargs):
            opened["zip"] += 1
            super().__init__(*args, **kwargs)

    class CountedCalamine:
        @staticmethod
        def from_filelike(source):
            opened["calamine"] += 1
            return calamine_workbook.from_filelike(source)

    monkeypatch.setattr(zipfile, "ZipFile", CountedZip)
    for module in (uploaded_file, plan):
        monkeypatch.setattr(module, "CalamineWorkbook", CountedCalamine)
    upload = read_upload(uploaded_file.UploadedFile(filled, "isi.xlsx"))
    assert opened == {"zip": 1, "calamine": 1}
    assert upload.plan is not None and plan_fingerprint(upload.plan) == upload.meta["sidik_rencana"]
    assert [row["id"] for row in upload.rows if row["status"]] == ["I-1-1"]


def test_the_preview_carries_its_file_through_pickling_to_the_archive(store):
    data = export_workbook(store, team=OTHER_TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"}})
    preview = preview_of(store, filled)
    preview.file.package()  # opened, as in the parsing worker: never pickled
    kept = pickle.loads(pickle.dumps(preview))  # what st.cache_data keeps
    assert (kept.file.data, kept.file.name, kept.sha256) == (filled, "unggahan.xlsx", hashlib.sha256(filled).hexdigest())
    applied = apply_preview(store, kept, by="Ani")
    [upload] = store.uploads().itertuples()
    assert applied.upload_id == upload.upload_id and upload.file_name == "unggahan.xlsx"
    assert upload.sha256 == kept.sha256 and store.archive_path(upload.archive_name).read_bytes() == filled


def test_undo_appends_the_previous_state_and_keeps_history(store):
    record(store, [("I-1-1", 1, "Sebagian", "draf", "", "")], by="Sari")
    data = export_workbook(store, team=OTHER_TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK final"},
                         ("I-2-1", 1): {"status": "Selesai", "bukti": "notulen"}})
    applied = apply_preview(store, preview_of(store, filled), by="Ani")
    assert len(store.entries()) == 3
    undo_id = undo_upload(store, applied.upload_id, "Ani")
    assert current(store) == {("I-1-1", 1): ("Sebagian", "draf", "", "", "Sari")}
    history = store.entries()
    assert len(history) == 5 and set(history["upload_id"]) >= {applied.upload_id, undo_id}
    uploads = store.uploads().set_index("upload_id")
    assert uploads.loc[applied.upload_id, "undone_by"] == undo_id
    with pytest.raises(InputError, match="sudah dibatalkan"):
        undo_upload(store, applied.upload_id, "Ani")


def test_empty_or_missing_rows_never_delete(store):
    record(store, [("I-1-1", 1, "Selesai", "SK", "", ""), ("I-2-1", 1, "Belum", "", "", "menunggu")])
    data = export_workbook(store, team=OTHER_TEAM)

    def drop_rows(book):
        ws = book[REALISASI_SHEET]
        ws.delete_rows(rows_by_key(ws)[("I-2-1", "Januari")])

    filled = fill(data, {("I-1-1", 1): {"status": None, "bukti": None, "by": None},
                         ("I-3-1", 2): {"status": "Selesai", "bukti": "notulen"}}, edit=drop_rows)
    preview = preview_of(store, filled)
    assert preview.ok and preview.counts()["new"] == 1
    assert any("dikosongkan" in p.message and p.column.startswith("H") for p in preview.warnings)
    apply_preview(store, preview, by="Ani")
    state = current(store)
    assert state[("I-1-1", 1)][0] == "Selesai" and state[("I-2-1", 1)][0] == "Belum"


def test_selesai_without_bukti_dukung_is_a_warning_not_an_error(store):
    data = export_workbook(store, team=OTHER_TEAM)
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai"}})
    preview = preview_of(store, filled)
    assert preview.ok and preview.counts()["new"] == 1
    (warning,) = preview.warnings
    assert (warning.sheet, warning.column) == (REALISASI_SHEET, "I (Bukti Dukung)")
    assert "tanpa bukti dukung" in warning.message and warning.row == rows_by_key(
        load(filled)[REALISASI_SHEET])[("I-1-1", "Januari")]


def test_ids_typed_by_hand_and_dates_outside_the_year(store):
    data = export_workbook(store, team=OTHER_TEAM)
    row = rows_by_key(load(data)[REALISASI_SHEET])[("I-2-1", "Januari")]
    filled = fill(data, {("I-1-1", 1): {"status": "Belum"},
                         ("I-2-1", 1): {"status": "Selesai", "bukti": "notulen", "tanggal": date(2052, 1, 15)}},
                  edit=set_cells(**{f"A{row}": "i-2-1 "}))
    preview = preview_of(store, filled)
    assert preview.ok and sorted(preview.new["item_id"]) == ["I-1-1", "I-2-1"]
    (warning,) = preview.warnings
    assert (warning.row, warning.column) == (row, "J (Tanggal Selesai)") and "di luar tahun" in warning.message


def test_dates_and_months_are_read_in_every_usual_form(store):
    data = export_workbook(store, team=OTHER_TEAM)

    def months_as_numbers(book):
        ws = book[REALISASI_SHEET]
        for row in range(2, ws.max_row + 1):
            ws.cell(row, COLUMN_INDEX["month"]).value = MONTHS.index(ws.cell(row, COLUMN_INDEX["month"]).value) + 1

    filled = fill(data, {("I-3-1", 1): {"status": "selesai", "bukti": "a", "tanggal": "31/01/2025"},
                         ("I-3-1", 2): {"status": "SELESAI ", "bukti": "b", "tanggal": "2025-02-28"},
                         ("I-3-1", 3): {"status": "Selesai", "bukti": "c", "tanggal": "31 Maret 2025"},
                         ("I-3-1", 4): {"status": "Selesai", "bukti": "d", "tanggal": 45777},
                         ("I-3-1", 5): {"status": "Selesai", "bukti": "e", "tanggal": datetime(2025, 5, 2, 14, 30)}},
                  edit=months_as_numbers)
    preview = preview_of(store, filled)
    assert preview.ok, preview.errors
    assert list(zip(preview.new["month"], preview.new["status"], preview.new["tanggal"])) == [
        (1, "Selesai", "2025-01-31"), (2, "Selesai", "2025-02-28"), (3, "Selesai", "2025-03-31"),
        (4, "Selesai", "2025-04-30"), (5, "Selesai", "2025-05-02")]


# --- plan sheet changes ------------------------------------------------------------------------------

def replace_plan_sheet(plan: pd.DataFrame, info: dict):
    def edit(book):
        index = book.sheetnames.index(PLAN_SHEET)
        book.remove(book[PLAN_SHEET])
        add_plan_sheet(book, plan, info, index)
    return edit


def revised_plan(store) -> pd.DataFrame:
    plan = store.plan().copy()
    plan.loc[plan["id"] == "I-1-1", "months"] = pd.Series([(1, 6, 12)], index=plan.index[plan["id"] == "I-1-1"])
    plan = plan[plan["id"] != "I-4-2"]
    extra = plan[plan["id"] == "I-4-1"].assign(id="I-4-3", langkah_aksi="Lomba budaya kerja", months=[(8,)])
    return pd.concat([plan, extra], ignore_index=True).sort_values("area", kind="stable").reset_index(drop=True)


def test_plan_sheet_changes_are_listed_but_not_applied_by_default(store):
    plan = revised_plan(store)
    data = export_workbook(store)
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"}},
                  edit=replace_plan_sheet(plan, store.plan().attrs["info"]))
    preview = preview_of(store, filled)
    assert preview.ok
    changes = {(c.change, c.id): (c.old_months, c.new_months) for c in preview.plan_changes.itertuples()}
    assert changes == {("bulan diubah", "I-1-1"): ((1, 12), (1, 6, 12)), ("dihapus", "I-4-2"): ((1,), ()),
                       ("ditambah", "I-4-3"): ((), (8,))}
    assert any(p.sheet == PLAN_SHEET and "3 perubahan rencana" in p.message for p in preview.warnings)
    applied = apply_preview(store, preview, by="Ani")
    assert store.plan_version() == 1 and applied.plan_version is None
    assert applied.counts["plan_changes"] == 0


def test_plan_sheet_changes_become_a_new_plan_version_when_asked(store):
    record(store, [("I-4-2", 1, "Selesai", "SK agen", "", "")])
    plan = revised_plan(store)
    data = export_workbook(store)
    filled = fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"}},
                  edit=replace_plan_sheet(plan, store.plan().attrs["info"]))
    filled = fill(filled, {}, edit=lambda book: book[REALISASI_SHEET].append(
        ["I-1-1", "", "", "", "", "Juni", "", "Selesai", "laporan Juni"]))  # planned only in the revised plan
    assert not preview_of(store, filled).ok  # June is not planned in the current plan
    preview = preview_of(store, filled, apply_plan=True)
    assert preview.ok, preview.errors
    assert any("I-4-2 dihapus" in p.message for p in preview.warnings)
    applied = apply_preview(store, preview, by="Ani")
    assert applied.plan_version == 2 == store.plan_version()
    new_plan = store.plan()
    assert set(new_plan["id"]) == set(plan["id"]) and new_plan.attrs["info"] == store.plan(1).attrs["info"]
    assert new_plan.set_index("id").at["I-1-1", "months"] == (1, 6, 12)
    assert current(store)[("I-1-1", 6)][:2] == ("Selesai", "laporan Juni")
    assert ("I-4-2", 1) in current(store)  # progress of a removed item stays in the history


def test_plan_changes_from_a_team_workbook_cannot_be_applied(store):
    plan = store.plan()
    team_rows = plan[plan["penanggung_jawab"] == OTHER_TEAM].copy()
    team_rows.loc[team_rows["id"] == "I-1-1", "months"] = pd.Series([(1,)], index=team_rows.index[team_rows["id"] == "I-1-1"])
    filled = fill(export_workbook(store, team=OTHER_TEAM), {},
                  edit=replace_plan_sheet(team_rows, plan.attrs["info"]))
    assert preview_of(store, filled).ok
    before = snapshot(store)
    preview = preview_of(store, filled, apply_plan=True)
    assert [p.message for p in preview.errors] == ["Perubahan rencana hanya dapat diterapkan dari buku kerja semua tim."]
    with pytest.raises(InputError):
        apply_preview(store, preview, by="Ani")
    assert snapshot(store) == before


# --- bad input: every kind names sheet/row/column and leaves the store unchanged ----------------------

def set_cells(**cells):
    """An edit putting values at Realisasi cells such as H2='x'."""
    def edit(book):
        ws = book[REALISASI_SHEET]
        for ref, value in cells.items():
            ws[ref] = value
    return edit


def append_row(*values):
    return lambda book: book[REALISASI_SHEET].append(list(values))


def meta_value(key, value):
    def edit(book):
        ws = book[META_SHEET]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
    return edit


# Row 2 of Tim Agen Perubahan's workbook is I-1-1 Januari; I-1-1 is planned in January and December only.
BAD_ROWS = {
    # name: (edit, (sheet, row, column prefix), message fragment)
    "unknown ID": (set_cells(A2="Z-9-9", H2="Selesai", I2="x"), (REALISASI_SHEET, 2, "A (ID)"),
                   "ID 'Z-9-9' tidak ada"),
    "empty ID": (set_cells(A2=None, H2="Selesai"), (REALISASI_SHEET, 2, "A (ID)"), "ID kosong"),
    "month 13": (set_cells(F2=13, H2="Selesai", I2="x"), (REALISASI_SHEET, 2, "F (Bulan)"), "Bulan 13 di luar 1–12"),
    "month 0": (set_cells(F2=0, H2="Belum"), (REALISASI_SHEET, 2, "F (Bulan)"), "Bulan 0 di luar 1–12"),
    "month unknown": (set_cells(F2="Maretan", H2="Belum"), (REALISASI_SHEET, 2, "F (Bulan)"),
                      "Bulan 'Maretan' tidak dikenal"),
    "month empty": (set_cells(F2=None, H2="Belum"), (REALISASI_SHEET, 2, "F (Bulan)"), "Bulan kosong"),
    "month not planned": (set_cells(F2="Maret", H2="Selesai", I2="x"), (REALISASI_SHEET, 2, "F (Bulan)"),
                          "tidak dijadwalkan pada bulan Maret"),
    "unknown status": (set_cells(H2="Beres"), (REALISASI_SHEET, 2, "H (Status)"), "Status 'Beres' tidak dikenal"),
    "bukti without status": (set_cells(I2="SK"), (REALISASI_SHEET, 2, "H (Status)"), "Status kosong"),
    "bad date": (set_cells(H2="Selesai", I2="SK", J2="31/02/2025"), (REALISASI_SHEET, 2, "J (Tanggal Selesai)"),
                 "Tanggal '31/02/2025' tidak dikenal"),
    "duplicate row": (append_row("I-1-1", "", "", "", "", "Desember", "", "Belum"), (REALISASI_SHEET, None, "A (ID)"),
                      "sudah diisi di baris"),
    "another team": (append_row("V-1-1", "", "", "", "", "Januari", "", "Selesai", "laporan"),
                     (REALISASI_SHEET, None, "A (ID)"), "milik Tim Pengawasan"),
    "meta from another store": (meta_value("revisi_data", "999"), (META_SHEET, 3, "B"), "revisi 999"),
    "unknown plan version": (meta_value("versi_rencana", "7"), (META_SHEET, 4, "B"), "Versi rencana aksi '7'"),
    "unknown team in meta": (meta_value("tim", "Tim Hantu"), (META_SHEET, 5, "B"), "Tim 'Tim Hantu'"),
    "foreign meta": (meta_value("format", "lain"), (META_SHEET, 2, "B"), "bukan milik buku kerja realisasi"),
    "meta sheet deleted": (lambda book: book.remove(book[META_SHEET]), (META_SHEET, None, None),
                           "'Info Unduhan' tidak ditemukan"),
    "realisasi sheet deleted": (lambda book: book.remove(book[REALISASI_SHEET]), (REALISASI_SHEET, None, None),
                                "'Realisasi' tidak ditemukan"),
    "status column removed": (set_cells(H1="Keterangan"), (REALISASI_SHEET, 1, None), "Kolom Status tidak ditemukan"),
    "header row gone": (lambda book: book[REALISASI_SHEET].delete_rows(1), (REALISASI_SHEET, 1, None),
                        "Baris judul kolom"),
}


@pytest.mark.parametrize("name", sorted(BAD_ROWS))
def test_bad_rows_and_sheets_are_located_and_change_nothing(store, name, tmp_path, capsys):
    edit, (sheet, row, column), fragment = BAD_ROWS[name]
    record(store, [("I-2-1", 1, "Belum", "", "", "")])
    base = fill(export_workbook(store, team=OTHER_TEAM), {("I-1-1", 12): {"status": "Selesai", "bukti": "SK"}})
    bad = fill(base, {}, edit=edit)
    before = snapshot(store)
    preview = preview_of(store, bad)
    assert not preview.ok
    found = [p for p in preview.errors if fragment in p.message]
    assert found, [str(p) for p in preview.errors]
    problem = found[0]
    assert problem.sheet == sheet
    if row is not None:
        assert problem.row == row
    else:
        assert problem.row is None or problem.row > 2
    if column is not None:
        assert problem.column == column
    assert problem.fix
    assert preview.new.empty and preview.changed.empty
    with pytest.raises(InputError):
        apply_preview(store, preview, by="Ani")
    path = tmp_path / "buruk.xlsx"
    path.write_bytes(bad)
    result = run_cli("import", path, "--yes", "--data-dir", store.data_dir)
    assert result.returncode == 1 and fragment in result.stderr
    assert snapshot(store) == before


def zip_of(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_of({**{n: source.read(n) for n in source.namelist()}, name: content})


BAD_FILES = {
    "empty": lambda good: b"",
    "text": lambda good: "ID,Bulan,Status\nI-1-1,1,Selesai\n".encode(),
    "old xls": lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    "ods": lambda good: zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
    "truncated": lambda good: good[: len(good) // 2],
    "broken sheet xml": lambda good: with_member(good, "xl/worksheets/sheet2.xml", b"<worksheet><sheetData><row>"),
    "zip bomb": lambda good: with_member(good, "xl/media/bom.bin", b"\x00" * (210 * 1024 * 1024)),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_give_an_indonesian_error_and_change_nothing(store, name, tmp_path, capsys):
    record(store, [("I-2-1", 1, "Belum", "", "", "")])
    good = fill(export_workbook(store, team=OTHER_TEAM), {("I-1-1", 12): {"status": "Selesai", "bukti": "SK"}})
    bad = BAD_FILES[name](good)
    before = snapshot(store)
    preview = preview_of(store, bad)
    assert not preview.ok and preview.errors[0].fix
    assert any(word in str(preview.errors[0]) for word in ("Berkas", "berkas", "Lembar", "lembar"))
    path = tmp_path / "buruk.xlsx"
    path.write_bytes(bad)
    result = run_cli("import", path, "--yes", "--data-dir", store.data_dir)
    assert result.returncode == 1 and "tidak dapat diproses" in result.stderr
    assert snapshot(store) == before


def test_a_bad_file_on_the_real_command_line_gives_no_traceback(store, tmp_path):
    path = tmp_path / "buruk.xlsx"
    path.write_bytes(fill(export_workbook(store, team=OTHER_TEAM), {}, edit=set_cells(H2="Beres")))
    result = run_cli("import", path, "--yes", data_dir=store.data_dir, check_returncode=1)
    assert "Status 'Beres' tidak dikenal" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert store.revision() == 0 and store.uploads().empty


def test_a_plan_sheet_that_cannot_be_read_is_a_warning_unless_plan_changes_are_applied(store):
    def break_plan(book):
        ws = book[PLAN_SHEET]
        ws["D8"] = "URAIAN"  # the LANGKAH AKSI header is gone
    filled = fill(export_workbook(store), {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"}}, edit=break_plan)
    preview = preview_of(store, filled)
    assert preview.ok and any(p.sheet == PLAN_SHEET for p in preview.warnings)
    assert not preview_of(store, filled, apply_plan=True).ok


# --- CLI ---------------------------------------------------------------------------------------------

def test_cli_export_preview_then_apply(tmp_path):
    data_dir = tmp_path / "data"
    out = tmp_path / "unduhan" / "peng.xlsx"
    result = run_cli("export", "--team", TEAM, "--through-month", "Maret", "-o", out, data_dir=data_dir,
                     check_returncode=0)
    assert "s.d. Maret" in result.stdout
    filled = tmp_path / "isi.xlsx"
    filled.write_bytes(fill(out.read_bytes(), {("V-1-1", 1): {"status": "Selesai", "bukti": "laporan"}}))
    result = run_cli("import", filled, data_dir=data_dir, check_returncode=0)
    assert "Baru: 1" in result.stdout and "hanya pratinjau" in result.stdout
    assert ProgressStore(data_dir).revision() == 0
    result = run_cli("import", filled, "--yes", "--by", "Ani", "--json", data_dir=data_dir, check_returncode=0)
    summary = json.loads(result.stdout)
    assert summary["applied_counts"]["new"] == 1 and summary["upload_id"] == 1
    assert current(ProgressStore(data_dir)) == {("V-1-1", 1): ("Selesai", "laporan", "", "", "Ani")}
    result = run_cli("undo", "1", "--by", "Ani", data_dir=data_dir, check_returncode=0)
    assert "dibatalkan" in result.stdout and current(ProgressStore(data_dir)) == {}
    result = run_cli("export", "--team", "Tim Hantu", "-o", out, data_dir=data_dir, check_returncode=1)
    assert "Tim 'Tim Hantu' tidak ada" in result.stderr and "Traceback" not in result.stderr


def test_cli_reports_a_conflict_with_exit_code_3(tmp_path):
    data_dir = tmp_path / "data"
    store = new_store(data_dir)
    data = export_workbook(store, team=OTHER_TEAM)
    record(store, [("I-1-1", 1, "Sebagian", "draf", "", "")], by="Sari")
    filled = tmp_path / "isi.xlsx"
    filled.write_bytes(fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK"},
                                   ("I-2-1", 1): {"status": "Belum", "catatan": "menunggu"}}))
    result = run_cli("import", filled, "--yes", data_dir=data_dir, check_returncode=3)
    assert "KONFLIK baris" in result.stdout and "1 konflik tidak diterapkan" in result.stderr
    assert current(store)[("I-1-1", 1)][0] == "Sebagian" and current(store)[("I-2-1", 1)][0] == "Belum"
    result = run_cli("import", filled, "--yes", "--overwrite-conflicts", data_dir=data_dir, check_returncode=0)
    assert current(store)[("I-1-1", 1)][:2] == ("Selesai", "SK")


# --- the bundled example ------------------------------------------------------------------------------

def test_the_example_workbook_is_up_to_date_and_imports_into_a_fresh_data_dir(tmp_path):
    example = ROOT / "data" / "contoh_realisasi_2025.xlsx"
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_example_workbook.py"), "--check"],
                           capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stdout + check.stderr
    book = load(example.read_bytes())
    assert book.properties.title.startswith(EXAMPLE_MARK)
    guide = " ".join(str(c.value) for row in book[GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert EXAMPLE_MARK in guide
    store = new_store(tmp_path / "data")
    preview = preview_upload(store, example)
    assert preview.ok and preview.base_revision == 0 and preview.conflicts.empty and preview.changed.empty
    statuses = Counter(preview.new["status"])
    assert statuses["Selesai"] > statuses["Sebagian"] > 0 and statuses["Belum"] > 0
    assert 400 < len(preview.new) < len(planned(store.plan(), through=10))  # a few left empty
    assert not (preview.new.query("status == 'Selesai'")["bukti_dukung"] == "").any()
    assert not (preview.new.query("status == 'Belum'")["catatan"] == "").any()
    assert [p.sheet for p in preview.warnings] == [META_SHEET]  # only "this is an example"
    applied = apply_preview(store, preview, by="Pengguna baru")
    assert applied.counts["new"] == len(store.latest()) == len(preview.new)
