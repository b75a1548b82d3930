import streamlit as st

from app_pages.chrome import all_columns_button, show_table, start_page
from app_pages.evidence_download import offer_evidence_package
from app_pages.view import view_data
from zi_data import reports, status
from zi_data.months import MONTHS
from zi_data.safe_text import markdown_text

# What a meeting reads; Area, Komponen, Bukti Fisik and Catatan/Kendala are one click away.
PROJECTOR_COLUMNS = ["ID", "Langkah Aksi", "Bulan", "Hari Terlambat", "Status Terakhir"]

view = start_page("Bukti Tertunggak")
offer_evidence_package(view)

overdue = view_data(view, "overdue", lambda: status.overdue_list(view.classified))
if overdue.empty:
    st.success(f"Tidak ada bukti yang tertunggak sampai {MONTHS[view.as_of_month - 1]} {view.year}.")
    st.stop()

by_team = view_data(view, "overdue_by_team", lambda: [
    (team, rows.drop(columns=["Penanggung Jawab"]))
    for team, rows in reports.overdue_table(overdue).groupby("Penanggung Jawab", sort=True)])
st.write(f"**{len(overdue)}** bulan-kegiatan terlambat dari **{overdue['id'].nunique()}** langkah aksi, "
         "diurutkan dari yang paling lama terlambat.")
if view.projector:
    all_columns_button()
else:
    st.download_button(
        "Unduh daftar (Excel)", icon=":material/download:",
        data=lambda: reports.overdue_workbook_bytes(overdue, f"Bukti tertunggak {view.office} {view.year}"),
        file_name=f"bukti_tertunggak_{view.year}_{view.as_of_month:02d}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
for team, rows in by_team:
    st.header(f"{markdown_text(team)} · {len(rows)} bulan-kegiatan")
    show_table(rows, view, PROJECTOR_COLUMNS,
               column_config={"Hari Terlambat": st.column_config.NumberColumn(format="%d hari")})
