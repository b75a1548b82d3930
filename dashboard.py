"""ZI Monitor: the entry point (`streamlit run dashboard.py`)."""

from pathlib import Path

import streamlit as st

from app_pages.shared import projector_on

# Projector mode starts with the sidebar collapsed: the charts get the whole width of the screen. (Once the
# sidebar has been opened or closed by hand, Streamlit keeps that choice in the browser instead.)
# The favicon is served by the app itself: a :material/…: icon would be fetched from fonts.gstatic.com, and
# the meeting screen makes no request to another host.
st.set_page_config(page_title="ZI Monitor", page_icon=Path(__file__).parent / "assets" / "favicon.png", layout="wide",
                   initial_sidebar_state="collapsed" if projector_on() else "auto")

monev = [
    st.Page("app_pages/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", default=True),
    st.Page("app_pages/matriks.py", title="Matriks 12 Bulan", icon=":material/calendar_month:", url_path="matriks"),
    st.Page("app_pages/capaian.py", title="Capaian", icon=":material/trending_up:", url_path="capaian"),
    st.Page("app_pages/bukti_tertunggak.py", title="Bukti Tertunggak", icon=":material/assignment_late:", url_path="bukti-tertunggak"),
]
editing = [
    st.Page("app_pages/perbarui_progres.py", title="Perbarui Progres", icon=":material/upload_file:", url_path="perbarui-progres"),
    st.Page("app_pages/riwayat.py", title="Riwayat", icon=":material/history:", url_path="riwayat"),
]
sections = {"Monev": monev} if projector_on() else {"Monev": monev, "Pengelolaan": editing}
st.navigation(sections).run()
