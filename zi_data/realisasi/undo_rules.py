"""Whose rows an upload touched, and whether an editor may undo it.

An editor (ketua tim) may undo an upload only when they made it under their own name and
every langkah aksi it touched belongs to their team. An item's team is read from the plan
in force now and from the plan in force when the upload was made (for an upload that
revised the plan, also the plan just before it), so an item that moved between teams
counts for each of them. An item in none of those plans belongs to UNKNOWN_TEAM, which no
editor leads. An upload that revised the plan is for an admin to undo. An admin, and
anyone in open mode (no accounts yet), is not limited here.
"""

import json

import sqlalchemy as sa

from ..base.history import PLAN_KIND
from ..base.problems import InputError, Problem, RefusedValue

UNKNOWN_TEAM = "(tim tidak dikenal)"
ASK_ADMIN = "Minta admin (koordinator ZI) membatalkannya."


def _plan_versions_for(conn, ledger_id: int, created_at: str, sha256: str) -> set[int]:
    """The current plan version, the one in force at `created_at` and, when that one was made from
    the same file (the upload revised the plan), the one before it."""
    current = conn.execute(sa.text("SELECT MAX(version) FROM plan_versions WHERE ledger_id = :ledger"),
                           {"ledger": ledger_id}).scalar()
    then = conn.execute(sa.text("SELECT version, sha256 FROM plan_versions WHERE ledger_id = :ledger "
                                "AND created_at <= :at ORDER BY version DESC LIMIT 1"),
                        {"ledger": ledger_id, "at": created_at}).fetchone()
    versions = {current}
    if then:
        versions.add(then[0])
        if then[1] == sha256 and then[0] > 1:
            versions.add(then[0] - 1)
    return {v for v in versions if v is not None}


def upload_teams(store, upload_id: int) -> set[str]:
    """The teams (penanggung jawab) whose langkah aksi the upload wrote entries for; UNKNOWN_TEAM for
    an item found in none of the plans that count. Empty for an unknown upload or one without entries."""
    with store.reading() as conn:
        found = conn.execute(sa.text("SELECT created_at, sha256 FROM uploads WHERE upload_id = :upload "
                                     "AND ledger_id = :ledger"),
                             {"upload": int(upload_id), "ledger": store.ledger_id}).fetchone()
        if found is None:
            return set()
        versions = sorted(_plan_versions_for(conn, store.ledger_id, *found))
        rows = conn.execute(sa.text(
            "SELECT touched.item_id, items.penanggung_jawab "
            "FROM (SELECT DISTINCT item_id FROM entries WHERE upload_id = :upload) touched "
            "LEFT JOIN plan_items items ON items.ledger_id = :ledger AND items.id = touched.item_id "
            "AND items.version IN :versions").bindparams(sa.bindparam("versions", expanding=True)),
            {"upload": int(upload_id), "ledger": store.ledger_id, "versions": versions}).fetchall()
    return {team if team is not None else UNKNOWN_TEAM for _item, team in rows}


def undo_refusal(store, upload_id: int, by: str, editor_team: str | None) -> Problem | None:
    """Why the editor of `editor_team`, signed in as `by`, may not undo the upload; None when they may
    (or when `editor_team` is None: an admin or open mode). An unknown upload, an undo, or one already
    undone is left to the store, which refuses those with their own message."""
    if editor_team is None:
        return None
    with store.reading() as conn:
        found = conn.execute(sa.text("SELECT uploaded_by, kind, counts FROM uploads WHERE upload_id = :upload "
                                     "AND ledger_id = :ledger"),
                             {"upload": int(upload_id), "ledger": store.ledger_id}).fetchone()
    if found is None:
        return None
    uploaded_by, kind, counts = found
    if uploaded_by != by:
        return Problem(f"Unggahan nomor {upload_id} dibuat oleh {uploaded_by}; editor hanya dapat membatalkan "
                       "unggahannya sendiri.", fix=ASK_ADMIN)
    if kind == PLAN_KIND or json.loads(counts or "{}").get("plan_changes"):
        return Problem(f"Unggahan nomor {upload_id} juga merevisi rencana aksi; hanya admin yang dapat "
                       "membatalkannya.", fix=ASK_ADMIN)
    others = sorted(upload_teams(store, upload_id) - {editor_team})
    if others:
        return Problem(f"Unggahan nomor {upload_id} juga mengubah baris tim lain ({', '.join(others)}); editor "
                       f"{editor_team} hanya dapat membatalkan unggahan yang mengubah baris timnya sendiri.",
                       fix=ASK_ADMIN)
    return None


def undo_upload(store, upload_id: int, by: str, *, editor_team: str | None = None) -> int:
    """Undo a confirmed upload (appends the state before it; history kept). InputError when refused.

    An editor (`editor_team`: the team they lead) may undo only their own uploads that touched
    nothing but their team's rows (undo_refusal); None is an admin or open mode.
    """
    if (refusal := undo_refusal(store, int(upload_id), by, editor_team)) is not None:
        raise InputError([refusal])
    try:
        return store.undo_upload(int(upload_id), by)
    except RefusedValue as error:
        raise InputError([Problem(str(error))]) from None
