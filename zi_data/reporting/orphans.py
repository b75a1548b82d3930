"""Progress without a step: current reports whose ID is not in the plan in force and was not carried over to a
new ID by a confirmed rename (see store/plan_history.py), as the Riwayat page lists them."""

import pandas as pd
import sqlalchemy as sa

from ..base.clock import office_zone, table_moment
from ..store.plan_history import active_renames, id_aliases

ORPHAN_COLUMNS = ["ID", "Langkah aksi (rencana terakhir yang memuatnya)", "Versi rencana terakhir", "Jumlah entri",
                  "Bulan", "Selesai", "Terakhir dicatat"]


def orphaned_progress(store) -> pd.DataFrame:
    """Current progress of the store's plan year whose ID is not in the plan in force and was not carried over to
    a new ID (ORPHAN_COLUMNS)."""
    plan_ids = set(store.plan()["id"])
    latest = store.latest()
    with store.reading() as conn:
        carried = set(id_aliases(active_renames(conn, store.ledger_id), plan_ids))
        params = {"ledger": store.ledger_id}
        names = dict(conn.execute(sa.text(
            "SELECT id, langkah_aksi FROM plan_items p WHERE ledger_id = :ledger AND version = (SELECT MAX(version) "
            "FROM plan_items q WHERE q.ledger_id = :ledger AND q.id = p.id)"), params).fetchall())
        versions = dict(conn.execute(sa.text("SELECT id, MAX(version) FROM plan_items WHERE ledger_id = :ledger "
                                             "GROUP BY id"), params).fetchall())
        zone = office_zone(conn, store.office)
    orphans = latest[~latest["item_id"].isin(plan_ids | carried)]
    records = [{
        "ID": item_id, "Langkah aksi (rencana terakhir yang memuatnya)": names.get(item_id, ""),
        "Versi rencana terakhir": str(versions.get(item_id, "")), "Jumlah entri": len(group),
        "Bulan": ", ".join(str(m) for m in sorted(group["month"])),
        "Selesai": int((group["status"] == "Selesai").sum()),
        "Terakhir dicatat": table_moment(group["recorded_at"].max(), zone),
    } for item_id, group in orphans.groupby("item_id", sort=True)]
    return pd.DataFrame.from_records(records, columns=ORPHAN_COLUMNS)
