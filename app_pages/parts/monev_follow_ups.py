"""Tindak lanjut on the pages: the lists of Rapat Monev (last meeting's first), the admin's form to add one, the
form to close one (an admin, or the team's editor), and the open and overdue lists of Ringkasan and Bukti
Tertunggak.

Meetings and follow-ups are cached by monev.revision (the newest meeting, follow-up and closure of the plan year,
one query of under a millisecond) besides the view's state and filters, and by the day (what is overdue changes
at midnight): a new meeting, follow-up or closure shows at once on every page, and a rerun does not rebuild the
frames (about 10 ms each).
"""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from app_pages.frame.chrome import show_table
from app_pages.frame.view import View, cached_build, load_state, progress_store
from app_pages.frame.refusals import show_refusal
from zi_data.base import clock
from zi_data.monev import monev
from zi_data.base.clock import table_date
from zi_data.monev.monev_tables import follow_up_label, follow_up_table, open_first, open_follow_up_table
from zi_data.base.safe_text import markdown_text
from zi_data.base.problems import Refusal

ROUND_KEY, FLASH_KEY = "tindak_lanjut_putaran", "tindak_lanjut_pesan"
NO_ITEM = ""
DEFAULT_DUE_DAYS = 30
PROJECTOR_COLUMNS = ["Tindak lanjut", "Tim", "Tenggat", "Keadaan"]
OVERDUE_ANCHOR = "tindak-lanjut-lewat-tenggat"
OVERDUE_ANCHOR_LINK = f"#{OVERDUE_ANCHOR}"


def may_add(user, store) -> bool:
    """Only the office's admin records meetings and adds follow-ups."""
    return user is not None and user.is_admin and user.may_write_in(store.office)


def monev_data(view: View, store, name: str, build):
    """What `build()` derives from the plan year's meetings and follow-ups: computed once per stored state, monev
    revision, day, filters, page and `name`."""
    return cached_build((view.filters, monev.revision(store), clock.today(view.zone), view.page), name, build)


def open_team_follow_ups(view: View, store) -> pd.DataFrame:
    """The plan year's open follow-ups under the sidebar's team filter, soonest due first."""
    return monev_data(view, store, "open_team_follow_ups", lambda: monev.follow_ups(
        store, teams=view.teams or None, open_only=True))


def show_flash() -> None:
    if message := st.session_state.pop(FLASH_KEY, None):
        st.success(message, icon=":material/check_circle:")


def meeting_follow_ups(view: View, store, meeting_id: int, decided: pd.DataFrame, shown_name) -> None:
    """Last meeting's follow-ups first, then this meeting's (`decided`); in each, the open ones first, by due
    date."""
    st.header("Tindak lanjut")
    show_flash()
    previous = monev_data(view, store, f"previous_{meeting_id}",
                          lambda: monev.previous_meeting_follow_ups(store, meeting_id))
    if not previous.empty:
        st.subheader(f"Dari rapat sebelumnya ({table_date(previous['meeting_held_on'].iloc[0])})")
        show_table(follow_up_table(open_first(previous), shown_name), view, PROJECTOR_COLUMNS)
    st.subheader("Diputuskan di rapat ini")
    if decided.empty:
        st.caption("Belum ada tindak lanjut untuk rapat ini.")
    else:
        show_table(follow_up_table(open_first(decided), shown_name), view, PROJECTOR_COLUMNS)


def add_form(view: View, store, meeting_id: int, held_on: date, user) -> None:
    """The admin's form: what, which team, by when, and optionally which langkah aksi."""
    plan, _latest = load_state(*view.state_key)
    items = dict(zip(plan["id"], plan["langkah_aksi"]))
    round_key = st.session_state.get(ROUND_KEY, 0)
    with st.form(f"tambah_tindak_lanjut_{round_key}"):
        st.markdown("**Tambah tindak lanjut**")
        action = st.text_area("Tindak lanjut (apa yang harus dilakukan)", max_chars=2000)
        team = st.selectbox("Tim penanggung jawab", view.all_teams)
        due_on = st.date_input("Tenggat", value=held_on + timedelta(days=DEFAULT_DUE_DAYS), format="DD/MM/YYYY")
        item_id = st.selectbox("Langkah aksi (opsional)", [NO_ITEM, *items],
                               format_func=lambda code: "(tidak terkait langkah aksi tertentu)" if code == NO_ITEM
                               else f"{code} · {_shorten(items[code])}")
        if not st.form_submit_button("Simpan tindak lanjut", icon=":material/add_task:"):
            return
    try:
        monev.add_follow_up(store, action=action, team=team, due_on=due_on, item_id=item_id or None,
                            by=user.name, meeting_id=meeting_id)
    except Refusal as error:
        show_refusal(error)  # it may quote a typed text
        return
    st.session_state[ROUND_KEY] = round_key + 1
    st.session_state[FLASH_KEY] = "Tindak lanjut disimpan."
    st.rerun()


