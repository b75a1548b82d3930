"""English left in the UI (#23): every visible word of every page, in Streamlit's own words, against an allow-list.

The dashboard speaks Indonesian; Streamlit writes some of its controls in English and has no Indonesian for
them. What the dashboard replaces is checked gone (the file uploader's "Upload" and "20MB per file • XLSX":
app_pages/frame/chrome.PAGE_CSS); what remains is listed, with why, in ALLOWED. Words are looked for among
ENGLISH_WORDS (the words of Streamlit's and Plotly's English UI), in the text a person sees on each page (main area
and sidebar), in both states: the empty data directory (`empty_server`) and a year of progress (`progress_server`);
and in the table toolbar's labels after a hover (its tooltips). Each page is read in one page.evaluate.
The words found are written to test-artifacts/english_words.json.
"""

import json
import re

import pytest

from streamlit_helpers import ARTIFACTS_DIR, PAGES, PageViews

pytestmark = pytest.mark.browser

ENGLISH_WORDS = {
    "upload", "browse", "files", "file", "drag", "drop", "here", "limit", "download", "search", "fullscreen",
    "show", "hide", "columns", "column", "csv", "running", "stop", "deploy", "rerun", "settings", "close",
    "open", "sidebar", "loading", "please", "wait", "copy", "select", "choose", "option", "options", "clear",
    "delete", "add", "row", "rows", "no", "results", "the", "and", "or", "with", "as", "to", "press", "enter",
    "apply", "view", "more", "less", "collapse", "expand", "none", "made", "streamlit", "print", "record",
}
# word: why it is still shown.
ALLOWED = {
    "per": "Indonesian too ('per area', 'per tim')",
    "to": "Streamlit's 'Skip to main content' link for keyboard users (off screen until focused)",
    "download": "Streamlit's table toolbar tooltip 'Download as CSV' (on hover): the toolbar writes cells "
                "formula-safe (tables.py) and has no Indonesian; replacing it needs a CSV button per table",
    "as": "the same tooltip ('Download as CSV')",
    "csv": "the same tooltip ('Download as CSV')",
    "search": "the table toolbar's 'Search' tooltip (on hover)",
    "fullscreen": "the table toolbar's 'Fullscreen' tooltip (on hover)",
    "show": "the table toolbar's 'Show/hide columns' tooltip (on hover)",
    "hide": "the same tooltip ('Show/hide columns')",
    "columns": "the same tooltip ('Show/hide columns')",
}
WORD = re.compile(r"[A-Za-z]+")
VISIBLE_TEXT_JS = r"""
() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    // Commands in code (the open-mode help's `python -m zi_data user add …`) are typed as written: not UI words.
    if (!node.textContent.trim() || el.closest('script, style, code, pre, [data-testid="stIconMaterial"]')) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || parseFloat(getComputedStyle(el).fontSize) < 1) continue;
    words.push(node.textContent);
  }
  return words.join(' ');
}
"""
TOOLBAR_LABELS_JS = """() => [...document.querySelectorAll('[data-testid="stElementToolbar"] button')]
    .map(b => b.getAttribute('aria-label') || b.textContent).join(' ')"""
SHOWN_JS = f"""() => ({{text: ({VISIBLE_TEXT_JS})(), toolbar: ({TOOLBAR_LABELS_JS})(),
    uploaders: document.querySelectorAll('[data-testid="stFileUploaderDropzone"]').length}})"""
REPORT = ARTIFACTS_DIR / "english_words.json"
UPLOADER_ENGLISH = ("Upload", "per file", "Browse files", "Drag and drop")
STATES = ("kosong", "contoh")  # the empty data directory; the example progress
CASES = [(state, path) for state in STATES for path in PAGES]
CASE_IDS = [f"{PAGES[path]}-{state}".replace(" ", "_") for state, path in CASES]


@pytest.fixture(scope="module")
def found(empty_server, progress_server, browser_context):
    servers = {"kosong": empty_server, "contoh": progress_server}

    def hover_a_table(page, _base_url, _path):
        table = page.locator('[data-testid="stDataFrame"]').first
        if table.count():
            table.hover()  # its toolbar, with the tooltips' labels

    views = PageViews(browser_context, SHOWN_JS, prepare=hover_a_table)
    results: dict[tuple[str, str], dict] = {}

    def words_on(state: str, path: str) -> dict:
        if (state, path) not in results:
            shown = views(servers[state], path, ((1366, 768),))[(1366, 768)]
            english = sorted({word.lower() for word in WORD.findall(f"{shown['text']} {shown['toolbar']}")}
                             & ENGLISH_WORDS)
            results[(state, path)] = {**shown, "english": english}
        return results[(state, path)]

    yield words_on
    views.close()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({f"{PAGES[path]}-{state}": {"english": result["english"]}
                                  for (state, path), result in results.items()}, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("state,path", CASES, ids=CASE_IDS)
def test_every_english_word_shown_is_allowed_with_a_reason(found, state, path):
    result = found(state, path)
    unexplained = {word: [result["text"][max(0, m.start() - 60):m.end() + 30]
                          for m in re.finditer(rf"(?i)\b{word}\b", result["text"])][:2]
                   for word in result["english"] if word not in ALLOWED}
    assert not unexplained, f"English words on {PAGES[path]} without a reason in ALLOWED: {unexplained}"


def test_the_file_uploader_speaks_indonesian(found):
    result = found("contoh", "perbarui-progres")
    assert result["uploaders"], "no file uploader on Perbarui Progres"
    shown = [text for text in UPLOADER_ENGLISH if text in result["text"]]
    assert not shown, f"the uploader still shows {shown}"
    assert "Pilih berkas" in result["text"] and "paling besar 20 MB per berkas" in result["text"]
