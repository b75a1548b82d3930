"""The monev meeting record: meetings with their frozen snapshot, and the follow-ups (tindak lanjut) they decide.

Meetings, follow-ups and their closing are rows of append-only tables (schema revision 0004): nothing is
changed or deleted, and every write is audited. Callers check who may record (an admin); closing checks
the team rule itself (User.may_write_for), since an editor may close only their own team's follow-ups.
"""

import json
import re
from datetime import date

import pandas as pd
import sqlalchemy as sa

from ..store import audit
from ..base.cell_safety import clean_text
from ..base.clock import local_date, store_today, store_zone
from ..base.problems import Refusal
from .letterhead import letterhead as lembar_letterhead
from .monev_snapshot import take_snapshot
from ..base.clock import utc_now

KINDS = {"triwulan": "Monev triwulan", "semester": "Monev semester", "pleno": "Pleno"}
MEETING_COLUMNS = ["meeting_id", "held_on", "kind", "chair", "participants", "participant_count", "as_of_month",
                   "notes", "recorded_by", "recorded_at", "nomor"]
FOLLOW_UP_COLUMNS = ["follow_up_id", "meeting_id", "meeting_held_on", "action", "team", "due_on", "item_id",
                     "added_by", "added_at", "closed", "closure_note", "closed_by", "closed_at", "overdue",
                     "days_overdue"]
MAX_NAME_CHARS = 200
MAX_NUMBER_CHARS = 100
MAX_TEXT_CHARS = 5000
MAX_PARTICIPANTS = 10_000
MEETING_WORDS = re.compile(r"(?i)\b(rapat|monev|evaluasi)\b")


class MonevError(Refusal, ValueError):
    """A meeting or follow-up refused; the message is Indonesian and names the field."""


class MeetingNotFound(Refusal, LookupError):
    """No meeting of that number in this plan year."""


def record_meeting(store, *, held_on: date, kind: str, chair: str, participants: str, participant_count: int | None,
                   as_of_month: int, notes: str, by: str, nomor: str = "") -> int:
    """Record a meeting and freeze the status as of `as_of_month` with it; `nomor` is its document number (nomor
    surat, may be ''); returns its number."""
    row = _checked_meeting(store.year, held_on, kind, chair, participants, participant_count, as_of_month, notes)
    row["nomor"] = _text("Nomor", nomor, MAX_NUMBER_CHARS)
    snapshot = json.dumps(take_snapshot(store, row["as_of_month"]), ensure_ascii=False)
    with store.transaction() as conn:
        meeting_id = int(conn.execute(sa.text(
            "INSERT INTO monev_meetings (ledger_id, held_on, kind, chair, participants, participant_count, "
            "as_of_month, notes, snapshot, recorded_by, recorded_at, nomor) VALUES (:ledger, :held_on, :kind, :chair, "
            ":participants, :participant_count, :as_of_month, :notes, :snapshot, :by, :at, :nomor) "
            "RETURNING meeting_id"),
            {**row, "ledger": store.ledger_id, "snapshot": snapshot, "by": by, "at": utc_now()}).scalar())
        audit.record_event(conn, by, "rapat_monev_dicatat", {"rapat": meeting_id, "tanggal": row["held_on"],
                                                             "jenis": KINDS[kind], "bulan": row["as_of_month"],
                                                             **({"nomor": row["nomor"]} if row["nomor"] else {})},
                           **store.scope)
    return meeting_id


def _checked_meeting(year: int, held_on, kind, chair, participants, participant_count, as_of_month, notes) -> dict:
    if not isinstance(held_on, date) or not year - 1 <= held_on.year <= year + 1:
        raise MonevError(f"Tanggal rapat harus berada di sekitar tahun rencana {year} ({year - 1}–{year + 1}).")
    if kind not in KINDS:
        raise MonevError(f"Jenis rapat {kind!r} tidak dikenal; pilih {', '.join(KINDS.values())}.")
    if as_of_month not in range(1, 13):
        raise MonevError("Posisi s.d. bulan harus Januari–Desember.")
    chair = _text("Pimpinan rapat", chair, MAX_NAME_CHARS, required=True)
    participants = _text("Peserta", participants, MAX_TEXT_CHARS)
    if participant_count is not None and not 1 <= int(participant_count) <= MAX_PARTICIPANTS:
        raise MonevError(f"Jumlah peserta harus 1–{MAX_PARTICIPANTS:,}".replace(",", ".") + ".")
    if not participants and participant_count is None:
        raise MonevError("Isi nama peserta atau jumlah peserta.")
    return {"held_on": held_on.isoformat(), "kind": kind, "chair": chair, "participants": participants,
            "participant_count": None if participant_count is None else int(participant_count),
            "as_of_month": int(as_of_month), "notes": _text("Catatan", notes, MAX_TEXT_CHARS)}


