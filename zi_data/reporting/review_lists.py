"""The item-months by the state of their evidence's review: the penilai's queue (menunggu verifikasi), what was
sent back (perlu perbaikan, with the penilai's note) and what was accepted (diterima), oldest first.

Built from the plan (already filtered by team and area as the page shows it), `store.latest()` and
`evidence.evidence_states()`; item-months of IDs not in the plan are left out.
"""

import pandas as pd

from ..base.clock import table_moments
from ..base.months import month_name

REVIEW_STATES = ("menunggu", "perlu_perbaikan", "diterima")  # evidence.REVIEW_LABELS' keys, in the order shown
REVIEW_COLUMNS = ["id", "area", "komponen", "langkah_aksi", "bukti_fisik", "penanggung_jawab", "month",
                  "month_name", "status", "bukti_dukung", "files", "links", "review_state", "review_note",
                  "reviewed_by", "reviewed_at", "waiting_since"]
REVIEW_HEADERS = {
    "id": "ID", "langkah_aksi": "Langkah Aksi", "month_name": "Bulan", "penanggung_jawab": "Penanggung Jawab",
    "bukti_fisik": "Bukti Fisik yang Diperlukan", "status": "Status Terakhir", "bukti_dukung": "Bukti Dukung",
    "files": "Berkas", "links": "Tautan", "waiting_since": "Menunggu Sejak", "review_note": "Catatan Penilai",
    "reviewed_at": "Diperiksa Pada",
}
SHOWN_COLUMNS = {  # the columns each list shows, in order
    "menunggu": ["id", "langkah_aksi", "month_name", "penanggung_jawab", "status", "files", "links",
                 "waiting_since"],
    "perlu_perbaikan": ["id", "month_name", "review_note", "langkah_aksi", "penanggung_jawab", "reviewed_at",
                        "status", "files", "links"],  # the note first: what to fix and why
    "diterima": ["id", "langkah_aksi", "month_name", "penanggung_jawab", "reviewed_at", "files", "links"],
}
MAIN_COLUMNS = {  # what a meeting reads of each list, narrow enough for a 1024-px window
    "menunggu": ["ID", "Langkah Aksi", "Bulan", "Menunggu Sejak"],
    "perlu_perbaikan": ["ID", "Bulan", "Catatan Penilai", "Langkah Aksi"],
    "diterima": ["ID", "Langkah Aksi", "Bulan", "Diperiksa Pada"],
}


def review_items(plan: pd.DataFrame, latest: pd.DataFrame, states: pd.DataFrame, review_state: str) -> pd.DataFrame:
    """The plan's item-months whose evidence is in `review_state`, oldest first: by when the evidence last
    changed (menunggu) or when it was reviewed (the others), then in plan order and by month."""
    if review_state not in REVIEW_STATES:
        raise ValueError(f"Status pemeriksaan tidak dikenal: {review_state!r}")
    chosen = states[states["review_state"] == review_state].rename(columns={"item_id": "id"})
    items = plan[["id", "area", "komponen", "langkah_aksi", "bukti_fisik", "penanggung_jawab"]].assign(
        plan_order=range(len(plan)))
    reports = latest[["item_id", "month", "status", "bukti_dukung"]].rename(columns={"item_id": "id"})
    rows = chosen.merge(items, on="id", how="inner").merge(reports, on=["id", "month"], how="left")
    since = "waiting_since" if review_state == "menunggu" else "reviewed_at"
    rows = rows.assign(month=rows["month"].astype("int64"), sort_since=rows[since].fillna("").astype(str))
    rows = rows.sort_values(["sort_since", "plan_order", "month"], kind="stable")
    rows["month_name"] = rows["month"].map(month_name)
    for column in ("status", "bukti_dukung", "review_note", "reviewed_by", "reviewed_at", "waiting_since"):
        rows[column] = rows[column].fillna("").astype(object)
    return rows.reindex(columns=REVIEW_COLUMNS).reset_index(drop=True)


def review_table(items: pd.DataFrame, review_state: str, zone: str, every_column: bool = True) -> pd.DataFrame:
    """`review_items(...)` as a list shows it: the state's columns (`every_column` False: only its MAIN_COLUMNS),
    Indonesian headers, times in the office's `zone` ('07/12/2026 22:49 WITA')."""
    table = items[SHOWN_COLUMNS[review_state]].copy()
    for column in ("waiting_since", "reviewed_at"):
        if column in table:
            table[column] = table_moments(table[column], zone)
    table = table.rename(columns=REVIEW_HEADERS)
    return table if every_column else table[MAIN_COLUMNS[review_state]]
