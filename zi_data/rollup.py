"""Offices compared, counted in the database: as-of completion per office and area, each office's
trend since the previous month, and the overdue item-months per office.

The rules are status.classify's, for each ledger's latest plan version and each item-month's
latest entry: an item-month is done when that entry is Selesai with bukti dukung that is not
blank (blank: nothing left after str.strip(), the same characters trimmed in SQL); it is overdue
when not done and its month ended (last day + grace days) before the as-of date. Reports for
unplanned months or unknown IDs count nowhere. One query reads everything the three tables need;
the database returns one row per (ledger, area), never the item-months.
"""

import calendar
from datetime import date, timedelta

import pandas as pd
import sqlalchemy

from .status import as_of_month

WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())  # what str.strip() removes

AREA_COLUMNS = ["office", "office_name", "area", "area_name", "planned_as_of", "done_as_of", "rate_as_of"]
RANKING_COLUMNS = ["rank", "office", "office_name", "planned_as_of", "done_as_of", "rate_as_of", "rate_previous",
                   "trend"]
OVERDUE_COLUMNS = ["office", "office_name", "overdue"]
COUNT_COLUMNS = ["ledger_id", "area", "area_name", "area_position", "planned_as_of", "done_as_of",
                 "planned_previous", "done_previous", "overdue"]

LEDGERS_SQL = sqlalchemy.text(
    "SELECT l.ledger_id, l.office, o.name AS office_name, l.year FROM ledgers l "
    "JOIN offices o ON o.code = l.office WHERE l.ledger_id IN :ledger_ids ORDER BY l.office"
).bindparams(sqlalchemy.bindparam("ledger_ids", expanding=True))

COUNTS_SQL = sqlalchemy.text("""
WITH plan AS (
    SELECT ledger_id, MAX(version) AS version FROM plan_versions
    WHERE ledger_id IN :ledger_ids GROUP BY ledger_id
), planned AS (
    SELECT s.ledger_id, s.item_id, s.month, i.area, i.area_name, i.position
    FROM plan
    JOIN plan_schedule s ON s.ledger_id = plan.ledger_id AND s.version = plan.version
    JOIN plan_items i ON i.ledger_id = s.ledger_id AND i.version = s.version AND i.position = s.position
), latest AS (
    SELECT ledger_id, item_id, month, MAX(entry_id) AS entry_id,
           MAX(CASE WHEN status = 'Selesai' AND TRIM(bukti_dukung, :whitespace) <> '' THEN entry_id END)
               AS done_entry_id
    FROM entries WHERE ledger_id IN :ledger_ids AND month <= :due_through  -- only months due can be done
    GROUP BY ledger_id, item_id, month
), item_months AS (
    SELECT p.ledger_id, p.area, p.area_name, p.position, p.month,
           CASE WHEN e.done_entry_id = e.entry_id THEN 1 ELSE 0 END AS done
    FROM planned p
    LEFT JOIN latest e ON e.ledger_id = p.ledger_id AND e.item_id = p.item_id AND e.month = p.month
)
SELECT ledger_id, area, MIN(area_name) AS area_name, MIN(position) AS area_position,
       SUM(CASE WHEN month <= :due_through THEN 1 ELSE 0 END) AS planned_as_of,
       SUM(done) AS done_as_of,
       SUM(CASE WHEN month <= :previous_through THEN 1 ELSE 0 END) AS planned_previous,
       SUM(CASE WHEN month <= :previous_through THEN done ELSE 0 END) AS done_previous,
       SUM(CASE WHEN month <= :ended_through THEN 1 - done ELSE 0 END) AS overdue
FROM item_months GROUP BY ledger_id, area
""").bindparams(
    sqlalchemy.bindparam("ledger_ids", expanding=True))


def ledgers(conn: sqlalchemy.Connection, ledger_ids: list[int]) -> pd.DataFrame:
    """ledger_id, office, office_name, year of the given ledgers, by office code."""
    rows = conn.execute(LEDGERS_SQL, {"ledger_ids": [int(i) for i in ledger_ids] or [-1]}).all()
    return pd.DataFrame(rows, columns=["ledger_id", "office", "office_name", "year"])


