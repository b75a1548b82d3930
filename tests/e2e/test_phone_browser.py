"""Every page on a phone (390×844) in Chromium, as people in a meeting follow it (#23).

Each page a visitor is listed (streamlit_helpers.PAGES), in both states: the empty data directory
(`app_server`) and a year of progress (`progress_server`, the example workbook imported). Measured:

- nothing wider than the window: neither the page nor Streamlit's main area scrolls sideways, and no
  chart's SVG reaches past the window (OVERFLOW_JS);
- the page's own text at least 14 px (page_texts: headings, captions, paragraphs, labels, Matriks's
  month cells) and never cut off with an ellipsis;
- no text drawn over other text, and no toolbar over a chart's or table's content, even after a touch
  on the element (OVERLAP_JS);
- Matriks shows its step blocks (twelve month cells each) instead of the charts, whose row labels and
  twelve columns do not fit 390 px.

Screenshots of Ringkasan and Matriks with the example progress are written to
test-artifacts/screenshots/phone_*.png (scripts/take_screenshots.py takes the docs' copies).
"""

import json

import pytest
from playwright.sync_api import expect

from streamlit_helpers import (ARTIFACTS_DIR, PAGES, charts, open_page, overflow, overlaps, page_texts, px,
                               wait_for_app)

pytestmark = pytest.mark.browser

PHONE = (390, 844)
MIN_PHONE_FONT_PX = 14.0
STATES = ("kosong", "contoh")  # the empty data directory; the example progress
CASES = [(state, path) for state in STATES for path in PAGES]
CASE_IDS = [f"{PAGES[path] or 'ringkasan'}-{state}".replace(" ", "_") for state, path in CASES]
REPORT = ARTIFACTS_DIR / "phone_measurements.json"
SCREENSHOTS = {"": "phone_ringkasan_390x844.png", "matriks": "phone_matriks_390x844.png"}
TOUCHED = '[data-testid="stPlotlyChart"], [data-testid="stDataFrame"]'


@pytest.fixture(scope="module")
def measured(app_server, progress_server, browser_context, screenshot_dir):
    """Measure each (state, page) once, on first use; everything measured is written to REPORT at the end."""
    servers = {"kosong": app_server, "contoh": progress_server}
    results: dict[tuple[str, str], dict] = {}

    def measure(state: str, path: str) -> dict:
        if (state, path) not in results:
            page = browser_context.new_page()
            try:
                page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
                open_page(page, servers[state], path)
                if state == "contoh" and path in SCREENSHOTS:
                    page.screenshot(path=str(screenshot_dir / SCREENSHOTS[path]))
                result = {**overflow(page), "page_texts": page_texts(page), **overlaps(page),
                          "charts_shown": sum(chart.is_visible() for chart in charts(page).all()),
                          "step_blocks": page.locator(".zm-step").evaluate_all(
                              "blocks => blocks.filter(b => b.checkVisibility()).length"),
                          "month_cells": page.locator(".zm-row li").count()}
                touched = page.locator(TOUCHED).first
                if touched.count() and touched.is_visible():
                    touched.hover()  # a touch opens the toolbars a mouse would
                    result["toolbars_after_touch"] = overlaps(page)["visibleToolbars"]
                results[(state, path)] = result
            finally:
                page.close()
        return results[(state, path)]

    yield measure
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({f"{PAGES[path]}-{state}": {key: value for key, value in result.items()
                                                             if key != "page_texts"}
                                  for (state, path), result in sorted(results.items())}, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("state,path", CASES, ids=CASE_IDS)
def test_phone_nothing_wider_than_the_window(measured, state, path):
    result = measured(state, path)
    for name in ("page", "main"):
        box = result[name]
        assert box["scrollWidth"] <= box["clientWidth"], \
            f"the {name} scrolls sideways: {box['scrollWidth']} px of content in {box['clientWidth']} px"
    for index, svg in enumerate(result["svgs"], start=1):
        if svg["right"] - svg["left"] > 0:
            assert svg["left"] >= -0.5 and svg["right"] <= result["viewportWidth"] + 0.5, \
                f"chart SVG {index}: {svg['left']:.0f}–{svg['right']:.0f} px in a {result['viewportWidth']}-px window"


@pytest.mark.parametrize("state,path", CASES, ids=CASE_IDS)
def test_phone_text_at_least_14px_and_not_cut(measured, state, path):
    texts = measured(state, path)["page_texts"]
    assert texts, "no text found on the page"
    small = [(t["text"], t["testid"], t["fontSize"]) for t in texts if px(t["fontSize"]) < MIN_PHONE_FONT_PX]
    assert not small, f"text under {MIN_PHONE_FONT_PX} px on a phone: {small[:10]}"
    cut = [t["text"] for t in texts if t["truncated"]]
    assert not cut, f"text cut off with an ellipsis on a phone: {cut[:10]}"


@pytest.mark.parametrize("state,path", CASES, ids=CASE_IDS)
def test_phone_nothing_drawn_over_text(measured, state, path):
    result = measured(state, path)
    assert result["textBoxes"], "no text measured"
    assert not result["clashes"], f"text drawn over other text: {result['clashes'][:10]}"
    assert result["visibleToolbars"] == 0 and result.get("toolbars_after_touch", 0) == 0, \
        f"a toolbar over content: {result['visibleToolbars']} shown, {result.get('toolbars_after_touch')} after a touch"


@pytest.mark.parametrize("state", STATES)
def test_phone_matrix_is_one_block_per_step_with_twelve_months(measured, state):
    result = measured(state, "matriks")
    assert result["charts_shown"] == 0, "the matrix charts are shown at 390 px"
    assert result["step_blocks"] > 0 and result["month_cells"] == 12 * result["step_blocks"]


def test_the_matrix_charts_come_back_on_a_wide_screen(progress_server, new_page):
    """The blocks are only for narrow screens: at 1366 px the charts (with a click to the cell's detail) are shown."""
    page = new_page(1366, 768)
    open_page(page, progress_server, "matriks")
    expect(charts(page).first).to_be_visible()
    expect(page.locator(".zm-step").first).to_be_hidden()
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    wait_for_app(page, page.locator(".zm-step"))
    expect(charts(page).first).to_be_hidden()
