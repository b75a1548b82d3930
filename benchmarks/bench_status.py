"""Status computation at the scale of every KPU office together.

The bundled plan's 68 langkah aksi are repeated for 553 offices (KPU RI, 38 provinces,
514 kabupaten/kota: ~37,600 items), each month planned with probability 0.99 (~447,000
item-months). The log reports 60 % of the item-months due by the as-of month (end of
September). Times classify, completion (overall, per area, per team, per komponen),
kurva_s and overdue_list (median and best of RUNS runs), the same for the bundled plan of one
office, and reading the current state of the national log from SQLite.

Then the roll-up of offices in the database (zi_data.store.rollup, national_database.py: the same 553
offices with a full year of entries, ~469,000), in SQLite and in PostgreSQL
($ZI_BENCH_POSTGRESQL_URL, a server database in which a scratch database is made and dropped;
skipped when none answers): all offices counted live (nothing recorded in rollup_counts), then
with every ledger's counts recorded, cold (a new engine and connection, PostgreSQL also after
DISCARD ALL; the server's and the OS's caches stay warm) and warm (the same connection again); one
office likewise; what recording one office's counts adds to a write; and COUNT(*) of the entries
as the baseline of each backend.

    .venv/bin/python benchmarks/bench_status.py     # writes benchmarks/results/status.json
"""

import os
import tempfile
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy

import timing
import national_database

from zi_data.evidence import evidence
from zi_data.base import paths
from zi_data.store import rollup
from zi_data.plan import status
from zi_data.store.counting_rule import counting_rule
from zi_data.store.database import Database
from zi_data.plan.plan import read_plan
from zi_data.store.plan_years import open_seeded
from zi_data.store.progress_store import ProgressStore

OFFICES = 553
MONTH_PROBABILITY = 0.99
REPORTED_SHARE = 0.6
AS_OF = date(2025, 9, 30)
RUNS = 5
SEED = 2025
RESULTS = Path(__file__).resolve().parent / "results" / "status.json"
POSTGRESQL_URL = os.environ.get(
    "ZI_BENCH_POSTGRESQL_URL", "postgresql+psycopg://postgres@/postgres?host=/tmp/pg_rollup&port=55004")


def synthetic_plan(rng) -> pd.DataFrame:
    base = read_plan(paths.BUNDLED_PLAN)
    office = np.repeat(np.arange(OFFICES), len(base))
    plan = pd.concat([base] * OFFICES, ignore_index=True)
    plan["id"] = [f"K{o:03d}-{i}" for o, i in zip(office, plan["id"])]
    plan["penanggung_jawab"] = [f"{team} K{o:03d}" for o, team in zip(office, plan["penanggung_jawab"])]
    planned = rng.random((len(plan), 12)) < MONTH_PROBABILITY
    planned[~planned.any(axis=1), 0] = True
    plan["months"] = [tuple(int(m) + 1 for m in np.flatnonzero(row)) for row in planned]
    plan.attrs.update(base.attrs)
    return plan


def synthetic_log(plan: pd.DataFrame, rng) -> pd.DataFrame:
    due = plan[["id", "months"]].explode("months").rename(columns={"id": "item_id", "months": "month"})
    due = due[due["month"] <= AS_OF.month]
    reported = due.sample(frac=REPORTED_SHARE, random_state=SEED).astype({"month": "int64"})
    status = rng.choice(["Selesai", "Sebagian", "Belum"], size=len(reported), p=[0.7, 0.2, 0.1])
    with_evidence = rng.random(len(reported)) < 0.9
    return reported.assign(
        status=status, bukti_dukung=np.where((status == "Selesai") & with_evidence, "https://bukti/dok.pdf", ""),
        tanggal="2025-09-15", catatan="", reported_by="bench").reset_index(drop=True)


def compute_all(plan, latest):
    classified = status.classify(plan, latest, AS_OF)
    tables = [status.completion(classified, AS_OF, by) for by in (None, "area", "penanggung_jawab", "komponen")]
    return classified, tables, status.kurva_s(classified, AS_OF), status.overdue_list(classified)


