"""The sign-in cookie's routes (app_pages/frame/sign_in_routes.py) as a browser meets them: the cookie's attributes,
the redirect back to the page with its query string, one use per ticket, CSRF refusals, sign-out; and the
sidebar's notice for a cookie that signs nobody in."""

import pytest
from starlette.applications import Starlette

from asgi_client import SITE, request
from helpers import BROWSER_COOKIES, open_app, sign_in_as
from zi_data.store.accounts import Accounts, User
from zi_data.store.sign_in_sessions import COOKIE_NAME, SignInSessions
from app_pages.frame.sign_in_routes import FINISH_PATH, SIGN_OUT_PATH, routes, safe_return

PASSWORD = "kata-sandi-rahasia"
BACK = "/matriks?tim=Tim+Pengawasan&bulan=Maret"


@pytest.fixture
def store(store_on_each_backend):
    Accounts(store_on_each_backend).add("rina", "editor", "Tim Pengawasan", PASSWORD, "uji")
    return store_on_each_backend


@pytest.fixture
def server(store):
    return Starlette(routes=routes(lambda: store.database))


def ticket(store) -> str:
    return SignInSessions(store).create_ticket(Accounts(store).authenticate("rina", PASSWORD))


def finish(server, ticket_text: str, headers=None, scheme: str = "http", back: str = BACK):
    return request(server, "POST", FINISH_PATH, {"tiket": ticket_text, "kembali": back},
                   headers if headers is not None else {"Origin": SITE, "User-Agent": "Chromium (uji)"}, scheme=scheme)


def test_a_ticket_sets_a_strict_http_only_cookie_and_goes_back_to_the_page(store, server):
    answer = finish(server, ticket(store))
    assert answer.status == 303 and answer.headers["location"] == BACK
    header = answer.set_cookies[0]
    assert "HttpOnly" in header and "SameSite=strict" in header and "Path=/" in header and "Secure" not in header
    morsel = answer.cookies()[COOKIE_NAME]
    assert morsel["max-age"] == str(7 * 24 * 3600)
    user = SignInSessions(store).resolve(morsel.value).user
    assert user.label == "rina (Tim Pengawasan)"
    assert SignInSessions(store).list("rina")["user_agent"].tolist() == ["Chromium (uji)"]


def test_over_https_the_cookie_is_secure(store, server):
    answer = finish(server, ticket(store), {"Origin": "https://testserver"}, scheme="https")
    assert answer.status == 303 and "Secure" in answer.set_cookies[0]


def test_a_ticket_works_once(store, server):
    used = ticket(store)
    assert finish(server, used).status == 303
    again = finish(server, used)
    assert again.status == 400 and not again.set_cookies
    assert "sudah dipakai atau kedaluwarsa" in again.text and 'href="/matriks?tim=Tim+Pengawasan' in again.text


@pytest.mark.parametrize("headers", [{"Origin": "https://jahat.example"}, {"Referer": "https://jahat.example/x"}, {},
                                     {"Origin": "null"}], ids=["origin", "referer", "neither", "null-origin"])
def test_a_request_from_another_site_changes_nothing(store, server, headers):
    pending = ticket(store)
    answer = finish(server, pending, headers)
    assert answer.status == 403 and not answer.set_cookies and "tidak ada yang diubah" in answer.text
    assert SignInSessions(store).list().empty
    assert finish(server, pending, {"Referer": SITE + "/matriks"}).status == 303  # the ticket was not spent


def test_the_way_back_stays_on_this_server():
    assert safe_return(BACK) == BACK
    for elsewhere in ("https://jahat.example/", "//jahat.example/", "/\\jahat.example", "javascript:alert(1)", ""):
        assert safe_return(elsewhere) == "/"


def test_sign_out_revokes_the_session_and_clears_the_cookie(store, server):
    token = finish(server, ticket(store)).cookies()[COOKIE_NAME].value
    answer = request(server, "POST", SIGN_OUT_PATH, {"kembali": "/riwayat"}, {"Origin": SITE}, {COOKIE_NAME: token})
    assert answer.status == 303 and answer.headers["location"] == "/riwayat"
    cleared = answer.cookies()[COOKIE_NAME]
    assert cleared.value in ("", '""') and cleared["max-age"] == "0"
    assert SignInSessions(store).resolve(token).reason == "dicabut"
    forged = request(server, "POST", SIGN_OUT_PATH, {"kembali": "/"}, {"Origin": "https://jahat.example"},
                     {COOKIE_NAME: token})
    assert forged.status == 403


