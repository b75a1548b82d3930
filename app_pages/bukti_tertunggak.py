from functools import partial

import pandas as pd
import streamlit as st

from app_pages.frame.chrome import all_columns_button, all_columns_toggle, show_table, start_page
from app_pages.parts.evidence_download import offer_evidence_package
from app_pages.parts.team_lists import team_expanders
from app_pages.parts.item_month_form import item_month_form, saved_message
from app_pages.parts.monev_follow_ups import overdue_follow_ups_link, overdue_follow_ups_section, overdue_team_follow_ups
from app_pages.frame.view import View, review_lists, view_data
from zi_data.reporting import reports
from zi_data.plan import status
from zi_data.base.months import MONTHS
from zi_data.reporting.narrow_tables import overdue_main_table
from zi_data.reporting.review_lists import MAIN_COLUMNS, review_table
from zi_data.reporting.team_digest import team_digests
from zi_data.base.safe_text import markdown_text

CHOSEN_KEY = "tertunggak_pilihan"  # (ID, month name, team) of the row chosen
# What a meeting reads; Area, Komponen, Bukti Fisik and Catatan/Kendala are one click away.
PROJECTOR_COLUMNS = ["ID", "Langkah Aksi", "Bulan", "Hari Terlambat", "Status Terakhir"]
REVIEW_SECTIONS = {  # review state: title, anchor, explanation
    "perlu_perbaikan": ("Bukti perlu perbaikan", "perlu-perbaikan",
                        "Penilai mengembalikan bukti ini dengan catatan: perbaiki atau ganti berkasnya, lalu bukti "
                        "diperiksa lagi. Paling lama di atas."),
    "menunggu": ("Menunggu verifikasi", "menunggu-verifikasi",
                 "Bukti yang belum diperiksa penilai sejak terakhir diubah. Paling lama menunggu di atas."),
}
# The chosen row's texts, in full, above its form (the narrow table leaves some out and cuts long ones).
DETAIL_COLUMNS = ["Langkah Aksi", "Bukti Fisik yang Diperlukan", "Komponen", "Catatan/Kendala"]


def overdue_section(view: View, every_column: bool) -> None:
    overdue = view_data(view, "overdue", lambda: status.overdue_list(view.classified))
    if overdue.empty:
        st.success(f"Tidak ada bukti yang tertunggak sampai {MONTHS[view.as_of_month - 1]} {view.year}.")
        return
    st.write(f"**{len(overdue)}** bulan-kegiatan terlambat dari **{overdue['id'].nunique()}** langkah aksi, "
             "diurutkan dari yang paling lama terlambat.")
    if view.projector:
        # Per team: the count and the oldest few; each team's full list one click away.
        digests = view_data(view, "overdue_digests", lambda: team_digests(reports.overdue_table(overdue)))
        team_expanders(view, digests, PROJECTOR_COLUMNS, key="tertunggak_tim", with_oldest=True)
        all_columns_button()
        return
    st.download_button(
        "Unduh daftar (Excel)", icon=":material/download:",
        data=lambda: reports.overdue_workbook_bytes(overdue, f"Bukti tertunggak {view.office} {view.year}",
                                                    view.counting_rule),
        file_name=f"bukti_tertunggak_{view.year}_{view.as_of_month:02d}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    team_tables(view, overdue, every_column)


def team_tables(view: View, overdue: pd.DataFrame, every_column: bool) -> None:
    """The normal view: every team's table (`every_column`, else overdue_main_table's columns); a row chosen shows
    its texts in full and opens its item-month's form under the table."""
    by_team = view_data(view, "overdue_by_team", lambda: [
        (team, rows.drop(columns=["Penanggung Jawab"]))
        for team, rows in reports.overdue_table(overdue).groupby("Penanggung Jawab", sort=True)])
    st.caption("Pilih satu baris untuk membaca teksnya lengkap dan memperbarui bulan-kegiatan itu di bawah tabelnya.")
    for number, (team, rows) in enumerate(by_team):
        st.header(f"{markdown_text(team)} · {len(rows)} bulan-kegiatan")
        key = f"tertunggak_tabel_{number}"
        show_table(rows if every_column else overdue_main_table(rows), view, key=key,
                   on_select=partial(choose_row, key, rows, team), selection_mode="single-row",
                   column_config={"Hari Terlambat": st.column_config.NumberColumn(format="%d hari")}
                   if every_column else None)
        chosen = st.session_state.get(CHOSEN_KEY)
        if chosen and chosen[2] == team and chosen[:2] in set(zip(rows["ID"], rows["Bulan"])):
            row = rows[(rows["ID"] == chosen[0]) & (rows["Bulan"] == chosen[1])].iloc[0]
            for column in DETAIL_COLUMNS:  # user text: st.text, never markdown
                st.text(f"{column}: {row[column] or '–'}")
            item_month_form(view, chosen[0], MONTHS.index(chosen[1]) + 1, team)


def choose_row(key: str, rows: pd.DataFrame, team: str) -> None:
    """A row chosen in a team's overdue table: its item-month's form opens under that table."""
    chosen = st.session_state[key].selection.rows
    if chosen:
        row = rows.iloc[chosen[0]]
        st.session_state[CHOSEN_KEY] = (row["ID"], row["Bulan"], team)


def review_summary(lists: dict[str, pd.DataFrame]) -> None:
    """One line at the top pointing to the review lists further down."""
    parts = [f"[{len(lists[state])} {title.lower()}](#{anchor})"
             for state, (title, anchor, _explanation) in REVIEW_SECTIONS.items() if not lists[state].empty]
    if parts:
        st.write(f"Pemeriksaan bukti oleh penilai: {' · '.join(parts)} (daftar di bawah).")


def review_section(view: View, items: pd.DataFrame, review_state: str, every_column: bool) -> None:
    if items.empty:
        return
    title, anchor, explanation = REVIEW_SECTIONS[review_state]
    st.header(f"{title} · {len(items)} bulan-kegiatan", anchor=anchor)
    st.caption(explanation)
    show_table(review_table(items, review_state, view.zone, every_column), view, MAIN_COLUMNS[review_state])


view = start_page("Bukti Tertunggak")
offer_evidence_package(view)
lists = review_lists(view, REVIEW_SECTIONS)
review_summary(lists)
overdue_follow_ups = overdue_team_follow_ups(view)
overdue_follow_ups_link(overdue_follow_ups)
saved_message()
every_column = all_columns_toggle(view)
overdue_section(view, every_column)
overdue_follow_ups_section(view, overdue_follow_ups)
for review_state, items in lists.items():
    review_section(view, items, review_state, every_column)
