"""Links written in a Bukti Dukung cell become link attachments of their item-month.

`attach_cell_links(store, conn, rows, upload_id, by)` makes the attachments in the caller's
transaction: each URL of a row's Bukti Dukung (link_text.links_in) that is not already a current
link of its item-month becomes one, marked with `upload_id` (undoing that upload hides it again) and
added by the row's reporter. A link an earlier cell gave (a link attachment with an upload) that the
cell no longer holds is replaced (`replaces`) by a new link of the same cell, pairwise in order;
nothing is deleted, and a link attached by hand is never replaced by a cell.
"""

import pandas as pd
import sqlalchemy as sa

from . import evidence
from ..base.link_text import links_in

LINK_COLUMNS = ["item_id", "month", "url", "replaces", "added_by"]


def planned_links(current: pd.DataFrame, plan_ids: set, rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """The link attachments (LINK_COLUMNS) the rows' Bukti Dukung adds to `current` (evidence.attachments).

    Rows of an ID not in `plan_ids` (the plan in force) get none. The last row of an item-month wins."""
    links = current[current["kind"] == evidence.LINK]
    by_item_month: dict[tuple, list] = {}
    for item, month, url, evidence_id, upload_id in zip(links["item_id"], links["month"], links["file_name"],
                                                         links["evidence_id"], links["upload_id"]):
        by_item_month.setdefault((str(item), int(month)), []).append((str(url), int(evidence_id), pd.notna(upload_id)))
    latest = {(str(item), int(month)): (text, who) for item, month, text, who in zip(
        rows["item_id"], rows["month"], rows["bukti_dukung"], rows["reported_by"])}
    records = []
    for (item, month), (text, who) in latest.items():
        if item not in plan_ids:
            continue
        found = links_in(text).links
        attached = by_item_month.get((item, month), [])
        urls = {url for url, _, _ in attached}
        stale = [evidence_id for url, evidence_id, from_cell in attached if from_cell and url not in found]
        for index, url in enumerate(url for url in found if url not in urls):
            records.append({"item_id": item, "month": month, "url": url,
                            "replaces": stale[index] if index < len(stale) else None,
                            "added_by": str(who or "").strip() or by})
    return pd.DataFrame.from_records(records, columns=LINK_COLUMNS).astype({"month": "int64", "replaces": "Int64"})


def plan_ids(conn, ledger_id: int) -> set[str]:
    """The IDs of the ledger's plan in force."""
    return {row[0] for row in conn.execute(sa.text(
        "SELECT id FROM plan_items WHERE ledger_id = :ledger AND version = "
        "(SELECT MAX(version) FROM plan_versions WHERE ledger_id = :ledger)"), {"ledger": ledger_id})}


def links_to_attach(store, conn, rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """planned_links against the ledger's current attachments as `conn` (None: a read) sees them."""
    if conn is None:
        with store.reading() as own:
            return links_to_attach(store, own, rows, by)
    current = evidence.attachments(store, conn=conn)
    return planned_links(current, plan_ids(conn, store.ledger_id), rows, by)


def attach_planned(store, conn, planned: pd.DataFrame, upload_id: int | None, by: str) -> int:
    """Attach planned links (links_to_attach, made in this transaction: their IDs are in the plan, their URLs
    checked and not attached yet) in the caller's transaction; each audited as `by`; how many."""
    for row in planned.itertuples(index=False):
        replaces = None if pd.isna(row.replaces) else int(row.replaces)
        evidence._insert(store, conn, row.item_id, int(row.month),
                         {"kind": evidence.LINK, "file_name": row.url, "sha256": "", "size": 0},
                         row.added_by, replaces, upload_id, by)
    return len(planned)


def attach_cell_links(store, conn, rows: pd.DataFrame, upload_id: int | None, by: str) -> int:
    """Make the links of the rows' Bukti Dukung (columns item_id, month, bukti_dukung, reported_by) link
    attachments of their item-months, in the caller's transaction; how many were attached (see the module
    docstring). For an upload, or one item-month changed through the same path."""
    return attach_planned(store, conn, links_to_attach(store, conn, rows, by), upload_id, by)
