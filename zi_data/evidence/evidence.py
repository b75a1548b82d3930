"""Evidence (bukti dukung) attached to item-months, and the penilai's review of it.

An attachment is a file (stored once per content, see evidence_files) or an http(s) link. Rows are
only ever added: a new version of a file is a new row that `replaces` the old one, and a row
attached by a realisasi upload is hidden again when that upload is undone. The current evidence of
an item-month is its attachments that are neither replaced by a current row nor undone.

A review (diterima / perlu perbaikan) applies to the evidence it saw: its `evidence_key` is the
item-month's current attachment ids and bukti dukung text at the time. When either changes the
item-month is awaiting review again; when the change is undone the earlier review applies again.
"""

import json
import re
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ..store import audit
from ..files import evidence_files
from ..base.cell_safety import clean_text
from ..files.file_types import sniff
from ..base.history import UNDO_KIND
from ..base.link_text import checked_link  # noqa: F401 (evidence.checked_link, used by reminders and pages)
from ..base.clock import utc_now
from ..base.paths import sha256_of
from ..base.problems import RefusedValue

ATTACHMENT_COLUMNS = ["evidence_id", "item_id", "month", "kind", "file_name", "sha256", "size", "added_by",
                      "added_at", "upload_id", "replaces"]
REVIEW_COLUMNS = ["review_id", "item_id", "month", "decision", "note", "evidence_key", "reviewed_by", "reviewed_at"]
STATE_COLUMNS = ["item_id", "month", "files", "links", "has_evidence", "review_state", "review_note", "reviewed_by",
                 "reviewed_at", "waiting_since"]
LINK = "tautan"
DECISIONS = {"diterima": "Diterima", "perlu_perbaikan": "Perlu perbaikan"}
REVIEW_LABELS = {"diterima": "Diterima", "menunggu": "Menunggu verifikasi", "perlu_perbaikan": "Perlu perbaikan"}
MAX_NAME_CHARS = 255
MAX_NOTE_CHARS = 2000


def attach_file(store, item_id: str, month: int, file_name: str, data: bytes, by: str, *, replaces: int | None = None,
                upload_id: int | None = None, conn=None) -> int:
    """Attach a file to an item-month and return its evidence_id (that of an identical current attachment, if any).

    The type is decided by the content: file_types.sniff raises InputError for a refused file (wrong type, empty,
    too large). ValueError (Indonesian) for an unknown item, a month outside 1–12, or `replaces` that is not a
    current attachment of the item-month."""
    file_name = _display_name(file_name)
    kind = sniff(data, file_name)  # refuses what is no allowed type, empty or too large
    row = {"kind": kind, "file_name": file_name, "sha256": sha256_of(data), "size": len(data), "data": data}
    return _attach(store, item_id, month, row, by, replaces, upload_id, conn)


def attach_link(store, item_id: str, month: int, url: str, by: str, *, replaces: int | None = None,
                upload_id: int | None = None, conn=None) -> int:
    """Attach an http(s) link (evidence kept elsewhere) to an item-month; ValueError for any other link."""
    url = checked_link(url)
    return _attach(store, item_id, month, {"kind": LINK, "file_name": url, "sha256": "", "size": 0}, by, replaces,
                   upload_id, conn)


def _display_name(file_name: str) -> str:
    """The name as shown: its last path component, stripped, capped; never used as a path."""
    name = re.split(r"[\\/]", str(file_name or ""))[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())[:MAX_NAME_CHARS]
    return name or "berkas"


