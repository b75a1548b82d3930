"""Plotly figures for the dashboard, built from the status DataFrames.

Colours follow the Okabe–Ito palette (safe for colour-blind viewers) and every
state also has its own symbol, so the matrix reads without colour.
"""

import math

import pandas as pd
import plotly.graph_objects as go

from ..base.months import MONTHS, format_percent
from ..base.safe_text import chart_text
from ..plan.status import STATE_LABELS

STATE_LOOK = {
    #  state: (fill colour, symbol, symbol colour)
    "selesai": ("#009E73", "✓", "#000000"),
    "sebagian": ("#E69F00", "◐", "#000000"),
    "berjalan": ("#56B4E9", "●", "#000000"),
    "terlambat": ("#D55E00", "✗", "#000000"),
    "belum_jatuh_tempo": ("#E8E8E8", "○", "#000000"),
    "di_luar_jadwal": ("#CC79A7", "◆", "#000000"),
}
# state: (label, fill colour, symbol, symbol colour), in status.STATE_LABELS order
STATE_STYLE = {state: (label, *STATE_LOOK[state]) for state, label in STATE_LABELS.items()}
# The penilai's verdict on a reported item-month's evidence: a mark right of its cell, told apart by shape as
# well as by colour (Okabe–Ito colours the states do not use), outlined in ink so the yellow reads on white.
REVIEW_LOOK = {
    #  review state: (legend label, Plotly marker symbol, fill colour, what a caption calls the mark)
    "diterima": ("Bukti diterima", "star", "#0072B2", "bintang biru"),
    "menunggu": ("Menunggu verifikasi", "hourglass", "#F0E442", "jam pasir kuning"),
    "perlu_perbaikan": ("Perlu perbaikan", "triangle-up", "#D55E00", "segitiga jingga"),
}
INK = "#111111"
GRID = "#BDBDBD"
PLANNED_COLOR = "#0072B2"
REALISED_COLOR = "#009E73"
ANNUAL_COLOR = "#7F7F7F"


# Projector mode is measured in a browser at 1024×768 and 1920×1080: chart text at least
# PROJECTOR_MIN_FONT px as drawn, and each chart on one screen below the app's header bar.
PROJECTOR_MIN_FONT = 18
PROJECTOR_MAX_HEIGHT = 660   # a 768-px screen less the app's 82-px header bar, with a little room
PROJECTOR_MIN_HEIGHT = 520
LINE_HEIGHT = 1.25           # room one text line needs, as a multiple of its font size
INSIDE_LABEL_FROM = 0.8      # completion bars from this rate on carry their label inside the bar


def font_size(projector: bool) -> int:
    return 22 if projector else 14


def _chrome(size: int, title: bool) -> tuple[int, int]:
    """Top and bottom margins (px): the title above the legend above the plot; x tick labels below."""
    legend = round(LINE_HEIGHT * size) + 6
    top = legend + (round(LINE_HEIGHT * (size + 4)) + 12 if title else 10)
    return top, round(LINE_HEIGHT * size) + 16


def style_figure(fig: go.Figure, projector: bool, height: int, title: str | None = None,
           size: int | None = None) -> go.Figure:
    size = size or font_size(projector)
    top, bottom = _chrome(size, bool(title))
    fig.update_layout(
        # The title sits at the top of the figure and the legend just above the plot, so they never overlap.
        title=dict(text=title, font=dict(size=size + 4, color=INK), y=1, yref="container", yanchor="top",
                   pad=dict(t=8)) if title else None,
        font=dict(size=size, color=INK, family="Arial, Helvetica, sans-serif"),
        paper_bgcolor="#FFFFFF", plot_bgcolor="#FFFFFF", height=height,
        margin=dict(l=10, r=20, t=top, b=bottom),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, font=dict(size=size)),
        hoverlabel=dict(font_size=size, bgcolor="#FFFFFF", font_color=INK),
        separators=",.",
    )
    if projector:
        # Plotly shrinks a bar label that is wider than its bar; on a projector it must keep its size,
        # so labels on upright bars are turned to run along the bar.
        fig.update_traces(selector=dict(type="bar"), constraintext="none", textfont_size=size)
        fig.update_traces(selector=lambda trace: trace.type == "bar" and trace.orientation != "h", textangle=-90)
    fig.update_xaxes(tickfont=dict(size=size, color=INK), title_font=dict(size=size), gridcolor=GRID,
                     linecolor=INK, zerolinecolor=GRID)
    fig.update_yaxes(tickfont=dict(size=size, color=INK), title_font=dict(size=size), gridcolor=GRID,
                     linecolor=INK, zerolinecolor=GRID)
    return fig


