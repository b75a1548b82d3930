"""The plan's version history of a ledger, and how revisions relate to uploads and to progress: the stored
versions, renamed IDs, carried-over progress, undoing a revision.

Every function works on a connection (the caller's read or write transaction) and a ledger id, never on a
ProgressStore: the store calls in here, nothing here calls back into a store.

Plan versions (`plan_versions`, `plan_items`, `plan_schedule`) are appended, never changed: a plan year starts
with version 1, a revised plan becomes the next version. Two more append-only tables (per ledger; see schema/):

- `id_renames`: a confirmed rename OLD → NEW made with plan version `version` by upload
  `upload_id`. While that upload is not undone, the rename holds: workbooks made before
  it may still report OLD, and their rows are read as NEW.
- `plan_version_sources`: which upload created a plan version (`restores`: the version
  whose content an undo brought back). Older data has no row here; the version is then
  found by the upload's file hash and name (both are stored with the version).

Carrying progress over appends, for every item-month of OLD whose latest entry is a
report, a copy under NEW (same month and values) belonging to the upload, so undoing the
upload takes it back like any other entry of that upload. Nothing is updated or deleted.
"""

import json

import pandas as pd
import sqlalchemy as sa

from . import audit
from .progress_rows import append_reports
from ..base.clock import utc_now
from ..base.history import UNDO_KIND
from ..base.months import month_name
from ..plan.plan import PLAN_COLUMNS
from ..plan.plan_workbook import PLAN_SHEET
from ..base.problems import Problem, RefusedValue

VALUE_COLUMNS = ["status", "bukti_dukung", "tanggal", "catatan", "reported_by"]
UNDONE = "SELECT undoes FROM uploads WHERE undoes IS NOT NULL AND ledger_id = :ledger"
TEXT_PLAN_COLUMNS = ["id", "area", "area_name", "no", "komponen", "indikator", "langkah_aksi", "bukti_fisik",
                     "penanggung_jawab"]
VERSION_COLUMNS = ["version", "created_at", "source_name", "sha256", "created_by"]


# --- the stored versions -------------------------------------------------------------------------

def newest_version(conn, ledger_id: int) -> int:
    """The ledger's newest plan version (0 when it has none)."""
    return int(conn.execute(sa.text("SELECT COALESCE(MAX(version), 0) FROM plan_versions WHERE ledger_id = :ledger"),
                            {"ledger": ledger_id}).scalar())


def stored_plan(conn, ledger_id: int, version: int) -> pd.DataFrame:
    """Plan `version` of the ledger, shaped like read_plan's result; ValueError when there is no such version."""
    params = {"ledger": ledger_id, "version": version}
    header = conn.execute(sa.text("SELECT attrs FROM plan_versions WHERE ledger_id = :ledger "
                                  "AND version = :version"), params).fetchone()
    if header is None:
        raise RefusedValue(f"Rencana aksi versi {version} tidak ada.")
    rows = conn.execute(sa.text(f"SELECT {', '.join(PLAN_COLUMNS)} FROM plan_items WHERE ledger_id = :ledger "
                                "AND version = :version ORDER BY position"), params).fetchall()
    plan = pd.DataFrame.from_records(rows, columns=PLAN_COLUMNS)
    plan["months"] = plan["months"].map(lambda text: tuple(json.loads(text)))
    plan = plan.astype({c: "str" for c in TEXT_PLAN_COLUMNS} | {"komponen_pos": "int64", "row": "int64"})
    plan.attrs.update(json.loads(header[0]))
    plan.attrs["plan_version"] = version
    return plan


def version_frame(conn, ledger_id: int) -> pd.DataFrame:
    """Every plan version of the ledger (VERSION_COLUMNS), oldest first."""
    rows = conn.execute(sa.text(f"SELECT {', '.join(VERSION_COLUMNS)} FROM plan_versions WHERE ledger_id = :ledger "
                                "ORDER BY version"), {"ledger": ledger_id})
    return pd.DataFrame.from_records(rows.fetchall(), columns=VERSION_COLUMNS)


