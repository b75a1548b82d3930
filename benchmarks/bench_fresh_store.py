"""What opening a new data directory costs: a fresh SQLite store made, migrated and seeded (open_seeded: every
schema revision, the offices of the bundled list, the bundled plan), beside opening that store again (the schema
found at its newest revision, nothing to seed), and the part of it that adds the 553 bundled offices (revision
0009's work, into an emptied offices table, rolled back). Each run a new directory, in turns, in one process.

    .venv/bin/python benchmarks/bench_fresh_store.py      # writes benchmarks/results/fresh_store.json
"""

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from timing import ROOT, report, seconds
from zi_data.base.clock import utc_now
from zi_data.store.bundled_offices import add_bundled_offices
from zi_data.store.database import Database
from zi_data.store.plan_years import open_seeded

RUNS = 15
PARENT = Path(tempfile.mkdtemp(prefix="zi-bench-fresh-"))  # every data directory of the run, removed at its end


def fresh(directory: Path) -> None:
    open_seeded(directory).dispose()


def new_directory() -> Path:
    return Path(tempfile.mkdtemp(dir=PARENT)) / "data"


def bundled_offices_added(database: Database) -> dict:
    """seconds()'s figures of add_bundled_offices alone, each run into an emptied offices table, rolled back."""
    times = []
    for _ in range(RUNS):
        with database.engine.connect() as conn, conn.begin() as transaction:
            conn.execute(sa.text("DELETE FROM offices"))
            start = time.perf_counter()
            assert add_bundled_offices(conn, utc_now()) == 553
            times.append(time.perf_counter() - start)
            transaction.rollback()
    return {"median": round(statistics.median(times), 4), "min": round(min(times), 4)}


if __name__ == "__main__":
    fresh(new_directory())  # imports and first-use caches warm
    existing = new_directory()
    fresh(existing)
    unseeded = Database(new_directory())  # no plan year: its offices may all be deleted
    timings = {}
    for _ in range(2):  # in turns, so a change in the machine's load touches both alike
        timings["open an existing store"] = seconds(lambda: fresh(existing), RUNS)
        timings["open a new data directory (migrate, seed)"] = seconds(fresh, RUNS, setup=new_directory)
        timings["of which: adding the 553 bundled offices"] = bundled_offices_added(unseeded)
    unseeded.dispose()
    ratio = round(timings["open a new data directory (migrate, seed)"]["median"]
                  / timings["open an existing store"]["median"], 1)
    print(f"new / existing: {ratio}")
    shutil.rmtree(PARENT, ignore_errors=True)
    report(timings, ROOT / "benchmarks" / "results" / "fresh_store.json", runs=RUNS, new_per_existing=ratio)
