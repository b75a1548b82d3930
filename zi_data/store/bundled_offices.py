"""The bundled office list, data/kantor_kpu_indonesia.csv: every KPU office (KPU RI `00`, the 38 provinces, the 514
kabupaten/kota) by Kemendagri code, with its parent, level and time zone (built by scripts/build_office_list.py).

Every database holds it: schema revision 0009 adds the offices it lacks (add_bundled_offices), so a new data
directory knows them all and an older one gains those it did not have, its own rows untouched. A plan's office is
found in it by name (office_chain). The file is the project's own and checked by its tests, so it is read with the
csv module, once per process, not through the checks an uploaded office list passes (offices.read_offices_csv).
"""

import csv
import functools

import sqlalchemy as sa

from ..base import paths
from ..base.clock import province_zone


def office_chain(name: str) -> list[tuple[str, str, str | None]]:
    """(code, name, parent) of the office named `name` (case ignored) and its parents, root first; [] if unknown."""
    offices = bundled_offices()
    row = next((row for row in offices.values() if row["nama"].casefold() == name.strip().casefold()), None)
    chain = []
    while row is not None and row not in chain:
        chain.append(row)
        row = offices.get(row["induk"])
    return [(row["kode"], row["nama"], row["induk"] or None) for row in reversed(chain)]


def add_bundled_offices(conn: sa.Connection, at: str) -> int:
    """Insert the bundled offices whose code the database lacks, parents first; a stored office is never changed.
    An office's zone is stored only where the list's differs from its province's. How many were added."""
    stored = set(conn.execute(sa.text("SELECT code FROM offices")).scalars())
    missing = [{"code": row["kode"], "name": row["nama"], "parent": row["induk"] or None, "at": at,
                "zone": None if row["zona_waktu"] == province_zone(row["kode"]) else row["zona_waktu"]}
               for row in bundled_offices().values() if row["kode"] not in stored]
    if missing:  # the list names every parent before its children
        conn.execute(sa.text("INSERT INTO offices (code, name, parent, created_at, zona_waktu) "
                             "VALUES (:code, :name, :parent, :at, :zone)"), missing)
    return len(missing)


@functools.cache
def bundled_offices() -> dict[str, dict[str, str]]:
    """code -> the list's row (kode, nama, induk, tingkat, zona_waktu; induk "" for KPU RI), in the list's order."""
    with paths.BUNDLED_OFFICES.open(encoding="utf-8", newline="") as handle:
        return {row["kode"]: row for row in csv.DictReader(handle)}
