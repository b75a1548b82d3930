#!/usr/bin/env python3
"""The project's two commands, each setting itself up on a fresh machine.

    python3 dev.py start   # the dashboard with the bundled plan, on http://localhost:8501
    python3 dev.py test    # the whole test suite (unit, page and browser tests)
    python3 dev.py test --fast   # unit, store (SQLite), command-line and page tests: no browser, no PostgreSQL,
                                 # no LibreOffice, nothing installed but the venv

Both create .venv and install requirements.txt when it changed (idempotent).
`test` also installs Debian's chromium (browser tests), LibreOffice Calc
(round-trip test), poppler-utils (pdftoppm renders the lembar monev PDF's first page)
and postgresql (the server the PostgreSQL tests start a throwaway
cluster of; its binaries are in /usr/lib/postgresql/<N>/bin, not on PATH) with apt-get
when they are missing and this user may do so, and axe-core (accessibility test) with
`npm ci` from tests/e2e/axe/package-lock.json when its node_modules is missing.
Extra arguments are passed on to streamlit or pytest. The suite runs in PARALLEL_WORKERS processes
(pytest-xdist), each test file whole in one of them (module fixtures such as the browser tests'
dashboard servers start once); `-n 0` (or any -n/--numprocesses given) overrides that.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".requirements.sha256"
# Debian package -> whether it is installed
SYSTEM_PACKAGES = {
    "chromium": lambda: shutil.which("chromium") is not None,
    "libreoffice-calc-nogui": lambda: shutil.which("soffice") is not None,
    "postgresql": lambda: any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")),
    "poppler-utils": lambda: shutil.which("pdftoppm") is not None,
}
AXE_DIR = ROOT / "tests" / "e2e" / "axe"
PARALLEL_WORKERS = "2"


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit("ZI Monitor needs Python 3.11 or newer.")
    if not PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    wanted = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(ROOT / "requirements.txt")], check=True)
    STAMP.write_text(wanted)


def ensure_system_packages() -> None:
    missing = [package for package, installed in SYSTEM_PACKAGES.items() if not installed()]
    if not missing:
        return
    can_install = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_install:
        print(f"Note: {', '.join(missing)} not installed; the tests that need them will be skipped.")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-qq"], check=True, env=env)
    # Another apt-get (a second checkout's tests, the system's updates) may hold dpkg's lock: wait for it.
    subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "--no-install-recommends",
                    *missing], check=True, env=env)


def ensure_axe() -> None:
    """axe-core at the version pinned in package-lock.json; without npm the accessibility test is skipped
    (and fails under CI=true)."""
    if (AXE_DIR / "node_modules" / "axe-core" / "axe.min.js").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        print("Note: npm not installed; the accessibility test (axe-core) will be skipped.")
        return
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, check=True)


def parallel_options(extra: list[str], fast: bool = False) -> list[str]:
    """pytest-xdist's options for the suite, unless the caller chose a number of workers. The whole suite keeps
    each file in one worker (its module servers start once); the fast tier has no such fixture worth keeping
    together, so idle workers take tests from busy ones (worksteal) and both finish together."""
    if any(arg in ("-n", "--numprocesses") or arg.startswith(("-n", "--numprocesses=")) for arg in extra):
        return []
    return ["-n", PARALLEL_WORKERS, "--dist", "worksteal" if fast else "loadfile"]


def main(argv: list[str]) -> int:
    command, extra = (argv[0], argv[1:]) if argv else ("", [])
    if command == "start":
        ensure_venv()
        return subprocess.call([str(PYTHON), "-m", "streamlit", "run", str(ROOT / "dashboard.py"), *extra], cwd=ROOT)
    if command == "test" and "--fast" in extra:
        ensure_venv()
        options = ["--ignore=tests/e2e", *parallel_options(extra, fast=True), *extra]
        return subprocess.call([str(PYTHON), "-m", "pytest", *options], cwd=ROOT)
    if command == "test":
        ensure_venv()
        ensure_system_packages()
        ensure_axe()
        return subprocess.call([str(PYTHON), "-m", "pytest", *parallel_options(extra), *extra], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
