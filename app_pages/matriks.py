import streamlit as st

from app_pages.chrome import chart, start_page
from zi_data import charts
from zi_data.safe_text import markdown_text

view = start_page("Matriks 12 Bulan")
st.caption("Setiap sel bertanda simbol menurut keadaannya: "
           + " · ".join(f"{symbol} {label}" for label, _, symbol, _ in charts.STATE_STYLE.values())
           + ". Kolom bulan acuan diberi latar kuning. Arahkan kursor ke sel untuk melihat bukti fisik dan bukti dukung.")
if view.plan.empty:
    st.warning("Tidak ada langkah aksi untuk filter ini.")
for area, items in view.plan.groupby("area", sort=False):
    st.header(f"Area {markdown_text(area)} · {markdown_text(items['area_name'].iloc[0])}")
    cells = view.classified[view.classified["id"].isin(items["id"])]
    chart(charts.matrix_chart(cells, items, view.as_of_month, view.projector), f"matriks_{area}")