def _text(label: str, value, limit: int, required: bool = False) -> str:
    text = clean_text(str(value or ""))  # the store's text rule, so "required" is judged on what is stored
    if required and not text:
        raise MonevError(f"{label} wajib diisi.")
    if len(text) > limit:
        raise MonevError(f"{label} paling panjang {limit:,} karakter.".replace(",", "."))
    return text


def meetings(store) -> pd.DataFrame:
    """The plan year's meetings, newest first (by date, then by number)."""
    with store.reading() as conn:
        rows = conn.execute(sa.text(
            f"SELECT {', '.join(MEETING_COLUMNS)} FROM monev_meetings WHERE ledger_id = :ledger "
            "ORDER BY held_on DESC, meeting_id DESC"), {"ledger": store.ledger_id}).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=MEETING_COLUMNS)
    frame["held_on"] = [date.fromisoformat(day) for day in frame["held_on"]]
    frame["nomor"] = frame["nomor"].fillna("").astype(object)
    frame["participant_count"] = frame["participant_count"].astype("Int64")
    return frame.astype({"meeting_id": "int64", "as_of_month": "int64"})


def meeting(store, meeting_id: int) -> dict:
    """One meeting's record and its frozen snapshot (MeetingNotFound for none of this plan year)."""
    with store.reading() as conn:
        row = conn.execute(sa.text(
            f"SELECT {', '.join(MEETING_COLUMNS)}, snapshot FROM monev_meetings "
            "WHERE ledger_id = :ledger AND meeting_id = :meeting"),
            {"ledger": store.ledger_id, "meeting": int(meeting_id)}).mappings().first()
    if row is None:
        raise MeetingNotFound(f"Rapat nomor {meeting_id} tidak ada pada rencana tahun {store.year}.")
    found = dict(row)
    found["held_on"] = date.fromisoformat(found["held_on"])
    found["nomor"] = found["nomor"] or ""
    found["snapshot"] = json.loads(found["snapshot"])
    return found


def add_follow_up(store, *, action: str, team: str, due_on: date, item_id: str | None, by: str,
                  meeting_id: int | None = None) -> int:
    """Record a follow-up for `team`, optionally about a langkah aksi; returns its number."""
    plan = store.plan()
    action = _text("Tindak lanjut", action, MAX_TEXT_CHARS, required=True)
    if team not in set(plan["penanggung_jawab"]):
        raise MonevError(f"Tim {team!r} bukan penanggung jawab dalam rencana aksi.")
    if not isinstance(due_on, date):
        raise MonevError("Tenggat harus sebuah tanggal.")
    item_id = str(item_id or "").strip() or None
    if item_id is not None and item_id not in set(plan["id"]):
        raise MonevError(f"Langkah aksi {item_id!r} tidak ada dalam rencana aksi.")
    if meeting_id is not None:
        meeting(store, meeting_id)
    with store.transaction() as conn:
        follow_up_id = int(conn.execute(sa.text(
            "INSERT INTO follow_ups (ledger_id, meeting_id, action, team, due_on, item_id, added_by, added_at) "
            "VALUES (:ledger, :meeting, :action, :team, :due_on, :item_id, :by, :at) RETURNING follow_up_id"),
            {"ledger": store.ledger_id, "meeting": meeting_id, "action": action, "team": team,
             "due_on": due_on.isoformat(), "item_id": item_id, "by": by, "at": utc_now()}).scalar())
        audit.record_event(conn, by, "tindak_lanjut_ditambahkan",
                           {"tindak_lanjut": follow_up_id, "rapat": meeting_id, "tim": team,
                            "tenggat": due_on.isoformat(), "id": item_id or ""}, **store.scope)
    return follow_up_id


