"""Take the README's screenshots (docs/screenshots/*.png) of the dashboard with the example progress.

Starts `streamlit run dashboard.py` on a free port with a temporary, fresh data directory into which
the example workbook (data/contoh_realisasi_2025.xlsx) is imported first, then opens every page of
app_pages/registry.py in headless Chromium (Debian's /usr/bin/chromium, or $ZI_CHROMIUM, driven by
Playwright) and saves what a 1920×1080 screen shows, plus Ringkasan in projector mode at 1024×768.

Usage: .venv/bin/python scripts/take_screenshots.py [--out DIR]
"""

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app_pages.registry import PAGES  # noqa: E402

EXAMPLE_WORKBOOK = ROOT / "data" / "contoh_realisasi_2025.xlsx"
OUT_DIR = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("ZI_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_S = 60
SCREEN, PROJECTOR_SCREEN = (1920, 1080), (1024, 768)
# Every chart drawn, and drawn at its container's width (it redraws once the layout has settled).
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart => {
    const svg = chart.querySelector('svg.main-svg');
    return svg && Math.abs(parseFloat(svg.getAttribute('width')) - chart.clientWidth) <= 2; })"""


def shots() -> list[tuple[str, object, dict, tuple[int, int]]]:
    """(file name, page, query parameters, viewport) of every screenshot."""
    taken = [(f"{page.url_path or 'ringkasan'}.png", page, {}, SCREEN) for page in PAGES]
    return taken + [("ringkasan-proyektor-1024x768.png", PAGES[0], {"proyektor": "true"}, PROJECTOR_SCREEN)]


def import_example(data_dir: Path) -> None:
    subprocess.run([sys.executable, "-m", "zi_data", "import", str(EXAMPLE_WORKBOOK), "--yes",
                    "--data-dir", str(data_dir)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def dashboard(data_dir: Path, log_path: Path):
    """`streamlit run dashboard.py` on a free local port with ZI_DATA_DIR=data_dir; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "ZI_DATA_DIR": str(data_dir)},
                                  stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not healthy(base_url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the dashboard did not start; see {log_path}:\n{log_path.read_text()[-2000:]}")
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=0.2)  # the pause between attempts doubles as the exit check
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


def take(base_url: str, out_dir: Path) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_S * 1000)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
        context.set_default_timeout(TIMEOUT_S * 1000)
        for name, entry, params, (width, height) in shots():
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": height})
            query = urlencode(params)
            page.goto(f"{base_url}/{entry.url_path}" + (f"?{query}" if query else ""))
            expect(page.locator("h1").filter(has_text=entry.title).first).to_be_visible()
            expect(page.locator('[data-testid="stApp"]')).to_have_attribute("data-test-script-state", "notRunning")
            page.wait_for_function("() => document.fonts.ready.then(() => document.fonts.status === 'loaded')")
            page.wait_for_function(CHARTS_DRAWN)
            target = out_dir / name
            page.screenshot(path=str(target), full_page=False)
            saved.append(target)
            page.close()
        browser.close()
    return saved


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"where to save the PNGs (default {OUT_DIR})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zi_screenshots_") as temp:
        data_dir = Path(temp) / "data"
        data_dir.mkdir()
        import_example(data_dir)
        with dashboard(data_dir, Path(temp) / "server.log") as base_url:
            saved = take(base_url, args.out)
    for path in saved:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
