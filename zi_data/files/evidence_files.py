"""Evidence files on disk: stored once per content, by SHA-256, in the data directory.

A blob lives at <data_dir>/bukti/<first two hex digits>/<sha256>, with no extension and mode
0600; the name a person gave the file is kept only in the database, never used as a path.
"""

import os
import re
from pathlib import Path

from ..base import paths
from ..base.problems import RefusedValue

EVIDENCE_DIR = "bukti"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
DEFAULT_MAX_MB = 20


def max_file_bytes() -> int:
    """The largest evidence file accepted: $ZI_EVIDENCE_MAX_MB mebibytes (default 20)."""
    text = os.environ.get("ZI_EVIDENCE_MAX_MB", "").strip()
    try:
        megabytes = float(text) if text else DEFAULT_MAX_MB
    except ValueError:
        raise RefusedValue(f"ZI_EVIDENCE_MAX_MB harus berupa angka, bukan {text!r}.") from None
    if megabytes <= 0:
        raise RefusedValue("ZI_EVIDENCE_MAX_MB harus lebih dari 0.")
    return int(megabytes * 1024 * 1024)


def blob_path(data_dir: Path, sha256: str) -> Path:
    if not SHA256.match(sha256 or ""):
        raise ValueError(f"Sidik berkas bukti tidak sah: {sha256!r}")
    return Path(data_dir) / EVIDENCE_DIR / sha256[:2] / sha256


def keep_blob(data_dir: Path, data: bytes) -> str:
    """Store `data` (once: the same content is never written twice) and return its SHA-256."""
    sha256 = paths.sha256_of(data)
    target = blob_path(data_dir, sha256)
    if target.exists():
        return sha256
    paths.private_dir(target.parent.parent)
    paths.private_dir(target.parent)
    paths.write_atomically(target, data)
    return sha256



def unreferenced_files(data_dir: Path, referenced: set[str]) -> list[Path]:
    """Files of the evidence folder that no evidence row names: blobs kept by an attach whose transaction then
    failed, and half-written temporary files. Call it inside the database's write lock, which every attach
    holds from keeping its blob to committing its row, so no file found here can be about to be named."""
    folder = Path(data_dir) / EVIDENCE_DIR
    found = []
    for path in sorted(folder.glob("[0-9a-f][0-9a-f]/*")) if folder.is_dir() else ():
        ours = SHA256.match(path.name) and path.name[:2] == path.parent.name or path.name.startswith(".incoming-")
        if ours and path.name not in referenced and path.is_file() and not path.is_symlink():
            found.append(path)
    return found
