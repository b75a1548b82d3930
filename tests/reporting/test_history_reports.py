import io

import openpyxl
import pandas as pd
import pytest

from helpers import new_store
from zi_data.store import plan_history
from zi_data.store.accounts import AccountError
from zi_data.store.audit import DETAIL_LABELS, audit_events, audit_table, record_event
from zi_data.base.history import REALISASI_KIND, describe_counts, upload_history
from zi_data.reporting.reports import overdue_table, overdue_workbook_bytes

PASSWORD = "kata-sandi-rahasia"


def overdue_rows():
    return pd.DataFrame({
        "id": ["V-1-1", "I-1-1", "V-1-2"], "area": ["V", "I", "V"], "komponen": ["K5", "K1", "K5"],
        "langkah_aksi": ["LA 5", "LA 1", "=HYPERLINK(\"http://x\")"], "bukti_fisik": ["BF", "BF", "BF"],
        "month": [3, 1, 2], "penanggung_jawab": ["Tim Pengawasan", "Tim Agen Perubahan", "Tim Pengawasan"],
        "days_overdue": [200, 300, 250], "status": ["", "Sebagian", ""], "catatan": ["", "menunggu SK", ""],
    })


def test_overdue_table_groups_by_team_most_overdue_first_with_month_names():
    table = overdue_table(overdue_rows())
    assert list(table["ID"]) == ["I-1-1", "V-1-2", "V-1-1"]
    assert list(table["Bulan"]) == ["Januari", "Februari", "Maret"]
    assert "Bukti Fisik yang Diperlukan" in table.columns


def test_overdue_workbook_has_one_row_per_overdue_item_month():
    workbook = openpyxl.load_workbook(io.BytesIO(overdue_workbook_bytes(overdue_rows(), "uji")))
    sheet = workbook["Bukti Tertunggak"]
    assert sheet.max_row == 4
    assert sheet["B2"].value == "I-1-1"


def test_upload_history_newest_first_in_local_time_with_counts():
    uploads = pd.DataFrame({
        "upload_id": [1, 2], "created_at": ["2025-10-01T01:30:00+00:00", "2025-10-02T23:00:00+00:00"],
        "file_name": ["a.xlsx", "a.xlsx"], "sha256": ["a" * 64, "a" * 64], "archive_name": ["x", ""],
        "uploaded_by": ["Rina", "Budi"], "kind": ["realisasi", "pembatalan"],
        "counts": [{"new": 3, "changed": 0}, {"restored": 0, "cleared": 3}],
        "undone_by": pd.array([2, None], dtype="Int64"), "base_revision": [0, 3],
        "undoes": pd.array([None, 1], dtype="Int64"),
    })
    table = upload_history(uploads, "WIB")
    assert list(table["No."]) == [2, 1]
    assert table.loc[1, "Waktu"] == "01/10/2025 08:30 WIB"
    assert table.loc[0, "Waktu"] == "03/10/2025 06:00 WIB"
    assert upload_history(uploads, "WITA").loc[0, "Waktu"] == "03/10/2025 07:00 WITA"
    assert upload_history(uploads, "WIT").loc[1, "Waktu"] == "01/10/2025 10:30 WIT"
    assert table.loc[1, "Perubahan"] == "3 baru"
    assert table.loc[1, "Keterangan"] == "dibatalkan oleh #2"
    assert table.loc[0, "Keterangan"] == "membatalkan #1"
    assert describe_counts({"new": 0}) == ""


def test_audit_details_are_shown_in_indonesian_words_for_every_key_a_writer_records(tmp_path):
    store = new_store(tmp_path / "data")
    accounts = store.accounts
    accounts.add("rina", "editor", "Tim Pengawasan", PASSWORD, "uji")
    accounts.set_password("rina", PASSWORD + "2", "uji")
    for _ in range(2):  # a failed sign-in, then one throttled
        with pytest.raises(AccountError):
            accounts.authenticate("rina", "salah-dan-panjang")
    accounts.remove("rina", "uji")
    plan = store.plan()
    with store.transaction() as conn:  # a plan revision renaming I-4-1, as an applied upload records it
        version = store.add_plan_version(plan.assign(id=plan["id"].replace("I-4-1", "I-4-9")), "r.xlsx", "0" * 64,
                                         "Admin", conn)
        counts = {"new": 505, "changed": 0, "unchanged": 1, "conflicts": 0, "plan_changes": 1, "rejected": 0,
                  "carried": 0}
        upload_id = store.record_upload(conn, "r.xlsx", "0" * 64, "", "Admin", REALISASI_KIND, counts, 0)
        plan_history.link_plan_version(conn, store.ledger_id, version, upload_id)
        carried = plan_history.carried_entries(store.latest(), [("I-4-1", "I-4-9")])
        plan_history.carry_over(conn, store.ledger_id, store.office, [("I-4-1", "I-4-9")], carried, version,
                                upload_id, "Admin")
        record_event(conn, "Admin", "unggah_realisasi", {"unggahan": upload_id, "berkas": "r.xlsx", **counts},
                     **store.scope)
        record_event(conn, "Admin", "revisi_rencana", {"versi": version, "berkas": "r.xlsx", "unggahan": upload_id},
                     **store.scope)
    store.undo_upload(upload_id, "Admin")  # also brings the plan back
    events = audit_events(store)
    assert {key for details in events["details"] for key in details} <= set(DETAIL_LABELS)
    shown = audit_table(events, "WIB").set_index("Tindakan")["Rincian"]
    assert shown["Unggah realisasi"].startswith(f"unggahan: {upload_id}, berkas: r.xlsx, baru: 505, diubah: 0, ")
    assert shown["Gagal masuk"] == "gagal berturut-turut: 1, tunggu (detik): 1"
    assert shown["Rencana sebelumnya dipulihkan"] == (f"versi rencana: 3, isi dari versi: 1, unggahan: {upload_id}, "
                                                      f"pembatalan: {upload_id + 1}")
    english = {"new", "changed", "unchanged", "conflicts", "plan_changes", "rejected", "carried", "restored", "cleared"}
    assert not any(f"{key}:" in text for text in audit_table(events, "WIB")["Rincian"] for key in english)