def chart_height(projector: bool, rows: int = 6, lines_per_row: int = 1, size: int | None = None,
                 title: bool = True) -> int:
    """Figure height in px. Projector mode: room for `rows` × `lines_per_row` text lines, within one screen."""
    if projector:
        size = size or font_size(True)
        top, bottom = _chrome(size, title)
        needed = top + bottom + rows * lines_per_row * LINE_HEIGHT * size
        return int(min(PROJECTOR_MAX_HEIGHT, max(PROJECTOR_MIN_HEIGHT, needed)))
    return max(320, 70 + 46 * rows)


def _fits_projector(rows: int, lines_per_row: int, size: int) -> bool:
    top, bottom = _chrome(size, True)
    return top + bottom + rows * lines_per_row * LINE_HEIGHT * size <= PROJECTOR_MAX_HEIGHT


# Instead of a chart of zeros (every bar "0,0 %"): what to do to fill it.
NO_PROGRESS_TEXT = ("Belum ada progres tercatat. Unggah realisasi di halaman Perbarui Progres; grafik ini muncul "
                    "setelah ada bulan-kegiatan yang selesai.")
NOTHING_DONE_TEXT = ("Belum ada bulan-kegiatan yang dihitung selesai untuk pilihan ini; grafik ini muncul setelah "
                     "ada yang selesai.")
FROZEN_NOTHING_DONE_TEXT = "Saat rapat dicatat belum ada bulan-kegiatan yang selesai: tidak ada grafik capaian."
FROZEN_NOTHING_REALISED_TEXT = ("Saat rapat dicatat belum ada bulan-kegiatan yang selesai: hanya garis rencana "
                                "yang digambar.")
# Rekap Instansi: a viewer of several offices uploads nothing; the offices do.
ROLLUP_NOTHING_DONE_TEXT = ("Belum ada bulan-kegiatan yang selesai di kantor mana pun sampai bulan acuan. Peta ini "
                            "muncul setelah kantor-kantor mengunggah realisasinya di halaman Perbarui Progres.")
KURVA_S_TITLE = "Kurva S: rencana vs realisasi kumulatif"


def nothing_done(table: pd.DataFrame, done: str = "done_annual") -> bool:
    """A table whose column `done` counts nothing done (status.completion's by default; monthly_progress's "done",
    rollup's "done_as_of"): its chart would show only zeros."""
    return int(table[done].sum()) == 0


def empty_chart_text(has_progress: bool, appears: str = "grafik ini") -> str:
    """What an empty chart says instead: upload progress, or that the filtered part has none done; `appears`: what
    appears once something is done (the chart; Kurva S's realisation line)."""
    return (NOTHING_DONE_TEXT if has_progress else NO_PROGRESS_TEXT).replace("grafik ini", appears)


