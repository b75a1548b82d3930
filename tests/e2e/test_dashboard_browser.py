"""The dashboard end to end in headless Chromium: every page, the team filter, an upload, projector mode; and
the running server's XSRF refusal of an upload without the token (plain HTTP).

All tests share one server whose data directory starts empty; only
`test_upload_example_workbook_updates_overview` writes to it, and the page tests after it
(in file order) then show the example progress in their screenshots.
"""

import re

import pytest
from playwright.sync_api import expect

from measure_helpers import page_texts
from streamlit_helpers import (EDITING_PAGES, PAGES, PROJECT_ROOT, assert_no_errors, header_caption, metric,
                               metric_value, metric_values, open_page, screenshots, sidebar_nav_labels, title,
                               wait_for_app, workbook_uploader)

pytestmark = pytest.mark.browser

EXAMPLE_WORKBOOK = PROJECT_ROOT / "data" / "contoh_realisasi_2025.xlsx"
TEAM = "Tim Pengawasan"
VIEWPORTS = ((1024, 768), (1920, 1080))


def test_team_filter_through_sidebar(app_server, page):
    open_page(page, app_server)
    expect(header_caption(page)).to_contain_text("Semua tim")
    before = metric_values(page)

    sidebar = page.locator('[data-testid="stSidebar"]')
    team_select = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Penanggung jawab")
    team_select.locator("input").click()
    page.get_by_role("option", name=TEAM, exact=True).click()
    page.keyboard.press("Escape")

    wait_for_app(page, header_caption(page).filter(has_text=f"Tim: {TEAM}"))
    assert_no_errors(page)
    expect(page).to_have_url(re.compile(r"[?&]tim=Tim(\+|%20)Pengawasan"))
    # One team has fewer overdue item-months than the whole office.
    expect(metric(page, "Terlambat")).not_to_have_text(before["Terlambat (bulan-kegiatan)"])
    after = metric_values(page)
    assert after.keys() == before.keys()
    assert after != before, f"the metrics did not change with the team filter: {after}"


def test_team_filter_from_url(app_server, page):
    open_page(page, app_server)
    everyone = metric_values(page)
    open_page(page, app_server, tim=TEAM)
    expect(header_caption(page)).to_contain_text(f"Tim: {TEAM}")
    team_select = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Penanggung jawab")
    expect(team_select).to_contain_text(TEAM)
    assert metric_values(page) != everyone

    open_page(page, app_server, "capaian", tim=TEAM)
    expect(header_caption(page)).to_contain_text(f"Tim: {TEAM}")
    assert_no_errors(page)


def test_upload_example_workbook_updates_overview(app_server, page):
    assert EXAMPLE_WORKBOOK.is_file(), f"missing example workbook {EXAMPLE_WORKBOOK}"
    open_page(page, app_server)
    capaian_label = "Capaian s.d."
    assert metric_value(page, capaian_label) == "0,0 %"

    open_page(page, app_server, "perbarui-progres")
    name_box = page.get_by_label("Nama Anda (dicatat sebagai pelapor)")
    if name_box.count():
        name_box.fill("Uji Otomatis")
        name_box.press("Enter")
        wait_for_app(page, title(page, "Perbarui Progres"))
    uploader = workbook_uploader(page)
    uploader.locator("input[type=file]").set_input_files(str(EXAMPLE_WORKBOOK))
    expect(uploader.locator('[data-testid="stFileChipName"]')).to_have_attribute("title", EXAMPLE_WORKBOOK.name)
    confirm = page.get_by_role("button", name="Simpan perubahan")
    wait_for_app(page, confirm)
    assert_no_errors(page)
    # The preview counts what the upload changes before anything is written.
    expect(metric(page, "Baru")).not_to_have_text("0")
    expect(page.get_by_role("tab", name="Baru")).to_be_visible()
    expect(confirm).to_be_enabled()
    confirm.click()
    wait_for_app(page, page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Tersimpan"))
    assert_no_errors(page)

    open_page(page, app_server)
    after = metric_value(page, capaian_label)
    assert after != "0,0 %", "the overview still shows no progress after the upload"
    assert re.fullmatch(r"\d{1,3},\d %", after), after
    expect(page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="Belum ada progres")).to_have_count(0)

    open_page(page, app_server, "riwayat")
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert_no_errors(page)


def test_projector_mode_hides_editing(app_server, page):
    open_page(page, app_server)
    assert set(EDITING_PAGES) <= set(sidebar_nav_labels(page))

    toggle = page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').filter(has_text="Mode proyektor")
    toggle.locator("label").click()
    wait_for_app(page, title(page, "Ringkasan"))
    expect(page).to_have_url(re.compile(r"[?&]proyektor=true"))
    nav = page.locator('[data-testid="stSidebarNav"]')
    for name in EDITING_PAGES:
        expect(nav.get_by_text(name, exact=True)).to_have_count(0)
    expect(page.locator('a[href*="perbarui-progres"]')).to_have_count(0)
    assert_no_errors(page)



