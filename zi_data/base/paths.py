"""Where the project keeps its files, readable by the account that runs it and nobody else, and the content
hash (sha256_of) that names and checks the files it keeps."""

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_PLAN = PROJECT_ROOT / "data" / "rencana_aksi_2025.xlsx"
BUNDLED_OFFICES = PROJECT_ROOT / "data" / "kantor_kpu_indonesia.csv"
DEFAULT_DATA_DIR = PROJECT_ROOT / "var" / "data"
EXAMPLE_REALISASI = "contoh_realisasi_{year}.xlsx"  # in data/: a plan year's fictitious progress, to try with
PRIVATE_DIR_MODE, PRIVATE_FILE_MODE = 0o700, 0o600
NOT_WRITABLE_KIND = "bukan berkas biasa, perangkat karakter atau pipa"
OS_ERRORS = {errno.ENOSPC: "ruang penyimpanan penuh", errno.EACCES: "tidak ada izin", errno.EPERM: "tidak ada izin",
             errno.EISDIR: "itu sebuah direktori", errno.ENOTDIR: "salah satu foldernya adalah berkas",
             errno.ENOENT: "folder atau berkas tidak ada", errno.EROFS: "sistem berkas hanya dapat dibaca",
             errno.EINVAL: NOT_WRITABLE_KIND, errno.ENXIO: "tidak ada yang membaca perangkat atau soket itu"}


def example_realisasi(year: int) -> Path | None:
    """The bundled example progress workbook of plan year `year` (data/contoh_realisasi_YEAR.xlsx), if any."""
    path = PROJECT_ROOT / "data" / EXAMPLE_REALISASI.format(year=int(year))
    return path if path.is_file() else None


def sha256_of(data: bytes) -> str:
    """The SHA-256 of `data` in hex: an archived upload's and an evidence file's name, and what a download is
    checked against."""
    return hashlib.sha256(data).hexdigest()


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
    """Write `data` to `target` through output_file (the folder must exist)."""
    with output_file(target) as out:
        out.write(data)


@contextlib.contextmanager
def output_file(target: Path) -> Iterator[BinaryIO]:
    """A binary file to write `target` with; the folder must exist.

    A regular file or a new name is written through a temporary file in its folder (mode 0600), synced and
    renamed over `target` when the block ends without error, so that a reader never sees half a file and a
    failure leaves the old one. A character device or a pipe (FIFO) is opened and written as it is: renaming
    over it would put a regular file in its place (over /dev/null, as root). A directory is refused
    (IsADirectoryError), and so is any other kind of file (OSError)."""
    kind = _kind(target)
    if kind is not None and not stat.S_ISREG(kind):
        if stat.S_ISDIR(kind):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        if not (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):
            raise OSError(errno.EINVAL, NOT_WRITABLE_KIND, str(target))
        with open(target, "wb") as out:
            yield out
        return
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)


def _kind(path: Path) -> int | None:
    """The file-type bits of what `path` names (links followed), None when nothing is there."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        return None


def os_error_text(error: OSError) -> str:
    """Why a file could not be read or written, in Indonesian (the system's words for a rare cause)."""
    return OS_ERRORS.get(error.errno, error.strerror or str(error))