def close_follow_up(store, follow_up_id: int, note: str, user) -> None:
    """Close a follow-up with a note; only an admin of the office or an editor of the follow-up's team may."""
    note = _text("Catatan penutupan", note, MAX_TEXT_CHARS, required=True)
    with store.transaction() as conn:
        found = conn.execute(sa.text(
            "SELECT f.team, c.closure_id FROM follow_ups f LEFT JOIN follow_up_closures c "
            "ON c.follow_up_id = f.follow_up_id WHERE f.ledger_id = :ledger AND f.follow_up_id = :id"),
            {"ledger": store.ledger_id, "id": int(follow_up_id)}).first()
        if found is None:
            raise MonevError(f"Tindak lanjut nomor {follow_up_id} tidak ada pada rencana tahun {store.year}.")
        if not user.may_write_for(store.office, found.team):
            raise MonevError(f"Hanya admin atau editor {found.team} yang dapat menutup tindak lanjut ini.")
        if found.closure_id is not None:
            raise MonevError(f"Tindak lanjut nomor {follow_up_id} sudah ditutup.")
        conn.execute(sa.text(
            "INSERT INTO follow_up_closures (ledger_id, follow_up_id, note, closed_by, closed_at) "
            "VALUES (:ledger, :id, :note, :by, :at)"),
            {"ledger": store.ledger_id, "id": int(follow_up_id), "note": note, "by": user.name, "at": utc_now()})
        audit.record_event(conn, user.name, "tindak_lanjut_ditutup",
                           {"tindak_lanjut": int(follow_up_id), "tim": found.team, "catatan": note}, **store.scope)


def follow_ups(store, *, meeting_id: int | None = None, open_only: bool = False, teams=None,
               today: date | None = None) -> pd.DataFrame:
    """The plan year's follow-ups by due date, with whether each is closed and how many days it is overdue."""
    where, params = ["f.ledger_id = :ledger"], {"ledger": store.ledger_id}
    if meeting_id is not None:
        where.append("f.meeting_id = :meeting")
        params["meeting"] = int(meeting_id)
    with store.reading() as conn:
        rows = conn.execute(sa.text(
            "SELECT f.follow_up_id, f.meeting_id, m.held_on, f.action, f.team, f.due_on, f.item_id, f.added_by, "
            "f.added_at, c.closure_id IS NOT NULL, c.note, c.closed_by, c.closed_at FROM follow_ups f "
            "LEFT JOIN monev_meetings m ON m.meeting_id = f.meeting_id "
            "LEFT JOIN follow_up_closures c ON c.follow_up_id = f.follow_up_id "
            f"WHERE {' AND '.join(where)} ORDER BY f.due_on, f.follow_up_id"), params).fetchall()
    return _follow_up_frame(rows, open_only, teams, today or store_today(store))


def _follow_up_frame(rows, open_only: bool, teams, today: date) -> pd.DataFrame:
    rows = [(*row[:2], row[2] and date.fromisoformat(row[2]), *row[3:5], date.fromisoformat(row[5]), *row[6:])
            for row in rows]
    frame = pd.DataFrame.from_records(rows, columns=FOLLOW_UP_COLUMNS[:-2])
    frame["closed"] = frame["closed"].astype(bool)
    frame["meeting_id"] = frame["meeting_id"].astype("Int64")
    for column in ("meeting_held_on", "due_on"):
        frame[column] = frame[column].astype(object)
    late = [0 if closed else max((today - due).days, 0) for closed, due in zip(frame["closed"], frame["due_on"])]
    frame["days_overdue"] = pd.Series(late, index=frame.index, dtype="int64")
    frame["overdue"] = frame["days_overdue"] > 0
    frame = frame.fillna({"item_id": "", "closure_note": "", "closed_by": "", "closed_at": ""})
    if open_only:
        frame = frame[~frame["closed"]]
    if teams is not None:
        frame = frame[frame["team"].isin(list(teams))]
    return frame[FOLLOW_UP_COLUMNS].astype({"follow_up_id": "int64"}).reset_index(drop=True)


def previous_meeting_follow_ups(store, before_meeting_id: int | None = None, today: date | None = None) -> pd.DataFrame:
    """The follow-ups of the newest meeting before the given one (None: the newest meeting)."""
    recorded = meetings(store)
    if before_meeting_id is not None:
        position = recorded.index[recorded["meeting_id"] == int(before_meeting_id)]
        recorded = recorded.iloc[position[0] + 1:] if len(position) else recorded.iloc[0:0]
    if recorded.empty:
        return follow_ups(store, today=today).iloc[0:0]
    return follow_ups(store, meeting_id=int(recorded["meeting_id"].iloc[0]), today=today)


