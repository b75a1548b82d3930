"""A national database for the roll-up benchmark: the bundled plan under every KPU office (KPU RI, 38 provinces,
514 kabupaten/kota: the bundled office list, which schema revision 0009 stores), one ledger each for the plan's
year, each month planned with probability MONTH_PROBABILITY, and a full year of entries: every planned item-month reported once
(Selesai 70 %, 90 % of them with bukti dukung; Sebagian 20 %; Belum 10 %), RE_REPORTED_SHARE of
them reported a second time as Selesai with bukti dukung. Rows go in with executemany (batched
multi-row INSERTs where the driver supports them), in the schema's Alembic revisions.
"""

import json
from pathlib import Path

import alembic.command
import alembic.config
import numpy as np
import pandas as pd
import sqlalchemy

from zi_data.store.bundled_offices import bundled_offices

ROOT = Path(__file__).resolve().parent.parent
MONTH_PROBABILITY = 0.99
RE_REPORTED_SHARE = 0.05
OFFICE_CODES = list(bundled_offices())


def upgrade(engine: sqlalchemy.Engine) -> None:
    config = alembic.config.Config()
    config.set_main_option("script_location", str(ROOT / "zi_data/store/schema"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        alembic.command.upgrade(config, "head")


def plan_rows(plan: pd.DataFrame, ledger_id: int, planned: np.ndarray) -> tuple[list[dict], list[dict]]:
    """plan_items and plan_schedule rows of version 1 of one ledger; `planned` is items × 12 booleans."""
    items, schedule = [], []
    for position, (item, months) in enumerate(zip(plan.itertuples(index=False), planned)):
        months = [int(m) + 1 for m in np.flatnonzero(months)]
        items.append({"ledger_id": ledger_id, "version": 1, "position": position, "id": item.id, "area": item.area,
                      "area_name": item.area_name, "no": item.no, "komponen_pos": int(item.komponen_pos),
                      "komponen": item.komponen, "indikator": item.indikator, "langkah_aksi": item.langkah_aksi,
                      "bukti_fisik": item.bukti_fisik, "penanggung_jawab": item.penanggung_jawab,
                      "months": json.dumps(months), "row": int(item.row)})
        schedule += [{"ledger_id": ledger_id, "version": 1, "position": position, "item_id": item.id, "month": m}
                     for m in months]
    return items, schedule


def entry_rows(schedule: list[dict], rng) -> list[dict]:
    """One report per planned item-month, in a random order, then the re-reports."""
    order = rng.permutation(len(schedule))
    state = rng.choice(["Selesai", "Sebagian", "Belum"], size=len(schedule), p=[0.7, 0.2, 0.1])
    evidence = np.where((state == "Selesai") & (rng.random(len(schedule)) < 0.9), "https://bukti/dok.pdf", "")
    rows = [entry(schedule[i], state[i], evidence[i]) for i in order]
    again = rng.choice(len(schedule), size=int(len(schedule) * RE_REPORTED_SHARE), replace=False)
    return rows + [entry(schedule[i], "Selesai", "https://bukti/dok-2.pdf") for i in again]


def entry(item_month: dict, state: str, evidence: str) -> dict:
    return {"ledger_id": item_month["ledger_id"], "item_id": item_month["item_id"], "month": item_month["month"],
            "status": str(state), "bukti_dukung": str(evidence), "tanggal": "2025-09-15", "catatan": "",
            "reported_by": "bench", "recorded_at": "2025-09-15T00:00:00Z", "upload_id": None}


def fill(engine: sqlalchemy.Engine, plan: pd.DataFrame, rng) -> dict:
    """Writes every office, ledger, plan and entry; returns the ledger ids (office order) and row counts."""
    metadata = sqlalchemy.MetaData()
    metadata.reflect(engine, only=["ledgers", "plan_versions", "plan_items", "plan_schedule", "entries"])
    tables = metadata.tables
    year = int(plan.attrs["year"])
    with engine.begin() as conn:
        conn.execute(tables["ledgers"].insert(), [
            {"office": code, "year": year, "created_at": "2025-01-01T00:00:00Z", "created_by": "bench"}
            for code in OFFICE_CODES])
        ledger_ids = [row.ledger_id for row in conn.execute(
            sqlalchemy.text("SELECT ledger_id FROM ledgers ORDER BY office"))]
        conn.execute(tables["plan_versions"].insert(), [
            {"ledger_id": ledger_id, "version": 1, "created_at": "2025-01-01T00:00:00Z", "source_name": "bench.xlsx",
             "sha256": "", "created_by": "bench", "attrs": "{}"} for ledger_id in ledger_ids])
        items, schedule = [], []
        for ledger_id in ledger_ids:
            planned = rng.random((len(plan), 12)) < MONTH_PROBABILITY
            planned[~planned.any(axis=1), 0] = True
            ledger_items, ledger_schedule = plan_rows(plan, ledger_id, planned)
            items += ledger_items
            schedule += ledger_schedule
        conn.execute(tables["plan_items"].insert(), items)
        conn.execute(tables["plan_schedule"].insert(), schedule)
        entries = entry_rows(schedule, rng)
        conn.execute(tables["entries"].insert(), entries)
    return {"ledger_ids": ledger_ids, "items": len(items), "item_months": len(schedule), "entries": len(entries)}
