"""Each dashboard page's run times (AppTest), beside a bare one-chart page measured in the same process.

Every page is measured in a fresh data directory holding the bundled plan and a full year of
progress (the example workbook imported) and two monev meetings with follow-ups, so the figures include
real work. Three times per page:

  first  a new browser session on a server already running: the caches shared between sessions
         (st.cache_data, st.cache_resource) already hold what another session loaded, as on a real server
  warm   a rerun in the same session (a widget changed nothing the page reads)
  cold   a new session on a server whose caches were just cleared (the first visit after a start or
         after the caches were evicted; Python modules stay imported)

Each figure is the median of RUNS × ROUNDS runs. The page and the bare page are measured in turns,
and each ratio divides by the bare page's figure of the same kind from those turns.

    .venv/bin/python benchmarks/bench_pages.py      # writes benchmarks/results/pages.json
"""

import json
import os
from datetime import date
import statistics
import tempfile
import time
from pathlib import Path

from timing import ROOT
os.environ["ZI_DATA_DIR"] = tempfile.mkdtemp(prefix="zi-bench-pages-")

import streamlit as st  # noqa: E402
from streamlit.logger import set_log_level  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit.util import calc_hash  # noqa: E402

from app_pages.frame.registry import ONE_OFFICE_PAGES, PageEntry  # noqa: E402 (a visitor: Rekap Instansi is not listed)
from zi_data.monev import monev  # noqa: E402
from zi_data.base import paths  # noqa: E402
from zi_data.store.plan_years import open_seeded  # noqa: E402
from zi_data.store.progress_store import ProgressStore  # noqa: E402
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload  # noqa: E402

RUNS, ROUNDS = 3, 3  # each page and the bare page: ROUNDS turns of RUNS runs each
KINDS = ("first", "warm", "cold")
EXAMPLE = ROOT / "data" / "contoh_realisasi_2025.xlsx"
BARE_PAGE = Path(__file__).resolve().parent / "bare_page.py"
RESULTS = Path(__file__).resolve().parent / "results" / "pages.json"


def seed_progress() -> None:
    store = ProgressStore(database=open_seeded(paths.data_dir()))
    preview = preview_upload(store, EXAMPLE.read_bytes(), EXAMPLE.name)
    apply_preview(store, preview, by="benchmark")
    teams = list(dict.fromkeys(store.plan()["penanggung_jawab"]))
    for held_on, month in ((date(2025, 4, 10), 3), (date(2025, 7, 10), 6)):
        meeting_id = monev.record_meeting(store, held_on=held_on, kind="triwulan", chair="Ketua", participants="",
                                          participant_count=12, as_of_month=month, notes="", by="benchmark")
        for number, team in enumerate(teams):
            monev.add_follow_up(store, action=f"Tindak lanjut {number + 1}", team=team, due_on=date(2025, month + 2, 1),
                                item_id=None, by="benchmark", meeting_id=meeting_id)


def timed(app: AppTest) -> float:
    start = time.perf_counter()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return time.perf_counter() - start


def new_session(script: Path, entry: PageEntry | None) -> AppTest:
    """A new session that opens `entry`'s URL (None: the script's own page), as a browser's first request does.

    AppTest finds a page by its file name before its first run, and these pages' url paths differ
    from their file names, so the page is chosen the way st.Page names it: by its url path's hash.
    """
    app = AppTest.from_file(str(script), default_timeout=120)
    if entry is not None and entry.url_path:
        app._page_hash = calc_hash(entry.url_path)
    return app


def clear_server_caches() -> None:
    """What a restarted server would not have (the data directory and imported modules aside)."""
    st.cache_data.clear()
    st.cache_resource.clear()


def measure(script: Path, entry: PageEntry | None = None) -> dict[str, list[float]]:
    """Seconds of each kind of run, RUNS of each (see the module's docstring)."""
    times = {kind: [] for kind in KINDS}
    opened = new_session(script, entry)
    timed(opened)  # the server's first visitor fills the shared caches
    if entry is not None:
        assert opened.title[0].value == entry.title, (opened.title[0].value, entry.title)
    for _ in range(RUNS):
        app = new_session(script, entry)
        times["first"].append(timed(app))
        times["warm"].append(timed(app))
        clear_server_caches()
        times["cold"].append(timed(new_session(script, entry)))
    return times


def measure_beside_bare(entry: PageEntry) -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds of the page and of the bare page, measured in turns (bare, page, bare, page, …),
    so that both see the same state of the machine."""
    page_times, bare_times = {kind: [] for kind in KINDS}, {kind: [] for kind in KINDS}
    for _ in range(ROUNDS):
        for times, seconds in ((bare_times, measure(BARE_PAGE)), (page_times, measure(ROOT / "dashboard.py", entry))):
            for kind in KINDS:
                times[kind].extend(seconds[kind])
    median = statistics.median
    return ({kind: median(values) for kind, values in page_times.items()},
            {kind: median(values) for kind, values in bare_times.items()})


def main() -> None:
    set_log_level("error")  # AppTest runs without a server: Streamlit warns about that on every run
    seed_progress()
    rows = []
    for entry in ONE_OFFICE_PAGES:
        seconds, bare = measure_beside_bare(entry)
        rows.append({"page": entry.title, **{f"{kind}_s": seconds[kind] for kind in KINDS},
                     **{f"bare_{kind}_s": bare[kind] for kind in KINDS},
                     **{f"{kind}_ratio": seconds[kind] / bare[kind] for kind in KINDS}})
    print("ms: the page (the bare page measured in turns with it) and page ÷ bare")
    print(f"{'page':18} " + " ".join(f"{kind + ' ms':>14} {kind[0] + ' ×':>5}" for kind in KINDS))
    for row in rows:
        print(f"{row['page']:18} " + " ".join(
            f"{row[kind + '_s'] * 1000:6.0f} ({row['bare_' + kind + '_s'] * 1000:4.0f}) {row[kind + '_ratio']:5.1f}"
            for kind in KINDS))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": RUNS * ROUNDS, "cpus": os.cpu_count(), "pages": rows}, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
