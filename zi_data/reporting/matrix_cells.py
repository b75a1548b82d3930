"""The 12-month matrix as HTML for narrow screens (a phone): one block per langkah aksi, its ID and text above a
row of twelve coloured cells (month name, state symbol, below it the review's mark, outlined in ink on white), in
the same colours and symbols as the chart (charts.STATE_STYLE, charts.REVIEW_LOOK).

Every text from the plan is escaped (html.escape): it is data, never markup. The page shows these blocks only
below MATRIX_PHONE_MAX_PX of window width (a CSS media query) and the chart above it, so one page works at every
width without Python knowing the viewport.
"""

import html

import pandas as pd

from ..base.months import MONTHS
from .charts import REVIEW_LOOK, STATE_STYLE

MATRIX_PHONE_MAX_PX = 640  # at most this wide (CSS px): the blocks; wider: the chart
REVIEW_GLYPH = {"diterima": "★", "menunggu": "◷", "perlu_perbaikan": "▲"}  # glyphs common fonts have

MATRIX_CELLS_CSS = f"""
<style>
.zm-cells {{ display: none; }}
@media (max-width: {MATRIX_PHONE_MAX_PX}px) {{
  .zm-cells {{ display: block; }}
  [class*="st-key-zm_chart_"] {{ display: none !important; }}
}}
.zm-step {{ margin: 0 0 14px 0; padding: 0 0 10px 0; border-bottom: 1px solid #BDBDBD; }}
.zm-title {{ margin: 0 0 6px 0; font-size: 15px; line-height: 1.35; color: #111; overflow-wrap: anywhere; }}
.zm-row {{ display: grid; grid-template-columns: repeat(12, minmax(0, 1fr)); gap: 2px;
  list-style: none; margin: 0 !important; padding: 0 !important; }}
.zm-row li {{ position: relative; margin: 0 !important; padding: 2px 0 4px 0; text-align: center; border: 1px solid #111;
  min-height: 44px; color: #000; font-size: 14px; line-height: 1.2; }}
.zm-row li span {{ display: block; font-size: 14px; letter-spacing: -0.03em; }}
.zm-row li b {{ display: block; font-size: 16px; font-weight: normal; }}
.zm-row li.zm-none {{ background: #FFFFFF; border-color: #BDBDBD; color: #555; }}
.zm-row li.zm-now {{ outline: 3px solid #111; outline-offset: -1px; z-index: 1; }}
.zm-row li i {{ display: block; font-style: normal; font-size: 14px; line-height: 1.1; background: #FFFFFF;
  margin: 2px 2px 0 2px; border-radius: 3px; -webkit-text-stroke: 0.6px #111; }}
{"".join(f".zm-{state} {{ background: {color}; }}" for state, (_, color, _, _) in STATE_STYLE.items())}
{"".join(f".zm-r-{review} {{ color: {color}; }}" for review, (_, _, color, _) in REVIEW_LOOK.items())}
</style>
"""


def matrix_cells_html(classified: pd.DataFrame, plan: pd.DataFrame, as_of_month: int) -> str:
    """The blocks of `plan`'s langkah aksi (in plan order) with their item-months' states from `classified`
    (status.classify's frame; review_state when classified with evidence)."""
    cells = classified.set_index(["id", "month"])
    blocks = [_step_block(row, cells, as_of_month) for row in plan.itertuples()]
    return f'<div class="zm-cells">{"".join(blocks)}</div>'


def _step_block(row, cells: pd.DataFrame, as_of_month: int) -> str:
    months = "".join(_month_cell(row.id, month, cells, as_of_month) for month in range(1, 13))
    return (f'<div class="zm-step"><p class="zm-title"><b>{html.escape(str(row.id))}</b> · '
            f'{html.escape(" ".join(str(row.langkah_aksi).split()))}</p><ol class="zm-row">{months}</ol></div>')


def _month_cell(item_id, month: int, cells: pd.DataFrame, as_of_month: int) -> str:
    name = MONTHS[month - 1]
    now = " zm-now" if month == as_of_month else ""
    if (item_id, month) not in cells.index:
        return f'<li class="zm-none{now}" title="{name}: tidak dijadwalkan"><span>{name[:3]}</span><b>&nbsp;</b></li>'
    cell = cells.loc[(item_id, month)]
    cell = cell.iloc[0] if isinstance(cell, pd.DataFrame) else cell
    label, _, symbol, _ = STATE_STYLE[cell["state"]]
    review = cell.get("review_state", "")
    mark, title = "", f"{name}: {label}"
    if review in REVIEW_LOOK:
        mark = f'<i class="zm-r-{review}">{REVIEW_GLYPH[review]}</i>'
        title += f" · {REVIEW_LOOK[review][0]}"
    return (f'<li class="zm-{cell["state"]}{now}" title="{title}"><span>{name[:3]}</span>'
            f'<b>{symbol}</b>{mark}</li>')
