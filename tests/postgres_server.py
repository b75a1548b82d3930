"""A throwaway PostgreSQL cluster for the tests, and a fresh database on it for each test (empty, or a
copy of a template database).

The server binaries are Debian's (package `postgresql`, in /usr/lib/postgresql/<N>/bin, not on PATH).
The cluster lives in a temporary directory: trust authentication for the user `zi`, no TCP listener,
its unix socket in that same directory, durability switched off for speed. Run as root, the
directory belongs to `postgres` and the server commands run as that user (PostgreSQL refuses root).
With no TCP listener and a socket directory of its own, the port only names the socket file, so a
fixed port cannot clash with another server. The directory is in /dev/shm when that has room: there
CREATE DATABASE took 20-60 ms, on disk about 0.5 s (measured on the development machine).
"""

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

DEBIAN_SERVERS = Path("/usr/lib/postgresql")
PORT = 5432
USER = "zi"
SPEED_SETTINGS = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                  " -c min_wal_size=32MB -c max_wal_size=64MB")  # WAL, most of the cluster's size, kept small
MEMORY_DIR = Path("/dev/shm")
MEMORY_NEEDED = 1 << 30  # bytes free in MEMORY_DIR to use it; Docker's default /dev/shm has 64 MiB


class ClusterError(RuntimeError):
    """initdb or pg_ctl failed; the message ends with their output or the server log."""


def server_bin_dir() -> Path | None:
    """The newest installed server's bin directory, or None."""
    versions = [path.parent for path in DEBIAN_SERVERS.glob("*/bin/pg_ctl") if path.parent.parent.name.isdigit()]
    return max(versions, key=lambda path: int(path.parent.name), default=None)


def missing_reason() -> str | None:
    """Why no cluster can be started here, or None."""
    if server_bin_dir() is None:
        return (f"PostgreSQL server not found in {DEBIAN_SERVERS}/<N>/bin "
                "(install Debian's 'postgresql' package; `python3 dev.py test` does)")
    if _running_as_root() and not _postgres_user_exists():
        return "running as root but there is no user 'postgres' to run the server"
    return None


def new_cluster_directory() -> Path:
    """A new empty directory for a cluster: in memory (MEMORY_DIR) when it has room, else in the temp dir."""
    in_memory = MEMORY_DIR.is_dir() and shutil.disk_usage(MEMORY_DIR).free >= MEMORY_NEEDED
    return Path(tempfile.mkdtemp(prefix="zi-pg-", dir=MEMORY_DIR if in_memory else None))


def start_cluster(directory: Path) -> str:
    """Create and start a cluster in the empty `directory`; return the URL of its `postgres` database.

    Returns once the server accepts connections (pg_ctl -w). Call stop_cluster(directory) afterwards,
    also when this raises.
    """
    bin_dir = server_bin_dir()
    data, log = directory / "data", directory / "server.log"
    if _running_as_root():
        shutil.chown(directory, "postgres", "postgres")
    _run(directory, bin_dir / "initdb", "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C", "--no-sync",
         "-D", str(data))
    options = f"-c listen_addresses='' -k {directory} -p {PORT} {SPEED_SETTINGS}"
    try:
        _run(directory, bin_dir / "pg_ctl", "start", "-w", "-D", str(data), "-l", str(log), "-o", options)
    except ClusterError as error:
        raise ClusterError(f"{error}\n--- server log ---\n{_read(log)}") from None
    return f"postgresql://{USER}@/postgres?host={directory}&port={PORT}"


def stop_cluster(directory: Path) -> None:
    """Stop the cluster in `directory` if it runs (fast shutdown, waiting for it), then remove the directory."""
    try:
        if (directory / "data" / "postmaster.pid").exists():
            _run(directory, server_bin_dir() / "pg_ctl", "stop", "-m", "fast", "-w", "-D", str(directory / "data"))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def create_database(server_url: str, template: str = "template0") -> str:
    """A new database with a unique name on the server, a copy of `template` (default: empty); its URL.
    No one may be connected to `template` meanwhile (PostgreSQL refuses the copy)."""
    name = f"zi_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return urlsplit(server_url)._replace(path=f"/{name}").geturl()


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def drop_database(server_url: str, database_url: str) -> None:
    """Drop the database at `database_url`, ending the connections still open to it."""
    name = database_name(database_url)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(directory: Path, program: Path, *args: str) -> None:
    command = [str(program), *args]
    if _running_as_root():
        command = ["runuser", "-u", "postgres", "--", *command]
    result = subprocess.run(command, cwd=directory, capture_output=True, text=True)
    if result.returncode != 0:
        raise ClusterError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else "(no log)"


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _postgres_user_exists() -> bool:
    import pwd

    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True
