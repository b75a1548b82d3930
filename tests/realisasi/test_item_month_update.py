"""One item-month updated in the browser form (zi_data.realisasi.item_month_update), on both backends: the same checks,
conflict rule, record, audit line and undo as one row of an uploaded realisasi workbook."""

import hashlib
import io
import json

import openpyxl
import pytest

from evidence_helpers import pdf
from realisasi_helpers import OTHER, OWN, column, fill, rows_by_key
from zi_data.evidence import evidence
from zi_data.store.accounts import User
from zi_data.store.audit import audit_events
from zi_data.base.history import FORM_KIND, upload_history
from zi_data.realisasi.item_month_update import FORM_FORMAT, form_values, save_item_month
from zi_data.base.problems import InputError
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.realisasi_layout import REALISASI_SHEET
from zi_data.realisasi.undo_rules import undo_refusal, undo_upload

ITEM, MONTH = "V-1-1", 3  # a langkah aksi of OWN, planned in Maret
LINK = "https://drive.example/v11-maret.pdf"


@pytest.fixture
def store(store_on_each_backend):
    return store_on_each_backend


def editor(store, team: str = OWN, name: str = "rina") -> User:
    return User(name, "editor", team, store.office)


def shown(store, item_id: str = ITEM, month: int = MONTH):
    return form_values(store.latest(), store.revision(), item_id, month)


def save(store, values=None, *, status="Selesai", bukti=LINK, catatan="", files=(), user=None, by="rina"):
    user = user if user is not None else editor(store)
    return save_item_month(store, values or shown(store), status=status, bukti_dukung=bukti, catatan=catatan,
                           files=files, by=by, user=user)


def refusal(store, **kwargs) -> str:
    revision, uploads = store.revision(), len(store.uploads())
    with pytest.raises(InputError) as refused:
        save(store, **kwargs)
    assert (store.revision(), len(store.uploads())) == (revision, uploads), "a refused change writes nothing"
    return " ".join(str(problem) for problem in refused.value.problems)


def current(store, item_id: str = ITEM, month: int = MONTH) -> tuple:
    latest = store.latest()
    row = latest[(latest["item_id"] == item_id) & (latest["month"] == month)]
    return tuple(row[["status", "bukti_dukung", "catatan", "reported_by"]].iloc[0]) if len(row) else ()


def test_an_editor_of_the_team_records_one_item_month_as_a_formulir_upload(store):
    saved = save(store, catatan="Rapat 12 Maret", files=[("SK Tim.pdf", pdf("sk"))])
    assert current(store) == ("Selesai", LINK, "Rapat 12 Maret", "rina")
    assert saved.counts == {"new": 1, "changed": 0, "unchanged": 0, "bukti_berkas": 1, "bukti_tautan": 1}
    upload = store.uploads().iloc[-1]
    assert (int(upload["upload_id"]), upload["kind"], upload["uploaded_by"]) == (saved.upload_id, FORM_KIND, "rina")
    assert int(store.latest()["upload_id"].iloc[-1]) == saved.upload_id
    record = store.archive_path(upload["archive_name"]).read_bytes()
    assert upload["archive_name"].endswith(".json")
    body = json.loads(record)
    assert (body["format"], body["id"], body["bulan"], body["status"], body["bukti_dukung"]) == (
        FORM_FORMAT, ITEM, MONTH, "Selesai", LINK)
    assert body["berkas"][0]["nama"] == "SK Tim.pdf"
    assert hashlib.sha256(record).hexdigest() == upload["sha256"]
    history = upload_history(store.uploads(), "WIB").iloc[0]
    assert (history["Jenis"], history["Perubahan"]) == ("Formulir bulan-kegiatan", "1 baru, 1 berkas bukti, 1 tautan bukti")
    event = audit_events(store).iloc[-1]
    assert (event["actor"], event["action"]) == ("rina", "formulir_bulan_kegiatan")
    assert event["details"]["unggahan"] == saved.upload_id
    files = evidence.attachments(store)
    assert sorted(zip(files["kind"], files["file_name"], files["upload_id"])) == sorted(
        [("pdf", "SK Tim.pdf", saved.upload_id), ("tautan", LINK, saved.upload_id)]), "the typed link is evidence"


def test_an_admin_changes_any_team_and_nothing_is_written_when_nothing_changed(store):
    admin = User("koordinator", "admin", "", store.office)
    save(store, shown(store, "I-1-1", 1), bukti="SK Tim Kerja.pdf", user=admin, by="koordinator")
    assert current(store, "I-1-1", 1)[:2] == ("Selesai", "SK Tim Kerja.pdf")
    again = save(store, shown(store, "I-1-1", 1), bukti="SK Tim Kerja.pdf", user=admin, by="koordinator")
    assert again.upload_id is None and again.counts["unchanged"] == 1 and len(store.uploads()) == 1


