"""Offices compared, counted in the database: as-of completion per office and area, each office's
trend since the previous month, and the overdue item-months per office.

The rules are status.classify's under the counting rule "bukti", for each ledger's latest plan
version and each item-month's latest entry: an item-month is done when that entry is Selesai with
evidence: bukti dukung text that is not blank (blank: nothing left after str.strip(), the same
characters trimmed in SQL) or an attached file or link that counts (not attached by an undone
upload); it is overdue when not done and its month ended (last day + grace days) before the as-of
date. Offices are compared under that one rule whatever rule each has chosen for its own pages
(a penilai's verification is not counted here). Reports for unplanned months or unknown IDs count
nowhere. One query reads everything the three tables need; the database returns one row per
(ledger, area), never the item-months.

Counting 450,000 item-months of 553 offices takes seconds, so writers record each changed
ledger's per-(area, month) counts in the append-only table rollup_counts (record_counts), keyed by
the ledger's plan version and newest entry_id. The roll-up reads those counts for every ledger
whose key still matches, and counts the others live, in the same statement (one snapshot), so it
is correct whether or not, or however long ago, anything was recorded. Since schema revision 0003
the key's `through_entry_id` is the ledger's state number: the sum of its newest entry, upload and
evidence ids. Each of the three only grows, and every change adds a row to one of them, so two
states of a ledger never share a number (a count recorded before 0003 no longer matches and is
counted live until the ledger's next write).
"""

import calendar
import math
from datetime import date, timedelta

import pandas as pd
import sqlalchemy

from ..plan.status import as_of_month

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

# Per (ledger, area, month) of each given ledger's latest plan version: `state` is the ledger's version and
# newest entry_id, `stale` the ledgers with no rollup_counts recorded at that state, `live` their counts.
STATE_AND_LIVE = """
state AS (
    SELECT p.ledger_id, MAX(p.version) AS version,
           (SELECT COALESCE(MAX(e.entry_id), 0) FROM entries e WHERE e.ledger_id = p.ledger_id)
           + (SELECT COALESCE(MAX(u.upload_id), 0) FROM uploads u WHERE u.ledger_id = p.ledger_id)
           + (SELECT COALESCE(MAX(x.evidence_id), 0) FROM evidence x WHERE x.ledger_id = p.ledger_id)
           AS through_entry_id
    FROM plan_versions p WHERE p.ledger_id IN :ledger_ids GROUP BY p.ledger_id
), stale AS (
    SELECT s.ledger_id, s.version, s.through_entry_id FROM state s WHERE NOT EXISTS (
        SELECT 1 FROM rollup_counts c
        WHERE c.ledger_id = s.ledger_id AND c.version = s.version AND c.through_entry_id = s.through_entry_id)
), latest AS (
    SELECT e.ledger_id, e.item_id, e.month, MAX(e.entry_id) AS entry_id,
           MAX(CASE WHEN e.status = 'Selesai' AND TRIM(e.bukti_dukung, :whitespace) <> '' THEN e.entry_id END)
               AS done_entry_id,
           MAX(CASE WHEN e.status = 'Selesai' THEN e.entry_id END) AS selesai_entry_id
    FROM entries e WHERE e.ledger_id IN (SELECT ledger_id FROM stale)  -- SQLite: by ledger, not a full scan
    GROUP BY e.ledger_id, e.item_id, e.month
), attached AS (  -- item-months with a file or link that counts: not attached by an upload since undone
    SELECT DISTINCT x.ledger_id, x.item_id, x.month FROM evidence x
    WHERE x.ledger_id IN (SELECT ledger_id FROM stale) AND (x.upload_id IS NULL OR x.upload_id NOT IN (
        SELECT u.undoes FROM uploads u WHERE u.ledger_id = x.ledger_id AND u.undoes IS NOT NULL))
), live AS (
    SELECT stale.ledger_id, stale.version, stale.through_entry_id, i.area, MIN(i.area_name) AS area_name,
           MIN(i.position) AS area_position, s.month, CAST(COUNT(*) AS INTEGER) AS planned,
           CAST(SUM(CASE WHEN e.done_entry_id = e.entry_id OR (e.selesai_entry_id = e.entry_id
                                                               AND a.item_id IS NOT NULL)
                    THEN 1 ELSE 0 END) AS INTEGER) AS done
    FROM stale
    JOIN plan_schedule s ON s.ledger_id = stale.ledger_id AND s.version = stale.version
    JOIN plan_items i ON i.ledger_id = s.ledger_id AND i.version = s.version AND i.position = s.position
    LEFT JOIN latest e ON e.ledger_id = s.ledger_id AND e.item_id = s.item_id AND e.month = s.month
    LEFT JOIN attached a ON a.ledger_id = s.ledger_id AND a.item_id = s.item_id AND a.month = s.month
    GROUP BY stale.ledger_id, stale.version, stale.through_entry_id, i.area, s.month
)"""
COUNT_FIELDS = "ledger_id, area, area_name, area_position, month, planned, done"
RECORD_FIELDS = "ledger_id, version, through_entry_id, area, area_name, area_position, month, planned, done"

