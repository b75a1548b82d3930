"""The lembar monev's charts, drawn with fpdf2's own lines and rectangles (no browser, no image export).

They look like the dashboard's (zi_data/reporting/charts.py): the same colours, the rates labelled "85,3 %", the
Kurva S with the planned curve dashed and the realised one solid, months in Indonesian short names.
"""

from ..reporting.charts import ANNUAL_COLOR, GRID, INK, INSIDE_LABEL_FROM, PLANNED_COLOR, REALISED_COLOR
from .lembar_pdf_layout import LembarDocument, line_height, rgb
from ..base.months import MONTHS, format_percent

TRACK_COLOR = "#EEEEEE"  # the grey track of a bar: 100 %
LABEL_SIZE = 7.5
BAR_HEIGHT = 3.4
GROUP_GAP = 2.2
ROW_HEIGHT = 2 * BAR_HEIGHT + GROUP_GAP
AXIS_HEIGHT = 5.0
LEGEND_HEIGHT = 5.5
KURVA_S_PLOT_HEIGHT = 62.0
SERIES = (("as_of", "Sampai bulan ini", REALISED_COLOR), ("annual", "Tahunan", ANNUAL_COLOR))


def completion_chart_height(rows: int) -> float:
    return LEGEND_HEIGHT + rows * ROW_HEIGHT + AXIS_HEIGHT


def completion_chart(doc: LembarDocument, x: float, y: float, width: float, rows: list[tuple[str, dict]]) -> float:
    """Horizontal bars per group, top to bottom in the given order: the as-of rate and the annual rate,
    each over a grey 100 % track and labelled with its rate. `rows` = (label, {"as_of": rate dict,
    "annual": rate dict}). Returns the y below the chart."""
    _legend(doc, x, y, [(label, color, "bar") for _, label, color in SERIES])
    y += LEGEND_HEIGHT
    doc.use_font(LABEL_SIZE)
    label_width = width * 0.36
    rate_room = doc.get_string_width("100,0 %") + 2
    plot_x, plot_width = x + label_width + 2, width - label_width - 2 - rate_room
    _completion_grid(doc, plot_x, y, plot_width, len(rows) * ROW_HEIGHT)
    for label, rates in rows:
        lines = doc.wrap(label, label_width, size=LABEL_SIZE, max_lines=2)  # a long label: two lines, then "…"
        for number, line in enumerate(lines):
            doc.text_line(x, y + (2 - len(lines)) * BAR_HEIGHT / 2 + number * BAR_HEIGHT, label_width, line,
                          size=LABEL_SIZE, height=BAR_HEIGHT, align="R")
        for offset, (key, _, color) in enumerate(SERIES):
            _bar(doc, plot_x, y + offset * BAR_HEIGHT, plot_width, rates[key]["rate"], color)
        y += ROW_HEIGHT
    return y + AXIS_HEIGHT


def _completion_grid(doc: LembarDocument, x: float, y: float, width: float, height: float) -> None:
    doc.set_draw_color(*rgb(GRID))
    doc.set_line_width(0.15)
    for percent in (0, 25, 50, 75, 100):
        tick_x = x + width * percent / 100
        doc.line(tick_x, y, tick_x, y + height)
        doc.text_line(tick_x - 8, y + height + 0.5, 16, f"{percent} %", size=6.5, align="C")
    doc.set_draw_color(*rgb(INK))
    doc.line(x, y, x, y + height)


def _bar(doc: LembarDocument, x: float, y: float, width: float, rate: float | None, color: str) -> None:
    doc.set_fill_color(*rgb(TRACK_COLOR))
    doc.rect(x, y + 0.3, width, BAR_HEIGHT - 0.6, style="F")
    length = width * min(max(rate or 0.0, 0.0), 1.0)
    if length > 0:
        doc.set_fill_color(*rgb(color))
        doc.rect(x, y + 0.3, length, BAR_HEIGHT - 0.6, style="F")
    text = format_percent(rate)
    doc.use_font(LABEL_SIZE - 1)
    text_width = doc.get_string_width(text) + 1
    if rate is not None and rate >= INSIDE_LABEL_FROM:  # a long bar carries its label inside, at its end
        doc.text_line(x + length - text_width - 0.5, y, text_width, text, size=LABEL_SIZE - 1, height=BAR_HEIGHT,
                      align="R")
    else:
        doc.text_line(x + length + 0.8, y, text_width, text, size=LABEL_SIZE - 1, height=BAR_HEIGHT)


def _legend(doc: LembarDocument, x: float, y: float, entries: list[tuple[str, str, str]]) -> None:
    """Entries (label, colour, "bar" | "dashed" | "solid") in one line from x."""
    for label, color, look in entries:
        doc.set_fill_color(*rgb(color))
        doc.set_draw_color(*rgb(color))
        if look == "bar":
            doc.rect(x, y + 1.2, 4, 2.6, style="F")
        else:
            doc.set_line_width(0.6 if look == "dashed" else 0.8)
            doc.set_dash_pattern(dash=1.2, gap=0.8) if look == "dashed" else doc.set_dash_pattern()
            doc.line(x, y + 2.5, x + 7, y + 2.5)
            doc.set_dash_pattern()
        swatch = 5 if look == "bar" else 8
        doc.use_font(LABEL_SIZE)
        width = doc.get_string_width(doc.clean(label)) + 1
        doc.text_line(x + swatch, y, width, label, size=LABEL_SIZE, height=5)
        x += swatch + width + 5


