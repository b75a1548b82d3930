import streamlit as st

from app_pages.auth import accounts
from app_pages.chrome import start_page
from app_pages.evidence_preview import name_shown
from app_pages.monev_follow_ups import add_form, close_form, may_add, meeting_follow_ups, monev_data
from app_pages.monev_lembar import as_of_downloads, attach_button, meeting_downloads, reminders_section
from app_pages.monev_meeting import cached_record, chosen_meeting, record_form, record_section, snapshot_section
from app_pages.session import signed_in_user
from app_pages.view import progress_store
from zi_data import monev

ADMIN_COMMAND = "python -m zi_data user add NAMA --role admin"

view = start_page("Rapat Monev")
user = signed_in_user()
st.caption("Catatan rapat monev dan pleno: angka capaian yang dibahas dibekukan saat rapat dicatat, tindak lanjut "
           "per tim dengan tenggat, lembar monev untuk ditandatangani, dan pengingat per tim.")
meetings = monev_data(view, "meetings", lambda: monev.meetings(progress_store()))
if may_add(user) and not view.projector:
    record_form(view, user, expanded=meetings.empty)
elif not view.projector and not accounts().any():
    st.info("Rapat monev dicatat oleh admin kantor ini. Belum ada akun; buat akun admin di server:",
            icon=":material/lock:")
    st.code(ADMIN_COMMAND, language=None)

if meetings.empty:
    st.info("Belum ada rapat monev yang dicatat untuk tahun rencana ini.", icon=":material/event_busy:")
    if not view.projector:
        as_of_downloads(view)
else:
    meeting_id = chosen_meeting(view, meetings)
    meeting = cached_record(view, meeting_id)
    shown_name = name_shown(user)
    record_section(view, meeting, shown_name)
    decided = monev_data(view, f"decided_{meeting_id}",
                         lambda: monev.follow_ups(progress_store(), meeting_id=meeting_id))
    if not view.projector:
        meeting_downloads(view, meeting, decided)
        attach_button(view, meeting, decided, user)
    snapshot_section(view, meeting_id, meeting["snapshot"])
    meeting_follow_ups(view, meeting_id, decided, shown_name)
    if not view.projector:
        if may_add(user):
            add_form(view, meeting_id, meeting["held_on"], user)
        close_form(view, user)

if not view.projector:
    reminders_section(view)
