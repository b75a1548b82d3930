"""Fixtures for the browser tests: the dashboard server and headless Chromium.

The server is `streamlit run dashboard.py` on a free port with a fresh, empty
data directory (ZI_DATA_DIR), started once per session. Chromium is Debian's
/usr/bin/chromium (or $ZI_CHROMIUM) driven by Playwright; Playwright's own browser
builds are not used. Without Chromium these tests are skipped, except under CI=true, where a
missing browser is a failure: CI must run them.
"""

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import in_ci, new_store, skip_or_fail
from dashboard_server import CHROMIUM, CHROMIUM_ARGS, ServerError, seed_example_progress, serve_dashboard, tail
from streamlit_helpers import APP_TIMEOUT_MS, ARTIFACTS_DIR, PROJECT_ROOT

SCREENSHOT_DIR = ARTIFACTS_DIR / "screenshots"


_SERVER_LOGS: list[Path] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, attach the end of the server's log to the report."""
    report = yield
    if report.failed and _SERVER_LOGS and Path(__file__).parent in Path(str(item.fspath)).parents:
        report.sections.append(("streamlit server log (last lines)", tail(_SERVER_LOGS[-1])))
    return report


def _chromium_missing_reason() -> str | None:
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return f"Chromium not found at {CHROMIUM} (install Debian's 'chromium' package; `python3 dev.py test` does)"


def _playwright_missing_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"the Python package playwright is not installed ({error})"
    return None


def pytest_collection_modifyitems(config, items):
    """Every test in this directory is a browser test; without a browser, skip them (fail under CI)."""
    here = Path(__file__).parent
    reason = _chromium_missing_reason() or _playwright_missing_reason()
    for item in items:
        if here not in Path(str(item.fspath)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if reason and not in_ci():
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    reason = _chromium_missing_reason() or _playwright_missing_reason()
    if reason:
        skip_or_fail(reason, "the browser tests")
    return CHROMIUM


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """The server's ZI_DATA_DIR: empty at the start of the session (no progress recorded)."""
    return tmp_path_factory.mktemp("zi_data")


@pytest.fixture(scope="session")
def app_server(browser_context, data_dir, tmp_path_factory) -> str:
    """Start the dashboard on a free port and yield its base URL ('http://127.0.0.1:PORT')."""
    with _serve(data_dir, tmp_path_factory.mktemp("streamlit") / "server.log") as base_url:
        yield base_url


@dataclass(frozen=True)
class EditorAccounts:
    """Accounts made for the sign-in tests: editors of one team, all with the same password."""
    data_dir: Path
    team: str
    names: tuple[str, ...]
    password: str


@pytest.fixture(scope="module")
def editor_accounts(tmp_path_factory) -> EditorAccounts:
    """A fresh data directory with two editor accounts of Tim Pengawasan, made with the command line
    as an admin would (`python -m zi_data user add NAME --role editor --team ... --password-stdin`)."""
    accounts = EditorAccounts(tmp_path_factory.mktemp("zi_data_accounts"), "Tim Pengawasan",
                              ("ketua.pengawasan", "wakil.pengawasan"), "sandi-uji-pengawasan-2025")
    for name in accounts.names:
        done = subprocess.run(
            [sys.executable, "-m", "zi_data", "user", "add", name, "--role", "editor", "--team", accounts.team,
             "--data-dir", str(accounts.data_dir), "--password-stdin"],
            cwd=PROJECT_ROOT, input=accounts.password + "\n", capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"user add {name} failed:\n{done.stdout}{done.stderr}"
    return accounts


@pytest.fixture
def fresh_server(browser_context, tmp_path) -> str:
    """A dashboard no session has opened yet (its first request decides how pages are routed)."""
    with _serve(tmp_path / "data", tmp_path / "server.log") as base_url:
        yield base_url


@pytest.fixture(scope="module")
def accounts_server(browser_context, editor_accounts, tmp_path_factory) -> str:
    """A second dashboard, on the data directory of `editor_accounts` (so viewers cannot upload)."""
    with _serve(editor_accounts.data_dir, tmp_path_factory.mktemp("streamlit_accounts") / "server.log") as base_url:
        yield base_url


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    """A data directory whose user-supplied texts are all hostile markdown/HTML (see hostile_data.py)."""
    from hostile_data import seed

    return seed(tmp_path_factory.mktemp("zi_data_hostile"))


@pytest.fixture(scope="module")
def hostile_server(browser_context, hostile_data, tmp_path_factory) -> str:
    """A dashboard on `hostile_data`'s directory."""
    with _serve(hostile_data.data_dir, tmp_path_factory.mktemp("streamlit_hostile") / "server.log") as base_url:
        yield base_url


@pytest.fixture(scope="session")
def empty_server(browser_context, tmp_path_factory) -> str:
    """A dashboard on a data directory of its own, with the bundled plan and no progress whatever other modules
    upload to `app_server` (the state before any progress). Shared by the session: no test may change its data."""
    log = tmp_path_factory.mktemp("streamlit_empty") / "server.log"
    with _serve(tmp_path_factory.mktemp("zi_data_empty"), log) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def progress_server(browser_context, tmp_path_factory) -> str:
    """A dashboard whose data directory holds a year of progress (the example workbook imported), no accounts.
    Shared by the session: no test may change its data."""
    directory = seed_example_progress(tmp_path_factory.mktemp("zi_data_progress"))
    with _serve(directory, tmp_path_factory.mktemp("streamlit_progress") / "server.log") as base_url:
        yield base_url

@contextlib.contextmanager
def _serve(directory: Path, log_path: Path, database_url: str | None = None):
    """The dashboard on `directory` (or `database_url`); a failed start fails the test with the server log."""
    _SERVER_LOGS.append(log_path)
    try:
        with serve_dashboard(directory, log_path, database_url=database_url) as base_url:
            yield base_url
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)
    finally:
        _SERVER_LOGS.remove(log_path)


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=APP_TIMEOUT_MS)

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS,
                                              headless=True)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