def report_data(store, *, meeting_id: int | None = None, as_of_month: int | None = None,
                today: date | None = None) -> dict:
    """What a lembar monev shows: a meeting's frozen snapshot and the follow-ups it decided as they stood on the
    meeting's day (closed only if closed by then, days late counted to that day), or, without a meeting, the
    status as of `as_of_month` taken now and the open follow-ups as of `today`; `printed_on` is `today` (the
    office's today by default), shown only in the footer; `place` is where the office signs (the plan's
    'Ditetapkan di', or ''); `zone` is the office's time zone label (clock.py); `letterhead` the office's kop
    surat and signers (letterhead.py)."""
    if meeting_id is None and as_of_month is None:
        raise MonevError("Pilih rapat atau posisi s.d. bulan.")
    today, zone = today or store_today(store), store_zone(store)
    if meeting_id is not None:
        record = meeting(store, meeting_id)
        snapshot = record.pop("snapshot")
        decided = follow_ups_as_of(follow_ups(store, meeting_id=meeting_id), record["held_on"], zone)
    else:
        record, snapshot = None, take_snapshot(store, as_of_month)
        decided = follow_ups(store, open_only=True, today=today)
    place = str(store.plan().attrs.get("info", {}).get("Ditetapkan di") or "").strip()
    decided_rows = [{key: _json_value(value) for key, value in row.items()} for row in decided.to_dict("records")]
    return {"office_name": snapshot["office_name"], "year": store.year, "place": place, "meeting": record,
            "snapshot": snapshot, "follow_ups": decided_rows, "zone": zone, "printed_on": today.isoformat(),
            "letterhead": lembar_letterhead(store)}


def follow_ups_as_of(frame: pd.DataFrame, day: date, zone: str) -> pd.DataFrame:
    """`frame` (follow_ups' rows) as it stood at the end of `day` in the office's `zone`: a closure made later is
    not there yet, and days late are counted to `day`."""
    frame = frame.copy()
    closed_by_then = [bool(closed) and local_date(at, zone) <= day for closed, at in zip(frame["closed"],
                                                                                        frame["closed_at"])]
    frame["closed"] = pd.Series(closed_by_then, index=frame.index, dtype=bool)
    for column in ("closure_note", "closed_by", "closed_at"):
        frame[column] = frame[column].where(frame["closed"], "")
    late = [0 if closed else max((day - due).days, 0) for closed, due in zip(frame["closed"], frame["due_on"])]
    frame["days_overdue"] = pd.Series(late, index=frame.index, dtype="int64")
    frame["overdue"] = frame["days_overdue"] > 0
    return frame


def follow_up_state(row: dict) -> str:
    """A follow-up's state as people read it: 'Selesai', 'Terbuka', or 'Terbuka, lewat 5 hari'."""
    if row["closed"]:
        return "Selesai"
    return f"Terbuka, lewat {row['days_overdue']} hari" if row["overdue"] else "Terbuka"


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if value is None or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def monev_item_id(plan: pd.DataFrame) -> str | None:
    """The plan ID of the langkah aksi whose evidence is the meeting's record ('Rapat evaluasi pembangunan ZI …',
    I-3-1 in the KPU plan), or None."""
    by_id = plan[plan["id"] == "I-3-1"]
    if len(by_id) and MEETING_WORDS.search(str(by_id["langkah_aksi"].iloc[0])):
        return "I-3-1"
    found = plan[(plan["area"] == "I") & plan["langkah_aksi"].str.contains("rapat evaluasi", case=False, regex=False)]
    return str(found["id"].iloc[0]) if len(found) else None


def revision(store) -> tuple[int, int, int]:
    """Changes with every meeting, follow-up and closure of the plan year (for page caches)."""
    newest = ", ".join(f"(SELECT COALESCE(MAX({key}), 0) FROM {table} WHERE ledger_id = :ledger)"
                       for table, key in (("monev_meetings", "meeting_id"), ("follow_ups", "follow_up_id"),
                                          ("follow_up_closures", "closure_id")))
    with store.reading() as conn:
        return tuple(int(value) for value in conn.execute(sa.text(f"SELECT {newest}"),
                                                          {"ledger": store.ledger_id}).one())
