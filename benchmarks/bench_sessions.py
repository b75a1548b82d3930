"""What staying signed in costs each run of a page: resolving the session cookie in the database, beside the
one query every page already makes (the store's revision) and beside a whole page run, measured in turns in
the same process, on SQLite.

    .venv/bin/python benchmarks/bench_sessions.py      # writes benchmarks/results/sessions.json
"""

import os
import sys
import tempfile
from pathlib import Path

from timing import ROOT
sys.path.insert(0, str(ROOT / "tests"))
os.environ["ZI_DATA_DIR"] = tempfile.mkdtemp(prefix="zi-bench-sessions-")

from timing import report, seconds  # noqa: E402
from zi_data.store.accounts import Accounts  # noqa: E402
from zi_data.base import paths  # noqa: E402
from zi_data.store.plan_years import open_seeded  # noqa: E402
from zi_data.store.progress_store import ProgressStore  # noqa: E402
from zi_data.store.sign_in_sessions import COOKIE_NAME, SignInSessions  # noqa: E402

BATCH, RUNS, PAGE_RUNS = 100, 30, 15


def per_call(function) -> dict:
    """seconds() of one call, from RUNS batches of BATCH calls (one call is too short for the clock)."""
    batch = seconds(lambda: [function() for _ in range(BATCH)], RUNS)
    return {kind: round(value / BATCH, 7) for kind, value in batch.items()}


def page_run_seconds(cookies: dict) -> dict:
    """Ringkasan as a new session opens it (AppTest), its browser holding `cookies` (a session's, or none)."""
    from helpers import open_app
    import app_pages.frame.session as session

    session.browser_cookies = lambda: cookies
    open_app()  # the caches warm
    return seconds(open_app, PAGE_RUNS)


if __name__ == "__main__":
    store = ProgressStore(database=open_seeded(paths.data_dir()))
    viewer = Accounts(store).add("pemantau", "viewer", "", "sandi-bench-2025", by="bench")
    sessions = SignInSessions(store.database)
    token = sessions.create(viewer, "bench").token
    timings = {}
    for _ in range(2):  # in turns, so a change in the machine's load touches both alike
        timings["store revision (baseline query), per call"] = per_call(store.revision)
        timings["resolve session cookie, per call"] = per_call(lambda: sessions.resolve(token))
        timings["resolve a forged cookie, per call"] = per_call(lambda: sessions.resolve("x" * 43))
        timings["Ringkasan, new session, visitor"] = page_run_seconds({})
        timings["Ringkasan, new session, signed-in viewer"] = page_run_seconds({COOKIE_NAME: token})
    ratios = {"resolve_per_revision_query": round(timings["resolve session cookie, per call"]["median"]
                                                  / timings["store revision (baseline query), per call"]["median"], 2),
              "signed_in_page_per_visitor_page": round(timings["Ringkasan, new session, signed-in viewer"]["median"]
                                                       / timings["Ringkasan, new session, visitor"]["median"], 2)}
    for name, timing in timings.items():
        if "per call" in name:
            print(f"{name}: median {timing['median'] * 1e6:.0f} µs")
    report(timings, ROOT / "benchmarks" / "results" / "sessions.json", **ratios)
    print(ratios)
