"""Progress reports as the store keeps them: each row checked and its text normalised before it is appended
to a ledger's log (append_reports, inside the caller's transaction).

The status of an entry is one of STATUSES, or NO_REPORT ("") for 'no report' (written when an
upload is undone).
"""

from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from ..base.cell_safety import MAX_CELL_CHARS, clean_text, exported_length
from ..base.clock import utc_now
from ..base.problems import RefusedValue

STATUSES = ("Selesai", "Sebagian", "Belum")
NO_REPORT = ""
ENTRY_COLUMNS = ["entry_id", "item_id", "month", "status", "bukti_dukung", "tanggal", "catatan",
                 "reported_by", "recorded_at", "upload_id"]
REPORT_COLUMNS = ["item_id", "month", "status", "bukti_dukung", "tanggal", "catatan", "reported_by"]
INSERT_ENTRY = sa.text(f"INSERT INTO entries (ledger_id, {', '.join(ENTRY_COLUMNS[1:])}) "
                       f"VALUES (:ledger_id, {', '.join(':' + c for c in ENTRY_COLUMNS[1:])})")


def append_reports(conn, ledger_id: int, entries: pd.DataFrame, upload_id: int | None) -> int:
    """Append reports (columns REPORT_COLUMNS; missing text columns count as empty) to the ledger's log, each
    checked by report_rows first (ValueError: nothing is written); how many."""
    rows = report_rows(entries)
    insert_rows(conn, ledger_id, rows, upload_id)
    return len(rows)


def insert_rows(conn, ledger_id: int, rows: list[tuple], upload_id: int | None) -> None:
    """Append rows already in the log's form (REPORT_COLUMNS tuples), all recorded at this moment."""
    recorded_at = utc_now()
    if rows:
        conn.execute(INSERT_ENTRY, [dict(zip(REPORT_COLUMNS, row), ledger_id=ledger_id, recorded_at=recorded_at,
                                         upload_id=upload_id) for row in rows])


def _text(value) -> str:
    """`value` as stored text: cell_safety.clean_text, the normalisation uploads and exports use."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return clean_text(str(value))


def _iso_date(value) -> str:
    if not _text(value):
        return ""
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


def report_rows(entries: pd.DataFrame) -> list[tuple]:
    """Each report as a REPORT_COLUMNS tuple, checked and normalised; ValueError for the first bad one."""
    missing = [c for c in ("item_id", "month", "status") if c not in entries.columns]
    if missing:
        raise RefusedValue(f"Kolom {', '.join(missing)} wajib ada pada laporan kemajuan.")
    rows = []
    for record in entries.to_dict("records"):
        item_id, status = _text(record["item_id"]), _text(record["status"])
        try:
            month = int(record["month"])
        except (TypeError, ValueError):
            month = 0
        if not item_id:
            raise RefusedValue("ID langkah aksi kosong pada laporan kemajuan.")
        if not 1 <= month <= 12:
            raise RefusedValue(f"Bulan {record['month']!r} untuk {item_id} harus 1–12.")
        if status not in (*STATUSES, NO_REPORT):
            raise RefusedValue(f"Status {status!r} untuk {item_id} bulan {month} harus salah satu dari: "
                             f"{', '.join(STATUSES)}.")
        texts = {key: _text(record.get(key)) for key in ("bukti_dukung", "catatan", "reported_by")}
        for key, text in texts.items():
            if exported_length(text) > MAX_CELL_CHARS:
                raise RefusedValue(f"Teks {key} untuk {item_id} bulan {month} terlalu panjang: satu sel Excel memuat "
                                 f"paling banyak {MAX_CELL_CHARS:,} karakter.".replace(",", "."))
        rows.append((item_id, month, status, texts["bukti_dukung"], _iso_date(record.get("tanggal")),
                     texts["catatan"], texts["reported_by"]))
    return rows