def kurva_s_chart_height() -> float:
    return LEGEND_HEIGHT + KURVA_S_PLOT_HEIGHT + AXIS_HEIGHT


def kurva_s_chart(doc: LembarDocument, x: float, y: float, width: float, kurva_s: list[dict],
                  as_of_month: int) -> float:
    """The Kurva S: planned and realised cumulative % per month (realised up to the as-of month), the
    as-of month marked by a dotted line with the deviation beside it. Returns the y below the chart."""
    _legend(doc, x, y, [("Rencana", PLANNED_COLOR, "dashed"), ("Realisasi", REALISED_COLOR, "solid")])
    y += LEGEND_HEIGHT
    doc.use_font(6.5)
    axis_width = doc.get_string_width("100 %") + 2
    plot_x, plot_width, height = x + axis_width, width - axis_width - 2, KURVA_S_PLOT_HEIGHT
    step = plot_width / 12

    def point(month: int, percent: float) -> tuple[float, float]:
        return plot_x + step * (month - 0.5), y + height * (1 - min(max(percent, 0.0), 105.0) / 105)

    _kurva_s_axes(doc, x, y, axis_width, plot_x, plot_width, height)
    doc.set_draw_color(*rgb(INK))
    doc.set_line_width(0.2)
    doc.set_dash_pattern(dash=0.5, gap=0.7)
    as_of_x = point(as_of_month, 0)[0]
    doc.line(as_of_x, y, as_of_x, y + height)
    doc.set_dash_pattern()
    planned = [point(row["month"], row["planned_pct"]) for row in kurva_s if _number(row.get("planned_pct"))]
    realised = [point(row["month"], row["realised_pct"]) for row in kurva_s if _number(row.get("realised_pct"))]
    _series(doc, planned, PLANNED_COLOR, dashed=True)
    _series(doc, realised, REALISED_COLOR, dashed=False)
    _deviation_label(doc, kurva_s, as_of_month, point, plot_x, plot_width)
    return y + height + AXIS_HEIGHT


def _kurva_s_axes(doc, x, y, axis_width, plot_x, plot_width, height) -> None:
    doc.set_draw_color(*rgb(GRID))
    doc.set_line_width(0.15)
    for percent in (0, 25, 50, 75, 100):
        tick_y = y + height * (1 - percent / 105)
        doc.line(plot_x, tick_y, plot_x + plot_width, tick_y)
        doc.text_line(x, tick_y - 1.5, axis_width - 1, f"{percent} %", size=6.5, height=3, align="R")
    step = plot_width / 12
    for month in range(1, 13):
        doc.text_line(plot_x + step * (month - 1), y + height + 0.5, step, MONTHS[month - 1][:3], size=6.5,
                      align="C")
    doc.set_draw_color(*rgb(INK))
    doc.line(plot_x, y + height, plot_x + plot_width, y + height)


def _number(value) -> bool:
    """Whether a snapshot value can be drawn: a finite number (not None, not NaN)."""
    return isinstance(value, (int, float)) and value == value and abs(value) != float("inf")


def _series(doc: LembarDocument, points: list[tuple[float, float]], color: str, dashed: bool) -> None:
    doc.set_draw_color(*rgb(color))
    doc.set_fill_color(*rgb(color))
    doc.set_line_width(0.6 if dashed else 0.8)
    if dashed:
        doc.set_dash_pattern(dash=1.2, gap=0.8)
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        doc.line(x1, y1, x2, y2)
    doc.set_dash_pattern()
    for point_x, point_y in points:
        if dashed:
            doc.rect(point_x - 0.8, point_y - 0.8, 1.6, 1.6, style="F")
        else:
            doc.circle(point_x, point_y, 0.9, style="F")


def _deviation_label(doc, kurva_s, as_of_month, point, plot_x, plot_width) -> None:
    row = next((row for row in kurva_s if row["month"] == as_of_month), None)
    if row is None or not all(_number(row.get(key)) for key in ("deviation", "planned_pct", "realised_pct")):
        return
    text = f"Deviasi {format_percent(row['deviation'] / 100)}"
    size = 7
    doc.use_font(size)
    width = doc.get_string_width(text) + 2
    middle_x, middle_y = point(as_of_month, (row["planned_pct"] + row["realised_pct"]) / 2)
    box_x = middle_x - width - 2 if as_of_month > 6 else middle_x + 2
    box_x = min(max(box_x, plot_x), plot_x + plot_width - width)
    box_y = middle_y - line_height(size) / 2
    doc.set_fill_color(255, 255, 255)
    doc.set_draw_color(*rgb(INK))
    doc.set_line_width(0.2)
    doc.rect(box_x, box_y, width, line_height(size), style="DF")
    doc.text_line(box_x, box_y, width, text, size=size, align="C")
