"""Each dashboard page's first run and warm rerun (AppTest), beside a bare one-chart page.

Every page is measured in a fresh data directory holding the bundled plan and a full
year of progress (the example workbook imported), so the figures include real work.
The ratio is page time ÷ bare-page time measured in the same process.

    .venv/bin/python benchmarks/bench_pages.py      # writes benchmarks/results/pages.json
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ZI_DATA_DIR"] = tempfile.mkdtemp(prefix="zi-bench-pages-")

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from zi_data.progress_store import ProgressStore  # noqa: E402
from zi_data.realisasi_import import apply_preview, preview_upload  # noqa: E402

PAGES = ["app_pages/ringkasan.py", "app_pages/matriks.py", "app_pages/capaian.py", "app_pages/bukti_tertunggak.py",
         "app_pages/perbarui_progres.py", "app_pages/riwayat.py"]
RUNS = 5
EXAMPLE = ROOT / "data" / "contoh_realisasi_2025.xlsx"
RESULTS = Path(__file__).resolve().parent / "results" / "pages.json"


def seed_progress() -> None:
    store = ProgressStore.open()
    preview = preview_upload(store, EXAMPLE.read_bytes(), EXAMPLE.name)
    apply_preview(store, preview, by="benchmark")


def timed(app: AppTest) -> float:
    start = time.perf_counter()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return time.perf_counter() - start


def measure(script: Path, page: str | None) -> tuple[float, float]:
    """Median first run (new session) and median warm rerun (same session, caches filled)."""
    first, warm = [], []
    for _ in range(RUNS):
        st.cache_data.clear()
        app = AppTest.from_file(str(script), default_timeout=120)
        if page:
            app.switch_page(page)
        first.append(timed(app))
        warm.append(timed(app))
    return statistics.median(first), statistics.median(warm)


def main() -> None:
    seed_progress()
    bare_first, bare_warm = measure(Path(__file__).resolve().parent / "bare_page.py", None)
    rows = []
    for page in PAGES:
        first, warm = measure(ROOT / "dashboard.py", page)
        rows.append({"page": page, "first_s": first, "warm_s": warm,
                     "first_ratio": first / bare_first, "warm_ratio": warm / bare_warm})
    print(f"bare one-chart page: first {bare_first * 1000:.0f} ms, warm {bare_warm * 1000:.0f} ms")
    print(f"{'page':32} {'first ms':>9} {'warm ms':>8} {'first ×':>8} {'warm ×':>7}")
    for row in rows:
        print(f"{row['page']:32} {row['first_s'] * 1000:9.0f} {row['warm_s'] * 1000:8.0f} "
              f"{row['first_ratio']:8.1f} {row['warm_ratio']:7.1f}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": RUNS, "bare": {"first_s": bare_first, "warm_s": bare_warm},
                                   "pages": rows}, indent=2))


if __name__ == "__main__":
    main()
