"""Progress reports as the store keeps them: each row checked and its text normalised before it is appended.

The status of an entry is one of STATUSES, or NO_REPORT ("") for 'no report' (written when an
upload is undone).
"""

from datetime import date, datetime

import pandas as pd

from ..base.cell_safety import MAX_CELL_CHARS, clean_text, exported_length
from ..base.problems import RefusedValue

STATUSES = ("Selesai", "Sebagian", "Belum")
NO_REPORT = ""


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
