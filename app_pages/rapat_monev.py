import streamlit as st

from app_pages.frame.chrome import start_page
from app_pages.parts.evidence_preview import name_shown
from app_pages.parts.monev_follow_ups import add_form, close_form, may_add, meeting_follow_ups, monev_data
from app_pages.parts.monev_lembar import as_of_downloads, attach_button, meeting_downloads, reminders_section
from app_pages.parts.monev_letterhead_form import letterhead_form
from app_pages.parts.monev_meeting import (cached_record, chosen_meeting, record_form, record_section, snapshot_charts,
                                           snapshot_overdue, snapshot_summary)
from app_pages.frame.session import signed_in_user
from app_pages.frame.view import progress_store
from zi_data.monev import monev

ADMIN_COMMAND = "python -m zi_data user add NAMA --role admin"

view = start_page("Rapat Monev")
store, user = progress_store(), signed_in_user()
st.caption("Catatan rapat monev dan pleno: angka capaian yang dibahas dibekukan saat rapat dicatat, tindak lanjut "
           "per tim dengan tenggat, lembar monev untuk ditandatangani, dan pengingat per tim.")
meetings = monev_data(view, store, "meetings", lambda: monev.meetings(store))
if may_add(user, store) and not view.projector:
    record_form(view, store, user, expanded=meetings.empty)
    letterhead_form(store, user)
elif not view.projector and not store.accounts.any():
    st.info("Rapat monev dicatat oleh admin kantor ini. Belum ada akun; buat akun admin di server:",
            icon=":material/lock:")
    st.code(ADMIN_COMMAND, language=None)

if meetings.empty:
    st.info("Belum ada rapat monev yang dicatat untuk tahun rencana ini.", icon=":material/event_busy:")
    if not view.projector:
        as_of_downloads(view, store)
else:
    meeting_id = chosen_meeting(view, store, meetings)
    meeting = cached_record(view, meeting_id)
    shown_name = name_shown(user, store)
    decided = monev_data(view, store, f"decided_{meeting_id}", lambda: monev.follow_ups(store, meeting_id=meeting_id))
    # What the meeting decides first: the figures, the follow-ups, the overdue list per team; then the charts.
    snapshot_summary(view, meeting["snapshot"])
    meeting_follow_ups(view, store, meeting_id, decided, shown_name)
    if not view.projector:
        if may_add(user, store):
            add_form(view, store, meeting_id, meeting["held_on"], user)
        close_form(view, store, user)
    snapshot_overdue(view, meeting_id, meeting["snapshot"])
    snapshot_charts(view, meeting_id, meeting["snapshot"])
    st.header("Catatan rapat")
    record_section(view, meeting, shown_name)
    if not view.projector:
        meeting_downloads(view, meeting, decided)
        attach_button(view, store, meeting, decided, user)

if not view.projector:
    reminders_section(view, store)
