"""Serving the dashboard for a browser: used by the browser tests and by scripts/take_screenshots.py."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ZI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT_S = 60.0
EXAMPLE_WORKBOOK = PROJECT_ROOT / "data" / "contoh_realisasi_2025.xlsx"


class ServerError(RuntimeError):
    """The dashboard did not become healthy; the message ends with the server log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1.0) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def serve_dashboard(directory: Path, log_path: Path, script: Path = PROJECT_ROOT / "dashboard.py",
                    database_url: str | None = None):
    """Run `streamlit run SCRIPT` on a free port with ZI_DATA_DIR=directory and, when given,
    ZI_DATABASE_URL=database_url (else none: the data directory's SQLite file); yield its base URL."""
    port = free_port()
    env = {**os.environ, "ZI_DATA_DIR": str(directory), "PYTHONUNBUFFERED": "1",
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    env.pop("ZI_DATABASE_URL", None)
    if database_url:
        env["ZI_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               # The sources may change while the suite runs (a shared working tree): no reload prompts.
               "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not healthy(f"{base_url}/_stcore/health"):
            if process.poll() is not None:
                raise ServerError(f"streamlit exited with code {process.returncode} before it was healthy:\n"
                                  f"{tail(log_path)}")
            if time.monotonic() > deadline:
                raise ServerError(f"streamlit not healthy on {base_url} after {SERVER_START_TIMEOUT_S:.0f} s:\n"
                                  f"{tail(log_path)}")
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.2)  # the pause between attempts doubles as the exit check
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.returncode not in (0, -15, None):
            print(f"streamlit server log (exit {process.returncode}):\n{tail(log_path)}")


def seed_example_progress(directory: Path) -> Path:
    """`directory` holding the bundled plan and a year of progress: the example workbook imported."""
    from zi_data.base.paths import data_dir
    from zi_data.store.plan_years import open_seeded
    from zi_data.store.progress_store import ProgressStore
    from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

    store = ProgressStore(database=open_seeded(data_dir(directory)))
    data = EXAMPLE_WORKBOOK.read_bytes()
    apply_preview(store, preview_upload(store, data, EXAMPLE_WORKBOOK.name), by="contoh")
    return directory