@pytest.mark.parametrize("path", list(PAGES), ids=[p or "ringkasan" for p in PAGES])
def test_page_opens(app_server, page, screenshot_dir, path):
    """Each page by its URL: title, header, no error, full navigation; screenshots at both sizes."""
    page.set_viewport_size({"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
    open_page(page, app_server, path)
    expect(header_caption(page)).to_contain_text("KPU Kabupaten Kapuas")
    assert_no_errors(page)
    assert set(PAGES.values()) <= set(sidebar_nav_labels(page))
    screenshots(page, screenshot_dir, path or "ringkasan", VIEWPORTS)


MONEV_PAGES = [path for path, name in PAGES.items() if name not in EDITING_PAGES]


@pytest.mark.parametrize("path", MONEV_PAGES, ids=[p or "ringkasan" for p in MONEV_PAGES])
def test_page_in_projector_mode(app_server, page, screenshot_dir, path):
    """Projector mode from the URL: the editing pages leave the navigation, no editing controls."""
    page.set_viewport_size({"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
    open_page(page, app_server, path, proyektor="true")
    assert_no_errors(page)
    expect(page.locator('a[href*="perbarui-progres"], a[href*="riwayat"]')).to_have_count(0)
    expect(page.locator('[data-testid="stDownloadButton"], [data-testid="stFileUploader"]')).to_have_count(0)
    # Projector mode starts with the sidebar collapsed (out of sight, still in the page; it is not opened
    # here: Streamlit would remember that for the pages opened after this one).
    expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "true")
    nav = page.locator('[data-testid="stSidebarNav"] a p').all_text_contents()
    assert "Ringkasan" in nav and not set(EDITING_PAGES) & set(nav), nav
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').filter(
        has_text="Mode proyektor").get_by_role("switch")).to_be_checked()
    screenshots(page, screenshot_dir, f"{path or 'ringkasan'}_proyektor", VIEWPORTS)


def test_bookmarked_link_works_as_the_first_request_to_a_fresh_server(fresh_server, page):
    open_page(page, fresh_server, "capaian", expected_title="Capaian", tim=TEAM)
    assert_no_errors(page)
    expect(header_caption(page)).to_contain_text(f"Tim: {TEAM}")
    assert {"Ringkasan", "Matriks 12 Bulan", "Perbarui Progres"} <= set(sidebar_nav_labels(page))


def put_upload(base_url: str, headers: dict[str, str]) -> tuple[int, str]:
    """A file upload request to the running server (Streamlit's upload route, a session that does not exist)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"{base_url}/_stcore/upload_file/sesi-palsu/berkas-1", data=b"isi",
                                     method="PUT", headers={"Content-Type": "application/octet-stream", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as refusal:
        return refusal.code, refusal.read().decode(errors="replace")


def test_an_upload_without_the_xsrf_token_is_refused_by_the_server(app_server):
    """XSRF protection is on in the server as started: an upload with no token, or with a token that is not the
    cookie's, is refused (403) before the session is even looked up; with the cookie's own token it gets as far
    as the (made-up) session (400): the refusal is the token's."""
    import urllib.request
    from http.cookies import SimpleCookie

    with urllib.request.urlopen(f"{app_server}/_stcore/health", timeout=10) as answer:
        jar = SimpleCookie()
        for header in answer.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    assert "_streamlit_xsrf" in jar, "the server sets no XSRF cookie: XSRF protection is off"
    token = jar["_streamlit_xsrf"].value
    cookie = {"Cookie": f"_streamlit_xsrf={token}"}
    assert put_upload(app_server, {})[0] == 403
    assert put_upload(app_server, cookie)[0] == 403
    forged = "2|" + "00" * 4 + "|" + "00" * 32 + "|" + token.split("|")[-1]
    assert put_upload(app_server, {**cookie, "X-Xsrftoken": forged})[0] == 403
    status, text = put_upload(app_server, {**cookie, "X-Xsrftoken": token})
    assert status == 400 and "session" in text.lower(), (status, text)


def test_the_server_compresses_its_websocket(app_server, page):
    """The WebSocket is negotiated with permessage-deflate (server.enableWebsocketCompression in the project's
    .streamlit/config.toml): the handshake's answer, as Chromium received it, names the extension."""
    session = page.context.new_cdp_session(page)
    answers = []
    session.on("Network.webSocketHandshakeResponseReceived", lambda event: answers.append(event["response"]))
    session.send("Network.enable")
    open_page(page, app_server)
    assert answers, "no WebSocket handshake seen"
    extensions = [value for answer in answers for name, value in answer["headers"].items()
                  if name.lower() == "sec-websocket-extensions"]
    assert extensions and all("permessage-deflate" in value for value in extensions), answers


@pytest.mark.parametrize("width", [1024, 1366, 1920])
def test_figure_card_labels_are_never_cut(app_server, page, width):
    """A card's label says what its value counts ("Belum selesai, jatuh tempo …"): it wraps, never ends in "…"."""
    page.set_viewport_size({"width": width, "height": 768})
    open_page(page, app_server, bulan="September")
    labels = page.locator('[data-testid="stMetricLabel"]')
    expect(labels.first).to_be_visible()
    assert "Belum selesai, jatuh tempo September (bulan-kegiatan)" in labels.all_inner_texts()
    cut = [text["text"] for text in page_texts(page) if text["truncated"] and text["testid"] == "stMetricLabel"]
    cut += labels.evaluate_all("(els) => els.flatMap(el => [el, ...el.querySelectorAll('*')])"
                               ".filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)")
    assert not cut, f"figure card labels cut at {width} px: {cut}"