def completion_bars(completion: pd.DataFrame, title: str, projector: bool = False,
                    label_width: int = 28) -> go.Figure:
    """Horizontal bars of the as-of and the annual completion rate per group.

    In projector mode, when two labelled bars per group do not fit on one screen (e.g. 23 komponen),
    only the as-of rate is drawn, in the largest type that still fits (never under PROJECTOR_MIN_FONT).
    """
    frame = completion.iloc[::-1]
    rows = len(frame)
    labels = [shorten(str(g), label_width) for g in frame["group"]]
    series = (("rate_annual", "Tahunan", ANNUAL_COLOR), ("rate_as_of", "Sampai bulan ini", REALISED_COLOR))
    size = font_size(projector)
    if projector and not _fits_projector(rows, 2, size):
        series = series[1:]
        size = next((s for s in range(size, PROJECTOR_MIN_FONT - 1, -1) if _fits_projector(rows, 1, s)),
                    PROJECTOR_MIN_FONT)
    fig = go.Figure()
    for column, name, color in series:
        rates = frame[column].fillna(0.0)
        fig.add_bar(
            y=labels, x=rates * 100, name=name, orientation="h", marker_color=color, showlegend=True,
            text=[format_percent(r) for r in frame[column]], cliponaxis=False,
            # A long bar carries its label inside, at its end: the label never needs room beyond the axis, so
            # it fits whatever the font's width (a late web font, another machine). Shorter bars leave that room.
            textposition=["inside" if rate >= INSIDE_LABEL_FROM else "outside" for rate in rates],
            insidetextanchor="end", textangle=0,
            textfont=dict(color=INK, size=size),
            customdata=list(zip(frame["group"].map(chart_text), frame[column.replace("rate", "done")],
                                frame[column.replace("rate", "planned")])),
            hovertemplate="%{customdata[0]}<br>" + name + ": %{text} (%{customdata[1]} dari %{customdata[2]})<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.1 if projector else 0.25)
    # Projector: fewer ticks in the large type, and a right margin for half of the last tick label ("100 %").
    fig.update_xaxes(range=[0, 100 if projector else 118], ticksuffix=" %", dtick=50 if projector else 25)
    height = chart_height(projector, rows, len(series), size)
    style_figure(fig, projector, height, title, size)
    if projector:
        fig.update_layout(margin_r=round(4 * size))
    return fig


def kurva_s_chart(kurva: pd.DataFrame, as_of_month: int, projector: bool = False, title: str = KURVA_S_TITLE,
                  realised: bool = True) -> go.Figure:
    """The cumulative plan and realisation by month, with the deviation at the as-of month; without `realised`
    (nothing done yet) the plan line alone: a realisation flat on 0 % and a deviation of minus the plan add nothing
    the plan line and the page's note do not say."""
    months = [MONTHS[m - 1][:3] for m in kurva["month"]]
    fig = go.Figure()
    fig.add_scatter(x=months, y=kurva["planned_pct"], name="Rencana", mode="lines+markers",
                    line=dict(color=PLANNED_COLOR, width=4, dash="dash"), marker=dict(size=10, symbol="square"),
                    hovertemplate="%{x}: rencana %{y:.1f} %<extra></extra>")
    if realised:
        _add_realisation(fig, kurva, months, as_of_month, projector)
    fig.add_vline(x=as_of_month - 1, line=dict(color=INK, width=1, dash="dot"))
    fig.update_yaxes(range=[0, 105], ticksuffix=" %", title=None)
    return style_figure(fig, projector, chart_height(projector, 7), title)


def _add_realisation(fig: go.Figure, kurva: pd.DataFrame, months: list[str], as_of_month: int,
                     projector: bool) -> None:
    fig.add_scatter(x=months, y=kurva["realised_pct"], name="Realisasi", mode="lines+markers",
                    line=dict(color=REALISED_COLOR, width=5), marker=dict(size=12, symbol="circle"),
                    hovertemplate="%{x}: realisasi %{y:.1f} %<extra></extra>")
    row = kurva.loc[kurva["month"] == as_of_month]
    if not row.empty and pd.notna(row["deviation"].iloc[0]):
        deviation = row["deviation"].iloc[0]
        # Between the two curves, on the plot side of the as-of line: never over the axis labels.
        middle = (row["realised_pct"].iloc[0] + row["planned_pct"].iloc[0]) / 2
        fig.add_annotation(
            x=months[as_of_month - 1], y=middle, xanchor="right" if as_of_month > 6 else "left",
            xshift=-8 if as_of_month > 6 else 8,
            text=f"Deviasi {format_percent(deviation / 100)}", showarrow=False,
            font=dict(size=font_size(projector), color=INK), bgcolor="#FFFFFF", bordercolor=INK)


def monthly_trend_chart(monthly: pd.DataFrame, projector: bool = False,
                        title: str = "Capaian per bulan") -> go.Figure:
    """Bars of planned vs done item-months for each month, with the month's rate."""
    months = [MONTHS[m - 1][:3] for m in monthly["month"]]
    fig = go.Figure()
    fig.add_bar(x=months, y=monthly["planned"], name="Direncanakan", marker_color=PLANNED_COLOR,
                hovertemplate="%{x}: %{y} direncanakan<extra></extra>")
    fig.add_bar(x=months, y=monthly["done"], name="Selesai", marker_color=REALISED_COLOR,
                text=[format_percent(r) if pd.notna(r) else "" for r in monthly["rate"]],
                textposition="outside", cliponaxis=False, textfont=dict(color=INK),
                hovertemplate="%{x}: %{y} selesai (%{text})<extra></extra>")
    fig.update_layout(barmode="group")
    return style_figure(fig, projector, chart_height(projector, 7), title)


# The matrix in projector mode: one row per langkah aksi, labelled with its ID and the start of its text, cut at
# a word (there is no hover on a projector; the full text is in the cell detail), in MATRIX_PROJECTOR_LABEL_PX
# type so the 12 month columns keep most of a 1024-px screen; rows just taller than the type, so area V's 19
# rows still fit on a 1024×768 screen below the app's header bar.
MATRIX_ROW_PX = {False: 26, True: 27}
MATRIX_MARKER_PX = {False: 20, True: 24}
MATRIX_LABEL_CHARS = 46
MATRIX_PROJECTOR_LABEL_CHARS = 20  # of the langkah aksi, after the ID
MATRIX_PROJECTOR_LABEL_PX = 19
# Projector: each legend entry as wide as the longest text ("○ Belum jatuh tempo", ~216 px in the labels' 19 px),
# so the lines break predictably: two entries a line under a grid ≥ 600 px wide (a 1024-px screen with the
# sidebar collapsed, less the row labels), room kept for three lines.
MATRIX_LEGEND_ENTRY_PX = 220
MATRIX_LEGEND_PER_LINE = 2
# The review mark: right of the cell's square, clear of it at the narrowest grid (a 600-px grid: 50 px a month).
MATRIX_REVIEW_OFFSET = 0.42  # of a month column
MATRIX_REVIEW_PX = {False: 12, True: 16}


def matrix_chart(classified: pd.DataFrame, plan: pd.DataFrame, as_of_month: int,
                 projector: bool = False) -> go.Figure:
    """The 12-month Gantt matrix: one row per langkah aksi, a coloured symbol per item-month state."""
    items = plan[["id", "area", "komponen", "langkah_aksi", "bukti_fisik"]].reset_index(drop=True)
    row_of = {item_id: i for i, item_id in enumerate(items["id"])}
    width = MATRIX_PROJECTOR_LABEL_CHARS if projector else MATRIX_LABEL_CHARS
    labels = [f"{chart_text(r.id)} · {chart_text(cut_at_word(r.langkah_aksi, width))}" for r in items.itertuples()]
    size = font_size(projector)
    fig = go.Figure()
    cells = classified[classified["id"].isin(row_of)]
    states = [state for state in STATE_STYLE if (cells["state"] == state).any()]
    for state in states:
        label, color, symbol, ink = STATE_STYLE[state]
        part = cells[cells["state"] == state]
        hover = [
            f"<b>{chart_text(r.id)}</b> · {MONTHS[r.month - 1]}<br>{_wrap(r.langkah_aksi)}<br>"
            f"<b>Bukti fisik:</b> {_wrap(r.bukti_fisik)}<br>"
            f"<b>Bukti dukung:</b> {_wrap(r.bukti_dukung) if isinstance(r.bukti_dukung, str) and r.bukti_dukung else '–'}"
            f"<br><b>Status:</b> {label}{_review_hover(r)}"
            for r in part.itertuples()
        ]
        fig.add_scatter(
            x=part["month"], y=[row_of[i] for i in part["id"]], mode="markers+text", name=f"{symbol} {label}",
            marker=dict(symbol="square", size=MATRIX_MARKER_PX[projector], color=color, line=dict(color=INK, width=1)),
            text=[symbol] * len(part), textfont=dict(color=ink, size=size),
            textposition="middle center", hovertext=hover, hoverinfo="text",
            customdata=list(zip(part["id"], part["month"].astype(int))),  # the item-month a click opens
            unselected=dict(marker=dict(opacity=1), textfont=dict(color=ink)),  # a clicked cell dims no other
        )
    _add_review_marks(fig, cells, row_of, projector)
    fig.add_vrect(x0=as_of_month - 0.5, x1=as_of_month + 0.5, fillcolor="#FFF3B0", opacity=0.6,
                  layer="below", line_width=2, line_color=INK)
    fig.update_xaxes(tickvals=list(range(1, 13)), ticktext=[m[:3] for m in MONTHS], range=[0.5, 12.5],
                     side="top", showgrid=False)
    # Top row first: the range runs from the last row to the first (an autorange would add padding).
    fig.update_yaxes(tickvals=list(range(len(items))), ticktext=labels, autorange=False,
                     range=[len(items) - 0.5, -0.5], showgrid=False, zeroline=False)
    if projector:
        ticks = round(LINE_HEIGHT * size) + 24  # month names above the grid (Plotly needs 51 px at 22 px)
        legend_line = round(LINE_HEIGHT * MATRIX_PROJECTOR_LABEL_PX) + 8
        legend = math.ceil(len(states) / MATRIX_LEGEND_PER_LINE) * legend_line + 12
        style_figure(fig, projector, ticks + legend + MATRIX_ROW_PX[True] * len(items))
        fig.update_layout(
            margin=dict(t=ticks, b=legend),
            legend=dict(y=0, yanchor="top", x=0, orientation="h",
                        entrywidth=MATRIX_LEGEND_ENTRY_PX, entrywidthmode="pixels", itemwidth=30,
                        font_size=MATRIX_PROJECTOR_LABEL_PX))
        fig.update_yaxes(tickfont_size=MATRIX_PROJECTOR_LABEL_PX)
    else:
        style_figure(fig, projector, 140 + MATRIX_ROW_PX[False] * len(items))
        fig.update_layout(legend=dict(y=-0.02, yanchor="top", orientation="h"), margin=dict(t=40, b=60))
    return fig


def _review_hover(row) -> str:
    """The hover's lines on the evidence: attached files and the penilai's verdict (when classified with them)."""
    files = getattr(row, "files", 0)
    review = REVIEW_LOOK.get(getattr(row, "review_state", ""))
    return (f"<br><b>Berkas bukti:</b> {int(files)}" if pd.notna(files) and files else "") + (
        f"<br><b>Verifikasi:</b> {review[0]}" if review else "")


def _add_review_marks(fig: go.Figure, cells: pd.DataFrame, row_of: dict, projector: bool) -> None:
    """A mark right of each reported item-month's cell whose evidence is accepted, awaiting review or to be
    revised. In projector mode they stay out of the legend (another legend line would push area V's rows off
    a 768-pixel screen): the page's caption names them."""
    if "review_state" not in cells:
        return
    for review, (label, symbol, color, _) in REVIEW_LOOK.items():
        part = cells[cells["review_state"] == review]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["month"] + MATRIX_REVIEW_OFFSET, y=[row_of[i] for i in part["id"]], mode="markers",
            customdata=list(zip(part["id"], part["month"].astype(int))), unselected=dict(marker=dict(opacity=1)),
            name=label, showlegend=not projector, hoverinfo="text",
            hovertext=[f"<b>{chart_text(r.id)}</b> · {MONTHS[r.month - 1]}<br>Verifikasi: {label}"
                       for r in part.itertuples()],
            marker=dict(symbol=symbol, size=MATRIX_REVIEW_PX[projector], color=color, line=dict(color=INK, width=1)))


