"""Status rules on a small hand-built plan; every expected number is worked out by hand."""

import math
from datetime import date

import pytest

from helpers import make_latest, make_plan
from zi_data.plan.status import (STATE_LABELS, as_of_date, classify, completion, kurva_s, monthly_progress,
                                 overdue_list, status_summary)

YEAR = 2025


PLAN = make_plan([
    ("A-1", "I", "T1", "K1", (1, 6)),
    ("A-2", "I", "T2", "K1", (5,)),
    ("B-1", "II", "T1", "K2", (6, 7, 12)),
    ("B-2", "II", "T2", "K2", ()),
])
LATEST = make_latest([
    ("A-1", 1, "Selesai", "https://contoh/sk.pdf"),  # done
    ("A-1", 6, "Selesai", ""),                        # Selesai without bukti dukung: not done
    ("A-2", 5, "Sebagian", "draf"),                   # partial
    ("B-1", 3, "Selesai", "notulen.pdf"),             # done in an unplanned month
    ("B-1", 7, "Selesai", "foto.jpg"),                # done early, planned for July
    ("B-1", 2, "Belum", ""),                          # Belum in an unplanned month: ignored
    ("Z-9", 1, "Selesai", "x"),                       # not in the plan: ignored
])


def states(classified) -> dict:
    return {(r.id, r.month): r.state for r in classified.itertuples()}


def row(classified, item_id, month):
    found = classified[(classified["id"] == item_id) & (classified["month"] == month)]
    assert len(found) == 1
    return found.iloc[0]


def test_as_of_date_month_is_last_day_and_today_is_clamped():
    assert as_of_date(YEAR, month=6) == date(2025, 6, 30)
    assert as_of_date(2024, month=2) == date(2024, 2, 29)
    assert as_of_date(YEAR, month=12) == date(2025, 12, 31)
    assert as_of_date(YEAR, today=date(2025, 3, 14)) == date(2025, 3, 14)
    assert as_of_date(YEAR, today=date(2026, 2, 1)) == date(2025, 12, 31)  # plan year in the past
    assert as_of_date(YEAR, today=date(2024, 11, 5)) == date(2025, 1, 1)   # plan year not started
    with pytest.raises(ValueError):
        as_of_date(YEAR, month=13)
    with pytest.raises(TypeError, match="office's today"):  # never the server's date in its place
        as_of_date(YEAR)


def test_classify_end_of_june():
    classified = classify(PLAN, LATEST, date(2025, 6, 30))
    assert states(classified) == {
        ("A-1", 1): "selesai", ("A-1", 6): "berjalan", ("A-2", 5): "sebagian",
        ("B-1", 3): "di_luar_jadwal", ("B-1", 6): "berjalan", ("B-1", 7): "selesai",
        ("B-1", 12): "belum_jatuh_tempo",
    }
    assert list(classified["id"]) == ["A-1", "A-1", "A-2", "B-1", "B-1", "B-1", "B-1"]  # plan order, then month
    assert row(classified, "A-1", 6)["status"] == "Selesai"
    assert not row(classified, "B-1", 3)["planned"]
    assert row(classified, "B-1", 3)["area"] == "II" and row(classified, "B-1", 3)["penanggung_jawab"] == "T1"
    partial = row(classified, "A-2", 5)
    assert partial["overdue"] and partial["days_overdue"] == 30  # May 31 -> June 30
    assert classified["overdue"].sum() == 1
    assert set(STATE_LABELS) >= set(classified["state"])


def test_first_day_of_next_month_makes_june_overdue():
    classified = classify(PLAN, LATEST, date(2025, 7, 1))
    assert row(classified, "A-1", 6)["state"] == "terlambat"  # Selesai without bukti stays overdue
    assert row(classified, "A-1", 6)["days_overdue"] == 1
    assert row(classified, "B-1", 6)["state"] == "terlambat"
    assert row(classified, "B-1", 12)["state"] == "belum_jatuh_tempo"
    assert row(classified, "A-2", 5)["days_overdue"] == 31


