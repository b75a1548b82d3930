"""What the benchmark scripts share: the project root (on sys.path once this is imported, so a script imports
zi_data and tests after `from timing import ROOT`), timing a function and reporting a table of timings."""

import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def seconds(function, runs: int, setup=None) -> dict:
    """Median and best wall-clock seconds of `runs` calls; `setup()`'s result is passed in, untimed."""
    times = []
    for _ in range(runs):
        argument = setup() if setup else None
        start = time.perf_counter()
        function(argument) if setup else function()
        times.append(time.perf_counter() - start)
    return {"median": round(statistics.median(times), 4), "min": round(min(times), 4)}


def report(timings: dict, results: Path, **facts) -> None:
    """Print the timings as a table and write them, with `facts` about the run, to `results` (JSON)."""
    width = max(map(len, timings))
    print(f"{'stage':<{width}}  median (s)  min (s)")
    for name, timing in timings.items():
        print(f"{name:<{width}}  {timing['median']:10.3f}  {timing['min']:7.3f}")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps({**facts, "seconds": timings, "python": platform.python_version(),
                                   "machine": platform.machine()}, indent=2) + "\n")
    print(f"written to {results}")