def test_selesai_without_bukti_dukung_is_refused_unless_a_file_is_attached(store):
    message = refusal(store, bukti="")
    assert f"{ITEM} bulan Maret berstatus Selesai tanpa bukti dukung; belum dihitung selesai." in message
    save(store, bukti="", files=[("SK Tim.pdf", pdf("sk"))])
    assert current(store)[:2] == ("Selesai", "")


def test_too_long_text_control_characters_and_refused_files_are_refused_with_the_workbooks_messages(store):
    message = refusal(store, catatan="x" * 40_000)
    assert "Kolom Catatan/Kendala: Teks terlalu panjang: 40.000 karakter" in message
    assert "paling banyak 32.767 karakter" in message
    assert "karakter kendali (misalnya NUL)" in refusal(store, bukti="SK\x00Tim.pdf")
    assert "halaman.pdf" in refusal(store, files=[("halaman.pdf", b"<html><script>alert(1)</script></html>")])
    assert "Status 'Beres' tidak dikenal" in refusal(store, status="Beres")


def test_formula_like_text_is_stored_as_typed_and_exported_inert(store):
    formula = '=HYPERLINK("https://contoh.invalid","klik")'
    save(store, bukti=formula)
    assert current(store)[1] == formula
    sheet = openpyxl.load_workbook(io.BytesIO(export_workbook(store, OWN, 12)))[REALISASI_SHEET]
    cell = sheet.cell(rows_by_key(sheet)[(ITEM, "Maret")], column("bukti_dukung"))
    assert cell.data_type == "s" and cell.value == "'" + formula


def test_editors_of_another_team_or_office_and_viewers_are_refused(store):
    assert f"Ditolak: langkah aksi {ITEM} milik {OWN}" in refusal(store, user=editor(store, OTHER, "budi"), by="budi")
    other_office = User("rina.lain", "editor", OWN, "6201")
    assert "tidak dapat mengubah progres kantor" in refusal(store, user=other_office, by="rina.lain")
    viewer = User("pemantau", "viewer", "", store.office)
    assert "tidak dapat mengubah progres kantor" in refusal(store, user=viewer, by="pemantau")
    assert "Isi nama Anda" in refusal(store, by=" ")


def test_a_newer_upload_since_the_form_was_shown_is_a_conflict_naming_who_when_and_the_newer_value(store):
    seen = shown(store)
    filled = fill(export_workbook(store, OWN, 3), {(ITEM, MONTH): {"status": "Sebagian", "bukti": "draf.pdf",
                                                                    "by": "wakil"}})
    apply_preview(store, preview_upload(store, filled, "realisasi.xlsx", allowed_team=OWN), by="wakil")
    message = refusal(store, values=seen)
    assert f"{ITEM} bulan Maret sudah diubah oleh wakil pada " in message and "WIB" in message
    assert "Nilai terbaru: status Sebagian, bukti dukung draf.pdf" in message
    assert current(store)[:2] == ("Sebagian", "draf.pdf")
    save(store)  # shown again, the form saves over the newer value
    assert current(store)[:2] == ("Selesai", LINK)


def test_undo_brings_the_previous_value_back_and_hides_the_files(store):
    save(store, status="Sebagian", bukti="draf.pdf")
    saved = save(store, files=[("SK Tim.pdf", pdf("sk"))])
    assert undo_refusal(store, saved.upload_id, "budi", OTHER) is not None
    assert undo_refusal(store, saved.upload_id, "rina", OWN) is None
    undo_upload(store, saved.upload_id, "rina", editor_team=OWN)
    assert current(store)[:2] == ("Sebagian", "draf.pdf")
    assert evidence.attachments(store).empty
    assert upload_history(store.uploads(), "WIB")["Keterangan"].iloc[1] == "dibatalkan oleh #3"


def test_new_evidence_puts_an_accepted_item_month_back_to_waiting_for_review(store):
    save(store)
    evidence.review(store, ITEM, MONTH, "diterima", "", "penilai.satu")

    def review_state():
        states = evidence.evidence_states(store, store.latest())
        return states[(states["item_id"] == ITEM) & (states["month"] == MONTH)]["review_state"].iloc[0]

    assert review_state() == "diterima"
    save(store, files=[("SK Tim.pdf", pdf("sk"))])
    assert review_state() == "menunggu"
    save(store, bukti="https://drive.example/lain.pdf")
    assert review_state() == "menunggu"


def test_the_workbook_export_carries_the_forms_change(store):
    save(store, catatan="Selesai tepat waktu")
    sheet = openpyxl.load_workbook(io.BytesIO(export_workbook(store, OWN, 12)))[REALISASI_SHEET]
    row = rows_by_key(sheet)[(ITEM, "Maret")]
    assert [sheet.cell(row, column(key)).value for key in ("status", "bukti_dukung", "catatan")] == [
        "Selesai", LINK, "Selesai tepat waktu"]
