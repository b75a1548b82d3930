"""`python -m zi_data status` on the bundled plan with a few recorded reports."""

import json

import pandas as pd
import pytest

from helpers import new_store, run_cli
from zi_data.base import paths
from zi_data.plan.plan import read_plan

PLAN = read_plan(paths.BUNDLED_PLAN)


def planned_through(month: int) -> int:
    return sum(sum(1 for m in months if m <= month) for months in PLAN["months"])


@pytest.fixture
def data_dir(tmp_path):
    store = new_store(tmp_path)
    with store.transaction() as conn:
        store.append_entries(conn, pd.DataFrame([
            {"item_id": "I-1-1", "month": 1, "status": "Selesai", "bukti_dukung": "sk.pdf"},
            {"item_id": "I-2-1", "month": 1, "status": "Selesai", "bukti_dukung": ""},
            {"item_id": "I-4-2", "month": 1, "status": "Sebagian", "bukti_dukung": ""},
        ]), None)
    return tmp_path


def run_json(*args, data_dir=None) -> dict:
    return json.loads(run_cli("status", *args, "--json", data_dir=data_dir, check_returncode=0).stdout)


def test_status_json(data_dir):
    summary = run_json("--data-dir", str(data_dir), "--as-of", "2025-06")
    assert summary["as_of"] == "2025-06-30"
    assert summary["overall"]["as_of"] == {"planned": planned_through(6), "done": 1,
                                           "rate": round(1 / planned_through(6), 6)}
    assert summary["overall"]["annual"]["planned"] == planned_through(12) == 671
    assert list(summary["by_area"]) == ["I", "II", "III", "IV", "V", "VI"]
    assert set(summary["by_team"]) == set(PLAN["penanggung_jawab"])
    assert summary["by_area"]["I"]["annual"]["done"] == 1
    assert sum(area["as_of"]["planned"] for area in summary["by_area"].values()) == planned_through(6)
    overdue = summary["overdue"]
    assert len(overdue) == planned_through(5) - 1  # everything due Jan–May except the one done
    assert overdue[0]["month"] == 1 and overdue[0]["days_overdue"] == 150  # January 31 -> June 30
    assert overdue[-1]["month"] == 5 and overdue[-1]["days_overdue"] == 30
    assert {"id", "area", "komponen", "langkah_aksi", "bukti_fisik", "month", "penanggung_jawab",
            "days_overdue"} <= set(overdue[0])
    by_id = {(o["id"], o["month"]): o for o in overdue}
    assert by_id[("I-4-2", 1)]["state"] == "sebagian" and by_id[("I-2-1", 1)]["status"] == "Selesai"


def test_grace_days_and_a_date(data_dir):
    summary = run_json("--data-dir", str(data_dir), "--as-of", "2025-07-03", "--grace-days", "3")
    assert summary["grace_days"] == 3
    assert len(summary["overdue"]) == planned_through(5) - 1  # June is still within the grace period
    assert summary["overall"]["as_of"]["planned"] == planned_through(7)


def test_zi_data_dir_is_the_default(data_dir):
    assert run_json("--as-of", "2025-01", data_dir=data_dir)["overall"]["as_of"]["done"] == 1


def test_text_summary_is_indonesian(data_dir):
    out = run_cli("status", "--data-dir", data_dir, "--as-of", "2025-06", check_returncode=0).stdout
    assert "per 30 Juni 2025" in out and "Capaian s.d. Juni:" in out and "Capaian tahunan:" in out
    assert f"Terlambat: {planned_through(5) - 1} bulan-kegiatan" in out


@pytest.mark.parametrize("bad", ["2025-13", "juni", "2024-06", "2025-02-30", "2025"])
def test_bad_as_of_is_an_indonesian_error(data_dir, bad):
    err = run_cli("status", "--data-dir", data_dir, "--as-of", bad, check_returncode=2).stderr
    assert f"--as-of '{bad}'" in err and ("tidak sah" in err or "di luar tahun rencana aksi" in err)


def test_bad_as_of_exits_2_without_traceback(tmp_path):
    result = run_cli("status", "--data-dir", tmp_path, "--as-of", "2025-13", "--json")
    assert (result.returncode, result.stdout) == (2, "")
    assert "Traceback" not in result.stderr and "tidak sah" in result.stderr
