"""Helpers for driving the Streamlit app in Playwright and for measuring what a viewer sees.

Waiting is always Playwright's auto-waiting (`expect(...)` with a timeout), never a fixed sleep.
"""

import re
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import Locator, Page, expect

from app_pages.frame import registry

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"
APP_TIMEOUT_MS = 60_000  # generous: CI machines may be busy

# The pages a visitor is listed: url path -> title shown as the page's h1 (Rekap Instansi: test_rekap_browser.py)
PAGES = {page.url_path: page.title for page in registry.ONE_OFFICE_PAGES}
PROJECTOR_PATHS = tuple(page.url_path for page in registry.ONE_OFFICE_PAGES if page.on_projector)
EDITING_PAGES = tuple(page.title for page in registry.PAGES if page.section == registry.EDITING)


def url(base_url: str, path: str = "", **params) -> str:
    """The app URL of a page with query parameters; list values repeat the key (`?tim=A&tim=B`)."""
    query = urlencode(params, doseq=True)
    return f"{base_url}/{path}" + (f"?{query}" if query else "")


def wait_for_app(page: Page, expected: Locator | None = None, timeout: int = APP_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the script and drawn everything, and `expected` shows.

    Finished means: connected, script state 'notRunning', no status widget ("Running..."), no
    skeleton left (Streamlit draws a skeleton while an element's code is still loading, which can
    outlast the run), every web font has arrived (text measured before would be measured in the
    fallback font, and the layout moves when the font comes), and every Plotly chart has drawn its
    SVG at its container's width. The run state alone can race a rerun
    that has not started yet, so callers pass an element that only the new run shows (a heading, a
    caption naming the filter, a message).
    """
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    if expected is not None:
        expect(expected.first).to_be_visible(timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-testid="stPlotlyChart"]:not(:has(svg.main-svg))')).to_have_count(0, timeout=timeout)
    wait_for_fonts(page, timeout)
    wait_for_charts_to_fit(page, timeout)
    if expected is not None:
        expect(expected.first).to_be_visible(timeout=timeout)


def wait_for_fonts(page: Page, timeout: int = APP_TIMEOUT_MS) -> None:
    """Wait until the document's fonts have loaded (`document.fonts.ready`, status 'loaded')."""
    page.wait_for_function("() => document.fonts.ready.then(() => document.fonts.status === 'loaded')",
                           timeout=timeout)


def title(page: Page, text: str) -> Locator:
    return page.locator("h1").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def open_page(page: Page, base_url: str, path: str = "", expected_title: str | None = None, **params) -> None:
    page.goto(url(base_url, path, **params))
    heading = expected_title if expected_title is not None else PAGES.get(path)
    wait_for_app(page, title(page, heading) if heading else None)


def sidebar(page: Page) -> Locator:
    return page.locator('[data-testid="stSidebar"]')


def submit_sign_in(page: Page, name: str, password: str) -> None:
    """Fill the sidebar's sign-in form and press its "Masuk" button (the run it starts is not awaited)."""
    form = sidebar(page).locator('[data-testid="stForm"]')
    form.get_by_label("Nama akun").fill(name)
    form.get_by_label("Kata sandi").fill(password)
    form.locator('[data-testid="stFormSubmitButton"] button').filter(has_text="Masuk").click()


def sign_in(page: Page, name: str, password: str) -> None:
    """Sign in as a person does: the sidebar's form, then "Lanjutkan", whose route sets the session cookie and
    brings the browser back to the same page (a new page load); wait until it shows the account."""
    submit_sign_in(page, name, password)
    continue_button = sidebar(page).get_by_role("button", name="Lanjutkan")
    expect(continue_button).to_be_visible()
    continue_button.click()
    wait_for_app(page, sidebar(page).get_by_text("Masuk sebagai"))


def sign_out(page: Page) -> None:
    """Press "Keluar" (a form posted to the sign-out route); wait for the page to come back with the form."""
    sidebar(page).get_by_role("button", name="Keluar").click()
    wait_for_app(page, sidebar(page).get_by_text("Masuk (editor, penilai, admin, pemantau)"))


def go_to(page: Page, page_title: str) -> None:
    """Another page through the sidebar's navigation: the same session, so the account stays signed in."""
    sidebar(page).locator('[data-testid="stSidebarNav"] a').filter(has_text=page_title).click()
    wait_for_app(page, title(page, page_title))


def assert_no_errors(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    body = page.locator("body").inner_text()
    assert "Traceback" not in body, f"'Traceback' shown on {page.url}:\n{body[:2000]}"


def header_caption(page: Page) -> Locator:
    """The caption under the page title: office, year, as-of month and the active filters."""
    return page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Rencana Aksi Zona Integritas")


def workbook_uploader(page: Page) -> Locator:
    """Perbarui Progres's uploader of the realisasi workbook (beside it: the optional evidence ZIP's)."""
    return page.locator('[data-testid="stFileUploader"]').filter(has_text="Buku kerja realisasi")


def metric(page: Page, label_prefix: str) -> Locator:
    """The value of the st.metric whose label starts with `label_prefix`."""
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label_prefix))
    expect(card).to_have_count(1)
    return card.locator('[data-testid="stMetricValue"]')


def metric_value(page: Page, label_prefix: str) -> str:
    return metric(page, label_prefix).inner_text().strip()


