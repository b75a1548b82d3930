"""Projector mode measured in Chromium at 1024×768 and 1920×1080 (the issue's acceptance criteria).

- chart text at least 18 px as drawn (Plotly's shrink-to-fit transforms included);
- each chart fully visible on one screen: scrolled so its bottom edge meets the bottom of the
  window, its top is still below the app's header bar, and it is no wider than the window;
- contrast at least 4.5:1 for chart text against the chart background and for the page's text
  against the page background (WCAG 2 relative luminance);
- no chart label cut off at the chart's edge or overlapping another label;
- the page's own text (headings, captions, metrics, paragraphs) at least 18 px, never cut off with
  an ellipsis, and the metric values at least 32 px;
- on every monev page (Bukti Tertunggak too), nothing wider than the window: neither the page, nor
  Streamlit's main area, nor any table's box (scrollWidth against clientWidth), nor any chart's SVG;
  table text at least 18 px and every ID cell on one line. Ringkasan is measured with Juni as the
  as-of month, so its table of next month's langkah aksi is shown.

Matriks 12 Bulan draws one chart per area. In projector mode (no hover) its rows are labelled with the ID and
the start of the langkah aksi cut at a word ("V-1-1 · Sosialisasi…", 19 px), so the 12 month columns still get
most of the chart's width, and each cell's symbol must contrast with the cell's colour. Rows are 27 px: the
tallest area (V, 19 rows) is 673 px with a three-line legend, which fits the 685 px below the header bar at
1024×768 as well as at 1920×1080; an area with more than 19 rows would not fit at 1024×768, and this test would
say so.

Projector mode starts with the sidebar collapsed (the charts get the whole width); the sidebar, with
the projector toggle, opens with the button in the header.

The values measured are written to test-artifacts/projector_measurements.json and
test-artifacts/projector_overflow.json.
"""

import json
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from zi_data.monev import monev
from zi_data.reporting.charts import MATRIX_PROJECTOR_LABEL_CHARS
from helpers import new_store
from measure_helpers import (LAYOUT_JS, MIN_CHART_FONT_PX, MIN_CONTRAST, contrast_ratio, hidden_columns,
                             measure_chart, page_texts, px, sideways, small_texts)
from streamlit_helpers import (APP_TIMEOUT_MS, ARTIFACTS_DIR, PageViews, charts, content_height, main_expanders,
                               open_expander, open_page, sidebar_nav_labels, wait_for_app)

pytestmark = pytest.mark.browser

VIEWPORTS = ((1024, 768), (1920, 1080))
CHART_PAGES = {"": "ringkasan", "matriks": "matriks", "capaian": "capaian", "rapat-monev": "rapat_monev"}
CASES = [(w, h, path) for w, h in VIEWPORTS for path in CHART_PAGES]
CASE_IDS = [f"{CHART_PAGES[path]}-{w}x{h}" for w, h, path in CASES]
MONEV_PAGES = {**CHART_PAGES, "bukti-tertunggak": "bukti_tertunggak"}
MONEV_PARAMS = {"": {"bulan": "Juni"}}  # Ringkasan's table lists the langkah aksi due in the month after
MONEV_CASES = [(w, h, path) for w, h in VIEWPORTS for path in MONEV_PAGES]
MONEV_CASE_IDS = [f"{MONEV_PAGES[path]}-{w}x{h}" for w, h, path in MONEV_CASES]
TABLE_PAGES = ("", "capaian", "bukti-tertunggak", "rapat-monev")  # the monev pages that show tables
TEAM_LIST_PAGES = ("bukti-tertunggak", "rapat-monev")  # the overdue list per team, each team's rows behind a click
MAX_SCREENS = 3  # the projector's Bukti Tertunggak before any progress, in screens of the window's height
MIN_PAGE_FONT_PX = 18.0
MIN_METRIC_FONT_PX = 32.0  # the headline numbers, larger than the text around them
MIN_GRID_SHARE = 0.6       # Matriks: the 12 month columns take at least this share of the chart's width
REPORT = ARTIFACTS_DIR / "projector_measurements.json"
OVERFLOW_REPORT = ARTIFACTS_DIR / "projector_overflow.json"

