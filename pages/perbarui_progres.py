import streamlit as st

from pages.shared import current_view, open_store, page_header, reporter_name
from zi_data import realisasi_workbook as rw
from zi_data.months import MONTHS
from zi_data.problems import InputError

view = current_view()
page_header("Perbarui Progres", view)
store = open_store()
plan = store.plan()

st.subheader("1 · Unduh buku kerja realisasi")
st.write("Buku kerja berisi lembar **Realisasi** (satu baris per langkah aksi per bulan), lembar rencana aksi "
         "dan petunjuk. Isi Status, Bukti Dukung, Tanggal Selesai dan Catatan, lalu unggah kembali di bawah.")
teams = ["Semua tim", *dict.fromkeys(plan["penanggung_jawab"])]
default_team = teams.index(view.teams[0]) if len(view.teams) == 1 else 0
left, right = st.columns(2)
team_choice = left.selectbox("Tim", teams, index=default_team, key="unduh_tim")
through = right.selectbox("Sampai bulan", list(range(1, 13)), index=view.as_of_month - 1, key="unduh_bulan",
                          format_func=lambda m: MONTHS[m - 1])
team = None if team_choice == teams[0] else team_choice
st.download_button(
    "Unduh buku kerja", icon=":material/download:", data=rw.export_workbook(store, team, through),
    file_name=rw.export_file_name(plan, team, through), key="unduh",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
