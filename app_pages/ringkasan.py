import streamlit as st

from app_pages.frame.chrome import all_columns_button, show_table, start_page, view_chart
from app_pages.parts.monev_follow_ups import open_follow_ups_section
from app_pages.frame.view import view_data
from zi_data.reporting import charts
from zi_data.plan import status
from zi_data.store.counting_rule import RULES
from zi_data.base.months import MONTHS, format_percent

# The table a meeting reads; Bukti fisik is one click away.
PROJECTOR_COLUMNS = ["ID", "Langkah aksi", "Penanggung jawab"]

view = start_page("Ringkasan")

if not view.has_progress and not view.projector:
    st.info(
        "Belum ada progres yang tercatat. Buka **Perbarui Progres**, unduh buku kerja realisasi, isi status "
        "dan bukti dukung, lalu unggah kembali. Untuk mencoba, unggah contoh `data/contoh_realisasi_2025.xlsx` "
        "(data fiktif).", icon=":material/info:")
    st.page_link("app_pages/perbarui_progres.py", label="Ke halaman Perbarui Progres", icon=":material/upload_file:")

overall = view_data(view, "overall", lambda: status.completion(view.classified, view.as_of).iloc[0])
in_month = view.classified[view.classified["planned"] & (view.classified["month"] == view.as_of_month)]
overdue = view.classified[view.classified["overdue"]]
month_name = MONTHS[view.as_of_month - 1]
cards = st.columns(4)
cards[0].metric(f"Capaian s.d. {month_name}", format_percent(overall["rate_as_of"]),
                help=f"{overall['done_as_of']} dari {overall['planned_as_of']} bulan-kegiatan dihitung selesai "
                     f"(aturan hitung: {RULES[view.counting_rule].lower()})")
cards[1].metric("Capaian tahunan", format_percent(overall["rate_annual"]),
                help=f"{overall['done_annual']} dari {overall['planned_annual']} bulan-kegiatan setahun")
cards[2].metric(f"Jatuh tempo {month_name}", f"{int((in_month['state'] != 'selesai').sum())} dari {len(in_month)}",
                help="Bulan-kegiatan bulan acuan yang belum selesai")
cards[3].metric("Terlambat", f"{len(overdue)}", help="Bulan-kegiatan yang bulannya sudah lewat dan belum selesai")

if view.projector:
    view_chart(view, "capaian_area", lambda: charts.completion_bars(
        status.completion(view.classified, view.as_of, by="area"), "Capaian per area", True))
    view_chart(view, "capaian_tim", lambda: charts.completion_bars(
        status.completion(view.classified, view.as_of, by="penanggung_jawab"), "Capaian per tim", True,
        label_width=22))
else:
    left, right = st.columns(2)
    with left:
        view_chart(view, "capaian_area", lambda: charts.completion_bars(
            status.completion(view.classified, view.as_of, by="area"), "Capaian per area"))
    with right:
        view_chart(view, "capaian_tim", lambda: charts.completion_bars(
            status.completion(view.classified, view.as_of, by="penanggung_jawab"), "Capaian per tim"))
view_chart(view, "kurva_s", lambda: charts.kurva_s_chart(
    status.kurva_s(view.classified, view.as_of), view.as_of_month, view.projector))

next_month = view.as_of_month + 1
st.header(f"Jatuh tempo bulan depan ({MONTHS[next_month - 1]})" if next_month <= 12 else "Jatuh tempo bulan depan")
if next_month > 12:
    st.write("Bulan acuan adalah Desember, bulan terakhir rencana tahun ini.")
else:
    due = view.classified[view.classified["planned"] & (view.classified["month"] == next_month)]
    show_table(due[["id", "langkah_aksi", "bukti_fisik", "penanggung_jawab"]].rename(columns={
        "id": "ID", "langkah_aksi": "Langkah aksi", "bukti_fisik": "Bukti fisik",
        "penanggung_jawab": "Penanggung jawab"}), view, PROJECTOR_COLUMNS)
    if view.projector and not due.empty:
        all_columns_button()

open_follow_ups_section(view)
