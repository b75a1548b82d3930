"""The lembar monev PDF of the bundled KPU plan with realistic progress: cold and warm build time.

Setup (untimed): a data directory with the bundled plan, about 60 % of the item-months due through June
reported Selesai with bukti dukung and 10 % Sebagian, a monev meeting as of June with three follow-ups;
its `monev.report_data` is written as JSON. Then, RUNS times, a new process:

- cold: `import zi_data.monev.lembar_pdf` and the first build of the PDF (fonts loaded and subset), timed in the
  process; also the whole process's wall time, interpreter start included;
- warm: a second build of the same report in the same process;
- baselines in the same process: importing zi_data.monev.monev (pandas, SQLAlchemy: what every command loads
  before the PDF library) and building the same report as the lembar's workbook (warm).

Median of RUNS.

    .venv/bin/python benchmarks/bench_lembar.py   # writes benchmarks/results/lembar.json
"""

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

from timing import ROOT

from zi_data.monev import monev
from zi_data.store.plan_years import open_seeded
from zi_data.store.progress_store import ProgressStore

RUNS = 3
RESULTS = Path(__file__).resolve().parent / "results" / "lembar.json"
CHILD = """
import json, sys, time
start = time.perf_counter()
import zi_data.monev.monev  # what every command loads: pandas, SQLAlchemy
baseline_imported = time.perf_counter()
from zi_data.monev.lembar_pdf import lembar_pdf_bytes
from zi_data.monev.lembar_xlsx import lembar_xlsx_bytes
imported = time.perf_counter()
report = json.loads(open(sys.argv[1], encoding="utf-8").read())
loaded = time.perf_counter()
first = lembar_pdf_bytes(report)
built = time.perf_counter()
second = lembar_pdf_bytes(report)
warm = time.perf_counter() - built
assert first == second
lembar_xlsx_bytes(report)
xlsx_start = time.perf_counter()
lembar_xlsx_bytes(report)
xlsx_warm = time.perf_counter() - xlsx_start
print(json.dumps({"baseline_import": baseline_imported - start, "import": imported - start,
                  "cold": imported - start + built - loaded, "warm": warm, "xlsx_warm": xlsx_warm,
                  "bytes": len(first)}))
"""


def recorded_report(data_dir: Path) -> dict:
    store = ProgressStore(database=open_seeded(data_dir))
    chooser, rows = random.Random(2025), []
    for item in store.plan().itertuples():
        for month in (m for m in item.months if m <= 6):
            draw = chooser.random()
            if draw < 0.7:
                done = draw < 0.6
                rows.append({"item_id": item.id, "month": month, "status": "Selesai" if done else "Sebagian",
                             "bukti_dukung": f"Laporan {item.id} bulan {month}.pdf" if done else ""})
    with store.transaction() as conn:
        store.append_entries(conn, pd.DataFrame(rows), None)
    meeting_id = monev.record_meeting(
        store, held_on=date(2025, 7, 3), kind="triwulan", chair="Ketua KPU Kabupaten Kapuas",
        participants="\n".join(f"Peserta {n}" for n in range(1, 16)), participant_count=None, as_of_month=6,
        notes="Capaian area II dan IV perlu dipercepat.", by="admin")
    for number, team in enumerate(["Tim Pengawasan", "Tim Agen Perubahan", "Tim Pelayanan Publik"], 1):
        monev.add_follow_up(store, action=f"Lengkapi bukti dukung yang tertunggak ({number})", team=team,
                            due_on=date(2025, 7, 31), item_id=None, by="admin", meeting_id=meeting_id)
    return monev.report_data(store, meeting_id=meeting_id, today=date(2025, 7, 15))


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        report = recorded_report(Path(workdir) / "data")
        source = Path(workdir) / "report.json"
        source.write_text(json.dumps(report, ensure_ascii=False, default=str), encoding="utf-8")
        runs, walls = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            output = subprocess.run([sys.executable, "-c", CHILD, str(source)], cwd=ROOT, check=True,
                                    capture_output=True, text=True).stdout
            walls.append(time.perf_counter() - start)
            runs.append(json.loads(output))
    timings = {
        "baseline: import zi_data.monev.monev (pandas, SQLAlchemy)": statistics.median(run["baseline_import"] for run in runs),
        "baseline: the same report as XLSX, warm": statistics.median(run["xlsx_warm"] for run in runs),
        "cold: new process, import + first build": statistics.median(run["cold"] for run in runs),
        "  of which the import": statistics.median(run["import"] for run in runs),
        "cold: whole process (interpreter start included)": statistics.median(walls),
        "warm: second build in the same process": statistics.median(run["warm"] for run in runs),
    }
    width = max(map(len, timings))
    for name, value in timings.items():
        print(f"{name:<{width}}  {value:6.3f} s")
    facts = {"overdue": len(report["snapshot"]["overdue"]), "pdf_bytes": runs[0]["bytes"], "runs": RUNS,
             "seconds_median": {name: round(value, 4) for name, value in timings.items()}}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(facts, indent=2) + "\n")
    print(f"{facts['overdue']} overdue item-months, {facts['pdf_bytes']} bytes; written to {RESULTS}")


if __name__ == "__main__":
    main()
