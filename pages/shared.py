"""What every page shares: the data, the filters in the sidebar and the page header."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from zi_data import realisasi_workbook, status
from zi_data.months import MONTHS
from zi_data.paths import data_dir
from zi_data.progress_store import ProgressStore

TEAM_KEY, AREA_KEY, MONTH_KEY, PROJECTOR_KEY = "tim", "area", "bulan", "proyektor"
PROJECTOR_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 22px; }
[data-testid="stMetricValue"] { font-size: 56px !important; }
[data-testid="stMetricLabel"] p { font-size: 22px !important; }
h1 { font-size: 40px !important; }
h2, h3 { font-size: 30px !important; }
[data-testid="stCaptionContainer"] { font-size: 20px !important; color: #222 !important; }
.block-container { padding-top: 2.5rem; }
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
def cached_preview(data: bytes, file_name: str, directory: str, revision: int, plan_version: int):
    """The preview of an uploaded workbook, parsed once per file content and stored state."""
    return realisasi_workbook.preview_upload(ProgressStore(directory), data, file_name)


def state_key() -> tuple[str, int, int]:
    """Identifies the stored state; every cache below is keyed by it, so a write clears them."""
    store = open_store()
    return str(store.data_dir), store.revision(), store.plan_version()


def current_state() -> tuple[pd.DataFrame, pd.DataFrame]:
    return load_state(*state_key())


def sidebar_filters() -> None:
    """The shared filters; their values live in the URL so a view can be bookmarked."""
    plan, _ = current_state()
    year = int(plan.attrs.get("year") or date.today().year)
    default_month = status.as_of_date(year).month
    with st.sidebar:
        st.multiselect("Penanggung jawab", sorted(plan["penanggung_jawab"].unique()), key=TEAM_KEY,
                       bind="query-params", placeholder="Semua tim")
        st.multiselect("Area", list(dict.fromkeys(plan["area"])), key=AREA_KEY, bind="query-params",
                       placeholder="Semua area",
                       help="  \n".join(f"**{code}** · {name}" for code, name in area_names(plan).items()))
        st.selectbox(f"Bulan acuan ({year})", MONTHS, index=default_month - 1, key=MONTH_KEY, bind="query-params",
                     help="Posisi capaian dihitung sampai akhir bulan ini.")
        st.toggle("Mode proyektor", key=PROJECTOR_KEY, bind="query-params",
                  help="Huruf besar dan grafik selebar layar untuk rapat; kontrol penyuntingan disembunyikan.")


def area_names(plan: pd.DataFrame) -> dict[str, str]:
    return dict(zip(plan["area"], plan["area_name"]))


def projector_on() -> bool:
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def current_view() -> View:
    key = state_key()
    plan, latest = load_state(*key)
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
    st.caption(f"**{view.office}** · Rencana Aksi Zona Integritas {view.year} · "
               f"posisi s.d. **{MONTHS[view.as_of_month - 1]} {view.year}** · {view.filters_text}")


def chart(figure, key: str) -> None:
    st.plotly_chart(figure, key=key, width="stretch",
                    config={"displaylogo": False, "locale": "id",
                            "toImageButtonOptions": {"format": "png", "filename": key, "scale": 2}})


def reporter_name() -> str:
    """Who is reporting; recorded with every change."""
    return st.text_input("Nama Anda (dicatat sebagai pelapor)", key="pelapor", max_chars=80,
                         placeholder="mis. Ketua Tim Pengawasan").strip()
