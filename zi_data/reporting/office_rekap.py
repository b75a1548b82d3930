"""The Rekap Instansi page's data: which stored state it shows (a cheap cache key), and the roll-up's
frames (rollup.office_rollup) as the tables people read, in Indonesian number format."""

import math

import pandas as pd
import sqlalchemy as sa

from ..base.months import format_number, format_percent, month_name

STATE_SQL = sa.text(
    "SELECT l.ledger_id, "
    "(SELECT COALESCE(MAX(e.entry_id), 0) FROM entries e WHERE e.ledger_id = l.ledger_id) AS newest_entry_id, "
    "(SELECT COALESCE(MAX(u.upload_id), 0) FROM uploads u WHERE u.ledger_id = l.ledger_id) AS newest_upload_id, "
    "(SELECT COALESCE(MAX(x.evidence_id), 0) FROM evidence x WHERE x.ledger_id = l.ledger_id) AS newest_evidence_id, "
    "(SELECT COALESCE(MAX(p.version), 0) FROM plan_versions p WHERE p.ledger_id = l.ledger_id) AS plan_version "
    "FROM ledgers l WHERE l.ledger_id IN :ledger_ids ORDER BY l.ledger_id"
).bindparams(sa.bindparam("ledger_ids", expanding=True))


def ledger_states(conn, ledger_ids: list[int]) -> tuple[tuple[int, ...], ...]:
    """(ledger_id, newest entry_id, upload_id and evidence_id, plan version) of each given ledger: changes
    whenever any of them does (the roll-up's inputs)."""
    rows = conn.execute(STATE_SQL, {"ledger_ids": [int(i) for i in ledger_ids] or [-1]})
    return tuple(tuple(int(value) for value in row) for row in rows)


def trend_text(change: float) -> str:
    """▲/▼/► and the change of a rate in percentage points ('▲ 2,5 poin'); '–' when unknown."""
    if math.isnan(change):
        return "–"
    points = round(change * 100, 1)
    arrow = "▲" if points > 0 else "▼" if points < 0 else "►"  # not "=": a spreadsheet reads it as a formula
    return f"{arrow} {format_number(abs(points), 1)} poin"


def ranking_table(ranking: pd.DataFrame, as_of_month: int) -> pd.DataFrame:
    """rollup's ranking as shown: rank, office, the as-of and the previous month's completion, the trend."""
    previous = f"s.d. {month_name(as_of_month - 1)}" if as_of_month > 1 else "bulan lalu"
    return pd.DataFrame({
        "Peringkat": ranking["rank"].astype(int),
        "Kantor": ranking["office_name"],
        f"Capaian s.d. {month_name(as_of_month)}": ranking["rate_as_of"].map(format_percent),
        f"Bulan lalu ({previous})": ranking["rate_previous"].map(format_percent),
        "Tren": ranking["trend"].map(trend_text),
    })


def overdue_table(overdue: pd.DataFrame, ranking: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """The offices with the most overdue item-months (none left out when tied with the last one shown), and
    what share of their item-months due so far that is."""
    due = dict(zip(ranking["office"], ranking["planned_as_of"]))
    shown = overdue[overdue["overdue"] > 0]
    if len(shown) > limit:
        shown = shown[shown["overdue"] >= shown["overdue"].iloc[limit - 1]]
    return pd.DataFrame({
        "Kantor": shown["office_name"],
        "Terlambat": shown["overdue"].map(format_number),
        "Jatuh tempo s.d. bulan acuan": [format_number(due[office]) for office in shown["office"]],
        "Bagian terlambat": [format_percent(late / due[office] if due[office] else math.nan)
                             for office, late in zip(shown["office"], shown["overdue"])],
    })