COUNTS_SQL = sqlalchemy.text(f"""
WITH {STATE_AND_LIVE}, counts AS (
    SELECT {", ".join(f"c.{field}" for field in COUNT_FIELDS.split(", "))}
    FROM state s JOIN rollup_counts c
        ON c.ledger_id = s.ledger_id AND c.version = s.version AND c.through_entry_id = s.through_entry_id
    UNION ALL
    SELECT {COUNT_FIELDS} FROM live
)
SELECT ledger_id, area, MIN(area_name) AS area_name, MIN(area_position) AS area_position,
       SUM(CASE WHEN month <= :due_through THEN planned ELSE 0 END) AS planned_as_of,
       SUM(CASE WHEN month <= :due_through THEN done ELSE 0 END) AS done_as_of,
       SUM(CASE WHEN month <= :previous_through THEN planned ELSE 0 END) AS planned_previous,
       SUM(CASE WHEN month <= :previous_through THEN done ELSE 0 END) AS done_previous,
       SUM(CASE WHEN month <= :ended_through THEN planned - done ELSE 0 END) AS overdue
FROM counts GROUP BY ledger_id, area
""").bindparams(sqlalchemy.bindparam("ledger_ids", expanding=True))

RECORD_SQL = sqlalchemy.text(
    f"INSERT INTO rollup_counts ({RECORD_FIELDS}) WITH {STATE_AND_LIVE} SELECT {RECORD_FIELDS} FROM live"
).bindparams(sqlalchemy.bindparam("ledger_ids", expanding=True))


def record_counts(conn: sqlalchemy.Connection, ledger_ids: list[int]) -> int:
    """Appends the per-month counts of the ledgers whose current state has none recorded; returns the rows
    added. Call it inside the write transaction that changed their entries or plan (writers are
    serialised, so no entry with a smaller id can appear later); the roll-up stays correct without it."""
    result = conn.execute(RECORD_SQL, {"ledger_ids": [int(i) for i in ledger_ids] or [-1],
                                       "whitespace": WHITESPACE})
    return result.rowcount


def ledgers(conn: sqlalchemy.Connection, ledger_ids: list[int]) -> list[tuple]:
    """(ledger_id, office, office_name, year) of the given ledgers, by office code."""
    rows = conn.execute(LEDGERS_SQL, {"ledger_ids": [int(i) for i in ledger_ids] or [-1]})
    return [tuple(row) for row in rows]


def ended_through(year: int, as_of: date, grace_days: int = 0) -> int:
    """The last month of `year` whose last day plus grace days is before `as_of` (0: none)."""
    return max((month for month in range(1, 13)
                if date(year, month, calendar.monthrange(year, month)[1]) + timedelta(days=grace_days) < as_of),
               default=0)


