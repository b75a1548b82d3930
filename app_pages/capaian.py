import streamlit as st

from app_pages.chrome import chart, show_table, start_page
from zi_data import charts, status
from zi_data.months import format_percent

view = start_page("Capaian")

TABLE_COLUMNS = {"group": "Kelompok", "planned_as_of": "Rencana s.d. bulan acuan", "done_as_of": "Selesai",
                 "rate_as_of": "Capaian s.d. bulan acuan", "planned_annual": "Rencana setahun",
                 "done_annual": "Selesai (tahunan)", "rate_annual": "Capaian tahunan"}


def completion_section(title: str, by: str, key: str) -> None:
    st.header(title)
    table = status.completion(view.classified, view.as_of, by=by)
    chart(charts.completion_bars(table, title, view.projector), key)
    shown = table.assign(rate_as_of=table["rate_as_of"].map(format_percent),
                         rate_annual=table["rate_annual"].map(format_percent))
    show_table(shown.rename(columns=TABLE_COLUMNS), view)


completion_section("Capaian per area", "area", "capaian_area")
completion_section("Capaian per tim", "penanggung_jawab", "capaian_tim")
completion_section("Capaian per komponen", "komponen", "capaian_komponen")

st.header("Tren bulanan")
monthly = status.monthly_progress(view.classified, view.as_of)
chart(charts.monthly_trend_chart(monthly, view.projector), "tren_bulanan")
