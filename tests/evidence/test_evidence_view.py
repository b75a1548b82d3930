"""Evidence as the pages show it: sizes, an item-month's versions, several files attached with one message each."""

import pytest

from zi_data.evidence import evidence
from zi_data.base.clock import table_moment
from zi_data.evidence.evidence_view import attach_uploads, attachment_table, item_month_attachments
from zi_data.files.file_types import size_text
from zi_data.reporting.public_labels import public_label

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ITEM, MONTH = "V-1-1", 3


@pytest.mark.parametrize("size, shown", [(0, "0 B"), (532, "532 B"), (1023, "1023 B"), (1024, "1,0 KB"),
                                         (1536, "1,5 KB"), (1258291, "1,2 MB"), (20 * 1024 ** 2, "20,0 MB"),
                                         (3 * 1024 ** 3, "3,0 GB")])
def test_sizes_are_shown_in_indonesian_format(size, shown):
    assert size_text(size) == shown


def versions(store):
    return item_month_attachments(evidence.attachments(store, current_only=False), ITEM, MONTH)


def test_versions_say_which_is_in_force_and_what_replaced_what(store_on_each_backend):
    store = store_on_each_backend
    [first], refusals = attach_uploads(store, ITEM, MONTH, [("SK.pdf", PDF)], "rina")
    assert not refusals
    [second], _ = attach_uploads(store, ITEM, MONTH, [("SK baru.pdf", PDF + b"%")], "rina", replaces=first)
    link = evidence.attach_link(store, ITEM, MONTH, "https://contoh.invalid/sk", "budi")
    evidence.attach_file(store, ITEM, 4, "lain.pdf", PDF, "rina")  # another month: not listed
    labels = {"rina": "Editor · Tim Pengawasan"}
    table = attachment_table(versions(store), lambda name: public_label(name, labels), zone="WIT")
    assert list(table["No."]) == [first, second, link]
    assert list(table["Keterangan"]) == [f"Diganti oleh #{second}", f"Berlaku · versi baru dari #{first} SK.pdf",
                                         "Berlaku"]
    assert list(table["Jenis"]) == ["PDF", "PDF", "Tautan"]
    assert list(table["Ukuran"]) == [f"{len(PDF)} B", f"{len(PDF) + 1} B", "–"]
    assert list(table["Oleh"]) == ["Editor · Tim Pengawasan", "Editor · Tim Pengawasan", "Pelapor tanpa akun"]
    assert list(attachment_table(versions(store), zone="WIB")["Oleh"]) == ["rina", "rina", "budi"]
    added = versions(store)["added_at"]
    assert list(table["Waktu"]) == [table_moment(at, "WIT") for at in added]
    assert table["Waktu"].str.endswith(" WIT").all()


def test_each_refused_file_gets_its_own_message_naming_it_and_the_others_are_attached(store, monkeypatch):
    monkeypatch.setenv("ZI_EVIDENCE_MAX_MB", "1")
    attached, refusals = attach_uploads(store, ITEM, MONTH, [
        ("halaman.pdf", b"<!doctype html><html><body>x</body></html>"),
        ("besar.pdf", PDF + b"0" * (1024 * 1024)), ("kosong.png", b""), ("baik.pdf", PDF)], "rina")
    assert len(attached) == 1 and len(refusals) == 3
    for name, message in zip(("halaman.pdf", "besar.pdf", "kosong.png"), refusals):
        assert name in message
    assert list(evidence.attachments(store)["file_name"]) == ["baik.pdf"]


def test_a_replacement_takes_exactly_one_file(store):
    [first], _ = attach_uploads(store, ITEM, MONTH, [("SK.pdf", PDF)], "rina")
    attached, refusals = attach_uploads(store, ITEM, MONTH, [("a.pdf", PDF + b"a"), ("b.pdf", PDF + b"b")], "rina",
                                        replaces=first)
    assert attached == [] and refusals == ["Pilih tepat satu berkas untuk menggantikan lampiran yang ada."]


def test_a_file_an_undone_upload_attached_says_so(store_on_each_backend):
    from pathlib import Path

    from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

    store = store_on_each_backend
    workbook = Path(__file__).resolve().parents[2] / "data" / "contoh_realisasi_2025.xlsx"
    upload_id = apply_preview(store, preview_upload(store, workbook.read_bytes(), workbook.name), by="rina").upload_id
    attached = evidence.attach_file(store, ITEM, MONTH, "SK.pdf", PDF, "rina", upload_id=upload_id)
    store.undo_upload(upload_id, by="rina")
    table = attachment_table(versions(store), zone="WIB")
    assert list(table["No."]) == [attached]
    assert list(table["Keterangan"]) == [f"Dibatalkan bersama unggahan #{upload_id}"]