def area_counts(conn: sqlalchemy.Connection, offices: list[tuple], as_of: date, grace_days: int = 0) -> list[tuple]:
    """Per (ledger, area) of the latest plan (COUNT_COLUMNS): item-months due as of the as-of month and
    as of the month before, how many of them are done, and how many are overdue. `offices` is ledgers()."""
    years = {year for _, _, _, year in offices}
    if len(years) > 1:
        raise ValueError(f"Rekap hanya untuk satu tahun; ledger yang dipilih mencakup tahun {sorted(years)}.")
    if not years:
        return []
    year = years.pop()
    due_through = as_of_month(as_of, year)
    rows = conn.execute(COUNTS_SQL, {
        "ledger_ids": [ledger_id for ledger_id, *_ in offices], "due_through": due_through,
        "previous_through": max(due_through - 1, 0), "ended_through": ended_through(year, as_of, grace_days),
        "whitespace": WHITESPACE})
    return [(*row[:4], *map(int, row[4:])) for row in map(tuple, rows)]


def completion_by_area(offices: list[tuple], counts: list[tuple]) -> pd.DataFrame:
    """The heatmap: one row per office and area (plan order), item-months due, done and the rate
    (NaN when nothing in the area is due yet). Offices without a plan have no rows."""
    names = {ledger_id: (office, name) for ledger_id, office, name, _ in offices}
    rows = sorted((*names[ledger_id], area_position, area, area_name, planned, done, _rate(done, planned))
                  for ledger_id, area, area_name, area_position, planned, done, *_ in counts)
    return pd.DataFrame([row[:2] + row[3:] for row in rows], columns=AREA_COLUMNS)


def office_ranking(offices: list[tuple], counts: list[tuple]) -> pd.DataFrame:
    """Offices by as-of rate, best first (no rate last, ties by office code), with the rate as of
    the previous month and the trend: the difference of the two rates."""
    sums = _per_office(counts, slice(4, 8))
    rows = []
    for ledger_id, office, name, _ in offices:
        planned, done, planned_previous, done_previous = sums.get(ledger_id, (0, 0, 0, 0))
        rate, rate_previous = _rate(done, planned), _rate(done_previous, planned_previous)
        rows.append((office, name, planned, done, rate, rate_previous, rate - rate_previous))
    rows.sort(key=lambda row: (math.isnan(row[4]), 0 if math.isnan(row[4]) else -row[4], row[0]))
    return pd.DataFrame([(rank, *row) for rank, row in enumerate(rows, start=1)], columns=RANKING_COLUMNS)


def most_overdue(offices: list[tuple], counts: list[tuple], limit: int | None = None) -> pd.DataFrame:
    """Offices by overdue item-months, most first (ties by office code); `limit` keeps the first ones."""
    sums = _per_office(counts, slice(8, 9))
    rows = sorted(((office, name, sums.get(ledger_id, (0,))[0]) for ledger_id, office, name, _ in offices),
                  key=lambda row: (-row[2], row[0]))
    return pd.DataFrame(rows[:limit], columns=OVERDUE_COLUMNS)


def _per_office(counts: list[tuple], columns: slice) -> dict[int, tuple[int, ...]]:
    """Per ledger id: the sums of the count columns in `columns`."""
    sums = {}
    for count in counts:
        previous = sums.get(count[0])
        sums[count[0]] = count[columns] if previous is None else tuple(map(sum, zip(previous, count[columns])))
    return sums


def _rate(done: int, planned: int) -> float:
    return done / planned if planned else math.nan


def office_rollup(conn: sqlalchemy.Connection, ledger_ids: list[int], as_of: date,
                  grace_days: int = 0) -> dict[str, pd.DataFrame]:
    """The three page-ready tables for the given ledgers (one plan year): 'areas', 'ranking', 'overdue'."""
    offices = ledgers(conn, ledger_ids)
    counts = area_counts(conn, offices, as_of, grace_days)
    return {"areas": completion_by_area(offices, counts), "ranking": office_ranking(offices, counts),
            "overdue": most_overdue(offices, counts)}
