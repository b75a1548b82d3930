"""What the room saw at a monev meeting: the status as of a month, frozen as plain JSON values.

A snapshot holds exactly what `python -m zi_data status --json --as-of YYYY-MM` prints for that month
(status.status_summary), plus the office's full name, the area names, the rates per komponen and the
Kurva S. It is stored with the meeting and never recomputed; the frames below rebuild, from a stored
snapshot, the tables the chart functions take, so a frozen meeting is drawn like the live pages.
"""


import numpy as np
import pandas as pd

from ..evidence import evidence
from ..store import ledgers
from ..plan import status as status_rules
from ..store.counting_rule import counting_rule
from ..base.clock import utc_now

SNAPSHOT_PARTS = ("overall", "by_area", "by_team", "by_komponen")


def take_snapshot(store, as_of_month: int) -> dict:
    """The status of the store's plan year as of the last day of `as_of_month`, with the counting rule in force."""
    plan, latest = store.plan(), store.latest()
    as_of = status_rules.as_of_date(store.year, month=as_of_month)
    states, rule = evidence.evidence_states(store, latest), counting_rule(store)
    snapshot = status_rules.status_summary(plan, latest, as_of, 0, evidence=states, rule=rule)
    classified = status_rules.classify(plan, latest, as_of, 0, states, rule)
    by_komponen = status_rules.completion(classified, as_of, "komponen")
    kurva = status_rules.kurva_s(classified, as_of)
    snapshot.update({
        "office_name": office_name(store, plan),
        "area_names": dict(zip(plan["area"], plan["area_name"])),
        "by_komponen": {row.group: {"as_of": status_rules.rate_dict(row.planned_as_of, row.done_as_of, row.rate_as_of),
                                    "annual": status_rules.rate_dict(row.planned_annual, row.done_annual,
                                                                     row.rate_annual)}
                        for row in by_komponen.itertuples()},
        "kurva_s": [{key: _plain(value) for key, value in row.items()} for row in kurva.to_dict("records")],
        "taken_at": utc_now("seconds"),
    })
    return snapshot


def office_name(store, plan: pd.DataFrame) -> str:
    """The office's full name from the plan's info sheet, else its name in the office list."""
    full_name = str(plan.attrs.get("info", {}).get("Nama lengkap instansi") or "").strip()
    if full_name:
        return full_name
    with store.reading() as conn:
        names = ledgers.ledger_frame(conn).set_index("ledger_id")["office_name"]
    return str(names.get(store.ledger_id, store.office))


def completion_frame(snapshot: dict, part: str) -> pd.DataFrame:
    """status.completion's table for `part` (overall, by_area, by_team or by_komponen) of a snapshot."""
    if part not in SNAPSHOT_PARTS:
        raise ValueError(f"Bagian ringkasan tidak dikenal: {part!r}")
    groups = {status_rules.OVERALL_GROUP: snapshot["overall"]} if part == "overall" else snapshot[part]
    rows = [[group, shape["as_of"]["planned"], shape["as_of"]["done"], _float(shape["as_of"]["rate"]),
             shape["annual"]["planned"], shape["annual"]["done"], _float(shape["annual"]["rate"])]
            for group, shape in groups.items()]
    frame = pd.DataFrame(rows, columns=status_rules.COMPLETION_COLUMNS)
    counts = ["planned_as_of", "done_as_of", "planned_annual", "done_annual"]
    return frame.astype({**dict.fromkeys(counts, "int64"), "rate_as_of": "float64", "rate_annual": "float64"})


def kurva_s_frame(snapshot: dict) -> pd.DataFrame:
    """status.kurva_s's table of a snapshot."""
    curve = pd.DataFrame(snapshot["kurva_s"])
    for column in ("planned_pct", "realised_pct", "deviation"):
        curve[column] = curve[column].map(_float).astype("float64")
    curve["realised"] = curve["realised"].astype("Int64")
    return curve


def overdue_frame(snapshot: dict) -> pd.DataFrame:
    """status.overdue_list's table of a snapshot, most overdue first."""
    return pd.DataFrame(snapshot["overdue"], columns=status_rules.OVERDUE_COLUMNS)


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _float(value) -> float:
    return np.nan if value is None else float(value)
