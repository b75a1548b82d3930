"""The bundled office list (data/kantor_*.csv: kode, nama, induk): where a plan's office is found by name."""

from ..base import paths
from .offices import read_offices_csv


def office_chain(name: str) -> list[tuple[str, str, str | None]]:
    """(code, name, parent) of the office named `name` (case ignored) and its parents, root first; [] if unknown."""
    offices = _bundled_offices()
    row = next((row for row in offices.values() if row[1].casefold() == name.strip().casefold()), None)
    chain = []
    while row is not None and row not in chain:
        chain.append(row)
        row = offices.get(row[2])
    return [(code, office_name, parent or None) for code, office_name, parent in reversed(chain)]


def _bundled_offices() -> dict[str, tuple[str, str, str]]:
    """code -> (code, name, parent code or "") of the bundled list, read with the office CSV reader."""
    if not paths.BUNDLED_OFFICES.is_file():
        return {}
    frame = read_offices_csv(paths.BUNDLED_OFFICES.read_bytes(), paths.BUNDLED_OFFICES.name)
    return {code: (code, name, parent) for code, name, parent in frame.itertuples(index=False, name=None)}
