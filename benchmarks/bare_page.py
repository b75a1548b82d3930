"""The baseline: a bare Streamlit page with one Plotly chart and nothing else."""

import plotly.graph_objects as go
import streamlit as st

st.title("Baseline")
st.plotly_chart(go.Figure(go.Bar(x=list("ABCDEF"), y=[1, 2, 3, 4, 5, 6])))