@pytest.mark.parametrize("cookie", ["forged", "revoked"])
def test_a_cookie_that_signs_nobody_in_shows_a_visitor_the_notice(data_dir, cookie):
    app = sign_in_as(open_app(), User("rina", "editor", "Tim Pengawasan", "6203"))
    assert any("Masuk sebagai" in block.value for block in app.sidebar.markdown)
    if cookie == "forged":
        BROWSER_COOKIES[COOKIE_NAME] = BROWSER_COOKIES[COOKIE_NAME][:-2] + "xy"
    else:
        Accounts(store_at(data_dir)).set_password("rina", "kata-sandi-baru-sekali", by="uji")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not any("Masuk sebagai" in block.value for block in app.sidebar.markdown)
    assert [info.value for info in app.sidebar.info] == ["Sesi Anda telah berakhir atau dicabut; silakan masuk lagi."]
    assert app.sidebar.text_input(key="masuk_nama")  # the sign-in form is offered


@pytest.mark.parametrize("limit", ["idle", "absolute"])
def test_the_pages_end_a_session_at_its_limits_by_the_clock(data_dir, monkeypatch, limit):
    """The idle limit (12 h without a run; each run restarts it) and the absolute one (7 days however active), as
    every run of a page applies them: the sessions' clock is moved, nothing sleeps."""
    from datetime import datetime, timedelta, timezone

    from zi_data.base import clock as zi_clock

    start = datetime.now(timezone.utc)
    clock = [start]
    monkeypatch.setattr(zi_clock, "current_moment", lambda: clock[0])
    app = sign_in_as(open_app("app_pages/perbarui_progres.py"), User("rina", "editor", "Tim Pengawasan", "6203"))
    runs = ([timedelta(hours=11), timedelta(hours=22)] if limit == "idle"
            else [timedelta(hours=hours) for hours in range(6, 7 * 24, 6)])
    for moment in runs:
        clock[0] = start + moment
        app.run()
        assert any("Masuk sebagai" in block.value for block in app.sidebar.markdown), moment
        assert app.file_uploader, moment
    clock[0] = start + (timedelta(hours=34, minutes=1) if limit == "idle" else timedelta(days=7))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not any("Masuk sebagai" in block.value for block in app.sidebar.markdown)
    assert [info.value for info in app.sidebar.info] == ["Sesi Anda telah berakhir atau dicabut; silakan masuk lagi."]
    assert not app.file_uploader
    assert any("pengunjung" in info.value for info in app.info)


def store_at(data_dir):
    from zi_data.store.progress_store import ProgressStore

    return ProgressStore(data_dir)


@pytest.fixture
def data_dir(seeded_data_dir, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    monkeypatch.delenv("ZI_DATABASE_URL", raising=False)
    return seeded_data_dir


def test_the_sign_in_form_hands_the_browser_a_ticket_and_the_way_back_never_the_password(data_dir):
    from helpers import post_sign_in_form

    Accounts(store_at(data_dir)).add("rina", "editor", "Tim Pengawasan", PASSWORD, "uji")
    app = open_app(tim=["Tim Pengawasan", "Tim Agen Perubahan"])
    assert not app.exception, [e.value for e in app.exception]
    app.sidebar.text_input(key="masuk_nama").set_value("rina")
    app.sidebar.text_input(key="masuk_sandi").set_value(PASSWORD)
    next(b for b in app.sidebar.button if b.label == "Masuk").click().run()
    form = next(html.proto.body for html in app.sidebar.get("html") if ">Lanjutkan</button>" in html.proto.body)
    assert 'action="/masuk/selesai"' in form and 'method="post"' in form
    assert 'name="kembali" value="/?tim=Tim+Pengawasan&amp;tim=Tim+Agen+Perubahan"' in form
    assert PASSWORD not in form and not BROWSER_COOKIES
    post_sign_in_form(app, "Lanjutkan")
    assert BROWSER_COOKIES[COOKIE_NAME]
    assert any("Masuk sebagai" in block.value for block in app.sidebar.markdown)


def test_a_single_sign_on_user_is_still_signed_in_without_a_cookie_and_signs_out_with_st_logout(data_dir):
    from streamlit.testing.v1 import AppTest

    from helpers import ROOT

    Accounts(store_at(data_dir)).add("rina@kpu.example.go.id", "editor", "Tim Pengawasan", PASSWORD, "uji")
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.user = {"is_logged_in": True, "email": "rina@kpu.example.go.id"}
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(block.value.startswith("Masuk sebagai **rina") and "Tim Pengawasan" in block.value
               for block in app.sidebar.markdown)
    assert not BROWSER_COOKIES and not app.sidebar.get("html")  # no cookie session: Keluar is st.logout
    next(b for b in app.sidebar.button if b.label == "Keluar").click().run()
    assert not any("Masuk sebagai" in block.value for block in app.sidebar.markdown)
