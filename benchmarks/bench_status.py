"""Status computation at the scale of every KPU office together.

The bundled plan's 68 langkah aksi are repeated for 553 offices (KPU RI, 38 provinces,
514 kabupaten/kota: ~37,600 items), each month planned with probability 0.99 (~447,000
item-months). The log reports 60 % of the item-months due by the as-of month (end of
September). Times classify, completion (overall, per area, per team, per komponen),
kurva_s and overdue_list (median and best of RUNS runs), the same for the bundled plan of one
office, and reading the current state of the national log from SQLite.

    .venv/bin/python benchmarks/bench_status.py     # writes benchmarks/results/status.json
"""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import timing  # noqa: E402

from zi_data import paths, status  # noqa: E402
from zi_data.plan import read_plan  # noqa: E402
from zi_data.progress_store import ProgressStore  # noqa: E402

OFFICES = 553
MONTH_PROBABILITY = 0.99
REPORTED_SHARE = 0.6
AS_OF = date(2025, 9, 30)
RUNS = 5
SEED = 2025
RESULTS = Path(__file__).resolve().parent / "results" / "status.json"


def synthetic_plan(rng) -> pd.DataFrame:
    base = read_plan(paths.BUNDLED_PLAN)
    office = np.repeat(np.arange(OFFICES), len(base))
    plan = pd.concat([base] * OFFICES, ignore_index=True)
    plan["id"] = [f"K{o:03d}-{i}" for o, i in zip(office, plan["id"])]
    plan["penanggung_jawab"] = [f"{team} K{o:03d}" for o, team in zip(office, plan["penanggung_jawab"])]
    planned = rng.random((len(plan), 12)) < MONTH_PROBABILITY
    planned[~planned.any(axis=1), 0] = True
    plan["months"] = [tuple(int(m) + 1 for m in np.flatnonzero(row)) for row in planned]
    plan.attrs.update(base.attrs)
    return plan


def synthetic_log(plan: pd.DataFrame, rng) -> pd.DataFrame:
    due = plan[["id", "months"]].explode("months").rename(columns={"id": "item_id", "months": "month"})
    due = due[due["month"] <= AS_OF.month]
    reported = due.sample(frac=REPORTED_SHARE, random_state=SEED).astype({"month": "int64"})
    status = rng.choice(["Selesai", "Sebagian", "Belum"], size=len(reported), p=[0.7, 0.2, 0.1])
    with_evidence = rng.random(len(reported)) < 0.9
    return reported.assign(
        status=status, bukti_dukung=np.where((status == "Selesai") & with_evidence, "https://bukti/dok.pdf", ""),
        tanggal="2025-09-15", catatan="", reported_by="bench").reset_index(drop=True)


def compute_all(plan, latest):
    classified = status.classify(plan, latest, AS_OF)
    tables = [status.completion(classified, AS_OF, by) for by in (None, "area", "penanggung_jawab", "komponen")]
    return classified, tables, status.kurva_s(classified, AS_OF), status.overdue_list(classified)


def seconds(function, runs=RUNS, setup=None) -> dict:
    return timing.seconds(function, runs, setup)


def main() -> int:
    rng = np.random.default_rng(SEED)
    plan = synthetic_plan(rng)
    latest = synthetic_log(plan, rng)
    classified, tables, _, overdue = compute_all(plan, latest)
    stages = {
        "classify": lambda: status.classify(plan, latest, AS_OF),
        "completion (overall + area + team + komponen)": lambda: [
            status.completion(classified, AS_OF, by) for by in (None, "area", "penanggung_jawab", "komponen")],
        "kurva_s": lambda: status.kurva_s(classified, AS_OF),
        "overdue_list": lambda: status.overdue_list(classified),
        "total (all of the above)": lambda: compute_all(plan, latest),
    }
    timings = {name: seconds(run) for name, run in stages.items()}
    office_plan = read_plan(paths.BUNDLED_PLAN)
    office_latest = synthetic_log(office_plan, rng)
    timings["one office (bundled plan, 68 items): total"] = seconds(lambda: compute_all(office_plan, office_latest))

    with tempfile.TemporaryDirectory() as directory:
        store = ProgressStore(Path(directory))
        with store.transaction() as conn:
            store.append_entries(conn, latest, None)
        timings["store.latest() from SQLite"] = seconds(store.latest)

    sizes = {"offices": OFFICES, "items": len(plan), "item_months": int(plan["months"].map(len).sum()),
             "log_entries": len(latest), "overdue_rows": len(overdue),
             "teams": int(plan["penanggung_jawab"].nunique()), "as_of": AS_OF.isoformat(), "runs": RUNS}
    print(f"{sizes['items']:,} items, {sizes['item_months']:,} item-months, {sizes['log_entries']:,} log entries, "
          f"{sizes['overdue_rows']:,} overdue; as of {AS_OF}; median of {RUNS} runs")
    timing.report(timings, RESULTS, sizes=sizes, cpus=os.cpu_count(), pandas=pd.__version__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