def ended_through(year: int, as_of: date, grace_days: int = 0) -> int:
    """The last month of `year` whose last day plus grace days is before `as_of` (0: none)."""
    return max((month for month in range(1, 13)
                if date(year, month, calendar.monthrange(year, month)[1]) + timedelta(days=grace_days) < as_of),
               default=0)


def area_counts(conn: sqlalchemy.Connection, offices: pd.DataFrame, as_of: date, grace_days: int = 0) -> pd.DataFrame:
    """Per (ledger, area) of the latest plan: item-months due as of the as-of month and as of the
    month before, how many of them are done, and how many are overdue. `offices` is ledgers()."""
    years = set(offices["year"])
    if len(years) > 1:
        raise ValueError(f"Rekap hanya untuk satu tahun; ledger yang dipilih mencakup tahun {sorted(years)}.")
    if not years:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    year = int(years.pop())
    due_through = as_of_month(as_of, year)
    rows = conn.execute(COUNTS_SQL, {
        "ledger_ids": [int(i) for i in offices["ledger_id"]], "due_through": due_through,
        "previous_through": max(due_through - 1, 0), "ended_through": ended_through(year, as_of, grace_days),
        "whitespace": WHITESPACE}).all()
    counts = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    numbers = COUNT_COLUMNS[3:]
    return counts.astype({column: "int64" for column in numbers}).sort_values(["ledger_id", "area_position"])


def completion_by_area(offices: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """The heatmap: one row per office and area (plan order), item-months due, done and the rate
    (NaN when nothing in the area is due yet). Offices without a plan have no rows."""
    table = offices.merge(counts, on="ledger_id")
    table["rate_as_of"] = _rate(table["done_as_of"], table["planned_as_of"])
    return table[AREA_COLUMNS].reset_index(drop=True)


def office_ranking(offices: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Offices by as-of rate, best first (no rate last, ties by office code), with the rate as of
    the previous month and the trend: the difference of the two rates."""
    table = _per_office(offices, counts, ["planned_as_of", "done_as_of", "planned_previous", "done_previous"])
    table["rate_as_of"] = _rate(table["done_as_of"], table["planned_as_of"])
    table["rate_previous"] = _rate(table["done_previous"], table["planned_previous"])
    table["trend"] = table["rate_as_of"] - table["rate_previous"]
    table = table.sort_values(["rate_as_of", "office"], ascending=[False, True], na_position="last", kind="stable")
    table["rank"] = range(1, len(table) + 1)
    return table[RANKING_COLUMNS].reset_index(drop=True)


def most_overdue(offices: pd.DataFrame, counts: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Offices by overdue item-months, most first (ties by office code); `limit` keeps the first ones."""
    table = _per_office(offices, counts, ["overdue"])
    table = table.sort_values(["overdue", "office"], ascending=[False, True], kind="stable")
    return table[OVERDUE_COLUMNS].head(limit).reset_index(drop=True)


def _per_office(offices: pd.DataFrame, counts: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    sums = counts.groupby("ledger_id")[columns].sum()
    table = offices.join(sums, on="ledger_id")
    return table.fillna({column: 0 for column in columns}).astype({column: "int64" for column in columns})


def _rate(done: pd.Series, planned: pd.Series) -> pd.Series:
    return (done / planned.where(planned > 0)).astype("float64")


def office_rollup(conn: sqlalchemy.Connection, ledger_ids: list[int], as_of: date,
                  grace_days: int = 0) -> dict[str, pd.DataFrame]:
    """The three page-ready tables for the given ledgers (one plan year): 'areas', 'ranking', 'overdue'."""
    offices = ledgers(conn, ledger_ids)
    counts = area_counts(conn, offices, as_of, grace_days)
    return {"areas": completion_by_area(offices, counts), "ranking": office_ranking(offices, counts),
            "overdue": most_overdue(offices, counts)}
