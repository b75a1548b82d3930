"""The database this server shows, and who is signed in to this browser session."""

from datetime import datetime, timezone

import streamlit as st

from zi_data.accounts import Accounts, User, session_expired
from zi_data.database import Database
from zi_data.paths import data_dir
from zi_data.progress_store import ProgressStore

USER_KEY, ACTIVITY_KEY, EXPIRED_KEY = "pengguna", "aktivitas_terakhir", "sesi_berakhir"


@st.cache_resource(show_spinner=False, max_entries=8)
def _database_in(directory: str) -> Database:
    opened = Database(data_dir(directory))
    ProgressStore(database=opened)  # a new database is seeded with the bundled plan
    return opened


def database() -> Database:
    """The database of the data directory (or $ZI_DATABASE_URL), opened once per server and shared by every
    session."""
    return _database_in(str(data_dir()))


def oidc_configured() -> bool:
    try:
        return getattr(st.user, "is_logged_in", None) is not None
    except Exception:  # no secrets.toml
        return False


def signed_in_user() -> User | None:
    """The signed-in user; the session ends after SESSION_IDLE_LIMIT without activity."""
    user = st.session_state.get(USER_KEY)
    if user is None:
        return _oidc_user()
    now = datetime.now(timezone.utc)
    if session_expired(st.session_state.get(ACTIVITY_KEY, now), now):
        st.session_state.pop(USER_KEY, None)
        st.session_state[EXPIRED_KEY] = True
        return None
    st.session_state[ACTIVITY_KEY] = now
    return user


def _oidc_user() -> User | None:
    """With st.login (OIDC) configured, the account whose name is the signed-in e-mail address."""
    if not oidc_configured() or not st.user.is_logged_in:
        return None
    return Accounts(database(), office="").user_named(str(st.user.get("email") or ""))