def test_first_day_of_a_month_is_in_that_month():
    classified = classify(PLAN, LATEST, date(2025, 6, 1))
    assert row(classified, "A-1", 6)["state"] == "berjalan"
    assert row(classified, "A-2", 5)["days_overdue"] == 1
    assert completion(classified, date(2025, 6, 1)).iloc[0]["planned_as_of"] == 4


def test_grace_period():
    as_of = date(2025, 7, 3)
    within = classify(PLAN, LATEST, as_of, grace_days=3)  # June 30 + 3 = July 3: not yet ended
    assert row(within, "A-1", 6)["state"] == "berjalan" and not row(within, "A-1", 6)["overdue"]
    assert row(within, "A-2", 5)["days_overdue"] == 30    # May 31 + 3 = June 3 -> July 3
    past = classify(PLAN, LATEST, as_of, grace_days=2)
    assert row(past, "A-1", 6)["state"] == "terlambat" and row(past, "A-1", 6)["days_overdue"] == 1


def test_desember_and_a_plan_year_in_the_past():
    as_of = as_of_date(YEAR, today=date(2026, 3, 1))
    classified = classify(PLAN, LATEST, as_of)
    assert row(classified, "B-1", 12)["state"] == "berjalan"
    assert row(classified, "B-1", 6)["days_overdue"] == 184  # June 30 -> December 31
    overall = completion(classified, as_of).iloc[0]
    assert (overall["planned_as_of"], overall["done_as_of"]) == (6, 2)
    assert overall["rate_as_of"] == overall["rate_annual"] == pytest.approx(2 / 6)
    after_year = classify(PLAN, LATEST, date(2026, 1, 10))  # called directly with a later date
    assert row(after_year, "B-1", 12)["state"] == "terlambat"
    assert row(after_year, "B-1", 12)["days_overdue"] == 10


def test_before_the_plan_year_nothing_is_due():
    classified = classify(PLAN, LATEST, date(2024, 12, 15))
    assert set(classified.loc[classified["planned"] & (classified["state"] != "selesai"), "state"]) == {
        "belum_jatuh_tempo", "sebagian"}
    assert not classified["overdue"].any()
    overall = completion(classified, date(2024, 12, 15)).iloc[0]
    assert overall["planned_as_of"] == 0 and math.isnan(overall["rate_as_of"])
    assert kurva_s(classified, date(2024, 12, 15))["realised_pct"].isna().all()


