"""The upload history as people read it."""

import pandas as pd

# Stored upload kinds (Indonesian: exported and read by people); migration 2 renamed plan and undo.
REALISASI_KIND, PLAN_KIND, UNDO_KIND = "realisasi", "rencana", "pembatalan"
KIND_LABELS = {REALISASI_KIND: "Realisasi", PLAN_KIND: "Revisi rencana", UNDO_KIND: "Pembatalan"}
COUNT_LABELS = {"new": "baru", "changed": "diubah", "unchanged": "tetap", "conflicts": "konflik",
                "restored": "dipulihkan", "cleared": "dikosongkan", "plan_changes": "perubahan rencana", "rejected": "ditolak",
                "carried": "dipindah ke ID baru", "bukti_berkas": "berkas bukti",
                "bukti_tautan": "tautan bukti"}


def to_local_time(utc_iso: pd.Series) -> pd.Series:
    """UTC timestamps as 'DD-MM-YYYY HH:MM WIB' (Kalimantan Tengah keeps Western Indonesia Time)."""
    stamps = pd.to_datetime(utc_iso, utc=True).dt.tz_convert("Asia/Jakarta")
    return stamps.dt.strftime("%d-%m-%Y %H:%M WIB")


def describe_counts(counts: dict) -> str:
    return ", ".join(f"{value} {COUNT_LABELS.get(key, key)}" for key, value in counts.items() if value)


def upload_history(uploads: pd.DataFrame) -> pd.DataFrame:
    """Newest first, with Indonesian headers."""
    table = pd.DataFrame({
        "No.": uploads["upload_id"],
        "Waktu": to_local_time(uploads["created_at"]),
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
