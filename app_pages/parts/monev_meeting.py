"""A monev meeting on the Rapat Monev page: the admin's form to record one, the list and chooser, and the chosen
meeting's record with the status frozen when it was recorded, drawn by the live pages' chart functions."""

from datetime import date

import pandas as pd
import streamlit as st

from app_pages.frame.chrome import completion_chart, kurva_s_chart
from app_pages.parts.monev_follow_ups import monev_data
from app_pages.parts.team_lists import team_expanders
from app_pages.frame.tables import shown_table
from app_pages.frame.view import View, progress_store, view_data
from app_pages.frame.refusals import show_refusal
from zi_data.reporting import charts, figure_cards, reports
from zi_data.base import clock
from zi_data.monev import monev, monev_snapshot
from zi_data.store.counting_rule import rule_label
from zi_data.base.months import MONTHS, month_name
from zi_data.base.clock import moment_text, table_date
from zi_data.monev.monev_tables import meeting_label, meeting_lines, meeting_table
from zi_data.base.problems import Refusal
from zi_data.reporting.team_digest import team_digests

CHOSEN_KEY, PENDING_KEY = "rapat_dipilih", "rapat_baru"
ROUND_KEY, FLASH_KEY = "rapat_putaran", "rapat_pesan"
OVERDUE_PROJECTOR_COLUMNS = ["ID", "Langkah Aksi", "Bulan", "Hari Terlambat"]


def record_form(view: View, store, user, expanded: bool) -> None:
    """Catat rapat: date, kind, chair, participants or their count, as-of month and notes; the status as of that
    month is frozen with it."""
    round_key = st.session_state.get(ROUND_KEY, 0)
    with st.expander("Catat rapat", icon=":material/edit_note:", expanded=expanded):
        with st.form(f"catat_rapat_{round_key}"):
            left, right = st.columns(2)
            held_on = left.date_input("Tanggal rapat", value=_default_day(view.year, view.zone), format="DD/MM/YYYY",
                                      min_value=date(view.year, 1, 1), max_value=date(view.year + 1, 12, 31))
            kind = right.selectbox("Jenis rapat", list(monev.KINDS), format_func=monev.KINDS.get)
            chair = left.text_input("Pimpinan rapat", max_chars=200)
            nomor = right.text_input("Nomor (nomor surat lembar monev, boleh kosong)", max_chars=100)
            as_of_month = right.selectbox("Posisi capaian s.d. bulan", range(1, 13), index=view.as_of_month - 1,
                                          format_func=month_name,
                                          help="Angka capaian sampai akhir bulan ini dibekukan bersama catatan rapat.")
            participants = left.text_area("Peserta (satu nama per baris)", max_chars=5000)
            count = right.number_input("atau jumlah peserta", min_value=1, max_value=10_000, value=None, step=1,
                                       help="Isi bila nama peserta tidak dicatat satu per satu.")
            notes = st.text_area("Catatan rapat", max_chars=5000)
            if not st.form_submit_button("Simpan rapat", type="primary", icon=":material/save:"):
                return
    try:
        meeting_id = monev.record_meeting(store, held_on=held_on, kind=kind, chair=chair,
                                          participants=participants, participant_count=count,
                                          as_of_month=as_of_month, notes=notes, by=user.name, nomor=nomor)
    except Refusal as error:
        show_refusal(error)  # it may quote a typed text
        return
    st.session_state[ROUND_KEY] = round_key + 1
    st.session_state[PENDING_KEY] = meeting_id
    st.session_state[FLASH_KEY] = (f"Rapat {table_date(held_on)} tersimpan, dengan capaian s.d. "
                                   f"{month_name(as_of_month)} {view.year} yang dibekukan.")
    st.rerun()


def _default_day(year: int, zone: str) -> date:
    """Today in the office's zone, when it lies in the plan year or the next; else the last day of the plan year."""
    today = clock.today(zone)
    return today if year <= today.year <= year + 1 else date(year, 12, 31)


