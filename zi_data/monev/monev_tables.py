"""Monev meetings and follow-ups as the pages show them: Indonesian headers, dates and states, plain text."""

from collections.abc import Callable

import pandas as pd

from ..base.clock import date_text, moment_text, table_date
from .monev import follow_up_state
from ..base.months import month_name

FOLLOW_UP_HEADERS = {"follow_up_id": "No.", "action": "Tindak lanjut", "team": "Tim", "due_on": "Tenggat",
                     "item_id": "ID langkah aksi", "state": "Keadaan", "closure_note": "Catatan penutupan",
                     "closed_by": "Ditutup oleh"}
OPEN_FOLLOW_UP_HEADERS = {"action": "Tindak lanjut", "team": "Tim", "due_on": "Tenggat",
                          "item_id": "ID langkah aksi", "state": "Lewat tenggat"}
MEETING_HEADERS = {"meeting_id": "No.", "held_on": "Tanggal", "kind": "Jenis", "chair": "Pimpinan rapat",
                   "as_of_month": "Posisi s.d.", "participants": "Peserta"}


def follow_up_states(follow_ups: pd.DataFrame) -> list[str]:
    """Selesai, Terbuka, or how many days past its due date an open follow-up is (as the lembar monev says)."""
    return [follow_up_state({"closed": closed, "overdue": overdue, "days_overdue": days})
            for closed, overdue, days in zip(follow_ups["closed"], follow_ups["overdue"], follow_ups["days_overdue"])]


def follow_up_table(follow_ups: pd.DataFrame, shown_name: Callable[[str], str] = str) -> pd.DataFrame:
    """Every follow-up with its state and closure (monev.follow_ups' rows: no langkah aksi or closure is ''), as a
    table; `shown_name` turns the account that closed it into what this reader may see."""
    columns = {"follow_up_id": follow_ups["follow_up_id"].tolist(), "action": follow_ups["action"].tolist(),
               "team": follow_ups["team"].tolist(), "due_on": [table_date(day) for day in follow_ups["due_on"]],
               "item_id": follow_ups["item_id"].tolist(), "state": follow_up_states(follow_ups),
               "closure_note": follow_ups["closure_note"].tolist(),
               "closed_by": [shown_name(name) if name else "" for name in follow_ups["closed_by"]]}
    return pd.DataFrame({FOLLOW_UP_HEADERS[key]: values for key, values in columns.items()})


def open_follow_up_table(follow_ups: pd.DataFrame) -> pd.DataFrame:
    """Open follow-ups: what, which team, by when, which langkah aksi, and a mark when past due."""
    columns = {"action": follow_ups["action"].tolist(), "team": follow_ups["team"].tolist(),
               "due_on": [table_date(day) for day in follow_ups["due_on"]], "item_id": follow_ups["item_id"].tolist(),
               "state": [f"⚠ {days} hari" if overdue else "" for overdue, days in
                         zip(follow_ups["overdue"], follow_ups["days_overdue"])]}
    return pd.DataFrame({OPEN_FOLLOW_UP_HEADERS[key]: values for key, values in columns.items()})


def follow_up_label(row) -> str:
    """One follow-up in a chooser: its number, team, due date and the start of what is to be done."""
    action = " ".join(str(row["action"]).split())
    action = action if len(action) <= 70 else action[:69].rstrip() + "…"
    return f"#{int(row['follow_up_id'])} · {row['team']} · tenggat {table_date(row['due_on'])} · {action}"


def participant_names(participants: str) -> list[str]:
    return [line.strip() for line in str(participants or "").splitlines() if line.strip()]


def participants_text(meeting: dict) -> str:
    """'3 orang: A, B, C' (the count given, else the names counted), '12 orang' when only a count was recorded,
    '–' when neither. The count comes first: where the text is cut to fit (the lembar monev's box), it stays."""
    names = participant_names(meeting.get("participants"))
    count = meeting.get("participant_count")
    count = int(count) if count not in (None, "") and not pd.isna(count) else len(names)
    return f"{count} orang" + (f": {', '.join(names)}" if names else "") if count or names else "–"


def meeting_table(meetings: pd.DataFrame, kinds: dict[str, str], year: int) -> pd.DataFrame:
    """The meetings (monev.meetings' rows), newest first as given."""
    table = meetings.assign(
        held_on=meetings["held_on"].map(table_date), kind=meetings["kind"].map(lambda kind: kinds.get(kind, kind)),
        as_of_month=meetings["as_of_month"].map(lambda month: f"{month_name(int(month))} {year}"),
        participants=[participants_text(row) for row in meetings.to_dict("records")])
    return table[list(MEETING_HEADERS)].rename(columns=MEETING_HEADERS).reset_index(drop=True)


def meeting_label(row, kinds: dict[str, str]) -> str:
    """One meeting in a chooser: date, kind and as-of month (no typed text)."""
    return (f"{table_date(row['held_on'])} · {kinds.get(row['kind'], row['kind'])} · posisi s.d. "
            f"{month_name(int(row['as_of_month']))} (#{int(row['meeting_id'])})")


def meeting_lines(meeting: dict, kinds: dict[str, str], year: int, zone: str,
                  shown_name: Callable[[str], str] = str) -> list[str]:
    """The meeting's record as plain text lines (chair, participants and notes are typed text); the time it was
    recorded in the office's `zone`."""
    lines = [f"Nomor: {meeting['nomor']}"] if str(meeting.get("nomor") or "").strip() else []
    lines += [f"Tanggal: {date_text(meeting['held_on'])}",
             f"Jenis: {kinds.get(meeting['kind'], meeting['kind'])}",
             f"Pimpinan rapat: {meeting['chair']}",
             f"Peserta: {participants_text(meeting)}",
             f"Posisi capaian s.d.: {month_name(int(meeting['as_of_month']))} {year}"]
    if str(meeting.get("notes") or "").strip():
        lines.append(f"Catatan: {meeting['notes']}")
    lines.append(f"Dicatat oleh {shown_name(meeting['recorded_by'])}, {moment_text(meeting['recorded_at'], zone)}")
    return lines


def open_first(follow_ups: pd.DataFrame) -> pd.DataFrame:
    """Follow-ups as a meeting goes through them: the open ones first, each part by due date (then number)."""
    return follow_ups.sort_values(["closed", "due_on", "follow_up_id"], kind="stable").reset_index(drop=True)
