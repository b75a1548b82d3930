"""Links already written in Bukti Dukung cells become link attachments: the data upgrade of schema revision 0007.

Before that revision a link in a cell counted only as text. `backfill_links(conn)` appends, for every
plan year (ledger), a link attachment for each http(s) link (link_text.links_in) of each item-month's
current entry (its newest entry, as ProgressStore.latest reads it: an undone upload's entries were
already followed by the restoring ones) that is not a current link of the item-month yet, for IDs of
the plan in force. Each is added by the entry's reporter marked "(migrasi tautan)" and carries the
entry's upload, so undoing that upload hides it like the links of a new upload. A penilai's decision
in force on the item-month's evidence before is carried over to the evidence with its link (a new
review row marked the same way), so the upgrade sends nothing back to *menunggu verifikasi*.
One audit event per ledger that gained links. Rows are only added; running it again adds nothing.

Plain SQL on the connection it is given (the upgrade's transaction), no store, no pandas: the
revision and the conversion of pre-Alembic directories (database.py) call it.
"""

import json

import sqlalchemy as sa

from ...base.clock import utc_now
from ...base.history import UNDO_KIND
from ...base.link_text import links_in

MARK = "(migrasi tautan)"
LINK_KIND = "tautan"  # evidence.LINK
ACTOR = "sistem"
ACTION = "tautan_bukti_dimigrasi"
NO_REPORT = ""  # progress_rows.NO_REPORT


def backfill_links(conn) -> int:
    """Append the missing link attachments of every ledger (see the module docstring); how many."""
    ledgers = conn.execute(sa.text("SELECT ledger_id, office, year FROM ledgers ORDER BY ledger_id")).fetchall()
    return sum(_backfill_ledger(conn, int(ledger_id), office, int(year)) for ledger_id, office, year in ledgers)


def _backfill_ledger(conn, ledger_id: int, office: str, year: int) -> int:
    params = {"ledger": ledger_id}
    current = _current_attachments(conn, ledger_id)
    decisions = _reviews(conn, ledger_id)
    now = utc_now()
    added = carried = 0
    for item_id, month, text, reporter, upload_id in conn.execute(sa.text(
            "SELECT e.item_id, e.month, e.bukti_dukung, e.reported_by, e.upload_id FROM entries e JOIN ("
            "  SELECT MAX(entry_id) AS entry_id FROM entries WHERE ledger_id = :ledger GROUP BY item_id, month"
            ") newest ON newest.entry_id = e.entry_id WHERE e.status <> :no_report AND e.item_id IN ("
            "  SELECT id FROM plan_items WHERE ledger_id = :ledger AND version = "
            "  (SELECT MAX(version) FROM plan_versions WHERE ledger_id = :ledger)) ORDER BY e.entry_id"),
            params | {"no_report": NO_REPORT}).fetchall():
        attached = current.get((item_id, int(month)), [])
        urls = {url for _, kind, url in attached if kind == LINK_KIND}
        missing = [url for url in links_in(text).links if url not in urls]
        if not missing:
            continue
        ids = [evidence_id for evidence_id, _, _ in attached]
        before = _key(ids, text)
        ids += [_insert_link(conn, ledger_id, item_id, int(month), url, _marked(reporter), now, upload_id)
                for url in missing]
        added += len(missing)
        review = decisions.get((item_id, int(month), before))
        if review is not None:
            _carry_review(conn, ledger_id, item_id, int(month), review, _key(ids, text), now)
            carried += 1
    if added:
        conn.execute(sa.text(
            "INSERT INTO audit_log (ledger_id, office, at, actor, action, details, sha256) "
            "VALUES (:ledger, :office, :at, :actor, :action, :details, '')"),
            params | {"office": office, "at": now[:19] + "+00:00", "actor": ACTOR, "action": ACTION,
                      "details": json.dumps({"tahun": year, "tautan": added, "keputusan_dibawa": carried})})
    return added


def _current_attachments(conn, ledger_id: int) -> dict[tuple, list[tuple]]:
    """(item_id, month) -> [(evidence_id, kind, file_name)] of its current attachments (evidence._attachments'
    rule: not attached by an undone upload, not replaced by an attachment that counts)."""
    rows = conn.execute(sa.text(
        "SELECT evidence_id, item_id, month, kind, file_name, replaces, CASE WHEN upload_id IN ("
        "  SELECT undoes FROM uploads WHERE ledger_id = :ledger AND kind = :undo_kind) THEN 0 ELSE 1 END "
        "FROM evidence WHERE ledger_id = :ledger ORDER BY evidence_id"),
        {"ledger": ledger_id, "undo_kind": UNDO_KIND}).fetchall()
    active = [row for row in rows if row[6]]
    replaced = {int(row[5]) for row in active if row[5] is not None}
    current: dict[tuple, list[tuple]] = {}
    for evidence_id, item_id, month, kind, file_name, _, _ in active:
        if int(evidence_id) not in replaced:
            current.setdefault((item_id, int(month)), []).append((int(evidence_id), kind, file_name))
    return current


def _reviews(conn, ledger_id: int) -> dict[tuple, tuple]:
    """(item_id, month, evidence_key) -> the newest review of that evidence (decision, note, reviewed_by)."""
    found = {}
    for item_id, month, key, decision, note, by in conn.execute(sa.text(
            "SELECT item_id, month, evidence_key, decision, note, reviewed_by FROM evidence_reviews "
            "WHERE ledger_id = :ledger ORDER BY review_id"), {"ledger": ledger_id}):
        found[(item_id, int(month), key)] = (decision, note, by)
    return found


def _key(evidence_ids, text) -> str:
    """evidence.evidence_key: what a review saw (the current attachment ids and the bukti dukung text)."""
    return json.dumps([sorted(int(i) for i in evidence_ids), str(text or "").strip()], ensure_ascii=False)


def _marked(name) -> str:
    return f"{str(name or '').strip()} {MARK}".strip()


def _insert_link(conn, ledger_id: int, item_id: str, month: int, url: str, by: str, at: str, upload_id) -> int:
    return int(conn.execute(sa.text(
        "INSERT INTO evidence (ledger_id, item_id, month, kind, file_name, sha256, size, added_by, added_at, "
        "upload_id, replaces) VALUES (:ledger, :item_id, :month, :kind, :url, '', 0, :by, :at, :upload_id, NULL) "
        "RETURNING evidence_id"),
        {"ledger": ledger_id, "item_id": item_id, "month": month, "kind": LINK_KIND, "url": url, "by": by, "at": at,
         "upload_id": upload_id}).scalar())


def _carry_review(conn, ledger_id: int, item_id: str, month: int, review: tuple, key: str, at: str) -> None:
    decision, note, by = review
    conn.execute(sa.text(
        "INSERT INTO evidence_reviews (ledger_id, item_id, month, decision, note, evidence_key, reviewed_by, "
        "reviewed_at) VALUES (:ledger, :item_id, :month, :decision, :note, :key, :by, :at)"),
        {"ledger": ledger_id, "item_id": item_id, "month": month, "decision": decision, "note": note, "key": key,
         "by": _marked(by), "at": at})
