"""Downloadable Excel reports built from the status tables, and the audit trail as a workbook."""

from datetime import datetime, timezone

import openpyxl
import pandas as pd

from ..base.clock import excel_moment
from ..store.audit import audit_table
from ..store.counting_rule import DEFAULT_RULE, RULES
from ..base.months import MONTHS
from ..plan.plan_workbook import add_info_sheet, add_table_sheet, save_deterministic, set_up_printing

OVERDUE_HEADERS = {
    "penanggung_jawab": "Penanggung Jawab", "id": "ID", "area": "Area", "komponen": "Komponen",
    "langkah_aksi": "Langkah Aksi", "bukti_fisik": "Bukti Fisik yang Diperlukan", "month_name": "Bulan",
    "days_overdue": "Hari Terlambat", "status": "Status Terakhir", "catatan": "Catatan/Kendala",
}
OVERDUE_WIDTHS = {"Penanggung Jawab": 24, "ID": 9, "Area": 6, "Komponen": 24, "Langkah Aksi": 48,
                  "Bukti Fisik yang Diperlukan": 42, "Bulan": 11, "Hari Terlambat": 10,
                  "Status Terakhir": 12, "Catatan/Kendala": 30}


def overdue_table(overdue: pd.DataFrame) -> pd.DataFrame:
    """The overdue list with Indonesian headers and month names, grouped by team."""
    table = overdue.assign(month_name=overdue["month"].map(lambda m: MONTHS[m - 1]))
    table = table.sort_values(["penanggung_jawab", "days_overdue"], ascending=[True, False], kind="stable")
    table = table.reindex(columns=list(OVERDUE_HEADERS)).fillna("")
    return table.rename(columns=OVERDUE_HEADERS)


def overdue_workbook_bytes(overdue: pd.DataFrame, title: str, rule: str = DEFAULT_RULE) -> bytes:
    """The overdue list, and an Info sheet naming the list and the counting rule it was made under."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    add_table_sheet(workbook, "Bukti Tertunggak", overdue_table(overdue), OVERDUE_WIDTHS)
    add_info_sheet(workbook, {"Judul": title, "Aturan hitung": RULES[rule]})
    set_up_printing(workbook.worksheets[-1], None, landscape=False)
    workbook.properties.title = title
    return save_deterministic(workbook)


def audit_workbook_bytes(events: pd.DataFrame, zone: str) -> bytes:
    """The trail as an XLSX sheet: its times are date-time cells in the office's `zone` (named in the header)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    table = audit_table(events, zone)
    table["Waktu"] = pd.Series([excel_moment(at, zone) for at in events["at"].iloc[::-1]], dtype=object)
    table = table.rename(columns={"Waktu": f"Waktu ({zone})"})
    add_table_sheet(workbook, "Jejak Audit", table,
                    {"No.": 6, f"Waktu ({zone})": 18, "Oleh": 22, "Tindakan": 22, "Rincian": 70, "SHA-256 berkas": 66})
    return save_deterministic(workbook, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