MATRIX_MEASURE_JS = r"""
(chart) => {
  // The plot area (the 12 month columns), the row labels, and each state's cell colour with its symbols' colour.
  const grid = chart.querySelector('.nsewdrag').getBoundingClientRect();
  const rows = [...chart.querySelectorAll('.ytick text')].map(t => t.textContent);
  const cells = [...chart.querySelectorAll('g.trace.scatter')].map(trace => {
    const point = trace.querySelector('path.point');
    const symbol = trace.querySelector('g.textpoint text');
    return point && symbol ? {symbol: symbol.textContent, cell: getComputedStyle(point).fill,
                              ink: getComputedStyle(symbol).fill} : null;
  }).filter(Boolean);
  return {gridLeft: grid.left, gridWidth: grid.width, rowLabels: rows, cells: cells};
}
"""


@pytest.fixture(scope="module", autouse=True)
def monev_meeting(data_dir):
    """Rapat Monev shows a meeting (its frozen charts, overdue list and follow-ups): one is recorded, as of Juni."""
    store = new_store(data_dir)
    if monev.meetings(store).empty:
        meeting_id = monev.record_meeting(store, held_on=date(2025, 7, 10), kind="semester", chair="Ketua KPU",
                                          participants="", participant_count=12, as_of_month=6, notes="", by="uji")
        monev.add_follow_up(store, action="Lengkapi bukti dukung yang tertunggak sebelum rapat berikutnya",
                            team="Tim Pengawasan", due_on=date(2025, 8, 31), item_id="V-1-1", by="uji",
                            meeting_id=meeting_id)


@pytest.fixture(scope="module")
def measured(app_server, progress_server, browser_context):
    """Measure each (viewport, page) once, on first use; write everything measured to REPORT at the end. Every page
    with a year of progress (progress_server: charts with every state drawn), Rapat Monev with this module's meeting
    (app_server, whose data other modules may or may not have filled yet: its frozen charts are drawn either way)."""
    results: dict[tuple[int, int, str], dict] = {}

    def measure(width: int, height: int, path: str) -> dict:
        key = (width, height, path)
        if key not in results:
            page = browser_context.new_page()
            try:
                page.set_viewport_size({"width": width, "height": height})
                open_page(page, app_server if path == "rapat-monev" else progress_server, path, proyektor="true")
                found = charts(page).all()
                measured_charts = [measure_chart(chart) for chart in found]
                if path == "matriks":
                    for chart, values in zip(found, measured_charts):
                        values["matrix"] = chart.evaluate(MATRIX_MEASURE_JS)
                results[key] = {"charts": measured_charts, "page_texts": page_texts(page)}
            finally:
                page.close()
        return results[key]

    yield measure
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(_summary(results), indent=2, ensure_ascii=False))


def _summary(results: dict) -> list[dict]:
    rows = []
    for (width, height, path), result in sorted(results.items()):
        for index, chart in enumerate(result["charts"]):
            sizes = [t["renderedPx"] for t in chart["texts"]]
            ratios = [_chart_text_contrast(t, chart["paper"]) for t in chart["texts"]]
            rows.append({"viewport": f"{width}x{height}", "page": CHART_PAGES[path], "chart": index + 1,
                         "title": _chart_title(chart), "width_px": round(chart["width"], 1),
                         "height_px": round(chart["height"], 1),
                         "visible_height_px": round(chart["innerHeight"] - chart["headerBottom"], 1),
                         "top_px": round(chart["top"], 1), "bottom_px": round(chart["bottom"], 1),
                         "min_font_px": round(min(sizes), 2) if sizes else None,
                         "font_sizes_px": sorted({round(s, 1) for s in sizes}),
                         "min_contrast": round(min(ratios), 2) if ratios else None,
                         **(_matrix_summary(chart) if "matrix" in chart else {})})
        texts = result["page_texts"]
        if texts:
            rows.append({"viewport": f"{width}x{height}", "page": CHART_PAGES[path], "chart": None,
                         "page_text_min_font_px": min(px(t["fontSize"]) for t in texts),
                         "page_text_min_contrast": round(min(_page_text_contrast(t) for t in texts), 2)})
    return rows