def seconds(function, runs=RUNS, setup=None) -> dict:
    return timing.seconds(function, runs, setup)


def main() -> int:
    rng = np.random.default_rng(SEED)
    plan = synthetic_plan(rng)
    latest = synthetic_log(plan, rng)
    classified, tables, _, overdue = compute_all(plan, latest)
    stages = {
        "classify": lambda: status.classify(plan, latest, AS_OF),
        "completion (overall + area + team + komponen)": lambda: [
            status.completion(classified, AS_OF, by) for by in (None, "area", "penanggung_jawab", "komponen")],
        "kurva_s": lambda: status.kurva_s(classified, AS_OF),
        "overdue_list": lambda: status.overdue_list(classified),
        "total (all of the above)": lambda: compute_all(plan, latest),
    }
    timings = {name: seconds(run) for name, run in stages.items()}
    office_plan = read_plan(paths.BUNDLED_PLAN)
    office_latest = synthetic_log(office_plan, rng)
    timings["one office (bundled plan, 68 items): total"] = seconds(lambda: compute_all(office_plan, office_latest))

    with tempfile.TemporaryDirectory() as directory:
        store = ProgressStore(database=open_seeded(Path(directory)))
        with store.transaction() as conn:
            store.append_entries(conn, latest, None)
        timings["store.latest() from SQLite"] = seconds(store.latest)

    database_timings, database_sizes = rollup_stages()
    timings |= database_timings
    sizes = {"rollup_database": database_sizes, "offices": OFFICES, "items": len(plan),
             "item_months": int(plan["months"].map(len).sum()),
             "log_entries": len(latest), "overdue_rows": len(overdue),
             "teams": int(plan["penanggung_jawab"].nunique()), "as_of": AS_OF.isoformat(), "runs": RUNS}
    print(f"{sizes['items']:,} items, {sizes['item_months']:,} item-months, {sizes['log_entries']:,} log entries, "
          f"{sizes['overdue_rows']:,} overdue; as of {AS_OF}; median of {RUNS} runs")
    timing.report(timings, RESULTS, sizes=sizes, cpus=os.cpu_count(), pandas=pd.__version__)
    return 0


def rollup_stages() -> tuple[dict, dict]:
    """The roll-up timings of each backend (named 'SQLite: …', 'PostgreSQL: …') and the database's sizes."""
    timings, sizes = {}, {}
    with tempfile.TemporaryDirectory() as directory:
        for backend, database in (("SQLite", sqlite_database), ("PostgreSQL", postgresql_database)):
            with database(Path(directory)) as engine:
                if engine is None:
                    continue
                sizes = national_database.fill(engine, read_plan(paths.BUNDLED_PLAN), np.random.default_rng(SEED))
                if engine.dialect.name == "postgresql":
                    with engine.begin() as conn:
                        conn.execute(sqlalchemy.text("ANALYZE"))
                timings |= {f"{backend}: {name}": timing
                            for name, timing in rollup_timings(engine, sizes.pop("ledger_ids")).items()}
    return timings, sizes


@contextmanager
def sqlite_database(directory: Path):
    engine = sqlalchemy.create_engine(f"sqlite:///{directory / 'zi_monitor.sqlite3'}")
    national_database.upgrade(engine)
    yield engine
    engine.dispose()


@contextmanager
def postgresql_database(directory: Path):
    """A scratch database on the server at POSTGRESQL_URL, dropped afterwards; None when none answers."""
    admin = sqlalchemy.create_engine(POSTGRESQL_URL, isolation_level="AUTOCOMMIT")
    name = f"zi_bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    except sqlalchemy.exc.OperationalError as error:
        print(f"PostgreSQL skipped: {error.orig}")
        yield None
        return
    engine = sqlalchemy.create_engine(admin.url.set(database=name))
    try:
        national_database.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f"DROP DATABASE {name}"))
        admin.dispose()


