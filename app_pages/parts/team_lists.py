"""A long list told per team (zi_data.reporting.team_digest): each team's count, and its rows one click away."""

import streamlit as st

from app_pages.frame.chrome import show_table
from app_pages.frame.view import View
from zi_data.base.safe_text import markdown_text
from zi_data.reporting.team_digest import TeamDigest

DAYS_COLUMN = {"Hari Terlambat": st.column_config.NumberColumn(format="%d hari")}


def team_expanders(view: View, digests: list[TeamDigest], projector_columns: list[str], key: str,
                   with_oldest: bool = False) -> None:
    """Per team a closed expander titled with the team and its count (`with_oldest`: the oldest item-months
    and how many more, above it), its rows inside. The rows are drawn only once it is opened (a rerun): a closed
    list costs nothing on the wire."""
    for digest in digests:
        if with_oldest:
            st.subheader(markdown_text(digest.title))
            st.markdown(markdown_text(digest.line))
            label = f"Daftar lengkap {markdown_text(digest.team)} ({digest.count})"
        else:
            label = markdown_text(digest.title)
        box = st.expander(label, expanded=False, key=f"{key}_{digest.team}", on_change="rerun")
        if box.open:
            with box:
                show_table(digest.rows, view, projector_columns, column_config=DAYS_COLUMN)
