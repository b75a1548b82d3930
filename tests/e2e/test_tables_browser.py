"""Interactive tables and messages at 1920×1080, 1366×768 and 1024×768 (#23), on every page a visitor is listed,
with a year of progress (`progress_server`):

- no st.dataframe hides a column behind a sideways scroll: its scroller's scrollWidth is at most its
  clientWidth (app_pages/frame/tables.shown_table fits the columns, zi_data/reporting/table_fit.py);
- no message (st.error, st.warning, st.info, st.success) is cut off: page_texts' `truncated`.

The sidebar is open at all three sizes, so 1024 px leaves a table 564 px. A page whose tables have more columns
than fit there shows the columns a meeting reads, merged where related, with the toggle "Tampilkan semua kolom"
off (app_pages/frame/chrome.all_columns_toggle), as measured here. A table that is still too wide is listed in
TOO_WIDE with the reason (none is now); each is expected to fail (strict), so one that comes to fit says so.
"""

import json

import pytest

from streamlit_helpers import ARTIFACTS_DIR, PAGES, dataframes, open_page, page_texts

pytestmark = pytest.mark.browser

SIZES = ((1920, 1080), (1366, 768), (1024, 768))
CASES = [(w, h, path) for w, h in SIZES for path in PAGES]
CASE_IDS = [f"{PAGES[path]}-{w}x{h}".replace(" ", "_") for w, h, path in CASES]
MESSAGES = ("stAlertContentError", "stAlertContentWarning", "stAlertContentInfo", "stAlertContentSuccess")
REPORT = ARTIFACTS_DIR / "table_widths.json"
# (width, path): why that page's tables are still wider than the window at that width.
TOO_WIDE: dict[tuple[int, str], str] = {}


@pytest.fixture(scope="module")
def measured(progress_server, browser_context):
    results: dict[str, dict] = {}

    def measure(width: int, height: int, path: str) -> dict:
        key = f"{PAGES[path]}-{width}x{height}"
        if key not in results:
            page = browser_context.new_page()
            try:
                page.set_viewport_size({"width": width, "height": height})
                open_page(page, progress_server, path)
                results[key] = {"tables": dataframes(page),
                                "cut_messages": [t["text"] for t in page_texts(page)
                                                 if t["truncated"] and t["testid"] in MESSAGES]}
            finally:
                page.close()
        return results[key]

    yield measure
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(results, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("width,height,path", [
    pytest.param(w, h, path, marks=pytest.mark.xfail(reason=TOO_WIDE[(w, path)], strict=True))
    if (w, path) in TOO_WIDE else (w, h, path) for w, h, path in CASES], ids=CASE_IDS)
def test_no_table_hides_a_column(measured, width, height, path):
    wide = [table for table in measured(width, height, path)["tables"]
            if table and table["scrollWidth"] > table["clientWidth"]]
    assert not wide, f"tables scrolling sideways (scrollWidth > clientWidth): {wide}"


@pytest.mark.parametrize("width,height,path", CASES, ids=CASE_IDS)
def test_no_message_is_cut(measured, width, height, path):
    cut = measured(width, height, path)["cut_messages"]
    assert not cut, f"messages cut off: {cut}"
