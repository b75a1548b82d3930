"""Fixtures shared by the tests; plain helpers called from test bodies are in tests/helpers.py.

A fresh store is a copy of one seeded database made once per session (and per xdist worker): on
SQLite the file is copied, on PostgreSQL the database is created with that one as its TEMPLATE.
Opening the copy finds the newest schema revision and a ledger, so it neither migrates nor needs seeding:
each test saves the Alembic upgrade and the bundled plan's import. The tests of creating, migrating
and seeding a database (test_migrations, test_progress_store's seed test, test_postgres_server, the
page tests on an empty ZI_DATA_DIR) still start from nothing.
"""

import functools
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

import postgres_server
from helpers import FAST_TIER_ENV, copy_seeded_sqlite, examples, new_store, required_tool, skip_or_fail
from zi_data.store.database import DB_NAME
from zi_data.store.progress_store import ProgressStore


POSTGRESQL_FIXTURES = {"postgres_server_url", "postgres_url", "seeded_postgres_url", "seeded_postgres_template"}
EXTERNAL_TOOL_FIXTURES = {"soffice", "pdftoppm"}  # the programs outside Python some tests run (below)


def pytest_addoption(parser):
    parser.addoption("--fast", action="store_true",
                     help="the fast tier (`python3 dev.py test --fast`): leave out the browser tests, every test on "
                          "PostgreSQL, every test that needs an external program (LibreOffice, pdftoppm) and the "
                          "tests marked slow; property tests try a tenth of their examples (helpers.examples)")


def pytest_configure(config):
    """--fast tells helpers.examples, in this process and in each xdist worker (they get the same options)."""
    if config.getoption("--fast"):
        os.environ[FAST_TIER_ENV] = "1"
        settings.register_profile("fast", max_examples=examples(100))
        settings.load_profile("fast")


def needs_postgresql(item) -> bool:
    params = getattr(item, "callspec", None)
    return bool(POSTGRESQL_FIXTURES & set(item.fixturenames)) or (
        params is not None and "postgresql" in {str(value) for value in params.params.values()})


def pytest_collection_modifyitems(config, items):
    """--fast: the tests that need no browser, no PostgreSQL, no external program and are not marked slow."""
    if not config.getoption("--fast"):
        return
    slow = [item for item in items if item.get_closest_marker("browser") or item.get_closest_marker("slow")
            or EXTERNAL_TOOL_FIXTURES & set(item.fixturenames)
            or needs_postgresql(item) or "/e2e/" in str(item.path)]
    if slow:
        config.hook.pytest_deselected(items=slow)
        left_out = set(slow)
        items[:] = [item for item in items if item not in left_out]


@pytest.fixture(scope="session")
def seeded_sqlite_file(tmp_path_factory) -> Path:
    """The SQLite file of a new data directory after its first opening: migrated, the bundled plan seeded."""
    directory = tmp_path_factory.mktemp("seeded_template") / "data"
    new_store(directory, database_url=f"sqlite:///{directory / DB_NAME}").database.dispose()
    leftovers = [path.name for path in directory.iterdir() if path.name != DB_NAME]
    assert not leftovers, f"the seeded template left more than its database file: {leftovers}"
    return directory / DB_NAME


@pytest.fixture
def seeded_data_dir(tmp_path, seeded_sqlite_file) -> Path:
    """tmp_path/data holding the bundled plan and no progress (a copy of the seeded SQLite database)."""
    return copy_seeded_sqlite(seeded_sqlite_file, tmp_path / "data")


@pytest.fixture
def seeded_zi_data_dir(seeded_data_dir, monkeypatch) -> Path:
    """seeded_data_dir, named by $ZI_DATA_DIR (where the command line and the pages find it)."""
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    return seeded_data_dir


@pytest.fixture
def store(seeded_data_dir) -> ProgressStore:
    """A fresh data directory holding the bundled plan and no progress."""
    return ProgressStore(seeded_data_dir)


