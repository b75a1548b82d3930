"""Take the README's screenshots (docs/screenshots/*.png) of the dashboard with the example progress.

Starts `streamlit run dashboard.py` on a free port with a temporary, fresh data directory into which
the example workbook (data/contoh_realisasi_2025.xlsx) is imported first, then opens every page in
headless Chromium (Debian's /usr/bin/chromium, or $ZI_CHROMIUM, driven by Playwright) and saves what a
1920×1080 screen shows, plus Ringkasan in projector mode at 1024×768.

Usage: .venv/bin/python scripts/take_screenshots.py [--out DIR]
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from dashboard_server import CHROMIUM, CHROMIUM_ARGS, serve_dashboard  # noqa: E402
from streamlit_helpers import APP_TIMEOUT_MS, open_page, wait_for_charts_to_fit  # noqa: E402

EXAMPLE_WORKBOOK = ROOT / "data" / "contoh_realisasi_2025.xlsx"
OUT_DIR = ROOT / "docs" / "screenshots"
# file name: (url path, query parameters, viewport)
SHOTS = {
    "ringkasan.png": ("", {}, (1920, 1080)),
    "matriks.png": ("matriks", {}, (1920, 1080)),
    "capaian.png": ("capaian", {}, (1920, 1080)),
    "bukti-tertunggak.png": ("bukti-tertunggak", {}, (1920, 1080)),
    "perbarui-progres.png": ("perbarui-progres", {}, (1920, 1080)),
    "riwayat.png": ("riwayat", {}, (1920, 1080)),
    "ringkasan-proyektor-1024x768.png": ("", {"proyektor": "true"}, (1024, 768)),
}


def import_example(data_dir: Path) -> None:
    subprocess.run([sys.executable, "-m", "zi_data", "import", str(EXAMPLE_WORKBOOK), "--yes",
                    "--data-dir", str(data_dir)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def take(base_url: str, out_dir: Path) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=APP_TIMEOUT_MS)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
        context.set_default_timeout(APP_TIMEOUT_MS)
        for name, (path, params, (width, height)) in SHOTS.items():
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": height})
            open_page(page, base_url, path, **params)
            wait_for_charts_to_fit(page)
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
        with serve_dashboard(data_dir, Path(temp) / "server.log") as base_url:
            saved = take(base_url, args.out)
    for path in saved:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
