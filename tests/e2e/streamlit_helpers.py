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
MIN_CHART_FONT_PX = 18.0
MIN_CONTRAST = 4.5

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


# --- measuring charts -------------------------------------------------------------------------

CHART_MEASURE_JS = r"""
(chart) => {
  // Bottom edge to the bottom of the screen: the top must then still be below the app's header bar.
  chart.scrollIntoView({block: 'end', inline: 'nearest'});
  const box = chart.getBoundingClientRect();
  const header = document.querySelector('[data-testid="stHeader"]');
  const headerBottom = header && getComputedStyle(header).display !== 'none' ? header.getBoundingClientRect().bottom : 0;
  const plot = chart.querySelector('.js-plotly-plot') || chart;
  const svgs = [...plot.querySelectorAll('svg.main-svg')];
  const paper = svgs.length ? getComputedStyle(svgs[0]).backgroundColor : '';
  const texts = [];
  for (const svg of svgs) {
    for (const el of svg.querySelectorAll('text')) {
      if (el.closest('.hoverlayer')) continue;             // hover tooltips are not on screen
      const content = (el.textContent || '').trim();
      if (!content) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const group = el.closest('g[class]');
      // Plotly shrinks text that does not fit (bar labels) with a transform, leaving font-size alone:
      // the size on screen is the font size times the scale of the element's transform to the screen.
      const m = el.getScreenCTM();
      const scale = m ? Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) : 1;
      texts.push({text: content.slice(0, 40), cls: el.getAttribute('class') || '',
                  group: group ? group.getAttribute('class') : '',
                  fontSize: style.fontSize, scale: scale, renderedPx: parseFloat(style.fontSize) * scale,
                  fill: style.fill, opacity: style.opacity, fillOpacity: style.fillOpacity,
                  top: r.top, bottom: r.bottom, left: r.left, right: r.right});
    }
  }
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          width: box.width, height: box.height,
          innerWidth: window.innerWidth, innerHeight: window.innerHeight, headerBottom: headerBottom,
          docWidth: document.documentElement.clientWidth,
          paper: paper,
          texts: texts};
}
"""

PAGE_TEXT_JS = r"""
() => {
  // Every visible element of the main area that holds text of its own (not inside charts or tables).
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  const backgroundOf = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (bg && bg !== 'transparent' && !/^rgba\([^)]*,\s*0\)$/.test(bg)) return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const opacityOf = (el) => {
    let value = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement)
      value *= parseFloat(getComputedStyle(node).opacity || '1');
    return value;
  };
  for (const el of main.querySelectorAll('*')) {
    if (el.closest('[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], svg, [data-testid="stToolbar"]')) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!own) continue;
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || r.width === 0 || r.height === 0) continue;
    const holder = el.closest('[data-testid]:not([data-testid="stMarkdownContainer"])');
    // Cut off: the element or the box that clips it is narrower than the text (ellipsis).
    const clipper = el.closest('.stMarkdownEllipsis') || el;
    const truncated = clipper.scrollWidth > clipper.clientWidth + 1 && getComputedStyle(clipper).overflowX !== 'visible';
    out.push({text: own.slice(0, 50), tag: el.tagName.toLowerCase(), truncated: truncated,
              testid: holder ? holder.getAttribute('data-testid') : '',
              fontSize: style.fontSize, color: style.color, background: backgroundOf(el), opacity: opacityOf(el)});
  }
  return out;
}
"""

OVERFLOW_JS = r"""
() => {
  // What scrolls sideways: the page, Streamlit's main area, each table's box and each table; where each
  // chart's SVG lies; the smallest text in each table; the ID cells drawn on more than one line.
  const width = document.documentElement.clientWidth;
  const scroll = (el) => ({scrollWidth: el.scrollWidth, clientWidth: el.clientWidth});
  const main = document.querySelector('[data-testid="stMain"]');
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  };
  const tables = [...document.querySelectorAll('[data-testid="stMain"] table, [data-testid="stDataFrame"]')]
    .map((table, index) => {
      const box = table.closest('.zi-table-scroll, [data-testid="stElementContainer"]') || table.parentElement;
      const cells = [...table.querySelectorAll('th, td')];
      const heading = table.querySelector('th');
      return {index: index, heading: heading ? heading.textContent : table.getAttribute('data-testid'),
              table: scroll(table), box: scroll(box), right: table.getBoundingClientRect().right,
              minFontPx: Math.min(...cells.map(c => parseFloat(getComputedStyle(c).fontSize))),
              wrappedIds: [...table.querySelectorAll('td.zi-nowrap')].filter(c => lines(c) > 1)
                .map(c => c.textContent),
              idCells: table.querySelectorAll('td.zi-nowrap').length};
    });
  const svgs = [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg.main-svg')].map(svg => {
    const r = svg.getBoundingClientRect();
    return {left: r.left, right: r.right};
  });
  return {viewportWidth: width, page: scroll(document.documentElement), main: scroll(main),
          tables: tables, svgs: svgs};
}
"""


