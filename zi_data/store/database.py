"""The database: SQLite in the data directory by default, PostgreSQL when ZI_DATABASE_URL is set.

One `Database` per data directory (or server) owns the SQLAlchemy engines and the schema. The schema
is Alembic's script directory schema/; opening a database that is already at the newest revision
only reads that revision. Otherwise the migrations run inside one write transaction, so they land
whole or not at all and only one process runs them. A SQLite file made before Alembic (PRAGMA
user_version 0–3) is converted in that same transaction (legacy_schema.py).

Writers serialise through `transaction()`: on SQLite BEGIN IMMEDIATE (with a busy timeout), on
PostgreSQL a transaction-level advisory lock, so a writer sees every write committed before it.
Readers take no lock and see one snapshot: a deferred BEGIN on SQLite (on connections that are
`query_only`), REPEATABLE READ READ ONLY on PostgreSQL.

Every text parameter of every statement passes `cell_safety.stored_text` on its way to the driver (the
store's one text rule: NUL and other control characters removed), so no caller can make PostgreSQL refuse
a NUL that SQLite would keep, and both backends store the same text.
"""

import contextlib
import sqlite3
import time
import os
import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from .schema import database_roles, legacy_schema, link_backfill
from ..base import paths
from ..base.cell_safety import stored_text
from ..base.problems import Refusal, RefusedValue

DB_NAME = "zi_monitor.sqlite3"
DATABASE_URL_VARIABLE = "ZI_DATABASE_URL"
BUSY_TIMEOUT_S = 30
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"  # Alembic's script directory
WRITE_LOCK_KEY = 0x5A49  # "ZI": the advisory lock every PostgreSQL writer takes
INSUFFICIENT_PRIVILEGE = "42501"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008",  # schema/versions, oldest first
                   "0009")
HEAD = KNOWN_REVISIONS[-1]


class SchemaError(Refusal, RuntimeError):
    """The database's schema cannot be used as it is: its Indonesian message says what to do."""


class SchemaTooNew(SchemaError):
    def __init__(self, found: str):
        super().__init__(f"Basis data dibuat oleh versi ZI Monitor yang lebih baru (revisi skema {found}); "
                         "perbarui aplikasi ini, jangan membuka basis data itu dengan versi lama.")


class SchemaOwnerNeeded(SchemaError):
    """The schema needs an upgrade that the runtime role may not run."""

    def __init__(self, found: str | None):
        super().__init__(
            f"Skema basis data perlu {'dibuat' if found is None else f'diperbarui dari revisi {found}'} ke revisi "
            f"{HEAD}, dan peran basis data aplikasi tidak boleh mengubah skema. Jalankan `python -m zi_data db "
            f"upgrade` dengan {database_roles.OWNER_URL_VARIABLE} menunjuk peran pemilik (lihat docs/operations.md, "
            "PostgreSQL roles).")


def database_url(data_dir: Path, explicit: str | None = None) -> str:
    """`explicit`, else $ZI_DATABASE_URL, else the SQLite file in the data directory."""
    url = explicit or os.environ.get(DATABASE_URL_VARIABLE) or ""
    if not url:
        return f"sqlite:///{Path(data_dir) / DB_NAME}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith(("postgresql+psycopg://", "sqlite:")):
        return url
    raise RefusedValue(f"{DATABASE_URL_VARIABLE} harus diawali postgresql:// (didapat: {url.split(':', 1)[0]}:…).")


