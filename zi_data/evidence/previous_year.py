"""How each langkah aksi ended in the office's previous plan year, shown beside the same ID in a later year for
reference: its item-months done of those planned, as of that year's last day, under that year's counting rule
(status.classify with that year's evidence). Years stay apart: nothing of it counts in the later year.
"""

import pandas as pd
import sqlalchemy as sa

from ..plan import status
from ..store.counting_rule import counting_rule
from . import evidence


def previous_year(store) -> int | None:
    """The office's latest plan year before the store's; None when it has none."""
    with store.reading() as conn:
        year = conn.execute(sa.text("SELECT MAX(year) FROM ledgers WHERE office = :office AND year < :year"),
                            {"office": store.office, "year": store.year}).scalar()
    return None if year is None else int(year)


def year_outcomes(store) -> pd.DataFrame:
    """Per langkah aksi of the store's plan in force (indexed by ID, in plan order): `planned`, its item-months
    planned, and `done`, those selesai as of the year's last day under the year's counting rule."""
    plan, latest = store.plan(), store.latest()
    classified = status.classify(plan, latest, status.as_of_date(store.year, month=12),
                                 evidence=evidence.evidence_states(store, latest), rule=counting_rule(store))
    planned = classified[classified["planned"]]
    counts = pd.DataFrame({"planned": planned.groupby("id").size(),
                           "done": (planned["state"] == "selesai").groupby(planned["id"]).sum()})
    return counts.reindex(pd.Index(plan["id"], name="id"), fill_value=0).astype("int64")


def outcome_text(outcomes: pd.DataFrame, item_id: str, year: int) -> str | None:
    """'Tahun 2025: 10 dari 12 bulan selesai' for `item_id` in `year`'s `outcomes` (year_outcomes); None when that
    year's plan had no such ID."""
    if item_id not in outcomes.index:
        return None
    planned, done = (int(outcomes.at[item_id, column]) for column in ("planned", "done"))
    if not planned:
        return f"Tahun {year}: tanpa bulan terjadwal"
    return f"Tahun {year}: {done} dari {planned} bulan selesai"
