import io

import openpyxl
import pandas as pd

from zi_data.history import describe_counts, upload_history
from zi_data.reports import overdue_table, overdue_workbook_bytes


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
    table = upload_history(uploads)
    assert list(table["No."]) == [2, 1]
    assert table.loc[1, "Waktu"] == "01-10-2025 08:30 WIB"
    assert table.loc[0, "Waktu"] == "03-10-2025 06:00 WIB"
    assert table.loc[1, "Perubahan"] == "3 baru"
    assert table.loc[1, "Keterangan"] == "dibatalkan oleh #2"
    assert table.loc[0, "Keterangan"] == "membatalkan #1"
    assert describe_counts({"new": 0}) == ""
