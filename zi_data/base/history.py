"""The upload history as people read it."""

import pandas as pd

from .clock import table_moments

# Stored upload kinds (Indonesian: exported and read by people); migration 2 renamed plan and undo.
REALISASI_KIND, PLAN_KIND, UNDO_KIND = "realisasi", "rencana", "pembatalan"
FORM_KIND = "formulir"  # one item-month updated in the browser: the same change as one workbook row
KIND_LABELS = {REALISASI_KIND: "Realisasi", PLAN_KIND: "Revisi rencana", UNDO_KIND: "Pembatalan",
               FORM_KIND: "Formulir bulan-kegiatan"}
COUNT_LABELS = {"new": "baru", "changed": "diubah", "unchanged": "tetap", "conflicts": "konflik",
                "restored": "dipulihkan", "cleared": "dikosongkan", "plan_changes": "perubahan rencana", "rejected": "ditolak",
                "carried": "dipindah ke ID baru", "bukti_berkas": "berkas bukti",
                "bukti_tautan": "tautan bukti"}


def describe_counts(counts: dict) -> str:
    return ", ".join(f"{value} {COUNT_LABELS.get(key, key)}" for key, value in counts.items() if value)


def upload_history(uploads: pd.DataFrame, zone: str) -> pd.DataFrame:
    """Newest first, with Indonesian headers; times in the office's `zone`."""
    table = pd.DataFrame({
        "No.": uploads["upload_id"],
        "Waktu": table_moments(uploads["created_at"], zone),
        "Berkas": uploads["file_name"],
        "Oleh": uploads["uploaded_by"],
        "Jenis": uploads["kind"].map(lambda k: KIND_LABELS.get(k, k)),
        "Perubahan": uploads["counts"].map(describe_counts),
        "Keterangan": [
            f"dibatalkan oleh #{undone}" if pd.notna(undone) else (f"membatalkan #{undoes}" if pd.notna(undoes) else "")
            for undone, undoes in zip(uploads["undone_by"], uploads["undoes"])
        ],
        "SHA-256": uploads["sha256"].str[:12],
    })
    return table.iloc[::-1].reset_index(drop=True)
