import streamlit as st

from app_pages.shared import all_columns_button, page_header, page_view, show_table
from zi_data import reports, status
from zi_data.months import MONTHS
from zi_data.safe_text import markdown_text

# What a meeting reads; Area, Komponen, Bukti Fisik and Catatan/Kendala are one click away.
PROJECTOR_COLUMNS = ["ID", "Langkah Aksi", "Bulan", "Hari Terlambat", "Status Terakhir"]

view = page_view()
page_header("Bukti Tertunggak", view)

overdue = status.overdue_list(view.classified)
if overdue.empty:
    st.success(f"Tidak ada bukti yang tertunggak sampai {MONTHS[view.as_of_month - 1]} {view.year}.")
    st.stop()

table = reports.overdue_table(overdue)
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
for team, rows in table.groupby("Penanggung Jawab", sort=True):
    st.subheader(f"{markdown_text(team)} · {len(rows)} bulan-kegiatan")
    show_table(rows.drop(columns=["Penanggung Jawab"]), view, PROJECTOR_COLUMNS,
               column_config={"Hari Terlambat": st.column_config.NumberColumn(format="%d hari")})
