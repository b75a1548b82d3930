"""What frames every page: the header, the projector's type, tables and charts."""

import pandas as pd
import streamlit as st

from app_pages.frame.auth import sign_in_panel
from app_pages.frame.tables import shown_table
from app_pages.frame.view import PROJECTOR_KEY, View, cached_build, page_view
from zi_data.reporting import charts
from zi_data.store.counting_rule import rule_label
from zi_data.base.months import MONTHS
from zi_data.base.safe_text import html_table, markdown_text

# Every page: code (a file name) no smaller than 14 px; the file uploader in Indonesian (Streamlit writes "Upload"
# and "20MB per file • XLSX": their text is hidden and replaced by CSS content; the button's own text stays, at no
# size, as its accessible name; the kinds of file are in each uploader's label); on a narrow screen (a phone) no toolbar over
# a chart's or table's content (a touch would open it over the month header).
UPLOAD_BUTTON_TEXT = "Pilih berkas"
UPLOAD_LIMIT_TEXT = "paling besar {mb} MB per berkas"
PAGE_CSS = """
<style>
[data-testid="stMain"] code { font-size: max(14px, 0.9em); }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {
  position: absolute; width: 0; height: 0; margin: 0; overflow: hidden; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {
  content: "UPLOAD_BUTTON"; font-size: 1rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; visibility: hidden; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "UPLOAD_LIMIT"; font-size: 14px; visibility: visible; }
@media (max-width: 640px) {
  .modebar-container, [data-testid="stElementToolbar"] { display: none !important; }
}
</style>
"""
ALL_COLUMNS_KEY, ALL_COLUMNS_LABEL = "tabel_semua_kolom", "Tampilkan semua kolom"
ALL_COLUMNS_HELP = ("Tabel di halaman ini menampilkan kolom utama agar muat di layar tanpa digeser ke samping. "
                    "Nyalakan untuk menampilkan semua kolom, juga di unduhan CSV tabel.")
