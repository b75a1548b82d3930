"""Each dashboard page in headless Chromium: from the click on its sidebar link to its last chart drawn.

Measured in the browser (performance.now()): from the click until Streamlit's run has finished
(script state 'notRunning', no "Running…" widget, no skeleton), the page's title is shown, the
page's number of Plotly charts have drawn their SVG at their container's width, and the web fonts
have loaded. The conditions are checked on every animation frame. Beside it, a bare two-page app
(benchmarks/bare_browser_app.py, one chart per page) measured the same way; the ratio is
page ÷ bare. Each click is made on the page before it, freshly loaded (a new session, as a viewer
opening a bookmark and moving on); the first click of each page is untimed (it fills the caches);
the median of the next RUNS clicks is reported.

The dashboard's data directory holds the bundled plan and a year of progress (the example
workbook imported). Debian's /usr/bin/chromium (or $ZI_CHROMIUM) via Playwright, at 1280×900.

    .venv/bin/python benchmarks/bench_browser.py      # writes benchmarks/results/browser.json
"""

import json
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import timing  # noqa: F401 (puts the project root on sys.path)

from playwright.sync_api import sync_playwright

from tests.e2e.dashboard_server import CHROMIUM, CHROMIUM_ARGS, seed_example_progress, serve_dashboard
from tests.e2e.streamlit_helpers import charts, open_page, url

RUNS = 7
RESULTS = Path(__file__).resolve().parent / "results" / "browser.json"
BARE_APP = Path(__file__).resolve().parent / "bare_browser_app.py"
# (url path, sidebar title) of each dashboard page; each is clicked from the page before it.
DASHBOARD_PAGES = [("", "Ringkasan"), ("matriks", "Matriks 12 Bulan"), ("capaian", "Capaian"),
                   ("bukti-tertunggak", "Bukti Tertunggak"), ("perbarui-progres", "Perbarui Progres"),
                   ("riwayat", "Riwayat")]
BARE_PAGES = [("", "Satu"), ("dua", "Dua")]  # the default page is at the root

DRAWN_JS = """
([title, chartCount]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const h1 = document.querySelector('h1');
  const drawn = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(chart => {
    const svg = chart.querySelector('svg.main-svg');
    const plot = chart.querySelector('.js-plotly-plot') || chart;
    return svg && Math.abs(parseFloat(svg.getAttribute('width')) - plot.clientWidth) <= 1;
  });
  const done = app && app.dataset.testConnectionState === 'CONNECTED' && app.dataset.testScriptState === 'notRunning'
    && h1 && h1.textContent.trim() === title
    && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')
    && document.querySelectorAll('[data-testid="stPlotlyChart"]').length === chartCount
    && drawn.length === chartCount && document.fonts.status === 'loaded';
  return done ? performance.now() : false;
}
"""
MARK_CLICK_JS = ("() => document.addEventListener('click', () => { window.benchClickAt = performance.now(); },"
                 " {capture: true, once: true})")


def drawn_at(page, title: str, chart_count: int) -> float:
    """The browser's clock (ms) on the first animation frame where the page titled `title` is drawn."""
    return page.wait_for_function(DRAWN_JS, arg=[title, chart_count], polling="raf", timeout=120_000).json_value()


def click_time_ms(page, title: str, chart_count: int) -> float:
    """Click the sidebar link titled `title`; milliseconds until that page is drawn."""
    page.evaluate(MARK_CLICK_JS)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
    return drawn_at(page, title, chart_count) - page.evaluate("() => window.benchClickAt")


def measure_pages(page, base_url: str, pages: list[tuple[str, str]]) -> list[dict]:
    """For each page: the median of RUNS warm clicks from the page before it (the last page for the first)."""
    chart_counts = {}
    for path, title in pages:
        open_page(page, base_url, path, expected_title=title)
        chart_counts[title] = charts(page).count()
    rows = []
    for index, (path, title) in enumerate(pages):
        previous_path, previous_title = pages[index - 1]
        times = []
        for run in range(RUNS + 1):
            page.goto(url(base_url, previous_path))
            drawn_at(page, previous_title, chart_counts[previous_title])
            elapsed = click_time_ms(page, title, chart_counts[title])
            if run:  # the first click warms the caches
                times.append(elapsed)
        rows.append({"page": title, "charts": chart_counts[title], "median_ms": round(statistics.median(times), 1),
                     "min_ms": round(min(times), 1), "runs_ms": [round(t, 1) for t in times]})
    return rows


def chromium_version() -> str:
    done = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
    return done.stdout.strip()


def main() -> None:
    data = seed_example_progress(Path(tempfile.mkdtemp(prefix="zi-bench-browser-")))
    logs = Path(tempfile.mkdtemp(prefix="zi-bench-browser-logs-"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        with serve_dashboard(Path(tempfile.mkdtemp()), logs / "bare.log", script=BARE_APP) as base_url:
            bare = measure_pages(page, base_url, BARE_PAGES)[1]
        with serve_dashboard(data, logs / "dashboard.log") as base_url:
            rows = measure_pages(page, base_url, DASHBOARD_PAGES)
        browser.close()
    for row in rows:
        row["ratio"] = round(row["median_ms"] / bare["median_ms"], 2)
    print(f"bare page (one chart): median {bare['median_ms']:.0f} ms, min {bare['min_ms']:.0f} ms; {RUNS} warm clicks each")
    print(f"{'page':18} {'charts':>6} {'median ms':>10} {'min ms':>8} {'× bare':>7}")
    for row in rows:
        print(f"{row['page']:18} {row['charts']:6d} {row['median_ms']:10.0f} {row['min_ms']:8.0f} {row['ratio']:7.1f}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": RUNS, "viewport": "1280x900", "chromium": chromium_version(),
                                   "python": platform.python_version(), "machine": platform.machine(),
                                   "bare": bare, "pages": rows}, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