def metric_values(page: Page) -> dict[str, str]:
    """Label -> value of every metric on the page (waits until at least one is shown)."""
    cards = page.locator('[data-testid="stMetric"]')
    expect(cards.first).to_be_visible()
    values = {}
    for card in cards.all():
        label = card.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        values[label] = card.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return values


def open_expander(page: Page, expander: Locator) -> Locator:
    """Open `expander` (an st.expander whose content is drawn once it is open: a rerun) and wait for a table in it."""
    expander.locator("summary").click()
    content = expander.locator('table, [data-testid="stDataFrame"]')
    wait_for_app(page, content)
    return content


def main_expanders(page: Page) -> Locator:
    return page.locator('[data-testid="stMain"] [data-testid="stExpander"]')


def content_height(page: Page) -> float:
    """How tall the page's content is: Streamlit scrolls its main area, not the document (see screenshots)."""
    return page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        document.querySelector('[data-testid="stMain"]').scrollHeight)""")


def sidebar_nav_labels(page: Page) -> list[str]:
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav).to_be_visible()
    # Each link reads "<icon>\n\n<title>": keep the title.
    return [[line.strip() for line in text.splitlines() if line.strip()][-1] for text in nav.locator("a").all_inner_texts()]


def wait_for_charts_to_fit(page: Page, timeout: int = APP_TIMEOUT_MS) -> None:
    """After a resize: wait until every Plotly chart has redrawn at its container's new width (a chart hidden
    at this width, as Matriks's on a phone, is not drawn)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart => {
               if (!chart.checkVisibility()) return true;
               const svg = chart.querySelector('svg.main-svg');
               const plot = chart.querySelector('.js-plotly-plot') || chart;
               return svg && Math.abs(parseFloat(svg.getAttribute('width')) - plot.clientWidth) <= 1;
           })""", timeout=timeout)


def screenshots(page: Page, directory: Path, name: str, sizes) -> list[Path]:
    """At each (width, height): the screen as shown (`NAME_WxH.png`) and the whole page (`NAME_WxH_full.png`).

    Streamlit scrolls its main area and its sidebar, not the document, so the whole page is taken
    with the window made as tall as the taller of the two (same width: only the height changes).
    """
    saved = []
    for width, height in sizes:
        if page.viewport_size != {"width": width, "height": height}:
            page.set_viewport_size({"width": width, "height": height})
            wait_for_fonts(page)
            wait_for_charts_to_fit(page)
        screen = directory / f"{name}_{width}x{height}.png"
        page.screenshot(path=str(screen))
        content = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
            ...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']
                .map(css => document.querySelector(css)).filter(Boolean).map(el => el.scrollHeight))""")
        full = directory / f"{name}_{width}x{height}_full.png"
        page.set_viewport_size({"width": width, "height": max(height, min(int(content), 12_000))})
        page.screenshot(path=str(full))
        page.set_viewport_size({"width": width, "height": height})
        saved += [screen, full]
    return saved


def charts(page: Page) -> Locator:
    return page.locator('[data-testid="stPlotlyChart"]')


TABLES_FIT_JS = r"""
() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(table => table.checkVisibility())
  .every(table => {
    // Drawn (its scroller is there) at its container's width: after a resize the grid is redrawn a frame or two
    // later, first the table's box, then its scroller.
    const scroller = table.querySelector('.dvn-scroller');
    const box = table.getBoundingClientRect();
    return scroller && Math.abs(box.width - table.parentElement.clientWidth) <= 1
        && Math.abs(scroller.getBoundingClientRect().width - box.width) <= 4;
  })
"""


def wait_for_tables_to_fit(page: Page, timeout: int = APP_TIMEOUT_MS) -> None:
    """Wait until every shown st.dataframe is drawn at its container's width (TABLES_FIT_JS)."""
    page.wait_for_function(TABLES_FIT_JS, timeout=timeout)


class PageViews:
    """Page views measured by one JS function (`measure_js`, one page.evaluate a view), each at most once.

    `views(base_url, path, sizes, **params)` opens the page by its URL at the first of `sizes` and measures it,
    then resizes the window to each other size and measures again (a resize redraws the layout, the tables and
    the charts; the page's script does not run again): {(width, height): what measure_js gave}. One browser page
    is reused for every view. `prepare(page, base_url, path)`, when given, runs once the page is open (a click
    that shows more), before it is measured.
    """

    def __init__(self, context, measure_js: str, prepare=None):
        self.page = context.new_page()
        self.measure_js, self.prepare = measure_js, prepare
        self.results: dict[tuple, dict[tuple[int, int], dict]] = {}

    def __call__(self, base_url: str, path: str, sizes, **params) -> dict[tuple[int, int], dict]:
        key = (base_url, path, tuple(sizes), tuple(sorted(params.items())))
        if key not in self.results:
            measured = {}
            for width, height in sizes:
                self.page.set_viewport_size({"width": width, "height": height})
                if measured:
                    wait_for_charts_to_fit(self.page)
                else:
                    open_page(self.page, base_url, path, **params)
                    if self.prepare:
                        self.prepare(self.page, base_url, path)
                wait_for_tables_to_fit(self.page)
                measured[(width, height)] = self.page.evaluate(self.measure_js)
            self.results[key] = measured
        return self.results[key]

    def close(self) -> None:
        self.page.close()
