"""The wide tables as a 1024-px window shows them (narrow_tables): merged cells keep what the separate columns said."""

import pandas as pd

from zi_data.reporting import reports
from zi_data.reporting.narrow_tables import (COMPLETION_HEADERS, OVERDUE_MAIN_COLUMNS, completion_table,
                                             overdue_main_table)


def test_the_overdue_month_and_days_read_as_one_cell_in_the_lists_order():
    overdue = pd.DataFrame([{"penanggung_jawab": "Tim A", "id": item, "area": "I", "komponen": "K",
                             "langkah_aksi": "L", "bukti_fisik": "B", "month": month, "days_overdue": days,
                             "status": "Sebagian", "catatan": ""} for item, month, days in
                            [("I-1-2", 3, 17), ("I-1-1", 1, 76)]])
    shown = overdue_main_table(reports.overdue_table(overdue))
    assert list(shown.columns) == OVERDUE_MAIN_COLUMNS
    assert shown[["ID", "Bulan · Terlambat"]].values.tolist() == [["I-1-1", "Januari · 76 hari"],
                                                                 ["I-1-2", "Maret · 17 hari"]]


def test_capaian_reads_each_rate_with_its_counts_or_every_column_apart():
    table = pd.DataFrame({"group": ["I", "II"], "planned_as_of": [28, 0], "done_as_of": [16, 0],
                          "rate_as_of": [16 / 28, float("nan")], "planned_annual": [40, 3], "done_annual": [16, 0],
                          "rate_annual": [16 / 40, 0.0]})
    shown = completion_table(table, 6, every_column=False)
    assert shown.values.tolist() == [["I", "57,1 % · 16 dari 28", "40,0 % · 16 dari 40"],
                                     ["II", "– · 0 dari 0", "0,0 % · 0 dari 3"]]
    assert list(shown.columns) == ["Kelompok", "Capaian s.d. Juni", "Capaian tahunan"]
    full = completion_table(table, 6, every_column=True)
    assert list(full.columns) == list(COMPLETION_HEADERS.values())
    assert full.at[0, "Capaian s.d. bulan acuan"] == "57,1 %"
