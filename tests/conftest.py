"""Fixtures shared by the tests; plain helpers called from test bodies are in tests/helpers.py."""

import os
from collections.abc import Iterator

import pytest

import postgres_server
from zi_data.progress_store import ProgressStore


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    """A fresh data directory holding the bundled plan and no progress."""
    return ProgressStore(tmp_path / "data")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server's `postgres` database, for the whole run: $ZI_TEST_DATABASE_URL if set,
    else a throwaway cluster started here and stopped and removed at the end. Without the server
    binaries the tests using it are skipped, except under CI=true, where that is a failure."""
    if os.environ.get("ZI_TEST_DATABASE_URL"):
        yield os.environ["ZI_TEST_DATABASE_URL"]
        return
    reason = postgres_server.missing_reason()
    if reason:
        if _in_ci():
            pytest.fail(f"CI=true but the PostgreSQL tests cannot run: {reason}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    directory = postgres_server.new_cluster_directory()
    try:
        yield postgres_server.start_cluster(directory)
    finally:
        postgres_server.stop_cluster(directory)


@pytest.fixture
def postgres_url(postgres_server_url) -> Iterator[str]:
    """URL (postgresql://zi@/NAME?host=…&port=…) of a new empty database, dropped after the test."""
    url = postgres_server.create_database(postgres_server_url)
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


@pytest.fixture
def store_on_each_backend(tmp_path, backend_for_every_process) -> ProgressStore:
    """A fresh store holding the bundled plan, on SQLite and then on PostgreSQL (also for the command line)."""
    return ProgressStore(tmp_path / "data")
