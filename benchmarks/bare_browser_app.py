"""The browser benchmark's baseline: two bare pages in the sidebar navigation, one Plotly chart each."""

import plotly.graph_objects as go
import streamlit as st


def bare_page(title: str):
    def draw() -> None:
        st.title(title)
        st.plotly_chart(go.Figure(go.Bar(x=list("ABCDEF"), y=[1, 2, 3, 4, 5, 6])), width="stretch")
    return draw


st.set_page_config(page_title="Baseline", layout="wide", initial_sidebar_state="expanded")
st.navigation([st.Page(bare_page("Satu"), title="Satu", default=True),
               st.Page(bare_page("Dua"), title="Dua", url_path="dua")]).run()
