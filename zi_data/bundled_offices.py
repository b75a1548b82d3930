"""The bundled office list (data/kantor_*.csv: kode, nama, induk): where a plan's office is found by name."""

import csv

from . import paths


def office_chain(name: str) -> list[tuple[str, str, str | None]]:
    """(code, name, parent) of the office named `name` (case ignored) and its parents, root first; [] if unknown."""
    offices = _bundled_offices()
    row = next((row for row in offices.values() if row["nama"].casefold() == name.strip().casefold()), None)
    chain = []
    while row is not None and row not in chain:
        chain.append(row)
        row = offices.get(row["induk"])
    return [(row["kode"], row["nama"], row["induk"] or None) for row in reversed(chain)]


def _bundled_offices() -> dict[str, dict]:
    if not paths.BUNDLED_OFFICES.is_file():
        return {}
    with paths.BUNDLED_OFFICES.open(encoding="utf-8-sig", newline="") as handle:
        return {row["kode"].strip(): {k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)}
