import pandas as pd
import streamlit as st

from app_pages.frame.chrome import all_columns_toggle, empty_chart_note, show_table, start_page, view_chart
from app_pages.parts.lke_mapping_editor import mapping_section
from app_pages.frame.view import View, classify_cached, load_state, progress_store, view_data
from zi_data.lke import lke
from zi_data.lke.lke_agenda import agenda_workbook_bytes, area_agendas
from zi_data.reporting import charts
from zi_data.reporting.figure_cards import points_card
from zi_data.lke.lke_charts import nothing_done, points_text, readiness_bars, weight_text
from zi_data.lke.lke_tables import (AGENDA_PROJECTOR_COLUMNS, AREA_PROJECTOR_COLUMNS, agenda_table, area_table,
                                    lines_table)
from zi_data.lke.lke_mapping import Thresholds, mapping_in_force
from zi_data.base.months import MONTHS, format_percent
from zi_data.base.safe_text import markdown_text

THROUGH_KEY = "lke_jika_bulan"  # + the as-of month: another as-of month starts the what-if at itself


def office_frames(view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The whole office's plan and status: the readiness is the office's, whatever the sidebar's filters."""
    plan, _latest = load_state(*view.state_key)
    return plan, classify_cached(*view.state_key, view.evidence_key, view.as_of)


def requirement_metrics(result: lke.Readiness, thresholds: Thresholds) -> None:
    total = result.pengungkit
    columns = st.columns(3)
    floors = {"wbk": thresholds.wbk_floor, "wbbm": thresholds.wbbm_floor}
    figure = points_card(points_text(total["points"]), weight_text(total["max"]))
    columns[0].metric(figure.label, figure.value)
    for column, key, name, below in ((columns[1], "meets_wbk", "wbk", "below_wbk"),
                                     (columns[2], "meets_wbbm", "wbbm", "below_wbbm")):
        label = (f"{name.upper()}: ≥ {weight_text(total[name])} dan tiap area ≥ "
                 f"{format_percent(floors[name], 0)} bobotnya")
        sinking = result.areas.loc[result.areas[below], "area"]
        column.metric(label, "Terpenuhi" if total[key] else "Belum terpenuhi")
        column.caption(f"Area di bawah batas: {', '.join(sinking)}" if len(sinking) else "Tidak ada area di bawah batas.")


def readiness_section(view: View, result: lke.Readiness, thresholds: Thresholds, every_column: bool) -> None:
    requirement_metrics(result, thresholds)
    if nothing_done(result.areas):
        empty_chart_note("Perkiraan poin per area LKE", charts.empty_chart_text(view.has_progress))
    else:
        view_chart(view, "lke_kesiapan", lambda: readiness_bars(result.areas, view.projector))
    show_table(area_table(result.areas, every_column), view, AREA_PROJECTOR_COLUMNS)
    if not result.lines.empty and (result.lines["komponen"] != "").any():
        st.subheader("Per komponen (pemetaan admin)")
        show_table(lines_table(result.lines[result.lines["komponen"] != ""], every_column), view)
    for row in result.unmapped.itertuples():
        st.warning(f"Komponen '{markdown_text(row.komponen)}' area {markdown_text(row.area)} ({row.planned} "
                   "bulan-kegiatan) tidak ada di tabel pemetaan dan tidak dihitung.", icon=":material/warning:")


def what_if_section(view: View, plan: pd.DataFrame, classified: pd.DataFrame, mapping, every_column: bool) -> None:
    st.header("Jika yang jatuh tempo diselesaikan")
    month_label = st.selectbox("Jika semua yang jatuh tempo sampai bulan ini selesai", MONTHS,
                               index=view.as_of_month - 1, key=f"{THROUGH_KEY}_{view.as_of_month}")
    through = MONTHS.index(month_label) + 1
    scenario = view_data(view, f"lke_jika_{through}", lambda: lke.what_if(plan, classified, mapping, through))
    then = scenario.readiness.pengungkit
    figure = points_card(points_text(then["points"]), weight_text(then["max"]), f"bila semua s.d. {month_label} selesai")
    st.metric(figure.label, figure.value, delta=f"+{points_text(then['points'] - scenario.areas['points_now'].sum())} poin")
    for column, label in (("clears_wbk", "WBK"), ("clears_wbbm", "WBBM")):
        cleared = scenario.areas.loc[scenario.areas[column], "area"]
        st.write(f"Area yang lolos batas {label}: **{', '.join(cleared) if len(cleared) else 'tidak ada'}**.")
    show_table(area_table(scenario.readiness.areas, every_column), view, AREA_PROJECTOR_COLUMNS)
    agenda_section(view, scenario, every_column)


def agenda_section(view: View, scenario: lke.WhatIf, every_column: bool) -> None:
    """Per area the few item-months to take up first and how many more; each area's full list one click away,
    the whole agenda in the download."""
    agendas = view_data(view, f"lke_agenda_{scenario.through_month}", lambda: area_agendas(scenario))
    st.subheader(f"Agenda monev berikutnya · {len(agendas)} area")
    st.caption("Per area, yang belum selesai sampai bulan itu: area di bawah batas WBK dahulu, lalu di bawah batas "
               "WBBM. Dalam satu area, yang jatuh temponya paling awal dahulu; \"perlu\" = paling sedikit "
               "bulan-kegiatan (yang menambah poin terbanyak) agar area itu melewati batasnya.")
    if not agendas:
        st.info("Semua yang jatuh tempo sampai bulan itu sudah selesai.", icon=":material/check_circle:")
        return
    if not view.projector:
        st.download_button(
            "Unduh agenda lengkap (Excel)", icon=":material/download:",
            data=lambda: agenda_workbook_bytes(agendas, f"Agenda monev {view.office} {view.year}"),
            file_name=f"agenda_monev_{view.year}_sd_{scenario.through_month:02d}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    for agenda in agendas:
        st.markdown(f"**{markdown_text(agenda.title)}**")
        st.markdown(markdown_text(agenda.line))
        box = st.expander(f"Daftar lengkap area {markdown_text(agenda.area)} ({len(agenda.rows)})",
                          key=f"lke_agenda_{scenario.through_month}_{agenda.area}", on_change="rerun")
        if box.open:
            with box:
                show_table(agenda_table(agenda.rows, every_column), view, AGENDA_PROJECTOR_COLUMNS)


view = start_page("Kesiapan LKE")
st.caption(lke.NOTE)
st.caption("Angka seluruh kantor: filter penanggung jawab dan area di panel samping tidak berlaku di halaman ini. "
           "Porsi selesai = bulan-kegiatan selesai (menurut aturan hitung) ÷ semua yang direncanakan setahun. "
           "Bobot setiap area terdiri atas separuh pemenuhan dan separuh reform; perkiraan ini untuk area secara utuh.")
plan, classified = office_frames(view)
mapping = view_data(view, "lke_pemetaan", lambda: mapping_in_force(progress_store()))
result = view_data(view, "lke_kesiapan", lambda: lke.readiness(plan, classified, mapping, view.as_of))
every_column = all_columns_toggle(view)
readiness_section(view, result, mapping.thresholds, every_column)
what_if_section(view, plan, classified, mapping, every_column)
if not view.projector:
    mapping_section(mapping)
