"""User text stays text on every page, in Chromium (issue #8 item 6).

The server (`hostile_server` in conftest.py) runs on a data directory where Catatan, Bukti Dukung,
the uploader's and the accounts' names, the uploaded file's name, a team name, the office and plan
texts all hold markdown images and links, raw HTML, code spans and bold (tests/e2e/hostile_data.py).
Every page is visited in normal and projector mode, anonymous and signed in (as the admin and as the
editor of the hostile team), the charts' hovers are opened, and a workbook with a hostile file name is
uploaded. Throughout, no request may leave for a host other than the dashboard's, no link, image or
frame may come from user text, no script from it may run, and the hostile text must be shown literally.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

import csv

from hostile_data import FORMULA_ACTION, HOSTILE_BUKTI, HOSTILE_TEAM, LITERALS
from zi_data.base.safe_text import WORD_JOINER
from streamlit_helpers import APP_TIMEOUT_MS, PAGES, PROJECTOR_PATHS, assert_no_errors, go_to, open_page, \
    sidebar, sign_in, wait_for_app, workbook_uploader

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Elements that fetch or link, anywhere in the document (SVG included), whose target names the hostile
# host or a javascript: URL; and links whose text is a hostile markdown link's text. One link is meant: an
# http(s) link attachment's own "Buka tautan" button (an http(s) address in Bukti Dukung is evidence to open,
# see test_evidence_links), never markdown, never fetched.
FROM_USER_TEXT_JS = r"""
() => {
  const found = [];
  const selector = 'a, img, image, iframe, frame, object, embed, source, video, audio, link, script, use';
  const evidenceLink = el => el.tagName.toLowerCase() === 'a' && el.closest('[data-testid="stLinkButton"]')
    && /^https?:\/\//i.test(el.getAttribute('href') || '') && (el.textContent || '').includes('Buka tautan');
  for (const el of document.querySelectorAll(selector)) {
    if (evidenceLink(el)) continue;
    const targets = ['href', 'src', 'srcset', 'data', 'xlink:href', 'action']
      .map(name => el.getAttribute(name) || '').join(' ');
    const linkText = el.tagName.toLowerCase() === 'a' ? (el.textContent || '') : '';
    if (/evil\.example|javascript:/i.test(targets) || /\b(tautan|klik)\b|evil\.example/i.test(linkText)) {
      found.push(el.outerHTML.slice(0, 200));
    }
  }
  if (window.ziXss !== undefined) found.push('a script from user text ran');
  return found;
}
"""


@pytest.fixture
def watched(browser):
    """A browser context of its own whose requests to any other host are recorded and blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID",
                                  timezone_id="Asia/Jakarta")
    context.set_default_timeout(APP_TIMEOUT_MS)
    outside: list[str] = []

    def route(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    context.on("request", lambda request: outside.append(request.url)
               if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
               and urlsplit(request.url).hostname not in LOCAL_HOSTS else None)
    yield context, outside
    context.close()


def assert_text_stays_text(page: Page, where: str, outside: list[str]) -> None:
    assert_no_errors(page)
    found = page.evaluate(FROM_USER_TEXT_JS)
    assert not found, f"{where}: links, images or scripts from user text: {found[:5]}"
    assert not outside, f"{where}: requests to other hosts: {sorted(set(outside))[:5]}"


def shown(locator) -> str:
    """The text as read: without the invisible word joiners that keep addresses in markdown from being links."""
    return locator.inner_text().replace(WORD_JOINER, "")


def assert_shown_literally(page: Page, where: str) -> None:
    text = shown(page.locator('[data-testid="stMain"]'))
    missing = [literal for literal in LITERALS if literal not in text]
    assert not missing, f"{where}: hostile text not shown literally: {missing}"


def hover_texts(page: Page, chart_index: int, points: str, until: str, limit: int = 80) -> list[str]:
    """Move the mouse onto the chart's points (CSS selector) one by one, until a hover label shows `until`;
    the hover labels' texts."""
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(chart_index)
    texts = []
    for point in chart.locator(points).all()[:limit]:
        point.evaluate("el => el.scrollIntoView({block: 'center'})")
        box = point.evaluate("el => { const r = el.getBoundingClientRect(); "
                             "return {x: r.left + r.width / 2, y: r.top + r.height / 2, width: r.width}; }")
        if box["width"] < 2:  # a bar of 0 %: nothing to point at
            continue
        page.mouse.move(box["x"], box["y"])
        label = chart.locator(".hoverlayer .hovertext")
        expect(label.first).to_be_attached()
        texts.append(" ".join(label.all_text_contents()))
        if until.replace(" ", "") in texts[-1].replace(" ", ""):  # the label's lines are joined without a space
            break
    return texts


def test_every_page_shows_user_text_as_text_to_viewers(hostile_server, watched):
    context, outside = watched
    page = context.new_page()
    for projector in (False, True):
        for path in PROJECTOR_PATHS if projector else PAGES:
            where = f"{PAGES[path]}{' (proyektor)' if projector else ''}"
            open_page(page, hostile_server, path, **({"proyektor": "true"} if projector else {}))
            assert_text_stays_text(page, where, outside)
            assert_shown_literally(page, where)

    # Capaian per tim: the hover names the team in full; Matriks: the hovered cell shows the langkah aksi and
    # the Bukti Dukung.
    open_page(page, hostile_server, "capaian")
    hovers = hover_texts(page, 1, ".bars path", until=HOSTILE_TEAM)
    assert any(HOSTILE_TEAM in text for text in hovers), hovers
    assert_text_stays_text(page, "Capaian (hover)", outside)
    open_page(page, hostile_server, "matriks")
    hovers = hover_texts(page, 1, "path.point", until=HOSTILE_BUKTI)
    assert any(HOSTILE_BUKTI.replace(" ", "") in text.replace(" ", "") for text in hovers), hovers[:3]
    assert_text_stays_text(page, "Matriks (hover)", outside)

    # The sidebar's help on the area filter lists the (hostile) area names.
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, hostile_server, "")
    sidebar(page).locator('[data-testid="stMultiSelect"]').filter(has_text="Area").locator(
        '[data-testid="stTooltipIcon"]').hover()
    tooltip = page.locator('[data-testid="stTooltipContent"]')
    expect(tooltip).to_be_visible()
    assert LITERALS[1] in shown(tooltip)
    assert_text_stays_text(page, "Ringkasan (tooltip)", outside)


