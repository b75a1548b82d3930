"""ZI Monitor: the entry point (`streamlit run dashboard.py`)."""

import streamlit as st

from pages.shared import projector_on, sidebar_filters

st.set_page_config(page_title="ZI Monitor", page_icon="📊", layout="wide")

monev = [
    st.Page("pages/ringkasan.py", title="Ringkasan", icon="🏠", default=True),
    st.Page("pages/matriks.py", title="Matriks 12 Bulan", icon="🗓️", url_path="matriks"),
    st.Page("pages/capaian.py", title="Capaian", icon="📈", url_path="capaian"),
    st.Page("pages/bukti_tertunggak.py", title="Bukti Tertunggak", icon="⏰", url_path="bukti-tertunggak"),
]
editing = [
    st.Page("pages/perbarui_progres.py", title="Perbarui Progres", icon="⬆️", url_path="perbarui-progres"),
    st.Page("pages/riwayat.py", title="Riwayat", icon="🗂️", url_path="riwayat"),
]
sidebar_filters()
sections = {"Monev": monev} if projector_on() else {"Monev": monev, "Pengelolaan": editing}
st.navigation(sections).run()