def add_plan_version(conn, ledger_id: int, plan: pd.DataFrame, source_name: str, sha256: str, by: str) -> int:
    """Store `plan` as the next version of the ledger, with its schedule (one row per planned item-month)."""
    version = newest_version(conn, ledger_id) + 1
    attrs = {k: v for k, v in plan.attrs.items() if k != "plan_version"}
    conn.execute(sa.text("INSERT INTO plan_versions (ledger_id, version, created_at, source_name, sha256, created_by, "
                         "attrs) VALUES (:ledger, :version, :at, :source, :sha256, :by, :attrs)"),
                 {"ledger": ledger_id, "version": version, "at": utc_now(), "source": source_name, "sha256": sha256,
                  "by": by, "attrs": json.dumps(attrs, ensure_ascii=False, default=str)})
    rows = plan[PLAN_COLUMNS].assign(months=plan["months"].map(lambda months: json.dumps([int(m) for m in months])))
    records = [dict(zip(PLAN_COLUMNS, (_plain(v) for v in row)), ledger_id=ledger_id, version=version,
                    position=position) for position, row in enumerate(rows.itertuples(index=False, name=None))]
    conn.execute(sa.text(f"INSERT INTO plan_items (ledger_id, version, position, {', '.join(PLAN_COLUMNS)}) VALUES "
                         f"(:ledger_id, :version, :position, {', '.join(':' + c for c in PLAN_COLUMNS)})"), records)
    schedule = [{"ledger_id": ledger_id, "version": version, "position": position, "item_id": str(item_id),
                 "month": int(month)}
                for position, (item_id, months) in enumerate(zip(plan["id"], plan["months"])) for month in set(months)]
    if schedule:
        conn.execute(sa.text("INSERT INTO plan_schedule (ledger_id, version, position, item_id, month) VALUES "
                             "(:ledger_id, :version, :position, :item_id, :month)"), schedule)
    return version


def _plain(value):
    """numpy scalars to Python values for the database driver."""
    return value.item() if hasattr(value, "item") else value


# --- renames -------------------------------------------------------------------------------------

def active_renames(conn, ledger_id: int) -> list[tuple[str, str]]:
    """Confirmed renames (old, new) of the ledger whose upload was not undone, oldest first."""
    return [tuple(row) for row in conn.execute(sa.text(
        f"SELECT old_id, new_id FROM id_renames WHERE ledger_id = :ledger AND (upload_id IS NULL "
        f"OR upload_id NOT IN ({UNDONE})) ORDER BY rename_id"), {"ledger": ledger_id}).fetchall()]


def id_aliases(renames, plan_ids) -> dict[str, str]:
    """Old ID -> the ID in `plan_ids` it became (following chains such as A → B → C); old IDs still planned are left out."""
    step = dict(renames)
    aliases = {}
    for old in step:
        target, seen = step[old], {old}
        while target not in plan_ids and target in step and target not in seen:
            seen.add(target)
            target = step[target]
        if old not in plan_ids and target in plan_ids:
            aliases[old] = target
    return aliases


def carried_entries(latest: pd.DataFrame, pairs) -> pd.DataFrame:
    """The copies carrying over progress: OLD's latest reports relabelled NEW, with an `old_id` column."""
    parts = [latest[latest["item_id"] == old].assign(old_id=old, item_id=new) for old, new in pairs]
    columns = [*latest.columns, "old_id"]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return frame[columns]


def relabelled(latest: pd.DataFrame, pairs, override: bool) -> pd.DataFrame:
    """`latest` as it reads with OLD's item-months copied to NEW for each pair.

    override: the copy replaces NEW's own entry for that month (what carrying over writes);
    otherwise only months NEW has no entry for are filled in.
    """
    copies = carried_entries(latest, pairs).drop(columns="old_id")
    if copies.empty:
        return latest
    keys = set(zip(copies["item_id"], copies["month"]))
    if override:
        kept = latest[[key not in keys for key in zip(latest["item_id"], latest["month"])]]
        return pd.concat([kept, copies], ignore_index=True)
    own = set(zip(latest["item_id"], latest["month"]))
    extra = copies[[key not in own for key in zip(copies["item_id"], copies["month"])]]
    return pd.concat([latest, extra], ignore_index=True) if len(extra) else latest


def confirm_renames(proposed, renames, recorded_ids, errors: list, warnings: list) -> tuple[tuple[str, str], ...]:
    """The pairs of `renames` that are proposed renames (plan_changes.Rename); problems for the rest.

    An error for each pair that is no rename in this revision; a warning for each proposal
    left unconfirmed although its old ID has progress (that progress would stay behind).
    """
    pairs = {r.pair for r in proposed}
    confirmed = tuple(pair for pair in renames if pair in pairs)
    errors.extend(Problem(f"ID {old} → {new} tidak dapat dipindahkan: {old} harus hilang dan {new} baru muncul pada "
                          f"lembar '{PLAN_SHEET}', masing-masing sekali.", PLAN_SHEET,
                          fix="Pilih pasangan dari daftar dugaan penggantian ID.")
                  for old, new in renames if (old, new) not in confirmed)
    warnings.extend(Problem(f"ID {old} tampaknya diganti menjadi {new}; progres {old} hanya dipindahkan bila "
                            "penggantian ini dikonfirmasi.", PLAN_SHEET)
                    for old, new in sorted(pairs - set(confirmed)) if old in recorded_ids)
    return confirmed


