"""Reminders to the teams: for each team a ready-to-send message in plain Indonesian text that fits a WhatsApp
message — what is due in the as-of month, what is overdue with its bukti fisik, the open follow-ups, and the
dashboard's link filtered to the team.

The status is the live one, classified as `python -m zi_data status` does (evidence states, the counting rule in
force, no grace days): as of the last day of the chosen as-of month, else as of today (clamped into the plan
year). Follow-ups are overdue as of today.

WhatsApp reads `*bold*`, `_italic_`, `~struck~` and backquotes as formatting. Only the title is bold, by our own
marks: in text from the plan or typed by people those four characters become look-alikes that WhatsApp leaves
alone (∗ ˍ ∼ ˋ), invisible and bidirectional characters are spelled out ([U+202E], as problems.shown does), line
breaks become spaces (so no such text starts a line, where `>` or `-` would format it), and each text is cut to
TEXT_CHARS characters. A message stays within MAX_CHARS: when the lists are long, each shows fewer rows and counts
the rest ("… dan N lainnya").
"""

import os
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pandas as pd

from ..evidence import evidence
from . import monev
from ..plan import status
from ..base.cell_safety import clean_text
from ..store.counting_rule import counting_rule
from ..store.ledgers import find_ledger, home_office, ledger_frame
from ..base.clock import date_text, store_today
from ..base.months import left_out_text, month_name
from ..base.dashboard_url import DASHBOARD_URL_ENV, DEFAULT_DASHBOARD_URL, OFFICE_KEY, YEAR_KEY, dashboard_link
from ..base.problems import Refusal, spelled

MAX_CHARS = 3500
SHOWN_ROWS = (10, 6, 3, 1, 0)  # rows per list, tried in turn until the message fits MAX_CHARS
TEXT_CHARS, NAME_CHARS = 120, 80
LOOK_ALIKES = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
BULLET = "• "
SEPARATOR = "=" * 12
CLOSING = "Mohon segera ditindaklanjuti. Terima kasih."
ALL_CLEAR = ("Tidak ada langkah aksi yang jatuh tempo bulan ini, tidak ada yang terlambat, dan tidak ada tindak "
             "lanjut terbuka. Terima kasih, pertahankan!")


class ReminderError(Refusal, ValueError):
    """Bad input for a reminder (an unknown team, a dashboard address that is no http(s) address); Indonesian."""


@dataclass(frozen=True)
class TeamStanding:
    """What one team's reminder says."""

    team: str
    office_name: str
    as_of: date
    due: pd.DataFrame  # id, langkah_aksi: planned in the as-of month and not selesai
    overdue: pd.DataFrame  # status.OVERDUE_COLUMNS, most overdue first
    follow_ups: pd.DataFrame  # monev.FOLLOW_UP_COLUMNS, open ones, by due date
    link: str


def reminders(store, *, as_of_month: int | None = None, teams=None, base_url: str,
              today: date | None = None) -> dict[str, str]:
    """{team: reminder} for `teams` (None: every team), in plan order; ReminderError for an unknown team."""
    today = today or store_today(store)
    plan = store.plan()
    chosen = chosen_teams(teams, list(dict.fromkeys(plan["penanggung_jawab"])))
    as_of = (status.as_of_date(store.year, today) if as_of_month is None
             else status.as_of_date(store.year, month=as_of_month))
    latest = store.latest()
    classified = status.classify(plan, latest, as_of, evidence=evidence.evidence_states(store, latest),
                                 rule=counting_rule(store))
    due = classified[classified["planned"] & (classified["month"] == as_of.month)
                     & (classified["state"] != "selesai")]
    overdue = status.overdue_list(classified)
    follow_ups = monev.follow_ups(store, open_only=True, teams=chosen, today=today)
    office_name, scope = _dashboard_scope(store, today)
    return {team: team_reminder(TeamStanding(
        team=team, office_name=office_name, as_of=as_of, due=due[due["penanggung_jawab"] == team],
        overdue=overdue[overdue["penanggung_jawab"] == team], follow_ups=follow_ups[follow_ups["team"] == team],
        link=dashboard_link(base_url, team, scope))) for team in chosen}


def chosen_teams(teams, plan_teams: list[str]) -> list[str]:
    """`teams` in plan order (None: all of them); ReminderError naming the plan's teams for an unknown one."""
    if teams is None:
        return plan_teams
    unknown = [team for team in teams if team not in plan_teams]
    if unknown:
        raise ReminderError(f"Tim '{unknown[0]}' tidak ada dalam rencana aksi. Tim yang ada: "
                            f"{', '.join(plan_teams)}.")
    return [team for team in plan_teams if team in set(teams)]