def _attach(store, item_id, month, row: dict, by: str, replaces, upload_id, conn) -> int:
    if conn is None:
        with store.transaction() as own:
            return _attach(store, item_id, month, row, by, replaces, upload_id, own)
    item_id, month = _checked_item_month(conn, store.ledger_id, item_id, month)
    current = _attachments(conn, store.ledger_id, item_month=(item_id, month))
    if row["kind"] == LINK:
        same = current[(current["kind"] == LINK) & (current["file_name"] == row["file_name"])]
    else:
        same = current[current["sha256"] == row["sha256"]]
    if replaces is not None and int(replaces) not in set(current["evidence_id"]):
        raise RefusedValue(f"Bukti nomor {replaces} bukan bukti yang berlaku untuk {item_id} bulan {month}.")
    if not same.empty and (replaces is None or int(same["evidence_id"].iloc[0]) == int(replaces)):
        return int(same["evidence_id"].iloc[0])
    data = row.pop("data", None)
    if data is not None:  # kept before the row that names it; a failed transaction leaves an unnamed blob only
        evidence_files.keep_blob(store.data_dir, data)
    return _insert(store, conn, item_id, month, row, by, replaces, upload_id, by)


def _insert(store, conn, item_id: str, month: int, row: dict, by: str, replaces, upload_id, actor: str) -> int:
    """Append one checked attachment row (its file kept already) and its audit event; its evidence_id."""
    evidence_id = int(conn.execute(sa.text(
        "INSERT INTO evidence (ledger_id, item_id, month, kind, file_name, sha256, size, added_by, added_at, "
        "upload_id, replaces) VALUES (:ledger, :item_id, :month, :kind, :file_name, :sha256, :size, :by, :at, "
        ":upload_id, :replaces) RETURNING evidence_id"),
        {"ledger": store.ledger_id, "item_id": item_id, "month": month, **row, "by": by, "at": utc_now(),
         "upload_id": upload_id, "replaces": None if replaces is None else int(replaces)}).scalar())
    details = {"id": item_id, "bulan": month, "berkas": row["file_name"], "bukti": evidence_id}
    if replaces is not None:
        details["menggantikan"] = int(replaces)
    audit.record_event(conn, actor, "bukti_diganti" if replaces is not None else "bukti_ditambah", details,
                       row["sha256"], **store.scope)
    return evidence_id


def _checked_item_month(conn, ledger_id: int, item_id, month) -> tuple[str, int]:
    item_id = str(item_id or "").strip()
    try:
        month = int(month)
    except (TypeError, ValueError):
        raise RefusedValue(f"Bulan {month!r} harus angka 1–12.") from None
    if not 1 <= month <= 12:
        raise RefusedValue(f"Bulan {month} harus 1–12.")
    known = conn.execute(sa.text(
        "SELECT 1 FROM plan_items WHERE ledger_id = :ledger AND id = :item_id AND version = "
        "(SELECT MAX(version) FROM plan_versions WHERE ledger_id = :ledger)"),
        {"ledger": ledger_id, "item_id": item_id}).first()
    if known is None:
        raise RefusedValue(f"ID langkah aksi {item_id!r} tidak ada dalam rencana aksi yang berlaku.")
    return item_id, month


def attachments(store, *, current_only: bool = True, conn=None) -> pd.DataFrame:
    """The ledger's attachments (ATTACHMENT_COLUMNS) by item, month and evidence_id; with current_only=False every
    row, with a bool column `current`."""
    if conn is None:
        with store.reading() as own:
            return attachments(store, current_only=current_only, conn=own)
    return _attachments(conn, store.ledger_id, current_only=current_only)


def _attachments(conn, ledger_id: int, *, current_only: bool = True, item_month: tuple | None = None) -> pd.DataFrame:
    where, params = "", {"ledger": ledger_id, "undo_kind": UNDO_KIND}
    if item_month is not None:
        where, params = " AND e.item_id = :item_id AND e.month = :month", params | dict(
            zip(("item_id", "month"), item_month))
    rows = conn.execute(sa.text(
        f"SELECT {', '.join('e.' + c for c in ATTACHMENT_COLUMNS)}, CASE WHEN e.upload_id IN ("
        "  SELECT undoes FROM uploads WHERE ledger_id = :ledger AND kind = :undo_kind) THEN 0 ELSE 1 END "
        f"FROM evidence e WHERE e.ledger_id = :ledger{where} ORDER BY e.item_id, e.month, e.evidence_id"),
        params).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=[*ATTACHMENT_COLUMNS, "active"]).astype(
        {"evidence_id": "int64", "month": "int64", "size": "int64", "upload_id": "Int64", "replaces": "Int64",
         "active": bool})
    active = frame[frame["active"]]
    replaced = set(active["replaces"].dropna().astype(int))
    frame["current"] = frame["active"] & ~frame["evidence_id"].isin(replaced)
    frame = frame.drop(columns="active")
    return frame[frame["current"]].drop(columns="current").reset_index(drop=True) if current_only else frame