def off_schedule_warnings(carried: pd.DataFrame, plan: pd.DataFrame) -> list[Problem]:
    """A warning per new ID that receives progress for months its plan row does not schedule."""
    months = dict(zip(plan["id"], plan["months"]))
    problems = []
    for (old, new), group in carried.groupby(["old_id", "item_id"], sort=False):
        outside = sorted(int(m) for m in group["month"] if int(m) not in months.get(new, ()))
        if outside:
            problems.append(Problem(
                f"Progres {old} bulan {', '.join(month_name(m) for m in outside)} dipindahkan ke {new}, padahal {new} "
                "tidak dijadwalkan pada bulan itu; tampil sebagai 'di luar jadwal' dan tidak dihitung.", PLAN_SHEET))
    return problems


def carry_over(conn, ledger_id: int, office: str, pairs, carried: pd.DataFrame, version: int, upload_id: int,
               by: str, sha256: str = "") -> int:
    """Append `carried` (carried_entries of the confirmed `pairs`) to the ledger of `office` under upload_id,
    record the renames, audit."""
    written = 0
    for old, new in pairs:
        copies = carried[(carried["old_id"] == old) & (carried["item_id"] == new)]
        append_reports(conn, ledger_id, copies[["item_id", "month", *VALUE_COLUMNS]], upload_id)
        conn.execute(sa.text("INSERT INTO id_renames (ledger_id, version, old_id, new_id, upload_id, at, renamed_by) "
                             "VALUES (:ledger, :version, :old, :new, :upload, :at, :by)"),
                     {"ledger": ledger_id, "version": version, "old": old, "new": new, "upload": upload_id,
                      "at": utc_now("auto"), "by": by})
        details = {"dari": old, "ke": new, "entri": len(copies), "versi": version, "unggahan": upload_id}
        files = _carry_evidence(conn, ledger_id, old, new, upload_id)
        if files:
            details["bukti"] = files
        audit.record_event(conn, by, "progres_dipindah", details, sha256, ledger_id=ledger_id, office=office)
        written += len(copies)
    return written


# Attachments that count: not attached by an undone upload, not replaced by one that counts (see evidence.py)
_NOT_UNDONE = ("{row}.upload_id IS NULL OR {row}.upload_id NOT IN (SELECT undoes FROM uploads "
               "WHERE ledger_id = :ledger AND undoes IS NOT NULL)")
CARRY_EVIDENCE = sa.text(
    "INSERT INTO evidence (ledger_id, item_id, month, kind, file_name, sha256, size, added_by, added_at, upload_id, "
    "replaces) SELECT e.ledger_id, :new, e.month, e.kind, e.file_name, e.sha256, e.size, e.added_by, e.added_at, "
    ":upload, NULL FROM evidence e WHERE e.ledger_id = :ledger AND e.item_id = :old "
    f"AND ({_NOT_UNDONE.format(row='e')}) "
    f"AND NOT EXISTS (SELECT 1 FROM evidence r WHERE r.replaces = e.evidence_id AND ({_NOT_UNDONE.format(row='r')})) "
    "ORDER BY e.evidence_id")


def _carry_evidence(conn, ledger_id: int, old: str, new: str, upload_id: int) -> int:
    """The old ID's attachments that count, attached again to the new ID by the revising upload (so that undoing
    it takes them back); returns how many."""
    return conn.execute(CARRY_EVIDENCE, {"ledger": ledger_id, "old": old, "new": new, "upload": upload_id}).rowcount


# --- which upload made which plan version ----------------------------------------------------------

def link_plan_version(conn, ledger_id: int, version: int, upload_id: int, restores: int | None = None) -> None:
    conn.execute(sa.text("INSERT INTO plan_version_sources (ledger_id, version, upload_id, restores) "
                         "VALUES (:ledger, :version, :upload, :restores)"),
                 {"ledger": ledger_id, "version": version, "upload": upload_id, "restores": restores})