def team_reminder(standing: TeamStanding) -> str:
    """The message, with as many rows per list as fit MAX_CHARS (see SHOWN_ROWS)."""
    for shown in SHOWN_ROWS:
        text = _message(standing, shown)
        if len(text) <= MAX_CHARS:
            break
    return text


def _message(standing: TeamStanding, shown: int) -> str:
    team = whatsapp_text(standing.team, NAME_CHARS)
    lines = [f"*Pengingat Rencana Aksi ZI – {team}*",
             f"Yth. {team}, {whatsapp_text(standing.office_name, NAME_CHARS)}: posisi rencana aksi Zona Integritas "
             f"tahun {standing.as_of.year} per {date_text(standing.as_of)}."]
    sections = [
        (f"Jatuh tempo bulan ini ({month_name(standing.as_of.month)}):",
         [f"{whatsapp_text(row.id)} – {whatsapp_text(row.langkah_aksi)}" for row in standing.due.itertuples()]),
        ("Terlambat (bukti fisik yang diperlukan):",
         [f"{whatsapp_text(row.id)} ({row.month_name}, {row.days_overdue} hari) – {whatsapp_text(row.bukti_fisik)}"
          for row in standing.overdue.itertuples()]),
        ("Tindak lanjut terbuka:", [_follow_up_line(row) for row in standing.follow_ups.itertuples()]),
    ]
    for title, rows in sections:
        if rows:
            lines += ["", title, *(BULLET + row for row in rows[:shown])]
            lines += [left_out_text(len(rows) - shown)] if len(rows) > shown else []
    lines += ["", CLOSING if any(rows for _title, rows in sections) else ALL_CLEAR]
    return "\n".join([*lines, "", f"Dasbor tim: {standing.link}"])


def _follow_up_line(row) -> str:
    item = f" ({whatsapp_text(row.item_id)})" if row.item_id else ""
    late = f", lewat {row.days_overdue} hari" if row.overdue else ""
    return f"{whatsapp_text(row.action)}{item} – tenggat {date_text(row.due_on)}{late}"


def whatsapp_text(value, limit: int = TEXT_CHARS) -> str:
    """`value` on one line, invisible and bidirectional characters spelled out ([U+202E]), WhatsApp's formatting
    marks replaced by look-alikes, cut to `limit` with "…"."""
    text = spelled(re.sub(r"\s+", " ", clean_text(str(value)))).translate(LOOK_ALIKES)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def reminders_text(reminders_by_team: dict[str, str]) -> str:
    """All teams' reminders in one text, each under a line naming the team and its place in the list."""
    total = len(reminders_by_team)
    return "\n\n".join(f"{SEPARATOR} {whatsapp_text(team, NAME_CHARS)} ({number}/{total}) {SEPARATOR}\n{text}"
                       for number, (team, text) in enumerate(reminders_by_team.items(), start=1)) + "\n"


def dashboard_base_url(explicit: str | None = None, opened: str | None = None) -> str:
    """The dashboard's address: `explicit`, else $ZI_DASHBOARD_URL, else `opened` (the address a page was opened
    at, when it is an http(s) one), else DEFAULT_DASHBOARD_URL; it must be a complete http(s) address (the rules of
    evidence links) without query or fragment, else ReminderError. No trailing slash."""
    url = explicit if explicit is not None else (os.environ.get(DASHBOARD_URL_ENV, "").strip() or _site(opened)
                                                 or DEFAULT_DASHBOARD_URL)
    try:
        checked = evidence.checked_link(url)
    except ValueError:
        raise ReminderError(f"Alamat dasbor harus alamat http:// atau https:// yang lengkap, tanpa spasi: "
                            f"'{str(url)[:80]}'.") from None
    if urlsplit(checked).query or urlsplit(checked).fragment:
        raise ReminderError(f"Alamat dasbor tidak boleh memuat '?' atau '#': '{checked[:80]}'.")
    return checked.rstrip("/")


def _site(opened: str | None) -> str:
    """scheme://host[:port] of an http(s) address, else ''."""
    parts = urlsplit(str(opened or ""))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def _dashboard_scope(store, today: date) -> tuple[str, dict[str, str]]:
    """The office's name, and the URL keys that open the store's plan year when the dashboard would not by
    default: kantor= (as the sidebar shows it) for another office than the home office, tahun= for another
    year than the office's default (this year's plan, else the latest)."""
    with store.reading() as conn:
        years = ledger_frame(conn)
        home, default_year = home_office(conn), find_ledger(conn, store.office, None, today)[2]
    name = str(years.loc[years["office"] == store.office, "office_name"].iloc[0])
    scope = {}
    if store.office != home:
        scope[OFFICE_KEY] = f"{name} ({store.office})"
    if store.year != default_year:
        scope[YEAR_KEY] = str(store.year)
    return name, scope
