"""The LKE readiness chart: each area's estimated points against its weight, with its WBK and WBBM floors.

An area below a floor is marked by its text (✗ and the floor's name) and by the bar's colour; the floors are
drawn as two marker shapes (a bar for WBK, a diamond for WBBM), so nothing is told by colour alone.
"""

import pandas as pd
import plotly.graph_objects as go

from ..reporting.charts import ANNUAL_COLOR, INK, REALISED_COLOR, shorten, style_figure, chart_height, font_size
from ..base.months import format_number
from ..base.safe_text import chart_text

WEIGHT_COLOR = "#E8E8E8"
BELOW_WBK_COLOR, BELOW_WBBM_COLOR = "#D55E00", "#E69F00"  # Okabe–Ito vermillion and orange
WBK_COLOR, WBBM_COLOR = INK, "#0072B2"
LABEL_CHARS = {False: 40, True: 22}
# The legend on one line: in the projector's type, the short names
LEGEND = {False: ("Bobot", "Perkiraan poin", "Batas WBK", "Batas WBBM"),
          True: ("Bobot", "Poin", "Batas WBK", "Batas WBBM")}


def points_text(value: float) -> str:
    """Estimated points: 4.2 -> '4,20'."""
    return format_number(value, 2)


def weight_text(value: float) -> str:
    """A weight or threshold as the regulation writes it: 60 -> '60', 7.5 -> '7,5'."""
    return f"{value:g}".replace(".", ",")


def floor_verdict(row) -> str:
    """'✗ di bawah batas WBK', '✗ di bawah batas WBBM' or '✓ di atas batas WBBM'."""
    if row.below_wbk:
        return "✗ di bawah batas WBK"
    return "✗ di bawah batas WBBM" if row.below_wbbm else "✓ di atas batas WBBM"


def bar_label(row, projector: bool) -> str:
    """Right of the weight's bar: '4,20 / 7,00 ✗ di bawah batas WBK' (projector: '4,20 ✗ < WBK')."""
    mark = "✗" if row.below_wbk or row.below_wbbm else "✓"
    floor = "WBK" if row.below_wbk else "WBBM" if row.below_wbbm else ""
    if projector:
        return f" {points_text(row.points)} {mark}{' < ' + floor if floor else ''}"
    return f"  {points_text(row.points)} / {weight_text(row.weight)} {mark}{' di bawah batas ' + floor if floor else ''}"


def nothing_done(areas: pd.DataFrame) -> bool:
    """lke.Readiness.areas with nothing done: every area's points bar would be 0."""
    return int(areas["done"].sum()) == 0


def readiness_bars(areas: pd.DataFrame, projector: bool = False,
                   title: str = "Perkiraan poin per area LKE terhadap bobotnya") -> go.Figure:
    """`areas` is lke.Readiness.areas (first area on top)."""
    frame = areas.iloc[::-1]
    labels = [shorten(f"{area} · {name}", LABEL_CHARS[projector]) for area, name in zip(frame["area"],
                                                                                          frame["lke_area"])]
    size = font_size(projector)
    hover = [f"Area {chart_text(row.area)} {chart_text(row.lke_area)}<br>{points_text(row.points)} dari "
             f"{points_text(row.weight)} poin (bobot: separuh pemenuhan, separuh reform)<br>"
             f"{row.done} dari {row.planned} bulan-kegiatan selesai<br>batas WBK {points_text(row.floor_wbk)}, "
             f"batas WBBM {points_text(row.floor_wbbm)}<br>{floor_verdict(row)}" for row in frame.itertuples()]
    fig = go.Figure()
    names = LEGEND[projector]
    fig.add_bar(y=labels, x=frame["weight"], orientation="h", name=names[0], marker_color=WEIGHT_COLOR,
                marker_line=dict(color=ANNUAL_COLOR, width=1), hoverinfo="skip")
    fig.add_bar(y=labels, x=frame["points"], orientation="h", name=names[1],
                marker_color=[BELOW_WBK_COLOR if row.below_wbk else BELOW_WBBM_COLOR if row.below_wbbm
                              else REALISED_COLOR for row in frame.itertuples()],
                hovertext=hover, hoverinfo="text")
    for column, name, symbol, color in (("floor_wbk", names[2], "line-ns", WBK_COLOR),
                                        ("floor_wbbm", names[3], "diamond-tall", WBBM_COLOR)):
        fig.add_scatter(y=labels, x=frame[column], mode="markers", name=name, hovertext=hover, hoverinfo="text",
                        marker=dict(symbol=symbol, size=size + 10, color=color, line=dict(color=color, width=3)))
    fig.add_scatter(y=labels, x=frame["weight"], mode="text", showlegend=False, hoverinfo="skip",
                    text=[bar_label(row, projector) for row in frame.itertuples()],
                    textposition="middle right", textfont=dict(size=size, color=INK), cliponaxis=False)
    widest = float(frame["weight"].max()) if len(frame) else 1.0
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_xaxes(range=[0, widest * (2.0 if projector else 1.7)], title="poin")
    return style_figure(fig, projector, chart_height(projector, len(frame) + 1), title, size)