def _matrix_summary(chart: dict) -> dict:
    matrix = chart["matrix"]
    return {"rows": len(matrix["rowLabels"]), "grid_width_px": round(matrix["gridWidth"], 1),
            "grid_share": round(matrix["gridWidth"] / chart["width"], 3),
            "longest_row_label": max(matrix["rowLabels"], key=len, default=""),
            "min_symbol_contrast": round(min((contrast_ratio(c["ink"], c["cell"]) for c in matrix["cells"]),
                                             default=float("nan")), 2)}


def _chart_title(chart: dict) -> str:
    titles = [t["text"] for t in chart["texts"] if "gtitle" in t["cls"]]
    return titles[0] if titles else ""


def _chart_text_contrast(text: dict, paper: str) -> float:
    opacity = float(text.get("opacity") or 1) * float(text.get("fillOpacity") or 1)
    return contrast_ratio(text["fill"], paper or "rgb(255, 255, 255)", opacity)


def _page_text_contrast(text: dict) -> float:
    return contrast_ratio(text["color"], text["background"], float(text["opacity"]))


@pytest.mark.parametrize("width,height,path", CASES, ids=CASE_IDS)
def test_projector_chart_text_at_least_18px(measured, width, height, path):
    result = measured(width, height, path)
    assert result["charts"], "no charts on the page"
    for chart in result["charts"]:
        assert chart["texts"], f"chart {_chart_title(chart)!r} has no text"
        small = [(t["text"], round(t["renderedPx"], 1), t["cls"]) for t in chart["texts"]
                 if t["renderedPx"] < MIN_CHART_FONT_PX - 0.01]
        assert not small, f"chart {_chart_title(chart)!r}: text under {MIN_CHART_FONT_PX} px: {small[:10]}"


@pytest.mark.parametrize("width,height,path", CASES, ids=CASE_IDS)
def test_projector_charts_fit_one_screen(measured, width, height, path):
    for chart in measured(width, height, path)["charts"]:
        name = _chart_title(chart) or "(untitled)"
        visible_top = chart["headerBottom"]
        assert chart["height"] <= chart["innerHeight"] - visible_top + 0.5, \
            f"{name}: {chart['height']:.0f} px tall, only {chart['innerHeight'] - visible_top:.0f} px visible"
        assert chart["top"] >= visible_top - 0.5, f"{name}: top {chart['top']:.0f} px is under the header"
        assert chart["bottom"] <= chart["innerHeight"] + 0.5, f"{name}: bottom {chart['bottom']:.0f} px off screen"
        assert chart["left"] >= -0.5 and chart["right"] <= chart["docWidth"] + 0.5, \
            f"{name}: {chart['left']:.0f}–{chart['right']:.0f} px does not fit {chart['docWidth']} px"


def _overlaps(a: dict, b: dict, tolerance: float = 1.0) -> bool:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width > tolerance and height > tolerance


@pytest.mark.parametrize("width,height,path", CASES, ids=CASE_IDS)
def test_projector_chart_text_not_cut_off_or_overlapping(measured, width, height, path):
    """Every label lies inside its chart (nothing clipped at the edge) and no two labels overlap."""
    for chart in measured(width, height, path)["charts"]:
        name = _chart_title(chart) or "(untitled)"
        outside = [(t["text"], round(t["left"]), round(t["right"])) for t in chart["texts"]
                   if t["left"] < chart["left"] - 1 or t["right"] > chart["right"] + 1
                   or t["top"] < chart["top"] - 1 or t["bottom"] > chart["bottom"] + 1]
        assert not outside, f"{name}: labels cut off at the chart's edge ({chart['left']:.0f}–{chart['right']:.0f}): {outside[:5]}"
        texts = chart["texts"]
        clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:] if _overlaps(a, b)]
        assert not clashes, f"{name}: overlapping labels: {clashes[:5]}"


