"""The HTTP routes that set and clear the session cookie, served next to the app by st.App (see dashboard.py).

POST /masuk/selesai swaps a sign-in ticket (made by the sidebar's form after Accounts.authenticate) for a
session and sets its cookie; POST /keluar revokes the cookie's session in the database and clears it. Both
answer 303 to the page the person was on (its query string kept) and refuse a request whose Origin (or,
without one, Referer) is not this server: with the cookie's SameSite=Strict that keeps other sites from
signing anyone in or out. The ticket and the token travel only in a form's body and in the cookie, never in
a URL. The forms that post to them are plain HTML (`st.html`), no JavaScript.
"""

import html
from collections.abc import Callable
from datetime import datetime, timezone
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from zi_data.store.sign_in_sessions import COOKIE_NAME, SignInSessions

FINISH_PATH, SIGN_OUT_PATH = "/masuk/selesai", "/keluar"
TICKET_FIELD, RETURN_FIELD = "tiket", "kembali"
BUTTON_STYLE = ("font: inherit; padding: 0.25rem 0.75rem; border-radius: 0.5rem; cursor: pointer; "
                "border: 1px solid {border}; background: {background}; color: {color}; min-height: 2.5rem")
# The theme's primary colour (.streamlit/config.toml): white on it is 5.0:1.
PRIMARY = BUTTON_STYLE.format(border="#0072B2", background="#0072B2", color="#FFFFFF")
SECONDARY = BUTTON_STYLE.format(border="rgba(17, 17, 17, 0.2)", background="#FFFFFF", color="#111111")
STALE_TICKET = ("Tautan masuk ini sudah dipakai atau kedaluwarsa (berlaku satu menit). Silakan masuk lagi.")
FOREIGN_ORIGIN = "Permintaan ini tidak datang dari halaman ZI Monitor sendiri; tidak ada yang diubah."


def post_form(action: str, label: str, fields: dict[str, str], primary: bool = False) -> str:
    """A form of hidden `fields` and one button that posts them to `action` (shown with st.html)."""
    hidden = "".join(f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
                     for name, value in fields.items())
    return (f'<form method="post" action="{html.escape(action)}">{hidden}'
            f'<button type="submit" style="{PRIMARY if primary else SECONDARY}">{html.escape(label)}</button></form>')


def safe_return(path: str) -> str:
    """`path` if it is a path on this server (no scheme, host or `//`), else the home page."""
    parts = urlsplit(path or "/")
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith(("//", "/\\")) or "\\" in path:
        return "/"
    return path


def same_origin(request: Request) -> bool:
    """The request was sent by a page of this server: its Origin, or without one its Referer, names it."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return origin == own
    referer = request.headers.get("referer") or ""
    return referer == own or referer.startswith(own + "/")


def _page(message: str, back: str, status: int) -> HTMLResponse:
    body = (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>ZI Monitor</title></head>'
            f'<body><main><h1>ZI Monitor</h1><p>{html.escape(message)}</p>'
            f'<p><a href="{html.escape(back)}">Kembali ke dasbor</a></p></main></body></html>')
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _cookie_options(request: Request) -> dict:
    """HttpOnly, SameSite=Strict, Path=/; Secure when the browser reached us over HTTPS (directly, or through
    a proxy uvicorn trusts: its X-Forwarded-Proto, see FORWARDED_ALLOW_IPS)."""
    return {"httponly": True, "samesite": "strict", "path": "/", "secure": request.url.scheme == "https"}


def routes(open_database: Callable[[], object], now: Callable[[], datetime] | None = None) -> list[Route]:
    """The two routes, on the database `open_database()` returns (the app's own, or a test's)."""
    clock = now or (lambda: datetime.now(timezone.utc))

    async def finish_sign_in(request: Request) -> Response:
        form = await request.form()
        back = safe_return(str(form.get(RETURN_FIELD) or "/"))
        if not same_origin(request):
            return _page(FOREIGN_ORIGIN, "/", 403)
        sessions = SignInSessions(open_database())
        new = await run_in_threadpool(sessions.redeem_ticket, str(form.get(TICKET_FIELD) or ""),
                                      request.headers.get("user-agent", ""), clock())
        if new is None:
            return _page(STALE_TICKET, back, 400)
        response = RedirectResponse(back, status_code=303, headers={"Cache-Control": "no-store"})
        response.set_cookie(COOKIE_NAME, new.token, max_age=int(new.max_age.total_seconds()), **_cookie_options(request))
        return response

    async def sign_out(request: Request) -> Response:
        form = await request.form()
        back = safe_return(str(form.get(RETURN_FIELD) or "/"))
        if not same_origin(request):
            return _page(FOREIGN_ORIGIN, "/", 403)
        if token := request.cookies.get(COOKIE_NAME):
            await run_in_threadpool(SignInSessions(open_database()).revoke, token, None, "keluar", clock())
        response = RedirectResponse(back, status_code=303, headers={"Cache-Control": "no-store"})
        response.delete_cookie(COOKIE_NAME, **_cookie_options(request))
        return response

    return [Route(FINISH_PATH, finish_sign_in, methods=["POST"]), Route(SIGN_OUT_PATH, sign_out, methods=["POST"])]