def _new_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID",
                                  timezone_id="Asia/Jakarta")
    context.set_default_timeout(APP_TIMEOUT_MS)
    return context


@pytest.fixture(scope="session")
def browser_context(browser):
    """One context for the session, so Streamlit's and Plotly's scripts are fetched and cached once."""
    context = _new_context(browser)
    yield context
    context.close()


@pytest.fixture
def new_page(browser_context):
    """Factory for pages (each its own Streamlit session) of a given viewport; closed after the test.

    Pages share the session's context, and so its cookies: like tabs of one browser, they are signed in
    as one person. `own_browser=True` gives a page in a context of its own, for a second person."""
    pages, contexts = [], []

    def make(width: int = 1280, height: int = 900, own_browser: bool = False):
        if own_browser:
            contexts.append(_new_context(browser_context.browser))
        page = (contexts[-1] if own_browser else browser_context).new_page()
        page.set_viewport_size({"width": width, "height": height})
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()
    for context in contexts:
        context.close()
    # Every dashboard of the run is on 127.0.0.1, and cookies do not tell ports apart: no test's sign-in
    # cookie is sent to the next test's server.
    browser_context.clear_cookies()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def session_server(request, browser_context, editor_accounts, tmp_path_factory):
    """A dashboard with the accounts of `editor_accounts` (same names and password) on each backend in turn:
    its own data directory, and for PostgreSQL a new database on the test cluster. Yields (base URL, store)."""
    from zi_data.store.accounts import Accounts

    directory = tmp_path_factory.mktemp(f"zi_data_sessions_{request.param}")
    with contextlib.ExitStack() as stack:
        url = None
        if request.param == "postgresql":
            import postgres_server

            server_url = request.getfixturevalue("postgres_server_url")
            url = postgres_server.create_database(server_url)
            stack.callback(postgres_server.drop_database, server_url, url)
        store = new_store(directory, database_url=url)
        stack.callback(store.database.dispose)
        for name in editor_accounts.names:
            Accounts(store).add(name, "editor", editor_accounts.team, editor_accounts.password, by="uji")
        log_path = tmp_path_factory.mktemp(f"streamlit_sessions_{request.param}") / "server.log"
        base_url = stack.enter_context(_serve(directory, log_path, database_url=url))
        yield base_url, store