def test_signed_in_pages_show_user_text_as_text(hostile_server, hostile_data, watched, tmp_path):
    context, outside = watched
    for account in (hostile_data.admin, hostile_data.editor):
        context.clear_cookies()  # the previous account's sign-in cookie: one person after the other
        page = context.new_page()
        open_page(page, hostile_server, "perbarui-progres")
        sign_in(page, account, hostile_data.password)
        assert f"Masuk sebagai {account}" in shown(
            sidebar(page).locator('[data-testid="stMarkdownContainer"]').filter(has_text="Masuk sebagai"))
        assert_text_stays_text(page, f"Perbarui Progres ({account})", outside)
        go_to(page, "Riwayat")
        expect(page.locator('[data-testid="stText"]').filter(has_text="Unggahan terakhir")).to_contain_text(
            "isi `kode` **tebal** <img src=x>")
        assert_text_stays_text(page, f"Riwayat ({account})", outside)
        assert_shown_literally(page, f"Riwayat ({account})")
        go_to(page, "Perbarui Progres")

    # The editor's own team in the caption, and a refused workbook's file name in the error.
    assert HOSTILE_TEAM in shown(page.locator('[data-testid="stCaptionContainer"]').filter(
        has_text="Anda hanya dapat memperbarui"))
    name = "buruk `kode` **tebal** <img src=x> [tautan](evil.example).xlsx"
    bad = tmp_path / name
    bad.write_bytes(b"bukan buku kerja")
    workbook_uploader(page).locator("input[type=file]").set_input_files(str(bad))
    error = page.locator('[data-testid="stAlertContentError"]').filter(has_text="tidak dapat diterima")
    wait_for_app(page, error)
    assert f"Berkas {name} tidak dapat diterima" in shown(error)
    assert_text_stays_text(page, "Perbarui Progres (berkas ditolak)", outside)
    page.close()


# Streamlit saves a table's CSV through the File System Access API when the browser has it; headless Chromium
# cannot show that dialog, so it is made to fail and Streamlit falls back to an ordinary download.
NO_SAVE_PICKER_JS = "window.showSaveFilePicker = () => { throw new Error('no save dialog in tests'); };"


def test_a_visitors_csv_download_of_a_table_is_formula_safe(hostile_server, watched, tmp_path):
    """Streamlit's own *Download as CSV* writes cells as shown: a follow-up typed as a formula comes with the
    apostrophe, and no cell of the file starts like a formula."""
    context, outside = watched
    context.add_init_script(NO_SAVE_PICKER_JS)
    page = context.new_page()
    open_page(page, hostile_server, "")
    table = page.locator('[data-testid="stDataFrame"]').filter(has=page.locator("canvas")).last
    expect(table).to_be_visible()
    table.scroll_into_view_if_needed()
    table.hover()
    button = page.locator('[data-testid="stElementToolbarButton"] button[aria-label="Download as CSV"]').last
    if not button.count():
        button = page.get_by_role("button", name="Download as CSV").last
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / "tabel.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA_ACTION in cells, rows[:3]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert_text_stays_text(page, "Ringkasan (unduhan CSV)", outside)
