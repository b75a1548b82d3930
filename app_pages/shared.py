"""What every page shares: the data, the filters in the sidebar and the page header."""

from dataclasses import dataclass
from datetime import date, datetime, timezone

import pandas as pd
import streamlit as st

from zi_data import status, upload_isolation
from zi_data.accounts import AccountError, Accounts, User, session_expired
from zi_data.months import MONTHS
from zi_data.paths import data_dir
from zi_data.progress_store import ProgressStore
from zi_data.realisasi_import import preview_upload
from zi_data.safe_text import html_table, markdown_text

# What the `streamlit` entry script imports; every upload worker runs that script again (see prepare_workers).
SERVER_ENTRY_MODULES = ("streamlit.web.cli",)
TEAM_KEY, AREA_KEY, MONTH_KEY, PROJECTOR_KEY = "tim", "area", "bulan", "proyektor"
USER_KEY, ACTIVITY_KEY = "pengguna", "aktivitas_terakhir"
NAME_KEY, PASSWORD_KEY, SIGN_IN_ERROR_KEY = "masuk_nama", "masuk_sandi", "masuk_galat"
FIRST_ACCOUNT_HELP = ("Belum ada akun, jadi siapa pun dapat mengunggah (mode terbuka). Untuk membatasi "
                      "perubahan, admin membuat akun pertama, lalu akun editor per tim, di server:")
# Shown as a code block, not inside the caption: the caption's 60 % opacity would fade them below 4.5:1.
FIRST_ACCOUNT_COMMANDS = ("python -m zi_data user add NAMA --role admin\n"
                          "python -m zi_data user add NAMA --role editor --team \"NAMA TIM\"")
