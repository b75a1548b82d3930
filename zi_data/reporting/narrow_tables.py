"""The wide tables of the pages as a 1024-px window shows them (#23): the columns a meeting reads, related ones
merged into one ('Maret · 17 hari', '57,1 % · 16 dari 28'), so that no column hides behind a sideways scroll.
Every column stays one toggle away on the page ("Tampilkan semua kolom") and in the downloads."""

import pandas as pd

from ..base.months import MONTHS, format_percent

OVERDUE_LATE = "Bulan · Terlambat"
OVERDUE_MAIN_COLUMNS = ["ID", "Langkah Aksi", OVERDUE_LATE, "Status Terakhir"]
COMPLETION_HEADERS = {"group": "Kelompok", "planned_as_of": "Rencana s.d. bulan acuan", "done_as_of": "Selesai",
                      "rate_as_of": "Capaian s.d. bulan acuan", "planned_annual": "Rencana setahun",
                      "done_annual": "Selesai (tahunan)", "rate_annual": "Capaian tahunan"}
UPLOAD_MAIN_COLUMNS = ["No.", "Waktu", "Oleh", "Jenis", "Perubahan", "Keterangan"]  # not Berkas, SHA-256


def overdue_main_table(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of reports.overdue_table with what a meeting reads: ID, langkah aksi, the month and the days overdue
    in one column ('Maret · 17 hari') and the last status."""
    late = [f"{month} · {days} hari" for month, days in zip(table["Bulan"], table["Hari Terlambat"])]
    return table.assign(**{OVERDUE_LATE: late})[OVERDUE_MAIN_COLUMNS]


def completion_table(table: pd.DataFrame, as_of_month: int, every_column: bool) -> pd.DataFrame:
    """status.completion's table as Capaian shows it: per group the completion as of `as_of_month` and over the
    year, each as '57,1 % · 16 dari 28' (`every_column`: the seven columns, counts and rates apart)."""
    if every_column:
        return table.assign(rate_as_of=table["rate_as_of"].map(format_percent),
                            rate_annual=table["rate_annual"].map(format_percent)).rename(columns=COMPLETION_HEADERS)
    return pd.DataFrame({
        "Kelompok": table["group"],
        f"Capaian s.d. {MONTHS[as_of_month - 1]}": _completion_texts(table, "as_of"),
        "Capaian tahunan": _completion_texts(table, "annual"),
    })


def _completion_texts(table: pd.DataFrame, period: str) -> list[str]:
    return [f"{format_percent(rate)} · {done} dari {planned}" for rate, done, planned
            in zip(table[f"rate_{period}"], table[f"done_{period}"], table[f"planned_{period}"])]
