"""Staying signed in, in Chromium, on SQLite and on PostgreSQL (`session_server` in conftest.py).

A sign-in sets the session cookie (HttpOnly, SameSite=Strict), so a reload and a shared link opened in a new
tab stay signed in; Keluar in one tab revokes the session, so another tab that used it is a visitor on its
next run, with the notice; a tampered cookie is a visitor with the same notice, never an error page.
"""

import pytest
from playwright.sync_api import Page, expect

from streamlit_helpers import assert_no_errors, header_caption, open_page, sidebar, sign_in, sign_out, title, \
    url, wait_for_app
from zi_data.store.sign_in_sessions import COOKIE_NAME, SignInSessions

pytestmark = pytest.mark.browser

TEAM = "Tim Pengawasan"
ENDED = "Sesi Anda telah berakhir atau dicabut; silakan masuk lagi."


@pytest.fixture(autouse=True)
def no_cookies(browser_context):
    browser_context.clear_cookies()


def signed_in_label(page: Page):
    return sidebar(page).get_by_text("Masuk sebagai")


def ended_notice(page: Page):
    return sidebar(page).locator('[data-testid="stAlertContentInfo"]').filter(has_text=ENDED)


def session_cookie(page: Page) -> dict:
    return next(cookie for cookie in page.context.cookies() if cookie["name"] == COOKIE_NAME)


def test_a_sign_in_survives_a_reload_and_a_shared_link_in_a_new_tab(session_server, editor_accounts, new_page):
    base_url, store = session_server
    page = new_page()
    open_page(page, base_url, "capaian", tim=TEAM)
    sign_in(page, editor_accounts.names[0], editor_accounts.password)
    expect(page).to_have_url(url(base_url, "capaian", tim=TEAM))  # back on the page, its filter kept
    expect(header_caption(page)).to_contain_text(f"Tim: {TEAM}")
    cookie = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert SignInSessions(store).resolve(cookie["value"]).user.name == editor_accounts.names[0]

    page.reload()
    wait_for_app(page, title(page, "Capaian"))
    expect(signed_in_label(page)).to_be_visible()

    shared = new_page()
    open_page(shared, base_url, "matriks", tim=TEAM)
    expect(signed_in_label(shared)).to_be_visible()
    expect(header_caption(shared)).to_contain_text(f"Tim: {TEAM}")
    assert_no_errors(shared)
    listed = SignInSessions(store).list(editor_accounts.names[0])
    assert listed["state"].tolist() == ["aktif"] and "Chrome" in listed["user_agent"].iloc[0]


def test_signing_out_in_one_tab_makes_the_other_a_visitor_on_its_next_run(session_server, editor_accounts, new_page):
    base_url, store = session_server
    first, second = new_page(), new_page()
    open_page(first, base_url, "capaian")
    sign_in(first, editor_accounts.names[0], editor_accounts.password)
    token = session_cookie(first)["value"]
    open_page(second, base_url, "capaian")
    expect(signed_in_label(second)).to_be_visible()

    sign_out(first)
    expect(signed_in_label(first)).to_have_count(0)
    assert not [cookie for cookie in first.context.cookies() if cookie["name"] == COOKIE_NAME]
    assert SignInSessions(store).resolve(token).reason == "dicabut"

    # The second tab's Streamlit session was opened with the old cookie: its next run asks the database.
    second.locator('[data-testid="stSidebarNav"] a').filter(has_text="Ringkasan").click()
    wait_for_app(second, ended_notice(second))
    expect(signed_in_label(second)).to_have_count(0)
    assert_no_errors(second)


def test_a_tampered_cookie_is_a_visitor_with_the_notice(session_server, editor_accounts, page):
    base_url, _store = session_server
    open_page(page, base_url, "capaian")
    sign_in(page, editor_accounts.names[0], editor_accounts.password)
    cookie = session_cookie(page)
    tampered = cookie["value"][:-1] + ("A" if cookie["value"][-1] != "A" else "B")
    page.context.add_cookies([{**cookie, "value": tampered}])
    page.reload()
    wait_for_app(page, ended_notice(page))
    expect(signed_in_label(page)).to_have_count(0)
    expect(sidebar(page).get_by_label("Nama akun")).to_be_visible()
    assert_no_errors(page)
