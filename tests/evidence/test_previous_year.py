"""How a langkah aksi ended in the office's previous plan year (previous_year): done of planned as of that year's
end, under that year's counting rule; nothing of it enters the later year."""

from evidence_helpers import pdf
from helpers import new_store, plan_workbook, report
from zi_data.evidence import evidence
from zi_data.evidence.previous_year import outcome_text, previous_year, year_outcomes
from zi_data.store.counting_rule import set_counting_rule
from zi_data.store.plan_years import preview_new_year, start_year


def test_a_step_s_last_year_counts_its_planned_months_done_under_that_year_s_rule(tmp_path):
    old = new_store(tmp_path / "data")  # 2025: I-1-1 planned in Januari and Desember
    report(old, "I-1-1", 1)                  # done: Selesai with bukti dukung
    report(old, "I-1-1", 12, bukti_dukung="")  # Selesai without bukti dukung: not done
    report(old, "I-1-1", 5)                  # an unplanned month: not counted
    assert previous_year(old) is None
    new = start_year(old, preview_new_year(old, plan_workbook(2026), "rencana_2026.xlsx"), "Admin")
    assert previous_year(new) == 2025 and previous_year(new.with_ledger(year=2025)) is None
    outcomes = year_outcomes(old)
    assert outcomes.index.tolist() == old.plan()["id"].tolist()
    assert outcome_text(outcomes, "I-1-1", 2025) == "Tahun 2025: 1 dari 2 bulan selesai"
    assert outcome_text(outcomes, "I-3-1", 2025) == "Tahun 2025: 0 dari 12 bulan selesai"
    assert outcome_text(outcomes, "X-9-9", 2025) is None  # not in that year's plan
    set_counting_rule(old, "terverifikasi", "Admin")
    assert outcome_text(year_outcomes(old), "I-1-1", 2025) == "Tahun 2025: 0 dari 2 bulan selesai"
    evidence.attach_file(old, "I-1-1", 12, "laporan.pdf", pdf("laporan"), "rina")
    evidence.review(old, "I-1-1", 12, "diterima", "", "penilai")
    assert outcome_text(year_outcomes(old), "I-1-1", 2025) == "Tahun 2025: 1 dari 2 bulan selesai"
    assert new.entries().empty and year_outcomes(new)["done"].sum() == 0  # years stay apart


def test_a_step_with_no_month_planned_says_so(tmp_path):
    store = new_store(tmp_path / "data")
    plan = store.plan()
    plan.at[0, "months"] = ()
    store.add_plan_version(plan, "tanpa_bulan.xlsx", "0" * 64, "Admin")
    assert outcome_text(year_outcomes(store), plan.at[0, "id"], 2025) == "Tahun 2025: tanpa bulan terjadwal"