class Database:
    """The engines of one database and its schema; see the module docstring."""

    def __init__(self, data_dir: Path, url: str | None = None, owner_url: str | None = None):
        self.data_dir = paths.private_dir(Path(data_dir))
        self.url = database_url(self.data_dir, url)
        self.is_sqlite = self.url.startswith("sqlite")
        self.owner_url = None if self.is_sqlite else database_roles.owner_url(owner_url)
        self.db_path = self.data_dir / DB_NAME if self.is_sqlite else None  # the SQLite file, if that is the backend
        self._readers = threading.local()
        if self.is_sqlite:
            db_path = paths.private_file(self.db_path)
            for suffix in ("-wal", "-shm"):  # SQLite creates these with the database file's mode; older ones:
                paths.tighten(db_path.with_name(DB_NAME + suffix), paths.PRIVATE_FILE_MODE)
            self.engine = _sqlite_engine(self.url, read_only=False)
            self.read_engine = _sqlite_engine(self.url, read_only=True)
        else:
            self.engine = self.read_engine = _postgresql_engine(self.url)
        if self.is_sqlite:
            for engine in (self.engine, self.read_engine):
                sa.event.listen(engine, "before_cursor_execute", stored_parameters, retval=True)
        self._upgrade()

    @contextlib.contextmanager
    def transaction(self, engine: sa.Engine | None = None):
        """A connection inside the write lock: committed on success, rolled back on error."""
        with (engine or self.engine).connect().execution_options(zi_write=True) as conn, conn.begin():
            if not self.is_sqlite:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield conn

    @contextlib.contextmanager
    def reading(self):
        """A connection inside a read transaction: one snapshot; nested calls share it."""
        current = getattr(self._readers, "conn", None)
        if current is not None:
            yield current
            return
        options = {} if self.is_sqlite else {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with self.read_engine.connect().execution_options(**options) as conn, conn.begin():
            self._readers.conn = conn
            try:
                yield conn
            finally:
                self._readers.conn = None

    def revision(self) -> str | None:
        """The Alembic revision the database is at (None: not made yet, or made before Alembic)."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    def upgrade(self) -> str | None:
        """Bring the schema to HEAD (nothing to do when it is there) and, with an owner URL, grant the runtime
        role its privileges again: `python -m zi_data db upgrade`. The runtime role granted, if any (none when the
        owner URL names the same role)."""
        if self.owner_url is None:
            self._upgrade()
            return None
        with self.engine.connect() as conn:
            runtime_role = database_roles.current_role(conn)
        owner = _postgresql_engine(database_url(self.data_dir, self.owner_url))
        try:
            with self.transaction(owner) as conn:
                self._migrate(conn)
                if database_roles.current_role(conn) == runtime_role:
                    return None
                database_roles.grant_runtime(conn, runtime_role)
                return runtime_role
        finally:
            owner.dispose()

    def _upgrade(self) -> None:
        found = self.revision()
        if found == HEAD:
            return
        if found is not None and found not in KNOWN_REVISIONS:
            raise SchemaTooNew(found)
        if self.owner_url is not None:
            self.upgrade()
            return
        if self.is_sqlite:
            self._use_wal()
        try:
            with self.transaction() as conn:
                self._migrate(conn)
        except sa.exc.ProgrammingError as error:
            if getattr(error.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                raise
            raise SchemaOwnerNeeded(found) from None

    def _migrate(self, conn) -> None:
        """Run the revisions up to HEAD on `conn` (inside the write lock); convert a pre-Alembic SQLite file."""
        legacy = self.is_sqlite and legacy_schema.is_legacy(conn)
        if legacy:
            legacy_schema.set_aside(conn)
        config = Config()
        config.set_main_option("script_location", str(SCHEMA_DIR))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        if legacy:
            legacy_schema.convert(conn)
            link_backfill.backfill_links(conn)  # revision 0007's data upgrade ran before the rows came across

    def _use_wal(self) -> None:
        """Put the SQLite file in WAL mode (kept in the file; set outside a transaction). Changing the mode
        needs the file to itself, and SQLite may answer 'database is locked' at once, without waiting, while
        another process opening the same fresh file holds it; so it is tried again until the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        raw = self.engine.raw_connection()
        try:
            while True:
                try:
                    raw.driver_connection.execute("PRAGMA journal_mode=WAL")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        finally:
            raw.close()

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def stored_parameters(_conn, _cursor, statement, parameters, _context, executemany):
    """The statement's parameters with every text through `stored_text` (a `before_cursor_execute` hook)."""
    if executemany:
        return statement, [_stored_row(row) for row in parameters]
    return statement, _stored_row(parameters)


def _stored_row(row):
    if isinstance(row, dict):
        return {name: stored_text(value) if isinstance(value, str) else value for name, value in row.items()}
    if isinstance(row, (list, tuple)):
        return type(row)(stored_text(value) if isinstance(value, str) else value for value in row)
    return row


def _postgresql_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url, pool_pre_ping=True)
    sa.event.listen(engine, "before_cursor_execute", stored_parameters, retval=True)
    return engine


def _sqlite_engine(url: str, read_only: bool) -> sa.Engine:
    """SQLite with transactions we begin ourselves (the driver's own are off): BEGIN IMMEDIATE for a
    writer, a deferred BEGIN for a reader; readers' connections are query_only; foreign keys enforced."""
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, pool_size=8, max_overflow=32)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")  # as PostgreSQL always does
        if read_only:
            dbapi_connection.execute("PRAGMA query_only = ON")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("zi_write") else "BEGIN")

    return engine