@pytest.fixture
def char_device(tmp_path):
    """make(name, minor): a character device of the memory driver (major 1) made in tmp_path, 3 a null device,
    7 a full one (writing fails: no space), never the real /dev files. Without the capability to make one (a
    container without CAP_MKNOD) the test is skipped, saying so: that is the machine's limit, not a missing tool."""
    def make(name: str, minor: int) -> Path:
        path = tmp_path / name
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, minor))
        except PermissionError as error:
            pytest.skip(f"no permission to make a character device: {error}")
        return path
    return make


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's program for the round-trip tests; missing: skipped, under CI=true a failure."""
    return required_tool("the LibreOffice round trip", "soffice", "libreoffice")


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    """poppler's pdftoppm for the lembar monev's rendered page; missing: skipped, under CI=true a failure."""
    return required_tool("the pdftoppm render", "pdftoppm")


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server's `postgres` database, for the whole run: $ZI_TEST_DATABASE_URL if set,
    else a throwaway cluster started here and stopped and removed at the end. Without the server
    binaries the tests using it are skipped, except under CI=true, where that is a failure.
    Under pytest-xdist each worker starts its own cluster (its own temporary directory and socket)."""
    if os.environ.get("ZI_TEST_DATABASE_URL"):
        yield os.environ["ZI_TEST_DATABASE_URL"]
        return
    reason = postgres_server.missing_reason()
    if reason:
        skip_or_fail(reason, "the PostgreSQL tests")
    directory = postgres_server.new_cluster_directory()
    try:
        yield postgres_server.start_cluster(directory)
    finally:
        postgres_server.stop_cluster(directory)


@pytest.fixture(scope="session")
def seeded_postgres_template(postgres_server_url, tmp_path_factory) -> Iterator[str]:
    """Name of a database migrated and seeded as its first opening by the dashboard leaves it, to copy from."""
    url = postgres_server.create_database(postgres_server_url)
    new_store(tmp_path_factory.mktemp("seeded_template_pg"), database_url=url).database.dispose()
    yield postgres_server.database_name(url)
    postgres_server.drop_database(postgres_server_url, url)


@pytest.fixture
def postgres_url(postgres_server_url) -> Iterator[str]:
    """URL (postgresql://zi@/NAME?host=…&port=…) of a new empty database, dropped after the test."""
    url = postgres_server.create_database(postgres_server_url)
    yield url
    postgres_server.drop_database(postgres_server_url, url)


@pytest.fixture
def seeded_postgres_url(postgres_server_url, seeded_postgres_template) -> Iterator[str]:
    """URL of a new database holding the bundled plan and no progress (a copy of the seeded template)."""
    url = postgres_server.create_database(postgres_server_url, template=seeded_postgres_template)
    yield url
    postgres_server.drop_database(postgres_server_url, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, monkeypatch) -> str | None:
    """Each backend in turn: None (the store's SQLite file, $ZI_DATABASE_URL cleared) or a fresh
    PostgreSQL database's URL."""
    monkeypatch.delenv("ZI_DATABASE_URL", raising=False)
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def backend_for_every_process(database_url, monkeypatch) -> str | None:
    """Each backend in turn for this process, its children and the command line: $ZI_DATABASE_URL names it."""
    if database_url is not None:
        monkeypatch.setenv("ZI_DATABASE_URL", database_url)
    return database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_on_each_backend(request, tmp_path, monkeypatch) -> ProgressStore:
    """A fresh store holding the bundled plan, on SQLite and then on PostgreSQL (also for the command line:
    $ZI_DATABASE_URL names the PostgreSQL database, and is cleared for SQLite)."""
    monkeypatch.delenv("ZI_DATABASE_URL", raising=False)
    if request.param == "sqlite":
        return ProgressStore(copy_seeded_sqlite(request.getfixturevalue("seeded_sqlite_file"), tmp_path / "data"))
    monkeypatch.setenv("ZI_DATABASE_URL", request.getfixturevalue("seeded_postgres_url"))
    return ProgressStore(tmp_path / "data")


@pytest.fixture(scope="session", autouse=True)
def components_scanned_once():
    """Every new AppTest scans all installed distributions for Streamlit components (0.2-0.3 s each, the largest
    fixed cost of a page test); the installed packages do not change during a run, so the scan runs once. The
    running dashboard scans once at start-up, as before."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests",
                      functools.cache(manifest_scanner.scan_component_manifests))
        yield


@pytest.fixture(autouse=True)
def browser_cookie_jar():
    """The page tests' browser: the app reads its session cookie from helpers.BROWSER_COOKIES (AppTest
    sends no cookies), empty at the start of every test. A patch of its own, which a test's
    `monkeypatch.undo()` leaves in place."""
    import helpers
    from app_pages.frame import session

    helpers.BROWSER_COOKIES.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(session, "browser_cookies", lambda: helpers.BROWSER_COOKIES)
        yield helpers.BROWSER_COOKIES
    helpers.BROWSER_COOKIES.clear()