def chosen_meeting(view: View, store, meetings: pd.DataFrame) -> int:
    """The meeting list (not in projector mode) and the chooser, the newest or the one just recorded first."""
    if message := st.session_state.pop(FLASH_KEY, None):
        st.success(message, icon=":material/check_circle:")
    ids = [int(meeting_id) for meeting_id in meetings["meeting_id"]]
    if (pending := st.session_state.pop(PENDING_KEY, None)) in ids:
        st.session_state[CHOSEN_KEY] = pending
    if st.session_state.get(CHOSEN_KEY) not in ids:
        st.session_state.pop(CHOSEN_KEY, None)
    if not view.projector:
        shown_table(monev_data(view, store, "meeting_table", lambda: meeting_table(meetings, monev.KINDS, view.year)))
    rows = {int(row["meeting_id"]): row for _, row in meetings.iterrows()}
    return st.selectbox("Rapat yang ditampilkan", ids, key=CHOSEN_KEY,
                        format_func=lambda meeting_id: meeting_label(rows[meeting_id], monev.KINDS))


@st.cache_data(show_spinner=False, max_entries=32)
def meeting_record(directory: str, ledger_id: int, meeting_id: int) -> dict:
    """One meeting with its snapshot: recorded once and never changed, so cached by its id."""
    return monev.meeting(progress_store(), meeting_id)


def record_section(view: View, meeting: dict, shown_name) -> None:
    """The meeting's header data, as text (chair, participants and notes are typed)."""
    st.text("\n".join(meeting_lines(meeting, monev.KINDS, view.year, view.zone, shown_name)))


def snapshot_summary(view: View, snapshot: dict) -> None:
    """What the meeting decides on, first: the frozen figures as of the meeting's month."""
    month = int(snapshot["as_of_month"])
    st.header(f"Capaian yang dibahas · posisi s.d. {MONTHS[month - 1]} {snapshot['year']}")
    st.caption(f"Angka saat rapat dicatat ({moment_text(snapshot['taken_at'], view.zone)}), dibekukan: unggahan "
               f"sesudahnya tidak mengubahnya, dan filter di panel samping tidak berlaku di sini. "
               f"{rule_label(snapshot['aturan_hitung'])}.")
    snapshot_metrics(snapshot, month)


def snapshot_overdue(view: View, meeting_id: int, snapshot: dict) -> None:
    """The frozen overdue list per team: each team's count, its rows one click away."""
    month = int(snapshot["as_of_month"])
    overdue = monev_snapshot.overdue_frame(snapshot)
    st.header(f"Bukti tertunggak saat rapat · {len(overdue)} bulan-kegiatan")
    if overdue.empty:
        st.caption(f"Tidak ada bukti yang tertunggak sampai {MONTHS[month - 1]} {snapshot['year']}.")
        return
    st.caption("Per tim, paling lama terlambat di atas; buka satu tim untuk melihat barisnya.")
    digests = view_data(view, f"rapat_{meeting_id}_overdue",
                        lambda: team_digests(reports.overdue_table(overdue)))
    team_expanders(view, digests, OVERDUE_PROJECTOR_COLUMNS, key=f"rapat_{meeting_id}_tim")


def snapshot_charts(view: View, meeting_id: int, snapshot: dict) -> None:
    """The frozen completion per area and per team, and the Kurva S."""
    month = int(snapshot["as_of_month"])

    def bars(part: str, title: str):
        completion_chart(view, f"rapat_{meeting_id}_{part}", monev_snapshot.completion_frame(snapshot, part), title,
                         frozen=True, label_width=22 if view.projector and part == "by_team" else 28)

    st.header("Grafik capaian saat rapat")
    if view.projector:
        bars("by_area", "Capaian per area")
        bars("by_team", "Capaian per tim")
    else:
        left, right = st.columns(2)
        with left:
            bars("by_area", "Capaian per area")
        with right:
            bars("by_team", "Capaian per tim")
    kurva_s_chart(view, f"rapat_{meeting_id}_kurva_s", monev_snapshot.kurva_s_frame(snapshot), month,
                  charts.nothing_done(monev_snapshot.completion_frame(snapshot, "by_area")), frozen=True)


def snapshot_metrics(snapshot: dict, month: int) -> None:
    overall = snapshot["overall"]
    for card, figure in zip(st.columns(4), figure_cards.summary_cards(month, overall["as_of"], overall["annual"],
                                                                      len(snapshot["overdue"]))):
        card.metric(figure.label, figure.value, help=figure.help)


def cached_record(view: View, meeting_id: int) -> dict:
    directory, ledger_id = view.state_key[:2]
    return meeting_record(directory, ledger_id, meeting_id)
