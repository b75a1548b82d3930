import streamlit as st

from app_pages.frame.chrome import all_columns_toggle, completion_chart, empty_chart_note, show_table, start_page, \
    view_chart
from app_pages.frame.view import view_data
from zi_data.reporting import charts
from zi_data.reporting.narrow_tables import completion_table
from zi_data.plan import status


def completion_section(title: str, by: str, key: str) -> None:
    st.header(title)
    table = view_data(view, key, lambda: status.completion(view.classified, view.as_of, by=by))
    completion_chart(view, key, table, title)
    show_table(completion_table(table, view.as_of_month, every_column), view)


view = start_page("Capaian")
every_column = all_columns_toggle(view)
completion_section("Capaian per area", "area", "capaian_area")
completion_section("Capaian per tim", "penanggung_jawab", "capaian_tim")
completion_section("Capaian per komponen", "komponen", "capaian_komponen")

st.header("Tren bulanan")
monthly = view_data(view, "tren_bulanan", lambda: status.monthly_progress(view.classified, view.as_of))
if charts.nothing_done(monthly, done="done"):
    empty_chart_note("Capaian per bulan", charts.empty_chart_text(view.has_progress))
else:
    view_chart(view, "tren_bulanan", lambda: charts.monthly_trend_chart(monthly, view.projector))