def rollup_timings(engine: sqlalchemy.Engine, ledger_ids: list[int]) -> dict:
    one = ledger_ids[len(ledger_ids) // 2]

    def cold(conn, selected=ledger_ids):
        rollup.office_rollup(conn, selected, AS_OF)
        conn.close()
        conn.engine.dispose()

    def new_connection():
        conn = sqlalchemy.create_engine(engine.url).connect()
        if conn.dialect.name == "postgresql":  # DISCARD ALL runs outside a transaction
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sqlalchemy.text("DISCARD ALL"))
        return conn

    timings = {}
    with engine.connect() as conn:
        timings["COUNT(*) of the entries (baseline)"] = seconds(
            lambda: conn.execute(sqlalchemy.text("SELECT COUNT(*) FROM entries")).all())
        timings["roll-up, all counted live: warm"] = seconds(lambda: rollup.office_rollup(conn, ledger_ids, AS_OF), 3)
        timings["one office, counted live: warm"] = seconds(lambda: rollup.office_rollup(conn, [one], AS_OF))
    with engine.begin() as conn:
        rollup.record_counts(conn, ledger_ids)
        if conn.dialect.name == "postgresql":
            conn.execute(sqlalchemy.text("ANALYZE"))
    timings["roll-up, counts recorded: cold"] = seconds(cold, setup=new_connection)
    with engine.connect() as conn:
        timings["roll-up, counts recorded: warm"] = seconds(lambda: rollup.office_rollup(conn, ledger_ids, AS_OF))
        timings["one office, counts recorded: warm"] = seconds(lambda: rollup.office_rollup(conn, [one], AS_OF))
    timings["one office, counts recorded: cold"] = seconds(lambda conn: cold(conn, [one]), setup=new_connection)
    store = office_store(engine, one)
    timings["one office's page data via its store (plan, latest, evidence, rule, classify, completion)"] = seconds(
        lambda: office_page_data(store))
    store.database.dispose()
    timings["record one office's counts after a write (+ commit)"] = seconds(
        lambda conn: (rollup.record_counts(conn, [one]), conn.commit(), conn.close()),
        setup=lambda: one_more_entry(engine, one))
    return timings


def office_store(engine: sqlalchemy.Engine, ledger_id: int) -> ProgressStore:
    """The store of one office's plan year in the benchmark database, as the dashboard opens it."""
    url = engine.url.render_as_string(hide_password=False)
    directory = Path(engine.url.database).parent if engine.dialect.name == "sqlite" else Path(tempfile.mkdtemp())
    database = Database(directory, url)
    with database.reading() as conn:
        office, year = conn.execute(sqlalchemy.text("SELECT office, year FROM ledgers WHERE ledger_id = :ledger"),
                                    {"ledger": ledger_id}).one()
    return ProgressStore(office=office, year=year, database=database)


def office_page_data(store: ProgressStore) -> None:
    """What Ringkasan needs for one office from the database: its plan, current state, evidence states and
    counting rule, classified, rated."""
    latest = store.latest()
    classified = status.classify(store.plan(), latest, AS_OF, evidence=evidence.evidence_states(store, latest),
                                 rule=counting_rule(store))
    status.completion(classified, AS_OF)


def one_more_entry(engine: sqlalchemy.Engine, ledger_id: int) -> sqlalchemy.Connection:
    """A connection in a transaction that has just appended one entry to the ledger."""
    conn = engine.connect()
    conn.execute(sqlalchemy.text(
        "INSERT INTO entries (ledger_id, item_id, month, status, bukti_dukung, tanggal, catatan, reported_by, "
        "recorded_at, upload_id) SELECT ledger_id, id, 1, 'Selesai', 'bukti', '', '', 'bench', '', NULL "
        "FROM plan_items WHERE ledger_id = :ledger_id AND version = 1 AND position = 0"), {"ledger_id": ledger_id})
    return conn


if __name__ == "__main__":
    raise SystemExit(main())