@pytest.mark.parametrize("width,height,path", CASES, ids=CASE_IDS)
def test_projector_chart_text_contrast(measured, width, height, path):
    for chart in measured(width, height, path)["charts"]:
        low = [(t["text"], t["fill"], round(_chart_text_contrast(t, chart["paper"]), 2)) for t in chart["texts"]
               if _chart_text_contrast(t, chart["paper"]) < MIN_CONTRAST]
        assert not low, f"chart {_chart_title(chart)!r} on {chart['paper']}: contrast under {MIN_CONTRAST}: {low[:10]}"


@pytest.mark.parametrize("width,height,path", CASES, ids=CASE_IDS)
def test_projector_page_text_large_and_contrasting(measured, width, height, path):
    texts = measured(width, height, path)["page_texts"]
    assert texts, "no text found on the page"
    low = [(t["text"], t["testid"], t["color"], t["background"], t["opacity"], round(_page_text_contrast(t), 2))
           for t in texts if _page_text_contrast(t) < MIN_CONTRAST]
    assert not low, f"page text with contrast under {MIN_CONTRAST}: {low[:10]}"
    small = [(t["text"], t["testid"], t["fontSize"]) for t in texts if px(t["fontSize"]) < MIN_PAGE_FONT_PX]
    assert not small, f"page text under {MIN_PAGE_FONT_PX} px in projector mode: {small[:10]}"
    cut = [t["text"] for t in texts if t["truncated"]]
    assert not cut, f"text cut off with an ellipsis in projector mode: {cut[:10]}"
    values = [t for t in texts if t["testid"] == "stMetricValue"]
    if path == "":
        assert values, "no metric values on Ringkasan"
    small_values = [(t["text"], t["fontSize"]) for t in values if px(t["fontSize"]) < MIN_METRIC_FONT_PX]
    assert not small_values, f"metric values under {MIN_METRIC_FONT_PX} px: {small_values}"


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_projector_matrix_months_get_the_width(measured, width, height):
    """Rows labelled by ID and the start of the step, so the room can follow without a hover, and the 12 month
    columns still take most of each area's chart."""
    matrices = measured(width, height, "matriks")["charts"]
    assert len(matrices) == 6, f"expected one matrix per area (6), found {len(matrices)}"
    for index, chart in enumerate(matrices, start=1):
        matrix = chart["matrix"]
        for label in matrix["rowLabels"]:
            item_id, _, step = label.partition(" · ")
            assert re.fullmatch(r"[IV]+-\d+-\d+", item_id) and step, f"matrix {index}: {label!r} is not 'ID · step'"
            assert len(step) <= MATRIX_PROJECTOR_LABEL_CHARS, f"matrix {index}: {label!r} is longer than its room"
        share = matrix["gridWidth"] / chart["width"]
        assert share >= MIN_GRID_SHARE, \
            f"matrix {index}: the months get {matrix['gridWidth']:.0f} of {chart['width']:.0f} px ({share:.0%})"
    assert any(label.endswith("…") for chart in matrices for label in chart["matrix"]["rowLabels"])


@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_projector_matrix_symbols_contrast_with_their_cells(measured, width, height):
    for index, chart in enumerate(measured(width, height, "matriks")["charts"], start=1):
        cells = chart["matrix"]["cells"]
        assert cells, f"matrix {index} has no cells"
        low = [(c["symbol"], c["ink"], c["cell"], round(contrast_ratio(c["ink"], c["cell"]), 2)) for c in cells
               if contrast_ratio(c["ink"], c["cell"]) < MIN_CONTRAST]
        assert not low, f"matrix {index}: symbols with contrast under {MIN_CONTRAST} on their cell: {low}"



