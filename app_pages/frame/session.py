"""The database this server shows, and who is signed in to this browser.

A local sign-in lives in the browser's session cookie (zi_data/store/sign_in_sessions.py, set and cleared by
app_pages/frame/sign_in_routes.py): every run reads it from `st.context.cookies` and resolves it in the database,
so a reload, a new tab or a shared link stays signed in, and a session revoked anywhere (Keluar in another
tab, `user sessions revoke`, a new password) is a visitor on its next run. Nothing secret is kept in
st.session_state.
"""

from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

import streamlit as st

from app_pages.frame.refusals import show_refusal
from zi_data.store.accounts import Accounts, User
from zi_data.store.database import Database, SchemaError
from zi_data.store.ledgers import home_office
from zi_data.base.paths import data_dir
from zi_data.store.plan_years import open_seeded
from zi_data.store.sign_in_sessions import ACTIVE, COOKIE_NAME, Resolution, SignInSessions
from zi_data.base.problems import Refusal


@st.cache_resource(show_spinner=False, max_entries=8)
def _database_in(directory: str) -> Database:
    return open_seeded(data_dir(directory))  # a new database is seeded with the bundled plan


def database() -> Database:
    """The database of the data directory (or $ZI_DATABASE_URL), opened once per server and shared by every
    session. A schema this app cannot use (newer, or needing the owner role's upgrade) is said, not raised."""
    try:
        return _database_in(str(data_dir()))
    except SchemaError as error:
        show_refusal(error)
        st.stop()


def oidc_configured() -> bool:
    try:
        return getattr(st.user, "is_logged_in", None) is not None
    except Exception:  # no secrets.toml
        return False


def browser_cookies() -> Mapping[str, str]:
    """The cookies the browser sent when it opened this page. The page tests replace this function with their
    own cookie jar (tests/helpers.py), since AppTest has no browser."""
    return st.context.cookies


def cookie_session() -> Resolution | None:
    """What this browser's session cookie stands for (None: it sent none)."""
    token = browser_cookies().get(COOKIE_NAME)
    if not isinstance(token, str) or not token:  # (AppTest's stand-in client answers with a mock)
        return None
    return SignInSessions(database()).resolve(token)


def signed_in_user() -> User | None:
    """The user of the browser's session cookie, else of st.login (OIDC), else None (a visitor)."""
    session = cookie_session()
    if session is not None and session.user is not None:
        return session.user
    return _oidc_user()


def cookie_refused() -> bool:
    """The browser sent a session cookie that signs nobody in: forged, expired or revoked."""
    session = cookie_session()
    return session is not None and session.reason != ACTIVE


def return_path() -> str:
    """This page's path and query string (`/matriks?tim=…`): where the sign-in routes send the browser back."""
    path = urlsplit(st.context.url or "").path or "/"
    query = urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])
    return f"{path}?{query}" if query else path


def _oidc_user() -> User | None:
    """With st.login (OIDC) configured, the account whose name is the signed-in e-mail address; an e-mail
    without an account is a viewer of the home office (it sees, never changes)."""
    if not oidc_configured() or not st.user.is_logged_in:
        return None
    email = str(st.user.get("email") or "").strip()
    if not email:
        return None
    found = Accounts(database(), office="").user_named(email)
    if found is not None:
        return found
    with database().reading() as conn:
        return User(email, "viewer", office=home_office(conn) or "")