def unreferenced_files(store, by: str, *, remove: bool) -> list[tuple[str, int]]:
    """The evidence folder's files that no evidence row of the database names (every ledger shares the folder),
    as (path, size); with `remove`, they are deleted and the deletion audited. Runs inside the write lock."""
    with store.database.transaction() as conn:
        referenced = {row[0] for row in conn.execute(sa.text("SELECT DISTINCT sha256 FROM evidence WHERE kind <> "
                                                             ":link"), {"link": LINK})}
        found = [(str(path), path.stat().st_size)
                 for path in evidence_files.unreferenced_files(store.data_dir, referenced)]
        if remove and found:
            audit.record_event(conn, by, "bukti_tak_terpakai_dihapus",
                               {"berkas": len(found), "ukuran": sum(size for _, size in found)})
            for path, _ in found:
                Path(path).unlink(missing_ok=True)
    return found


def blob_file(store, sha256: str):
    """The stored file of an attachment (a Path); never served or rendered as HTML."""
    return evidence_files.blob_path(store.data_dir, sha256)


def review(store, item_id: str, month: int, decision: str, note: str, by: str, *,
           expected_key: str | None = None) -> int:
    """Record a penilai's decision on the item-month's current evidence; returns its review_id.

    Refused (ValueError) for an unknown decision, an item-month with no evidence, perlu_perbaikan
    without a note saying what to fix, or evidence that is no longer `expected_key` (the evidence_key
    of what the penilai was shown)."""
    if decision not in DECISIONS:
        raise RefusedValue(f"Keputusan {decision!r} tidak dikenal; pilih Diterima atau Perlu perbaikan.")
    note = clean_text(str(note or ""))  # the store's text rule: a note of control characters is empty
    if decision == "perlu_perbaikan" and not note:
        raise RefusedValue("Tulis catatan apa yang perlu diperbaiki.")
    if len(note) > MAX_NOTE_CHARS:
        raise RefusedValue(f"Catatan paling panjang {MAX_NOTE_CHARS} karakter.")
    with store.transaction() as conn:
        item_id, month = _checked_item_month(conn, store.ledger_id, item_id, month)
        key, has_evidence = _evidence_key(conn, store.ledger_id, item_id, month)
        if not has_evidence:
            raise RefusedValue(f"{item_id} bulan {month} belum punya bukti dukung untuk diperiksa.")
        if expected_key is not None and key != expected_key:
            raise RefusedValue(f"Bukti {item_id} bulan {month} berubah sejak ditampilkan; keputusan tidak disimpan. "
                             "Periksa lagi bukti yang terbaru.")
        review_id = int(conn.execute(sa.text(
            "INSERT INTO evidence_reviews (ledger_id, item_id, month, decision, note, evidence_key, reviewed_by, "
            "reviewed_at) VALUES (:ledger, :item_id, :month, :decision, :note, :key, :by, :at) RETURNING review_id"),
            {"ledger": store.ledger_id, "item_id": item_id, "month": month, "decision": decision, "note": note,
             "key": key, "by": by, "at": utc_now()}).scalar())
        audit.record_event(conn, by, "bukti_diperiksa", {"id": item_id, "bulan": month, "keputusan": decision,
                                                         "catatan": note}, **store.scope)
    return review_id


def _evidence_key(conn, ledger_id: int, item_id: str, month: int) -> tuple[str, bool]:
    current = _attachments(conn, ledger_id, item_month=(item_id, month))
    text = conn.execute(sa.text(
        "SELECT bukti_dukung FROM entries WHERE ledger_id = :ledger AND item_id = :item_id AND month = :month "
        "ORDER BY entry_id DESC LIMIT 1"), {"ledger": ledger_id, "item_id": item_id, "month": month}).scalar()
    text = (text or "").strip()
    ids = sorted(int(i) for i in current["evidence_id"])
    return evidence_key(ids, text), bool(ids or text)


