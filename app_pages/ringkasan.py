import streamlit as st

from app_pages.frame.chrome import all_columns_button, completion_chart, kurva_s_chart, show_table, start_page
from app_pages.parts.monev_follow_ups import open_follow_ups_section
from app_pages.frame.view import view_data
from zi_data.reporting import charts, figure_cards
from zi_data.plan import status
from zi_data.store.counting_rule import RULES
from zi_data.base.months import MONTHS
from zi_data.base.paths import example_realisasi

# The table a meeting reads; Bukti fisik is one click away.
PROJECTOR_COLUMNS = ["ID", "Langkah aksi", "Penanggung jawab"]

def rate_of(overall, part: str) -> dict:
    """status.completion's row as a snapshot's shape: planned, done, rate."""
    return {"planned": int(overall[f"planned_{part}"]), "done": int(overall[f"done_{part}"]),
            "rate": overall[f"rate_{part}"]}


view = start_page("Ringkasan")

if not view.has_progress and not view.projector:
    example = example_realisasi(view.year)  # only the plan year's own example: never 2025's for 2026
    st.info(
        f"Belum ada progres yang tercatat untuk tahun {view.year}. Buka **Perbarui Progres**, unduh buku kerja "
        "realisasi, isi status dan bukti dukung, lalu unggah kembali."
        + (f" Untuk mencoba, unggah contoh `data/{example.name}` (data fiktif)." if example else ""),
        icon=":material/info:")
    st.page_link("app_pages/perbarui_progres.py", label="Ke halaman Perbarui Progres", icon=":material/upload_file:")

overall = view_data(view, "overall", lambda: status.completion(view.classified, view.as_of).iloc[0])
in_month = view.classified[view.classified["planned"] & (view.classified["month"] == view.as_of_month)]
overdue = view.classified[view.classified["overdue"]]
due_in_month = (int((in_month["state"] != "selesai").sum()), len(in_month))
for card, figure in zip(st.columns(4), figure_cards.summary_cards(
        view.as_of_month, rate_of(overall, "as_of"), rate_of(overall, "annual"), len(overdue), due_in_month,
        RULES[view.counting_rule].lower())):
    card.metric(figure.label, figure.value, help=figure.help)

by_area = view_data(view, "completion_area", lambda: status.completion(view.classified, view.as_of, by="area"))
by_team = view_data(view, "completion_team",
                    lambda: status.completion(view.classified, view.as_of, by="penanggung_jawab"))
if view.projector:
    completion_chart(view, "capaian_area", by_area, "Capaian per area")
    completion_chart(view, "capaian_tim", by_team, "Capaian per tim", label_width=22)
else:
    left, right = st.columns(2)
    with left:
        completion_chart(view, "capaian_area", by_area, "Capaian per area")
    with right:
        completion_chart(view, "capaian_tim", by_team, "Capaian per tim")
kurva_s_chart(view, "kurva_s", view_data(view, "kurva_s", lambda: status.kurva_s(view.classified, view.as_of)),
              view.as_of_month, charts.nothing_done(by_area))

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