PROJECTOR_TEXT_LIMIT = 90  # characters of a table cell shown in projector mode
PROJECTOR_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 22px; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: clamp(32px, 3.2vw, 56px) !important; line-height: 1.2; }
[data-testid="stMetricLabel"] p { font-size: 22px !important; }
[data-testid="stMetric"] [data-testid="stMarkdownContainer"], [data-testid="stMetric"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
h1 { font-size: 40px !important; }
h2, h3 { font-size: 30px !important; }
[data-testid="stTable"] table { font-size: 20px; }
.zi-table-scroll { overflow-x: auto; margin-bottom: 1rem; }
table.zi-table { font-size: 19px; border-collapse: collapse; width: 100%; color: #111; }
table.zi-table th, table.zi-table td { border: 1px solid #BDBDBD; padding: 4px 6px; text-align: left;
  vertical-align: top; white-space: normal; overflow-wrap: anywhere; }
table.zi-table td.zi-nowrap { white-space: nowrap; overflow-wrap: normal; }
table.zi-table th { background: #F0F2F6; }
[data-testid="stCaptionContainer"] { font-size: 20px !important; color: #222 !important; opacity: 1 !important; }
.block-container { padding-top: 2.5rem; padding-left: 32px !important; padding-right: 32px !important; }
</style>
"""


@dataclass(frozen=True)
class View:
    """The plan and its status, filtered as the sidebar says."""
    office: str
    year: int
    as_of: date
    teams: tuple[str, ...]
    areas: tuple[str, ...]
    projector: bool
    plan: pd.DataFrame
    classified: pd.DataFrame
    has_progress: bool

    @property
    def as_of_month(self) -> int:
        return self.as_of.month

    @property
    def filters_text(self) -> str:
        parts = [f"Tim: {', '.join(self.teams)}" if self.teams else "Semua tim",
                 f"Area: {', '.join(self.areas)}" if self.areas else "semua area"]
        return " · ".join(parts)


def open_store() -> ProgressStore:
    return ProgressStore.open(data_dir())


@st.cache_data(show_spinner=False, max_entries=8)
def load_state(directory: str, revision: int, plan_version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plan and current progress, cached until the store's revision or plan version changes."""
    store = ProgressStore(directory)
    return store.plan(plan_version), store.latest()


@st.cache_data(show_spinner=False, max_entries=32)
def classify_cached(directory: str, revision: int, plan_version: int, as_of: date) -> pd.DataFrame:
    plan, latest = load_state(directory, revision, plan_version)
    return status.classify(plan, latest, as_of)


@st.cache_data(show_spinner=False, max_entries=4)
def cached_preview(data: bytes, file_name: str, directory: str, revision: int, plan_version: int,
                   allowed_team: str | None, apply_plan: bool, renames: tuple = ()):
    """The preview of an uploaded workbook, parsed once per file content, stored state, permission and renames."""
    upload_isolation.prepare_workers(SERVER_ENTRY_MODULES)
    return preview_upload(ProgressStore(directory), data, file_name, apply_plan=apply_plan,
                          allowed_team=allowed_team, renames=renames)


def state_key() -> tuple[str, int, int]:
    """Identifies the stored state; the caches above are keyed by it, so every write refreshes them."""
    store = open_store()
    return str(store.data_dir), store.revision(), store.plan_version()


def sidebar_filters(plan: pd.DataFrame) -> None:
    """The shared filters; their values live in the URL so a view can be bookmarked."""
    year = int(plan.attrs.get("year") or date.today().year)
    default_month = status.as_of_date(year).month
    with st.sidebar:
        st.multiselect("Penanggung jawab", sorted(plan["penanggung_jawab"].unique()), key=TEAM_KEY,
                       bind="query-params", placeholder="Semua tim")
        st.multiselect("Area", list(dict.fromkeys(plan["area"])), key=AREA_KEY, bind="query-params",
                       placeholder="Semua area",
                       help="  \n".join(f"**{markdown_text(code)}** · {markdown_text(name)}"
                                        for code, name in area_names(plan).items()))
        st.selectbox(f"Bulan acuan ({year})", MONTHS, index=default_month - 1, key=MONTH_KEY, bind="query-params",
                     help="Posisi capaian dihitung sampai akhir bulan ini.")
        st.toggle("Mode proyektor", key=PROJECTOR_KEY, bind="query-params",
                  help="Huruf besar dan grafik selebar layar untuk rapat; kontrol penyuntingan disembunyikan.")


def area_names(plan: pd.DataFrame) -> dict[str, str]:
    return dict(zip(plan["area"], plan["area_name"]))


def projector_on() -> bool:
    """From the toggle once it has run, else from the URL (the entry script runs before any page)."""
    if PROJECTOR_KEY in st.session_state:
        return bool(st.session_state[PROJECTOR_KEY])
    return st.query_params.get(PROJECTOR_KEY, "").lower() == "true"


def page_view() -> View:
    """Every page starts here: the shared sidebar (filters, sign-in), then the filtered data."""
    key = state_key()
    plan, latest = load_state(*key)
    sidebar_filters(plan)
    if not projector_on():
        sign_in_panel()
    return filtered_view(key, plan, latest)


def filtered_view(key: tuple[str, int, int], plan: pd.DataFrame, latest: pd.DataFrame) -> View:
    year = int(plan.attrs.get("year") or date.today().year)
    month_label = st.session_state.get(MONTH_KEY)
    month = MONTHS.index(month_label) + 1 if month_label in MONTHS else status.as_of_date(year).month
    as_of = status.as_of_date(year, month=month)
    teams = tuple(st.session_state.get(TEAM_KEY) or ())
    areas = tuple(st.session_state.get(AREA_KEY) or ())
    classified = classify_cached(*key, as_of)
    keep = pd.Series(True, index=plan.index)
    if teams:
        keep &= plan["penanggung_jawab"].isin(teams)
    if areas:
        keep &= plan["area"].isin(areas)
    filtered_plan = plan[keep]
    filtered = classified[classified["id"].isin(filtered_plan["id"])]
    return View(office=str(plan.attrs.get("office") or ""), year=year, as_of=as_of, teams=teams, areas=areas,
                projector=projector_on(), plan=filtered_plan, classified=filtered, has_progress=not latest.empty)


def page_header(title: str, view: View) -> None:
    if view.projector:
        st.html(PROJECTOR_CSS)
    st.title(title)
    # The office, team and area names come from the uploaded plan: shown as text, never as markdown.
    st.caption(f"**{markdown_text(view.office)}** · Rencana Aksi Zona Integritas {view.year} · "
               f"posisi s.d. **{MONTHS[view.as_of_month - 1]} {view.year}** · {markdown_text(view.filters_text)}")


def show_table(frame: pd.DataFrame, view: View, projector_columns: list[str] | None = None,
               **dataframe_options) -> None:
    """An interactive table; in projector mode a plain one in the large projector type, with only
    `projector_columns` (when given), long texts shortened and IDs on one line.

    Not st.table: it reads each cell as markdown, and the cells hold user text (Catatan, plan texts).
    """
    if view.projector:
        shown = frame[projector_columns] if projector_columns else frame
        shown = shown.map(lambda value: value[:PROJECTOR_TEXT_LIMIT - 1].rstrip() + "…"
                          if isinstance(value, str) and len(value) > PROJECTOR_TEXT_LIMIT else value)
        st.html(f'<div class="zi-table-scroll">{html_table(shown, nowrap=("ID",))}</div>')
    else:
        st.dataframe(frame, hide_index=True, width="stretch", **dataframe_options)


def all_columns_button() -> None:
    """In projector mode: one click shows every column and the full texts (projector mode off)."""
    st.button("Tampilkan semua kolom dan teks lengkap", icon=":material/table_view:", key="semua_kolom",
              on_click=lambda: st.session_state.update({PROJECTOR_KEY: False}))


def chart(figure, key: str) -> None:
    st.plotly_chart(figure, key=key, width="stretch",
                    config={"displaylogo": False, "locale": "id",
                            "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}})


@dataclass(frozen=True)
class Editor:
    """Who may write from this session: a signed-in user, or anyone when no account exists yet."""
    name: str
    user: User | None

    @property
    def team(self) -> str | None:
        """The one team this editor may change; None for an admin or in open mode."""
        return self.user.team if self.user and not self.user.is_admin else None

    @property
    def open_mode(self) -> bool:
        """No account exists yet: anyone may change anything, undo included."""
        return self.user is None

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin


def accounts() -> Accounts:
    return open_store().accounts


def signed_in_user() -> User | None:
    """The signed-in user; the session ends after SESSION_IDLE_LIMIT without activity."""
    user = st.session_state.get(USER_KEY)
    if user is None:
        return _oidc_user()
    now = datetime.now(timezone.utc)
    if session_expired(st.session_state.get(ACTIVITY_KEY, now), now):
        st.session_state.pop(USER_KEY, None)
        st.session_state["sesi_berakhir"] = True
        return None
    st.session_state[ACTIVITY_KEY] = now
    return user


def oidc_configured() -> bool:
    try:
        return getattr(st.user, "is_logged_in", None) is not None
    except Exception:  # no secrets.toml
        return False


def _oidc_user() -> User | None:
    """With st.login (OIDC) configured, the account whose name is the signed-in e-mail address."""
    if not oidc_configured() or not st.user.is_logged_in:
        return None
    email = str(st.user.get("email") or "")
    found = accounts().list()
    match = found[found["name"].str.casefold() == email.casefold()]
    if match.empty:
        return None
    row = match.iloc[0]
    return User(row["name"], row["role"], row["team"])


def sign_in_panel() -> None:
    """Sign-in for editors and admins, in the sidebar; viewers need none."""
    with st.sidebar:
        st.divider()
        if not accounts().any():
            st.caption(FIRST_ACCOUNT_HELP)
            st.code(FIRST_ACCOUNT_COMMANDS, language=None, wrap_lines=True)
            return
        user = signed_in_user()
        if user is not None:
            st.markdown(f"Masuk sebagai **{markdown_text(user.label)}**")
            if st.button("Keluar", icon=":material/logout:", key="keluar"):
                st.session_state.pop(USER_KEY, None)
                if oidc_configured() and st.user.is_logged_in:
                    st.logout()
                st.rerun()
            return
        if st.session_state.pop("sesi_berakhir", False):
            st.info("Sesi berakhir karena tidak aktif; silakan masuk lagi.")
        if oidc_configured():
            st.button("Masuk dengan akun kantor", icon=":material/login:", on_click=st.login)
        with st.form("masuk", border=False):
            st.markdown("**Masuk (editor/admin)**")
            st.text_input("Nama akun", key=NAME_KEY)
            st.text_input("Kata sandi", type="password", key=PASSWORD_KEY)
            st.form_submit_button("Masuk", icon=":material/login:", on_click=_sign_in)
        if message := st.session_state.pop(SIGN_IN_ERROR_KEY, None):
            st.error(message)


def _sign_in() -> None:
    """The sign-in form's callback: runs before the page, so the user is signed in on this very run.

    The password is read once and then emptied in the session state, whether the attempt succeeded or not.
    """
    password = st.session_state.get(PASSWORD_KEY) or ""
    st.session_state[PASSWORD_KEY] = ""
    try:
        st.session_state[USER_KEY] = accounts().authenticate(st.session_state.get(NAME_KEY) or "", password)
    except AccountError as error:
        st.session_state[SIGN_IN_ERROR_KEY] = str(error)
    else:
        st.session_state[ACTIVITY_KEY] = datetime.now(timezone.utc)


def current_editor() -> Editor | None:
    """Who may write here, or None for a viewer (accounts exist and nobody signed in)."""
    if accounts().any():
        user = signed_in_user()
        return Editor(user.name, user) if user else None
    name = st.text_input("Nama Anda (dicatat sebagai pelapor)", key="pelapor", max_chars=80,
                         placeholder="mis. Ketua Tim Pengawasan").strip()
    return Editor(name, None)


def viewer_notice() -> None:
    st.info("Anda melihat sebagai pengunjung. Masuk sebagai editor (ketua tim) atau admin di panel samping "
            "untuk mengunggah atau membatalkan perubahan.", icon=":material/lock:")