def close_form(view: View, store, user) -> None:
    """Open follow-ups this user may close (an admin: all; an editor: their team's), one at a time, with a note."""
    if user is None:
        return
    closable = monev_data(view, store, "open_follow_ups", lambda: monev.follow_ups(store, open_only=True))
    closable = closable[[user.may_write_for(store.office, team) for team in closable["team"]]]
    if closable.empty:
        return
    labels = {int(row["follow_up_id"]): follow_up_label(row) for _, row in closable.iterrows()}
    round_key = st.session_state.get(ROUND_KEY, 0)
    choice_key = f"tutup_tindak_lanjut_pilihan_{round_key}"
    chosen = st.session_state.get(choice_key)  # as the person chose it, before a closure elsewhere drops it
    with st.form(f"tutup_tindak_lanjut_{round_key}"):
        st.markdown("**Tutup tindak lanjut**")
        follow_up_id = st.selectbox("Tindak lanjut terbuka", list(labels), format_func=labels.get, key=choice_key)
        note = st.text_area("Catatan penutupan (apa yang sudah dilakukan)", max_chars=2000)
        if not st.form_submit_button("Tutup tindak lanjut", icon=":material/task_alt:"):
            return
    if chosen is not None and chosen != follow_up_id:
        st.error(f"Tindak lanjut #{chosen} yang dipilih tidak lagi terbuka; tidak ada yang ditutup. Pilih lagi.",
                 icon=":material/error:")
        return
    try:
        monev.close_follow_up(store, follow_up_id, note, user)
    except Refusal as error:
        show_refusal(error)  # it may quote a typed text
        return
    st.session_state[ROUND_KEY] = round_key + 1
    st.session_state[FLASH_KEY] = f"Tindak lanjut #{follow_up_id} ditutup."
    st.rerun()


def open_follow_ups_section(view: View) -> None:
    """Ringkasan: the open follow-ups of the teams in the filter, soonest due first."""
    st.header("Tindak lanjut terbuka")
    shown = open_team_follow_ups(view, progress_store())
    if shown.empty:
        st.caption(f"Tidak ada tindak lanjut rapat monev yang terbuka{_for_teams(view)}.")
        return
    overdue = int(shown["overdue"].sum())
    st.caption(f"{len(shown)} tindak lanjut rapat monev belum ditutup{_for_teams(view)}"
               + (f", {overdue} lewat tenggat (⚠)." if overdue else "."))
    show_table(open_follow_up_table(shown), view)


def overdue_team_follow_ups(view: View) -> pd.DataFrame:
    """Open follow-ups past their due date under the team filter, oldest due first."""
    shown = open_team_follow_ups(view, progress_store())
    return shown[shown["overdue"]]


def overdue_follow_ups_link(overdue: pd.DataFrame) -> None:
    """Bukti Tertunggak, at the top: how many follow-ups are overdue, pointing down to their list."""
    if not overdue.empty:
        st.write(f"Rapat monev: [{len(overdue)} tindak lanjut lewat tenggat]({OVERDUE_ANCHOR_LINK}) (daftar di bawah).")


def overdue_follow_ups_section(view: View, overdue: pd.DataFrame) -> None:
    """Bukti Tertunggak: follow-ups past their due date and still open, oldest due first."""
    if overdue.empty:
        return
    st.header(f"Tindak lanjut lewat tenggat · {len(overdue)}", anchor=OVERDUE_ANCHOR)
    st.caption("Tindak lanjut rapat monev yang belum ditutup setelah tenggatnya, paling lama di atas. Ditutup "
               "dengan catatan di halaman Rapat Monev oleh ketua tim atau admin.")
    show_table(open_follow_up_table(overdue), view)


def _for_teams(view: View) -> str:
    return f" untuk {markdown_text(', '.join(view.teams))}" if view.teams else ""


def _shorten(text: str, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