def plan_version_of_upload(conn, ledger_id: int, upload_id: int) -> int | None:
    """The plan version an upload created, if any (recorded link, else matched by file hash and name)."""
    params = {"ledger": ledger_id, "upload": upload_id}
    found = conn.execute(sa.text("SELECT version FROM plan_version_sources WHERE ledger_id = :ledger "
                                 "AND upload_id = :upload AND restores IS NULL"), params).scalar()
    if found is not None:
        return int(found)
    upload = conn.execute(sa.text("SELECT file_name, sha256, created_at, kind, counts FROM uploads "
                                  "WHERE upload_id = :upload AND ledger_id = :ledger"), params).fetchone()
    if upload is None or upload[3] == UNDO_KIND or not json.loads(upload[4] or "{}").get("plan_changes"):
        return None
    found = conn.execute(sa.text(
        "SELECT MAX(version) FROM plan_versions WHERE ledger_id = :ledger AND version > 1 AND sha256 = :sha256 "
        "AND source_name = :name AND created_at <= :at "
        "AND version NOT IN (SELECT version FROM plan_version_sources WHERE ledger_id = :ledger)"),
        {**params, "sha256": upload[1], "name": upload[0], "at": upload[2]}).scalar()
    return int(found) if found is not None else None


def _plan_rows(conn, ledger_id: int, version: int) -> list[tuple]:
    return [tuple(row) for row in conn.execute(sa.text(
        "SELECT position, id, area, area_name, no, komponen_pos, komponen, indikator, langkah_aksi, bukti_fisik, "
        "penanggung_jawab, months, row FROM plan_items WHERE ledger_id = :ledger AND version = :version "
        "ORDER BY position"), {"ledger": ledger_id, "version": version}).fetchall()]


def plan_to_restore(conn, ledger_id: int, upload_id: int) -> int | None:
    """The plan version to bring back when undoing `upload_id` (None: it revised no plan).

    ValueError when the plan was revised again afterwards (the plan in force is no longer
    the one this upload made): that revision has to be undone first.
    """
    version = plan_version_of_upload(conn, ledger_id, upload_id)
    if version is None:
        return None
    latest = int(conn.execute(sa.text("SELECT MAX(version) FROM plan_versions WHERE ledger_id = :ledger"),
                              {"ledger": ledger_id}).scalar())
    if latest != version and _plan_rows(conn, ledger_id, latest) != _plan_rows(conn, ledger_id, version):
        raise RefusedValue(f"Unggahan nomor {upload_id} membuat rencana aksi versi {version}, tetapi rencana sudah "
                         f"direvisi lagi (kini versi {latest}). Batalkan dahulu unggahan yang merevisi rencana "
                         "sesudahnya.")
    later = conn.execute(sa.text(
        "SELECT DISTINCT e.item_id FROM entries e JOIN uploads u ON u.upload_id = e.upload_id "
        f"WHERE e.ledger_id = :ledger AND e.upload_id > :upload AND u.kind <> :undo_kind AND e.upload_id NOT IN ({UNDONE}) "
        "AND e.item_id NOT IN (SELECT id FROM plan_items WHERE ledger_id = :ledger AND version = :version) "
        "ORDER BY e.item_id"), {"ledger": ledger_id, "upload": upload_id, "undo_kind": UNDO_KIND,
                                "version": version - 1}).fetchall()
    if later:
        raise RefusedValue(f"Unggahan nomor {upload_id} tidak dapat dibatalkan: unggahan sesudahnya mencatat progres "
                         f"untuk langkah aksi yang hanya ada di rencana hasil revisinya ({', '.join(r[0] for r in later)}). "
                         "Batalkan dahulu unggahan-unggahan itu.")
    return version - 1


def restore_plan(conn, ledger_id: int, office: str, version: int, upload_id: int, undo_id: int, by: str) -> int:
    """Append the content of plan `version` as the newest version of the ledger (of `office`), linked to the undo,
    audited."""
    previous = stored_plan(conn, ledger_id, version)
    sha256 = conn.execute(sa.text("SELECT sha256 FROM plan_versions WHERE ledger_id = :ledger AND version = :version"),
                          {"ledger": ledger_id, "version": version}).scalar()
    restored = add_plan_version(conn, ledger_id, previous, f"pembatalan unggahan #{upload_id}", sha256, by)
    link_plan_version(conn, ledger_id, restored, undo_id, restores=version)
    audit.record_event(conn, by, "rencana_dipulihkan", {"versi": restored, "isi_versi": version,
                                                        "unggahan": upload_id, "pembatalan": undo_id}, sha256,
                       ledger_id=ledger_id, office=office)
    return restored
