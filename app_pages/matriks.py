from functools import partial

import streamlit as st

from app_pages.frame.chrome import start_page, view_chart
from app_pages.parts.evidence_panel import evidence_section, open_clicked_cell
from app_pages.frame.view import evidence_cached, view_data
from zi_data.reporting import charts
from zi_data.reporting.matrix_cells import MATRIX_CELLS_CSS, REVIEW_GLYPH, matrix_cells_html
from zi_data.base.safe_text import markdown_text

view = start_page("Matriks 12 Bulan")
st.caption("Setiap sel bertanda simbol menurut keadaannya: "
           + " · ".join(f"{symbol} {label}" for label, _, symbol, _ in charts.STATE_STYLE.values())
           + ". Tanda di kanan sel: verifikasi bukti dukung ("
           + ", ".join(f"{description} = {label.lower()}" for label, _, _, description in charts.REVIEW_LOOK.values())
           + "). Kolom bulan acuan diberi latar kuning."
           + ("" if view.projector else " Arahkan kursor ke sel untuk melihat bukti fisik dan bukti dukung; klik sel "
              "untuk membuka rincian dan lampiran buktinya di bawah matriks (atau pilih langkah aksinya di sana). "
              "Di layar sempit (ponsel) tiap langkah aksi tampil dengan 12 bulannya: bulan acuan berbingkai tebal, "
              "verifikasi di bawah simbol sel ("
              + ", ".join(f"{glyph} {charts.REVIEW_LOOK[review][0].lower()}" for review, glyph in REVIEW_GLYPH.items())
              + ")."))
if view.plan.empty:
    st.warning("Tidak ada langkah aksi untuk filter ini.")
if not view.projector:  # narrow screens (a phone): one block per langkah aksi instead of the chart
    st.html(MATRIX_CELLS_CSS)
for number, (area, items) in enumerate(view.plan.groupby("area", sort=False)):
    st.header(f"Area {markdown_text(area)} · {markdown_text(items['area_name'].iloc[0])}")
    area_cells = view.classified[view.classified["id"].isin(items["id"])]
    with st.container(key=f"zm_chart_{number}"):
        view_chart(view, f"matriks_{area}", lambda items=items, cells=area_cells: charts.matrix_chart(
            cells, items, view.as_of_month, view.projector),
            on_select=None if view.projector else partial(open_clicked_cell, f"matriks_{area}"))
    if not view.projector:
        st.html(view_data(view, f"matriks_cells_{area}", lambda items=items, cells=area_cells: matrix_cells_html(
            cells, items, view.as_of_month)))
if not view.projector:
    evidence_section(view, evidence_cached(*view.state_key, view.evidence_key)[0])