@pytest.fixture(scope="module")
def measured_overflow(app_server, browser_context):
    """What scrolls sideways on each (viewport, monev page): each page opened once (LAYOUT_JS at 1024×768, then
    resized to 1920×1080); all of it written to OVERFLOW_REPORT."""
    def open_team_list(page, _base_url, path):
        if path in TEAM_LIST_PAGES:  # the overdue rows per team, one click away: one team's opened
            open_expander(page, main_expanders(page).first)

    views = PageViews(browser_context, LAYOUT_JS, prepare=open_team_list)

    def measure(width: int, height: int, path: str) -> dict:
        return views(app_server, path, VIEWPORTS, proyektor="true", **MONEV_PARAMS.get(path, {}))[(width, height)]

    yield measure
    views.close()
    OVERFLOW_REPORT.parent.mkdir(parents=True, exist_ok=True)
    OVERFLOW_REPORT.write_text(json.dumps({
        f"{MONEV_PAGES[path]}-{width}x{height}": {name: value for name, value in result.items()
                                                  if name not in ("page_texts", "chart_texts")}
        for (_server, path, _sizes, _params), sizes in sorted(views.results.items())
        for (width, height), result in sizes.items()}, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("width,height,path", MONEV_CASES, ids=MONEV_CASE_IDS)
def test_projector_nothing_wider_than_the_window(measured_overflow, width, height, path):
    result = measured_overflow(width, height, path)
    assert not sideways(result), sideways(result)
    if path in TABLE_PAGES:
        assert result["tables"], "no table on the page"
    assert not hidden_columns(result), hidden_columns(result)
    for table in result["tables"]:
        assert table["right"] <= result["viewportWidth"] + 0.5, \
            f"table {table['index'] + 1} ({table['heading']!r}) ends at {table['right']:.0f} px"
    for index, svg in enumerate(result["svgs"], start=1):
        assert svg["left"] >= -0.5 and svg["right"] <= result["viewportWidth"] + 0.5, \
            f"chart SVG {index}: {svg['left']:.0f}–{svg['right']:.0f} px, the window is {result['viewportWidth']} px"


@pytest.mark.parametrize("width,height,path", MONEV_CASES, ids=MONEV_CASE_IDS)
def test_projector_tables_large_with_ids_on_one_line(measured_overflow, width, height, path):
    result = measured_overflow(width, height, path)
    small = small_texts(result, MIN_PAGE_FONT_PX)  # the page's, the tables' and the charts'
    assert not small, f"text under {MIN_PAGE_FONT_PX} px in projector mode: {small[:10]}"
    for table in result["tables"]:
        assert not table["wrappedIds"], \
            f"table {table['index'] + 1} ({table['heading']!r}): IDs on more than one line: {table['wrappedIds'][:10]}"
    if path == "bukti-tertunggak":  # the overdue item-months per team; the overdue follow-ups' table starts with
        overdue = [table for table in result["tables"] if table["heading"] != "Tindak lanjut"]  # what, not an ID
        assert overdue and len(overdue) < len(result["tables"]), "the overdue item-months and follow-ups are shown"
        assert all(table["idCells"] for table in overdue), "a table of overdue items without its ID column"

@pytest.fixture
def own_context_page(browser):
    """A page in a browser context of its own: Streamlit remembers (in localStorage) that the sidebar was
    opened by hand and opens it on every later page of the context, which must not reach other tests."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID",
                                  timezone_id="Asia/Jakarta")
    context.set_default_timeout(APP_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_projector_starts_with_the_sidebar_collapsed(app_server, own_context_page):
    page = own_context_page
    open_page(page, app_server, "", proyektor="true")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(sidebar).not_to_be_in_viewport()
    # The charts take the whole width left by the page's margins.
    assert measure_chart(charts(page).first)["width"] >= 1024 - 2 * 32 - 1

    # The sidebar, with the projector toggle, is one click away.
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    toggle = sidebar.locator('[data-testid="stCheckbox"]').filter(has_text="Mode proyektor")
    expect(toggle).to_be_in_viewport()
    expect(toggle.get_by_role("switch")).to_be_checked()
    assert "Matriks 12 Bulan" in sidebar_nav_labels(page)

    # Switched off there, the page is shown as usual: the editing pages are back in the navigation.
    toggle.locator("label").click()
    wait_for_app(page, sidebar.locator('[data-testid="stSidebarNav"]').get_by_text("Perbarui Progres", exact=True))
    expect(toggle.get_by_role("switch")).not_to_be_checked()
    expect(sidebar).to_have_attribute("data-collapsed", "false")


def test_projector_all_columns_one_click_away(app_server, page):
    """Projector mode shows the columns a meeting reads; one click shows every column (projector mode off)."""
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, app_server, "bukti-tertunggak", proyektor="true")
    team = main_expanders(page).filter(has_text="Daftar lengkap").first
    expect(open_expander(page, team).locator("th")).to_have_text(
        ["ID", "Langkah Aksi", "Bulan", "Hari Terlambat", "Status Terakhir"])
    page.get_by_role("button", name="Tampilkan semua kolom dan teks lengkap").click()
    wait_for_app(page, page.get_by_role("button", name="Unduh daftar (Excel)"))
    expect(page.locator("table.zi-table")).to_have_count(0)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert "proyektor=true" not in page.url


def test_projector_overdue_per_team_before_any_progress_fits_three_screens(empty_server, page):
    """Bukti Tertunggak before any progress (610 overdue item-months at the end of 2025): per team its count, its
    oldest item-months and how many more; each team's rows one click away. At 1024×768 the page is at most three
    screens high."""
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, empty_server, "bukti-tertunggak", proyektor="true")
    expect(page.get_by_text("bulan-kegiatan terlambat dari")).to_be_visible()
    lines = page.locator('[data-testid="stMain"] p').filter(has_text=re.compile(r"^Terlama: "))
    teams = main_expanders(page)
    expect(teams.first).to_be_visible()
    assert lines.count() == teams.count() > 1
    counts = [int(re.search(r"\((\d+)\)\s*$", label).group(1)) for label in teams.locator("summary").all_inner_texts()]
    for line, count in zip(lines.all_inner_texts(), counts):
        assert line.count(" hari)") == min(count, 3), line  # the oldest three item-months ...
        assert line.endswith(f"… dan {count - 3} lainnya") if count > 3 else "lainnya" not in line  # ... and the rest
    assert sum(counts) > 500  # the whole overdue list, told in a few lines
    expect(page.locator("table.zi-table")).to_have_count(0)  # no row drawn until a team is opened
    height = content_height(page)
    print(f"projector Bukti Tertunggak before any progress: {height:.0f} px high at 1024×768")
    assert height <= MAX_SCREENS * 768, f"{height:.0f} px: more than {MAX_SCREENS} screens of 768 px"
    rows = open_expander(page, teams.first).locator("tbody tr")
    assert rows.count() == counts[0]  # the team's full list


def test_projector_meeting_leads_with_its_decisions(app_server, page):
    """Rapat Monev on the projector: the figures, then the follow-ups, then the overdue list per team (counts,
    collapsed), then the charts."""
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, app_server, "rapat-monev", proyektor="true")
    main = page.locator('[data-testid="stMain"]')

    def top(locator) -> float:
        expect(locator.first).to_be_visible()
        return locator.first.evaluate("(el) => el.getBoundingClientRect().top + "
                                      "document.querySelector('[data-testid=\"stMain\"]').scrollTop")

    figures = top(main.locator('[data-testid="stMetric"]'))
    follow_ups = top(main.locator("h2").filter(has_text="Tindak lanjut"))
    overdue = top(main.locator("h2").filter(has_text="Bukti tertunggak saat rapat"))
    chart = top(main.locator('[data-testid="stPlotlyChart"]'))
    assert figures < follow_ups < overdue < chart
    assert follow_ups < 2 * 768, "the follow-ups are not within the first two screens"
    teams = main_expanders(page)
    assert teams.count() > 1 and all(re.search(r" · \d+ bulan-kegiatan$", label.strip())
                                     for label in teams.locator("summary").all_inner_texts())
    expect(main.locator("table.zi-table").filter(has_text="Langkah Aksi")).to_have_count(0)
    expect(open_expander(page, teams.first).locator("th")).to_have_text(
        ["ID", "Langkah Aksi", "Bulan", "Hari Terlambat"])
