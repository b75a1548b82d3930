"""What opening a new data directory costs: a fresh SQLite store made, migrated and seeded (open_seeded: every
schema revision, the offices of the bundled list, the bundled plan), beside opening that store again (the schema
found at its newest revision, nothing to seed). Each run a new directory, in turns, in the same process.

    .venv/bin/python benchmarks/bench_fresh_store.py      # writes benchmarks/results/fresh_store.json
"""

import shutil
import tempfile
from pathlib import Path

from timing import ROOT, report, seconds
from zi_data.store.plan_years import open_seeded

RUNS = 15
PARENT = Path(tempfile.mkdtemp(prefix="zi-bench-fresh-"))  # every data directory of the run, removed at its end


def fresh(directory: Path) -> None:
    open_seeded(directory).dispose()


def new_directory() -> Path:
    return Path(tempfile.mkdtemp(dir=PARENT)) / "data"


if __name__ == "__main__":
    fresh(new_directory())  # imports and first-use caches warm
    existing = new_directory()
    fresh(existing)
    timings = {}
    for _ in range(2):  # in turns, so a change in the machine's load touches both alike
        timings["open an existing store"] = seconds(lambda: fresh(existing), RUNS)
        timings["open a new data directory (migrate, seed)"] = seconds(fresh, RUNS, setup=new_directory)
    ratio = round(timings["open a new data directory (migrate, seed)"]["median"]
                  / timings["open an existing store"]["median"], 1)
    print(f"new / existing: {ratio}")
    shutil.rmtree(PARENT, ignore_errors=True)
    report(timings, ROOT / "benchmarks" / "results" / "fresh_store.json", runs=RUNS, new_per_existing=ratio)
