"""Take the README's screenshots (docs/screenshots/*.png) of the dashboard with the example progress.

Starts `streamlit run dashboard.py` on a free port with a temporary, fresh data directory into which
the example workbook (data/contoh_realisasi_2025.xlsx) is imported first, then opens every page of
app_pages/frame/registry.py in headless Chromium (Debian's /usr/bin/chromium, or $ZI_CHROMIUM, driven by
Playwright) and saves what a 1920×1080 screen shows, plus Ringkasan in projector mode at 1024×768 and Ringkasan
and Matriks on a 390×844 phone.
Serving and waiting are the browser tests' own (tests/e2e), so a screenshot shows what they check.

Usage: .venv/bin/python scripts/take_screenshots.py [--out DIR]
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app_pages.frame.registry import ONE_OFFICE_PAGES  # noqa: E402  (the pages a visitor is listed)
from tests.e2e.dashboard_server import CHROMIUM, CHROMIUM_ARGS, seed_example_progress, serve_dashboard  # noqa: E402
from tests.e2e.streamlit_helpers import APP_TIMEOUT_MS, open_page, wait_for_charts_to_fit  # noqa: E402

OUT_DIR = ROOT / "docs" / "screenshots"
SCREEN, PROJECTOR_SCREEN, PHONE_SCREEN = (1920, 1080), (1024, 768), (390, 844)
# Every interactive table drawn at its container's width (its canvas is laid out after the first frame).
TABLES_DRAWN = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].every(table => {
    const canvas = table.querySelector('canvas');
    return canvas && canvas.getBoundingClientRect().width >= table.clientWidth * 0.9; })"""


def shots() -> list[tuple[str, object, dict, tuple[int, int]]]:
    """(file name, page, query parameters, viewport) of every screenshot."""
    taken = [(f"{page.url_path or 'ringkasan'}.png", page, {}, SCREEN) for page in ONE_OFFICE_PAGES]
    phone = [(f"{page.url_path or 'ringkasan'}-ponsel-390x844.png", page, {}, PHONE_SCREEN)
             for page in ONE_OFFICE_PAGES[:2]]  # Ringkasan, Matriks 12 Bulan
    return taken + [("ringkasan-proyektor-1024x768.png", ONE_OFFICE_PAGES[0], {"proyektor": "true"},
                     PROJECTOR_SCREEN)] + phone


def take(base_url: str, out_dir: Path) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=APP_TIMEOUT_MS)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
        context.set_default_timeout(APP_TIMEOUT_MS)
        for name, entry, params, (width, height) in shots():
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": height})
            open_page(page, base_url, entry.url_path, expected_title=entry.title, **params)
            wait_for_charts_to_fit(page)
            page.wait_for_function(TABLES_DRAWN)
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
        seed_example_progress(data_dir)
        with serve_dashboard(data_dir, Path(temp) / "server.log") as base_url:
            saved = take(base_url, args.out)
    for path in saved:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
