"""Where the project keeps its files."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_PLAN = PROJECT_ROOT / "data" / "rencana_aksi_2025.xlsx"
DEFAULT_DATA_DIR = PROJECT_ROOT / "var" / "data"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The state directory: `explicit`, else $ZI_DATA_DIR, else var/data in the project (git-ignored)."""
    chosen = explicit or os.environ.get("ZI_DATA_DIR") or DEFAULT_DATA_DIR
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