OVERLAP_JS = r"""
() => {
  // Pairs of text lines of the main area drawn over each other (each text node's line boxes, outside charts
  // and interactive tables, against every other element's), and elements drawn over text: Streamlit's element
  // toolbar and Plotly's chart toolbar, when shown.
  const main = document.querySelector('[data-testid="stMain"]');
  const boxes = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest('[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], svg')) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects())
      if (r.width > 1 && r.height > 1) boxes.push({el: el, text: node.textContent.trim().slice(0, 40),
                                                   top: r.top, bottom: r.bottom, left: r.left, right: r.right});
  }
  const over = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2
                      && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  boxes.sort((a, b) => a.top - b.top);
  const clashes = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length && boxes[j].top < boxes[i].bottom; j++)
      if (boxes[i].el !== boxes[j].el && over(boxes[i], boxes[j])) clashes.push([boxes[i].text, boxes[j].text]);
  const toolbars = [...document.querySelectorAll('[data-testid="stElementToolbar"], .modebar-container')]
    .filter(el => el.checkVisibility() && el.getBoundingClientRect().width > 0).length;
  return {textBoxes: boxes.length, clashes: clashes.slice(0, 20), visibleToolbars: toolbars};
}
"""


def overlaps(page: Page) -> dict:
    """Text drawn over other text in the main area, and toolbars shown over content (OVERLAP_JS)."""
    return page.evaluate(OVERLAP_JS)


DATAFRAMES_JS = r"""
() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(table => {
  // glide-data-grid draws on a canvas inside a scroller: a column hidden to the right makes it scroll sideways.
  const scroller = table.querySelector('.dvn-scroller');
  return scroller ? {scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth,
                     columns: table.querySelectorAll('[role="columnheader"]').length} : null;
})
"""
DATAFRAMES_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .every(table => table.querySelector('.dvn-scroller'))"""


def dataframes(page: Page) -> list[dict]:
    """Each st.dataframe's scroller: scrollWidth and clientWidth (waits until every one is drawn)."""
    page.wait_for_function(DATAFRAMES_DRAWN_JS)
    return page.evaluate(DATAFRAMES_JS)


def overflow(page: Page) -> dict:
    return page.evaluate(OVERFLOW_JS)


def charts(page: Page) -> Locator:
    return page.locator('[data-testid="stPlotlyChart"]')


def page_texts(page: Page) -> list[dict]:
    return page.evaluate(PAGE_TEXT_JS)


def measure_chart(chart: Locator) -> dict:
    return chart.evaluate(CHART_MEASURE_JS)


# --- colour and contrast (WCAG 2.x) -----------------------------------------------------------

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)")


def parse_color(text: str) -> tuple[float, float, float, float]:
    """'rgb(17, 17, 17)', 'rgba(0, 0, 0, 0.5)' or '#111111' -> (r, g, b, alpha) with r, g, b in 0–255."""
    text = text.strip()
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(ch * 2 for ch in digits)
        r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return float(r), float(g), float(b), alpha
    match = _RGB.fullmatch(text)
    if not match:
        raise ValueError(f"cannot read colour {text!r}")
    r, g, b = (float(match.group(i)) for i in (1, 2, 3))
    alpha_text = match.group(4)
    if alpha_text is None:
        alpha = 1.0
    elif alpha_text.endswith("%"):
        alpha = float(alpha_text[:-1]) / 100
    else:
        alpha = float(alpha_text)
    return r, g, b, alpha


def blend(foreground: tuple[float, float, float, float], background: tuple[float, float, float, float],
          opacity: float = 1.0) -> tuple[float, float, float]:
    """The opaque colour seen when `foreground` (with its alpha times `opacity`) is over `background`."""
    alpha = foreground[3] * opacity
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(foreground[:3], background[:3]))


def relative_luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str, opacity: float = 1.0) -> float:
    back = parse_color(background)
    back_rgb = blend(back, (255.0, 255.0, 255.0, 1.0))  # a see-through background sits on white
    front = blend(parse_color(foreground), (*back_rgb, 1.0), opacity)
    lighter, darker = sorted((relative_luminance(front), relative_luminance(back_rgb)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def px(value: str) -> float:
    match = re.fullmatch(r"\s*([\d.]+)px\s*", value or "")
    if not match:
        raise ValueError(f"not a pixel size: {value!r}")
    return float(match.group(1))