def evidence_key(evidence_ids, bukti_dukung: str) -> str:
    """What a review saw: the current attachment ids and the bukti dukung text."""
    return json.dumps([sorted(int(i) for i in evidence_ids), str(bukti_dukung or "").strip()], ensure_ascii=False)


def reviews(store, conn=None) -> pd.DataFrame:
    if conn is None:
        with store.reading() as own:
            return reviews(store, own)
    rows = conn.execute(sa.text(f"SELECT {', '.join(REVIEW_COLUMNS)} FROM evidence_reviews WHERE ledger_id = :ledger "
                                "ORDER BY review_id"), {"ledger": store.ledger_id}).fetchall()
    return pd.DataFrame.from_records(rows, columns=REVIEW_COLUMNS).astype({"review_id": "int64", "month": "int64"})


def evidence_states(store, latest: pd.DataFrame) -> pd.DataFrame:
    """One row per item-month that has evidence or a review (STATE_COLUMNS); `latest` is store.latest()."""
    with store.reading() as conn:
        current, decided = attachments(store, conn=conn), reviews(store, conn)
    return states_of(current, decided, latest)


def states_of(current: pd.DataFrame, decided: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """evidence_states from the current attachments, the reviews and the latest entries (plain loops: an office
    has a few thousand item-months at most, and pandas' joins cost more than the work here)."""
    attached: dict[tuple, list] = {}  # (item, month) -> [files, links, evidence ids, newest added_at]
    for item, month, kind, evidence_id, added_at in zip(current["item_id"], current["month"], current["kind"],
                                                       current["evidence_id"], current["added_at"]):
        found = attached.setdefault((item, int(month)), [0, 0, [], ""])
        found[1 if kind == LINK else 0] += 1
        found[2].append(int(evidence_id))
        found[3] = max(found[3], str(added_at or ""))
    reported = {(item, int(month)): (text.strip(), str(recorded_at or ""))
                for item, month, text, recorded_at in zip(latest["item_id"], latest["month"], latest["bukti_dukung"],
                                                          latest["recorded_at"])
                if isinstance(text, str) and text.strip()}
    decisions: dict[tuple, list] = {}
    for row in decided.itertuples(index=False):
        decisions.setdefault((row.item_id, int(row.month)), []).append(row)
    rows = [_state_row(key, attached.get(key, (0, 0, [], "")), reported.get(key, ("", "")), decisions.get(key, []))
            for key in sorted(set(attached) | set(reported) | set(decisions))]
    return pd.DataFrame(rows, columns=STATE_COLUMNS).astype(
        {"month": "int64", "files": "int64", "links": "int64", "has_evidence": bool})


def _state_row(key: tuple, attached, reported: tuple, decisions: list) -> tuple:
    files, links, ids, changed = attached
    text, recorded_at = reported
    has_evidence = bool(files or links or text)
    seen = evidence_key(ids, text)
    review = next((row for row in reversed(decisions) if row.evidence_key == seen), None)
    state = review.decision if review is not None else ("menunggu" if has_evidence else "")
    waiting_since = max(changed, recorded_at)
    if review is None:
        return (*key, files, links, has_evidence, state, "", "", "", waiting_since)
    return (*key, files, links, has_evidence, state, review.note, review.reviewed_by, review.reviewed_at, waiting_since)


def revision(store) -> tuple[int, int, int]:
    """Changes whenever the ledger's evidence, reviews or settings change (for page caches)."""
    with store.reading() as conn:
        return tuple(int(conn.execute(sa.text(f"SELECT COALESCE(MAX({key}), 0) FROM {table} "
                                              "WHERE ledger_id = :ledger"), {"ledger": store.ledger_id}).scalar())
                     for table, key in (("evidence", "evidence_id"), ("evidence_reviews", "review_id"),
                                        ("ledger_settings", "setting_id")))