PROJECTOR_TEXT_LIMIT = 90  # characters of a table cell shown in projector mode
PROJECTOR_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 22px; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: clamp(32px, 3.2vw, 56px) !important; line-height: 1.2; }
[data-testid="stMetricLabel"] p { font-size: 22px !important; }
[data-testid="stMetric"] [data-testid="stMarkdownContainer"], [data-testid="stMetric"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
h1 { font-size: 40px !important; }
h2, h3 { font-size: 30px !important; }
[data-testid="stTable"] table { font-size: 20px; }
.zi-table-scroll { overflow-x: auto; margin-bottom: 1rem; }
table.zi-table { font-size: 19px; border-collapse: collapse; width: 100%; color: #111; }
table.zi-table th, table.zi-table td { border: 1px solid #BDBDBD; padding: 4px 6px; text-align: left;
  vertical-align: top; white-space: normal; overflow-wrap: anywhere; }
table.zi-table td.zi-nowrap { white-space: nowrap; overflow-wrap: normal; }
table.zi-table th { background: #F0F2F6; }
[data-testid="stCaptionContainer"] { font-size: 20px !important; color: #222 !important; opacity: 1 !important; }
.block-container { padding-top: 2.5rem; padding-left: 32px !important; padding-right: 32px !important; }
</style>
"""
# Every page: a figure card's label and value wrap instead of ending in "…" (the label says what the value counts;
# no tooltip needed; at 1024 px with the sidebar open a third of the width does not hold "Belum terpenuhi").
METRIC_CSS = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] p, [data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>
"""


def start_page(title: str) -> View:
    """Every page starts here: the sidebar (filters, then sign-in outside projector mode), the header, the data."""
    view = page_view(title)
    if not view.projector:
        sign_in_panel()
    page_header(title, view)
    return view


def page_header(title: str, view: View) -> None:
    limit = UPLOAD_LIMIT_TEXT.format(mb=st.get_option("server.maxUploadSize"))
    st.html(PAGE_CSS.replace("UPLOAD_BUTTON", UPLOAD_BUTTON_TEXT).replace("UPLOAD_LIMIT", limit))
    st.html(PROJECTOR_CSS if view.projector else METRIC_CSS)
    st.title(title)
    # The office, team and area names come from the uploaded plan: shown as text, never as markdown.
    st.caption(f"**{markdown_text(view.office)}** · Rencana Aksi Zona Integritas {view.year} · "
               f"posisi s.d. **{MONTHS[view.as_of_month - 1]} {view.year}** · {markdown_text(view.filters_text)} · "
               f"{rule_label(view.counting_rule)}")


def show_table(frame: pd.DataFrame, view: View, projector_columns: list[str] | None = None,
               **dataframe_options) -> None:
    """An interactive table; in projector mode a plain one in the large projector type, with only
    `projector_columns` (when given), long texts shortened and IDs on one line.

    Not st.table: it reads each cell as markdown, and the cells hold user text (Catatan, plan texts).
    """
    if view.projector:
        shown = frame[projector_columns] if projector_columns else frame
        shown = shown.map(lambda value: value[:PROJECTOR_TEXT_LIMIT - 1].rstrip() + "…"
                          if isinstance(value, str) and len(value) > PROJECTOR_TEXT_LIMIT else value)
        st.html(f'<div class="zi-table-scroll">{html_table(shown, nowrap=("ID",))}</div>')
    else:
        shown_table(frame, **dataframe_options)


def all_columns_toggle(view: View) -> bool:
    """Whether the page's tables show every column. In projector mode yes: show_table keeps the projector's
    columns. Otherwise the toggle "Tampilkan semua kolom", off by default: off, each table shows the columns a
    meeting reads, so that none hides behind a sideways scroll even in a 1024-px window with the sidebar open
    (#23); on, every column (and so the table's own CSV download), scrolling sideways where the window is narrow."""
    return view.projector or st.toggle(ALL_COLUMNS_LABEL, key=ALL_COLUMNS_KEY, help=ALL_COLUMNS_HELP)


def all_columns_button() -> None:
    """In projector mode: one click shows every column and the full texts (projector mode off)."""
    st.button("Tampilkan semua kolom dan teks lengkap", icon=":material/table_view:", key="semua_kolom",
              on_click=lambda: st.session_state.update({PROJECTOR_KEY: False}))


def chart(figure, key: str, on_select=None) -> None:
    """A chart with the toolbar's PNG download; `on_select` (a callback) is called when a point is clicked."""
    selection = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    st.plotly_chart(figure, key=key, width="stretch", **selection,
                    config={"displaylogo": False, "locale": "id",
                            "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}})


def view_chart(view: View, name: str, build, on_select=None) -> None:
    """A chart of the view's data: `build()` runs once per stored state, filters, page and chart `name`; the
    figure is shared by every session."""
    chart(cached_build((view.filters, view.page), name, build, shared=True), name, on_select)


def empty_chart_note(title: str, text: str) -> None:
    """Instead of a chart of zeros (or above a Kurva S with nothing realised): what fills it."""
    st.info(f"**{title}**: {text}", icon=":material/bar_chart:")


def completion_chart(view: View, name: str, table: pd.DataFrame, title: str, frozen: bool = False,
                     **options) -> None:
    """Completion bars of `table` (status.completion's columns); when nothing in it is done, instead of bars of
    "0,0 %", a note saying what fills the chart (`frozen`: a meeting's snapshot, where nothing can be uploaded)."""
    if charts.nothing_done(table):
        empty_chart_note(title, charts.FROZEN_NOTHING_DONE_TEXT if frozen
                         else charts.empty_chart_text(view.has_progress))
        return
    view_chart(view, name, lambda: charts.completion_bars(table, title, view.projector, **options))


def kurva_s_chart(view: View, name: str, kurva: pd.DataFrame, as_of_month: int, nothing_done: bool,
                  frozen: bool = False) -> None:
    """Kurva S (status.kurva_s's table); with `nothing_done`, its plan line alone (what is due by when still reads)
    under a note saying what draws the realisation (`frozen`: a meeting's snapshot)."""
    if nothing_done:
        empty_chart_note("Kurva S", charts.FROZEN_NOTHING_REALISED_TEXT if frozen
                         else charts.empty_chart_text(view.has_progress, appears="garis realisasinya"))
    view_chart(view, name, lambda: charts.kurva_s_chart(kurva, as_of_month, view.projector,
                                                        realised=not nothing_done))
