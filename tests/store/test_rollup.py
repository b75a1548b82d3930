"""The roll-up counted in SQL equals status.classify/completion in pandas on the same rows, on SQLite
and on PostgreSQL."""

import random
import uuid
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
import sqlalchemy

import postgres_server
from zi_data.store import rollup
from zi_data.plan import status
from zi_data.store.database import Database

YEAR = 2025
AREAS = ["I", "II", "III", "IV"]
ITEM_IDS = [f"{area}-{n}" for area in AREAS for n in range(1, 4)]
EVIDENCE = ["", " ", "\t\u00a0", "\u3000\n", "\x1c", "\u200b", "x", " bukti.pdf ", "\u2028dok\u2029"]
STATUSES = ["Selesai", "Selesai", "Sebagian", "Belum", ""]
PLAN_TEXT = ["komponen", "indikator", "langkah_aksi", "bukti_fisik", "penanggung_jawab"]


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory):
    database = Database(tmp_path_factory.mktemp("rollup"))
    yield database.engine
    database.dispose()


@pytest.fixture(scope="module")
def postgresql_engine(tmp_path_factory, postgres_server_url):
    url = postgres_server.create_database(postgres_server_url)
    database = Database(tmp_path_factory.mktemp("rollup"), url)
    yield database.engine
    database.dispose()
    postgres_server.drop_database(postgres_server_url, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


def random_ledgers(seed: int) -> dict:
    """Offices with 0–2 plan versions each and entries in a random order, plus a random as-of date."""
    rng = random.Random(seed)
    offices = [f"S{seed}-K{n}" for n in range(rng.randint(1, 5))]
    plans = {office: [random_version(rng) for _ in range(rng.choice([0, 1, 1, 2]))] for office in offices}
    entries = [(rng.choice(offices), rng.choice(ITEM_IDS + ["X-9"]), rng.randint(1, 12), rng.choice(STATUSES),
                rng.choice(EVIDENCE)) for _ in range(rng.randint(0, 150 * len(offices)))]
    as_of = date(YEAR, 1, 1) + timedelta(days=rng.randint(-40, 400))
    return {"plans": plans, "entries": entries, "as_of": as_of, "grace_days": rng.choice([0, 0, 3, 10, 45])}


def random_version(rng: random.Random) -> list[tuple]:
    """(item id, area, months) per item in plan order; an area may repeat out of order."""
    items = rng.sample(ITEM_IDS, rng.randint(1, 8))
    return [(item, item.split("-")[0], tuple(sorted(rng.sample(range(1, 13), rng.randint(1, 12)))))
            for item in items]


def insert(conn, data: dict, year: int = YEAR) -> dict[str, int]:
    """Writes the offices, ledgers, plans and entries; returns each office's ledger id."""
    ledger_ids = {}
    for office, versions in data["plans"].items():
        conn.execute(sqlalchemy.text("INSERT INTO offices (code, name, parent, created_at) "
                                     "VALUES (:code, :name, NULL, '')"), {"code": office, "name": f"KPU {office}"})
        ledger_ids[office] = conn.execute(sqlalchemy.text(
            "INSERT INTO ledgers (office, year, created_at, created_by) VALUES (:office, :year, '', 'test') "
            "RETURNING ledger_id"), {"office": office, "year": year}).scalar_one()
        for version, items in enumerate(versions, start=1):
            insert_version(conn, ledger_ids[office], version, items)
    insert_entries(conn, ledger_ids, data["entries"])
    return ledger_ids


def insert_entries(conn, ledger_ids: dict[str, int], entries: list[tuple]) -> None:
    if entries:
        conn.execute(sqlalchemy.text(
            "INSERT INTO entries (ledger_id, item_id, month, status, bukti_dukung, tanggal, catatan, reported_by, "
            "recorded_at, upload_id) VALUES (:ledger_id, :item_id, :month, :status, :bukti_dukung, '', '', 'test', "
            "'', NULL)"), [{"ledger_id": ledger_ids[office], "item_id": item, "month": month, "status": state,
                            "bukti_dukung": evidence} for office, item, month, state, evidence in entries])


def insert_version(conn, ledger_id: int, version: int, items: list[tuple]) -> None:
    conn.execute(sqlalchemy.text(
        "INSERT INTO plan_versions (ledger_id, version, created_at, source_name, sha256, created_by, attrs) "
        "VALUES (:ledger_id, :version, '', '', '', 'test', '{}')"), {"ledger_id": ledger_id, "version": version})
    conn.execute(sqlalchemy.text(
        "INSERT INTO plan_items (ledger_id, version, position, id, area, area_name, no, komponen_pos, komponen, "
        "indikator, langkah_aksi, bukti_fisik, penanggung_jawab, months, row) VALUES (:ledger_id, :version, "
        ":position, :id, :area, :area_name, '', 1, 'k', 'i', 'l', 'b', 'p', :months, :position)"),
        [{"ledger_id": ledger_id, "version": version, "position": position, "id": item, "area": area,
          "area_name": f"Area {area}", "months": ",".join(map(str, months))}
         for position, (item, area, months) in enumerate(items)])
    conn.execute(sqlalchemy.text(
        "INSERT INTO plan_schedule (ledger_id, version, position, item_id, month) "
        "VALUES (:ledger_id, :version, :position, :item_id, :month)"),
        [{"ledger_id": ledger_id, "version": version, "position": position, "item_id": item, "month": month}
         for position, (item, _, months) in enumerate(items) for month in months])


def pandas_classified(items: list[tuple], entries: list[tuple], as_of: date, grace_days: int) -> pd.DataFrame:
    """status.classify on the plan and latest-entries frames the store would hand it."""
    plan = pd.DataFrame({"id": [item for item, _, _ in items], "area": [area for _, area, _ in items],
                         "area_name": [f"Area {area}" for _, area, _ in items], "komponen_pos": 1,
                         **{column: column[0] for column in PLAN_TEXT}, "months": [months for _, _, months in items]})
    plan.attrs["year"] = YEAR
    newest = {(item, month): (state, evidence) for item, month, state, evidence in entries}  # later rows win
    latest = pd.DataFrame([(item, month, state, evidence, "", "") for (item, month), (state, evidence)
                           in newest.items() if state != ""],
                          columns=["item_id", "month", *status.REPORT_COLUMNS])
    latest = latest.astype({column: "str" for column in latest.columns if column != "month"} | {"month": "int64"})
    return status.classify(plan, latest, as_of, grace_days)


def expected_tables(data: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    as_of, grace_days = data["as_of"], data["grace_days"]
    previous_month = max(status.as_of_month(as_of, YEAR) - 1, 0)
    previous_as_of = status.as_of_date(YEAR, month=previous_month) if previous_month else date(YEAR - 1, 12, 31)
    areas, offices, overdue = [], [], {}
    for office in sorted(data["plans"]):
        versions = data["plans"][office]
        entries = [entry[1:] for entry in data["entries"] if entry[0] == office]
        if not versions:
            offices.append((office, 0, 0, np.nan, np.nan))
            overdue[office] = 0
            continue
        classified = pandas_classified(versions[-1], entries, as_of, grace_days)
        by_area = status.completion(classified, as_of, "area")
        areas += [(office, f"KPU {office}", row.group, f"Area {row.group}", row.planned_as_of, row.done_as_of,
                   row.rate_as_of) for row in by_area.itertuples()]
        overall = status.completion(classified, as_of).iloc[0]
        previous = status.completion(classified, previous_as_of).iloc[0]
        offices.append((office, overall.planned_as_of, overall.done_as_of, overall.rate_as_of, previous.rate_as_of))
        overdue[office] = int(classified["overdue"].sum())
    area_table = pd.DataFrame(areas, columns=rollup.AREA_COLUMNS).astype(
        {"planned_as_of": "int64", "done_as_of": "int64", "rate_as_of": "float64"})
    return area_table, pd.DataFrame(offices, columns=["office", "planned_as_of", "done_as_of", "rate_as_of",
                                                       "rate_previous"]), overdue


@pytest.mark.parametrize("seed", range(30))
def test_rollup_equals_classify_in_pandas(engine, seed):
    data = random_ledgers(seed)
    later = random.Random(seed).sample(data["entries"], len(data["entries"]) // 3)
    data["entries"] = [entry for entry in data["entries"] if entry not in later]
    with engine.begin() as conn:
        ledger_ids = insert(conn, data)
        recorded = random.Random(seed).sample(list(ledger_ids.values()), len(ledger_ids) // 2)
        rollup.record_counts(conn, recorded)  # some ledgers: counts recorded, then more entries make them stale
        insert_entries(conn, ledger_ids, later)
        rollup.record_counts(conn, recorded[:1])
    data["entries"] += later
    with engine.connect() as conn:
        tables = rollup.office_rollup(conn, list(ledger_ids.values()), data["as_of"], data["grace_days"])
    areas, offices, overdue = expected_tables(data)
    pd.testing.assert_frame_equal(tables["areas"], areas, check_dtype=False)
    ranking = tables["ranking"].set_index("office").loc[offices["office"]].reset_index()
    pd.testing.assert_frame_equal(ranking[offices.columns], offices, check_dtype=False)
    assert list(tables["ranking"]["rank"]) == list(range(1, len(offices) + 1))
    rates = tables["ranking"]["rate_as_of"].fillna(-1)
    assert rates.is_monotonic_decreasing
    pd.testing.assert_series_equal(ranking["trend"], ranking["rate_as_of"] - ranking["rate_previous"],
                                   check_names=False)
    assert dict(zip(tables["overdue"]["office"], tables["overdue"]["overdue"])) == overdue
    assert tables["overdue"]["overdue"].is_monotonic_decreasing


def test_blank_evidence_is_what_str_strip_leaves_empty(engine):
    """Every character str.strip() removes makes bukti dukung blank; others (zero-width space) do not."""
    evidence = [character * 2 for character in rollup.WHITESPACE] + ["\u200b", "\ufeff", "\u180e", "-", "a b"]
    months = tuple(range(1, 13))
    items = [(f"I-{n}", "I", months) for n in range(len(evidence))]
    data = {"plans": {f"W{uuid.uuid4().hex[:6]}": [items]}, "as_of": date(YEAR, 12, 31), "grace_days": 0,
            "entries": []}
    office = next(iter(data["plans"]))
    data["entries"] = [(office, item, 1, "Selesai", text) for (item, _, _), text in zip(items, evidence)]
    with engine.begin() as conn:
        ledger_ids = insert(conn, data)
    with engine.connect() as conn:
        tables = rollup.office_rollup(conn, list(ledger_ids.values()), data["as_of"])
    assert tables["ranking"].loc[0, "done_as_of"] == 5 == sum(text.strip() != "" for text in evidence)


def test_ledgers_of_two_years_are_refused(sqlite_engine):
    data = {"plans": {"Y-A": [[("I-1", "I", (1,))]]}, "entries": [], "as_of": date(YEAR, 6, 30), "grace_days": 0}
    with sqlite_engine.begin() as conn:
        first = insert(conn, data)["Y-A"]
        data["plans"] = {"Y-B": [[("I-1", "I", (1,))]]}
        second = insert(conn, data, year=YEAR + 1)["Y-B"]
    with sqlite_engine.connect() as conn, pytest.raises(ValueError, match="satu tahun"):
        rollup.office_rollup(conn, [first, second], date(YEAR, 6, 30))


def test_no_ledgers_give_empty_tables(sqlite_engine):
    with sqlite_engine.connect() as conn:
        tables = rollup.office_rollup(conn, [], date(YEAR, 6, 30))
    assert [len(table) for table in tables.values()] == [0, 0, 0]
    assert list(tables["ranking"].columns) == rollup.RANKING_COLUMNS