def shorten(text: str, width: int) -> str:
    """Cut to `width` characters, then escaped (cut after escaping, an entity could be cut in two)."""
    text = str(text)
    return chart_text(text if len(text) <= width else text[: width - 1].rstrip() + "…")


def cut_at_word(text, width: int) -> str:
    """`text` on one line, at most `width` characters: cut at the last whole word that fits, with "…"."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut and text[width - 1] != " ":
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–/(") + "…"


def _wrap(text, width: int = 60) -> str:
    words, lines, line = chart_text(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def office_label(name: str) -> str:
    """An office's name on a chart axis: every office is a KPU, and 'Kabupaten' is shortened as usual."""
    return str(name).removeprefix("KPU ").replace("Kabupaten ", "Kab. ")


def office_heatmap(areas: pd.DataFrame, projector: bool = False,
                   title: str = "Capaian s.d. bulan acuan per kantor dan area") -> go.Figure:
    """Offices (rows, in the order of `areas`) by areas (columns, plan order): rollup's `areas` frame as a
    heatmap of the as-of completion, each cell labelled ('85,3 %'); empty where nothing is due yet."""
    offices = list(dict.fromkeys(zip(areas["office"], areas["office_name"])))
    area_codes = list(dict.fromkeys(areas["area"]))
    rates = areas.pivot_table(index="office", columns="area", values="rate_as_of", aggfunc="first", dropna=False)
    rates = rates.reindex(index=[code for code, _ in offices], columns=area_codes)
    names = dict(zip(areas["area"], areas["area_name"]))
    size = font_size(projector)
    fig = go.Figure(go.Heatmap(
        z=(rates * 100).to_numpy(), x=[chart_text(code) for code in area_codes],
        y=[code for code, _ in offices],  # unique, whatever the names: the names are the tick labels
        text=[[format_percent(rate) for rate in row] for row in rates.to_numpy()], texttemplate="%{text}",
        textfont=dict(size=size), colorscale="Cividis", zmin=0, zmax=100, xgap=2, ygap=2,
        colorbar=dict(ticksuffix=" %", tickfont=dict(size=size, color=INK), thickness=14 if not projector else 20),
        customdata=[[[chart_text(name), chart_text(names[code])] for code in area_codes] for _, name in offices],
        hovertemplate="%{customdata[0]}<br>Area %{x} %{customdata[1]}: %{text}<extra></extra>"))
    height = chart_height(projector, len(offices)) if projector else max(320, 120 + 34 * len(offices))
    style_figure(fig, projector, height, title, size)
    fig.update_xaxes(side="top", showgrid=False, title=None)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False, tickvals=[code for code, _ in offices],
                     ticktext=[shorten(office_label(name), 26 if projector else 40) for _, name in offices])
    fig.update_layout(margin_t=_chrome(size, True)[0] + round(LINE_HEIGHT * size))
    return fig
