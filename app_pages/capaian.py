import streamlit as st

from app_pages.frame.chrome import completion_chart, empty_chart_note, show_table, start_page, view_chart
from app_pages.frame.view import view_data
from zi_data.reporting import charts
from zi_data.plan import status
from zi_data.base.months import format_percent

TABLE_COLUMNS = {"group": "Kelompok", "planned_as_of": "Rencana s.d. bulan acuan", "done_as_of": "Selesai",
                 "rate_as_of": "Capaian s.d. bulan acuan", "planned_annual": "Rencana setahun",
                 "done_annual": "Selesai (tahunan)", "rate_annual": "Capaian tahunan"}


def completion_section(title: str, by: str, key: str) -> None:
    st.header(title)
    table = view_data(view, key, lambda: status.completion(view.classified, view.as_of, by=by))
    completion_chart(view, key, table, title)
    shown = table.assign(rate_as_of=table["rate_as_of"].map(format_percent),
                         rate_annual=table["rate_annual"].map(format_percent))
    show_table(shown.rename(columns=TABLE_COLUMNS), view)


view = start_page("Capaian")
completion_section("Capaian per area", "area", "capaian_area")
completion_section("Capaian per tim", "penanggung_jawab", "capaian_tim")
completion_section("Capaian per komponen", "komponen", "capaian_komponen")

st.header("Tren bulanan")
monthly = view_data(view, "tren_bulanan", lambda: status.monthly_progress(view.classified, view.as_of))
if charts.nothing_done(monthly, done="done"):
    empty_chart_note("Capaian per bulan", charts.empty_chart_text(view.has_progress))
else:
    view_chart(view, "tren_bulanan", lambda: charts.monthly_trend_chart(monthly, view.projector))
