"""The PostgreSQL the tests run against: a fresh database per test, the schema's revisions on it,
and a throwaway cluster that leaves nothing running once stopped."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import alembic.command
import alembic.config
import psycopg
import pytest
import sqlalchemy

import postgres_server

ROOT = Path(__file__).resolve().parents[2]
EARLIER_DATABASES: list[str] = []


def engine_for(url: str) -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def table_names(url: str) -> list[str]:
    engine = engine_for(url)
    try:
        return sqlalchemy.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_fresh_database_is_empty_and_usable(postgres_url):
    assert urlsplit(postgres_url).path.startswith("/zi_test_")
    if not os.environ.get("ZI_TEST_DATABASE_URL"):  # the throwaway cluster
        assert re.fullmatch(r"postgresql://zi@/zi_test_\w+\?host=/[^&]+&port=\d+", postgres_url)
    assert table_names(postgres_url) == []
    engine = engine_for(postgres_url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("CREATE TABLE notes (body text NOT NULL)"))
        conn.execute(sqlalchemy.text("INSERT INTO notes (body) VALUES (:body)"), {"body": "halo"})
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT body FROM notes")).scalars().all() == ["halo"]
    engine.dispose()


def database_names(server_url: str) -> set[str]:
    with psycopg.connect(server_url) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_gets_a_new_database_dropped_afterwards(postgres_url, postgres_server_url, turn):
    """Whichever of the two runs second sees that the other's database, and only that, is gone."""
    engine = engine_for(postgres_url)
    with engine.connect() as conn:
        name = conn.execute(sqlalchemy.text("SELECT current_database()")).scalar_one()
    engine.dispose()
    existing = database_names(postgres_server_url)
    assert name in existing
    assert not existing & set(EARLIER_DATABASES)
    EARLIER_DATABASES.append(name)


def test_dropping_a_database_ends_its_open_connections(postgres_server_url):
    url = postgres_server.create_database(postgres_server_url)
    conn = psycopg.connect(url)
    postgres_server.drop_database(postgres_server_url, url)
    assert urlsplit(url).path.lstrip("/") not in database_names(postgres_server_url)
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT 1")
    conn.close()


def upgrade_to_head(url: str) -> None:
    config = alembic.config.Config()
    config.set_main_option("script_location", str(ROOT / "zi_data" / "store" / "schema"))
    engine = engine_for(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        alembic.command.upgrade(config, "head")
    engine.dispose()


def test_schema_revision_runs_and_history_is_append_only(postgres_url):
    upgrade_to_head(postgres_url)
    assert {"offices", "ledgers", "entries", "audit_log"} <= set(table_names(postgres_url))
    with psycopg.connect(postgres_url) as conn:
        conn.execute("INSERT INTO offices (code, name, created_at) VALUES ('pusat', 'Kantor Pusat', 'now')")
        conn.execute("INSERT INTO ledgers (office, year, created_at, created_by) VALUES ('pusat', 2026, 'now', 'a')")
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="ledgers is append-only"):
            conn.execute("UPDATE ledgers SET year = 2027")
        conn.rollback()
        assert conn.execute("SELECT year FROM ledgers").fetchall() == [(2026,)]


def process_runs(pid: int) -> bool:
    """Whether process `pid` exists and has not exited (a zombie waiting to be reaped has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_stopped_cluster_leaves_nothing_running(postgres_server_url):
    if postgres_server.missing_reason():
        pytest.skip(f"PostgreSQL tests skipped: {postgres_server.missing_reason()}")
    directory = postgres_server.new_cluster_directory()
    url = postgres_server.start_cluster(directory)
    pid = int((directory / "data" / "postmaster.pid").read_text().split()[0])
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT pg_backend_pid() <> %s", [pid]).fetchone() == (True,)
    postgres_server.stop_cluster(directory)
    assert not directory.exists()
    assert not process_runs(pid)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)


@pytest.fixture
def database_url_set_in_environment(monkeypatch):
    monkeypatch.setenv("ZI_DATABASE_URL", "postgresql://someone@/elsewhere")


def test_database_url_gives_each_backend(database_url_set_in_environment, database_url, request):
    backend = request.node.callspec.params["database_url"]
    assert "ZI_DATABASE_URL" not in os.environ
    if backend == "sqlite":
        assert database_url is None
    else:
        assert backend == "postgresql"
        assert table_names(database_url) == []
