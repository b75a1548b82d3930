"""Where the project keeps its files, readable by the account that runs it and nobody else."""

import os
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_PLAN = PROJECT_ROOT / "data" / "rencana_aksi_2025.xlsx"
BUNDLED_OFFICES = PROJECT_ROOT / "data" / "kantor_kpu_kalimantan_tengah.csv"
DEFAULT_DATA_DIR = PROJECT_ROOT / "var" / "data"
PRIVATE_DIR_MODE, PRIVATE_FILE_MODE = 0o700, 0o600


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The state directory: `explicit`, else $ZI_DATA_DIR, else var/data in the project (git-ignored)."""
    chosen = explicit or os.environ.get("ZI_DATA_DIR") or DEFAULT_DATA_DIR
    path = Path(chosen).expanduser().resolve()
    private_dir(path)
    return path


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) so that only its owner can enter it; an existing directory
    of ours is tightened to that too. Explicit modes, no umask change."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    tighten(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, readable and writable by its owner only; an existing file of
    ours is tightened to that too."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    tighten(path, PRIVATE_FILE_MODE)
    return path


def tighten(path: Path, mode: int) -> None:
    """chmod to `mode` when `path` exists, group or others have any access and we own it (another
    owner's file is left alone: chmod would fail, and they chose its mode)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_mode & 0o077 and status.st_uid == os.getuid():
        os.chmod(path, mode)


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` (mode 0600) through a temporary file in its folder, so that a reader never
    sees half a file; the folder must exist."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