def test_completion_overall_and_per_group():
    as_of = date(2025, 6, 30)
    classified = classify(PLAN, LATEST, as_of)
    overall = completion(classified, as_of)
    assert overall.to_dict("records") == [{
        "group": "Keseluruhan", "planned_as_of": 4, "done_as_of": 1, "rate_as_of": 0.25,
        "planned_annual": 6, "done_annual": 2, "rate_annual": pytest.approx(1 / 3)}]
    by_area = completion(classified, as_of, by="area").set_index("group")
    assert by_area.loc["I", ["planned_as_of", "done_as_of", "planned_annual", "done_annual"]].tolist() == [3, 1, 3, 1]
    assert by_area.loc["II", ["planned_as_of", "done_as_of", "planned_annual", "done_annual"]].tolist() == [1, 0, 3, 1]
    assert by_area.loc["II", "rate_as_of"] == 0.0
    by_team = completion(classified, as_of, by="penanggung_jawab").set_index("group")
    assert list(by_team.index) == ["T1", "T2"]
    assert by_team.loc["T1", ["planned_as_of", "done_as_of", "planned_annual", "done_annual"]].tolist() == [3, 1, 5, 2]
    assert by_team.loc["T2", "rate_annual"] == 0.0
    by_komponen = completion(classified, as_of, by="komponen").set_index("group")
    assert by_komponen.loc["K2", "rate_annual"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        completion(classified, as_of, by="bulan")


def test_rate_is_nan_when_a_group_has_nothing_due():
    as_of = date(2025, 4, 30)
    by_team = completion(classify(PLAN, LATEST, as_of), as_of, by="penanggung_jawab").set_index("group")
    assert by_team.loc["T2", "planned_as_of"] == 0 and math.isnan(by_team.loc["T2", "rate_as_of"])
    assert by_team.loc["T2", "planned_annual"] == 1


def test_kurva_s():
    as_of = date(2025, 6, 30)
    curve = kurva_s(classify(PLAN, LATEST, as_of), as_of)
    assert list(curve["month"]) == list(range(1, 13))
    assert list(curve["planned"]) == [1, 1, 1, 1, 2, 4, 5, 5, 5, 5, 5, 6]
    assert curve["planned_pct"].tolist() == pytest.approx([100 * n / 6 for n in [1, 1, 1, 1, 2, 4, 5, 5, 5, 5, 5, 6]])
    assert curve["realised_pct"].iloc[:6].tolist() == pytest.approx([100 / 6] * 6)
    assert curve["realised_pct"].iloc[6:].isna().all()
    assert curve.loc[5, "deviation"] == pytest.approx(100 / 6 - 400 / 6)  # -50 points in June
    december = kurva_s(classify(PLAN, LATEST, date(2025, 12, 31)), date(2025, 12, 31))
    assert december["realised_pct"].iloc[-1] == pytest.approx(100 * 2 / 6)


def test_monthly_progress():
    as_of = date(2025, 6, 30)
    monthly = monthly_progress(classify(PLAN, LATEST, as_of), as_of).set_index("month")
    assert monthly.loc[6, ["planned", "done"]].tolist() == [2, 0]
    assert monthly.loc[1, "rate"] == 1.0 and math.isnan(monthly.loc[7, "rate"]) and monthly.loc[7, "done"] == 1
    assert math.isnan(monthly.loc[2, "rate"])


def test_overdue_list_most_overdue_first():
    overdue = overdue_list(classify(PLAN, LATEST, date(2025, 7, 1)))
    assert overdue[["id", "month", "days_overdue", "state"]].values.tolist() == [
        ["A-2", 5, 31, "sebagian"], ["A-1", 6, 1, "terlambat"], ["B-1", 6, 1, "terlambat"]]
    first = overdue.iloc[0]
    assert first["bukti_fisik"] == "bukti A-2" and first["penanggung_jawab"] == "T2"
    assert first["komponen"] == "K1" and first["langkah_aksi"] == "langkah A-2" and first["month_name"] == "Mei"
    assert overdue.iloc[1]["status"] == "Selesai"


def test_latest_may_be_empty():
    empty = make_latest([])
    classified = classify(PLAN, empty, date(2025, 6, 30))
    assert len(classified) == 6 and not classified["planned"].eq(False).any()
    assert completion(classified, date(2025, 6, 30)).iloc[0]["done_annual"] == 0


def test_status_summary_json_shape():
    summary = status_summary(PLAN, LATEST, date(2025, 7, 1))
    assert summary["as_of"] == "2025-07-01" and summary["year"] == 2025
    assert summary["overall"] == {"as_of": {"planned": 5, "done": 2, "rate": 0.4},
                                  "annual": {"planned": 6, "done": 2, "rate": 0.333333}}
    assert set(summary["by_area"]) == {"I", "II"} and set(summary["by_team"]) == {"T1", "T2"}
    assert summary["by_area"]["II"]["as_of"] == {"planned": 2, "done": 1, "rate": 0.5}
    assert [(o["id"], o["month"], o["days_overdue"]) for o in summary["overdue"]] == [
        ("A-2", 5, 31), ("A-1", 6, 1), ("B-1", 6, 1)]
    assert summary["states"]["di_luar_jadwal"] == 1
