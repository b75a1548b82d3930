"""The data every page shows: the office and plan year, the cached plan and status, the sidebar filters and
the View."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from app_pages.frame.registry import PAGES
from app_pages.frame.session import database, signed_in_user
from zi_data.evidence import evidence
from zi_data.evidence.previous_year import previous_year, year_outcomes
from zi_data.plan import status
from zi_data.files import upload_isolation
from zi_data.store.audit import audit_events, audit_table
from zi_data.base.clock import DEFAULT_ZONE, office_zone, office_zones, today
from zi_data.store.counting_rule import DEFAULT_RULE, counting_rule
from zi_data.base.history import upload_history
from zi_data.store.ledgers import default_year, home_office, ledger_frame, ledgers_with_progress
from zi_data.base.months import MONTHS
from zi_data.store.offices import office_frame, office_subtree
from zi_data.base.paths import data_dir
from zi_data.reporting.orphans import orphaned_progress
from zi_data.store.plan_years import preview_new_year
from zi_data.store.progress_store import ProgressStore
from zi_data.reporting.public_labels import public_audit_events, public_labels, public_uploads
from zi_data.realisasi.realisasi_import import preview_upload
from zi_data.reporting.review_lists import review_items
from zi_data.base.dashboard_url import AREA_KEY, MONTH_KEY, OFFICE_KEY, PROJECTOR_KEY, TEAM_KEY, YEAR_KEY
from zi_data.base.safe_text import markdown_text

# What the `streamlit` entry script imports; every upload worker runs that script again (see prepare_workers).
SERVER_ENTRY_MODULES = ("streamlit.web.cli",)
StateKey = tuple[str, int, int, int]  # data directory, ledger (office and year), store revision, plan version
EvidenceKey = tuple  # evidence.revision(store): changes with every attachment, review and setting of the ledger
# Kantor's first choice, and the default, for a session that sees several offices: all of them, compared on the
# roll-up page (Rekap Instansi); a page of one office opens the roll-up page instead until an office is chosen.
ROLLUP = "semua"
ROLLUP_PAGE = next(page for page in PAGES if page.several_offices)
ROLLUP_LABEL = "Semua kantor ({name})"


@dataclass(frozen=True)
class View:
    """The plan and its status, filtered as the sidebar says, for one page."""

    page: str  # the page's title
    office: str
    year: int
    as_of: date
    teams: tuple[str, ...]
    areas: tuple[str, ...]
    projector: bool
    plan: pd.DataFrame
    classified: pd.DataFrame
    has_progress: bool
    state_key: StateKey
    all_teams: tuple[str, ...]  # every team of the plan in force, in plan order, whatever the filters
    evidence_key: EvidenceKey
    counting_rule: str  # counting_rule.RULES' key in force: what counts as selesai
    zone: str = DEFAULT_ZONE  # the office's time zone label (clock.ZONES): every moment is shown in it
    rollup: bool = False  # all the session's offices (ROLLUP): no plan, no team or area filter

    @property
    def as_of_month(self) -> int:
        return self.as_of.month

    @property
    def filters(self) -> tuple:
        """What the filtered frames depend on besides the stored state: a cache key for what is drawn from them."""
        return self.state_key, self.evidence_key, self.as_of, self.teams, self.areas, self.projector, self.zone

    @property
    def filters_text(self) -> str:
        parts = [f"Tim: {', '.join(self.teams)}" if self.teams else "Semua tim",
                 f"Area: {', '.join(self.areas)}" if self.areas else "semua area"]
        return " · ".join(parts)


@st.cache_resource(show_spinner=False, max_entries=64)
def _ledger_store(directory: str, office: str, year: int) -> ProgressStore:
    return ProgressStore(office=office, year=year, database=database())


def visible_ledgers() -> pd.DataFrame:
    """The plan years this session may see (ledger_frame's columns): a visitor sees the home office's (the
    data directory's first office); a signed-in account its own office's and those of the offices under it."""
    user = signed_in_user()
    with database().reading() as conn:
        years = ledger_frame(conn)
        offices = office_subtree(conn, user.office) if user else [home_office(conn)]
        zones = office_zones(conn)
        with_progress = ledgers_with_progress(conn)
    years = years[years["office"].isin(offices)].reset_index(drop=True)
    return years.assign(zone=years["office"].map(zones).fillna(DEFAULT_ZONE),
                        has_progress=years["ledger_id"].isin(with_progress))


def sees_several_offices(years: pd.DataFrame) -> bool:
    """The session sees more than one office (a province's or KPU RI's account): the roll-up page is listed, and
    it is where the session opens."""
    return years["office"].nunique() > 1


def chosen_office(years: pd.DataFrame, default_only: bool = False) -> str:
    """The office the sidebar names (kantor=); else, for a session that sees several offices, ROLLUP (all of
    them); else its one office. The one place the office a session looks at is decided. `default_only`: that
    default, whatever the sidebar says."""
    offices = list(dict.fromkeys(years["office"]))
    office = None if default_only else st.session_state.get(OFFICE_KEY)
    if office in offices:
        return office
    return ROLLUP if len(offices) > 1 else offices[0]


def rollup_scope() -> tuple[str, str]:
    """The name and time zone of the office whose offices the roll-up compares: the signed-in account's (a
    province, KPU RI)."""
    user = signed_in_user()
    with database().reading() as conn:
        office = user.office if user else home_office(conn)
        names = office_frame(conn).set_index("code")["name"]
        return str(names.get(office, office)), office_zone(conn, office)


def chosen_ledger(years: pd.DataFrame, default_only: bool = False) -> pd.Series:
    """The plan year the sidebar names (kantor=, tahun=), else the chosen office's default (ledgers.default_year:
    this calendar year's plan, else its latest, but while that has no progress the latest year that has some;
    `default_only`: that default, whatever the sidebar says). For ROLLUP a row standing for every office: the
    year among all of theirs, no ledger_id, named after the session's office (ROLLUP_LABEL) and in its zone."""
    office = chosen_office(years, default_only)
    mine = years if office == ROLLUP else years[years["office"] == office]
    if office == ROLLUP:
        name, zone = rollup_scope()
    else:
        zone = str(mine["zone"].iloc[0]) if "zone" in mine else DEFAULT_ZONE
    year = None if default_only else st.session_state.get(YEAR_KEY)
    with_progress = mine.loc[mine["has_progress"], "year"] if "has_progress" in mine else ()
    default = str(default_year(mine["year"], today(zone).year, with_progress))
    year = int(year if year in set(mine["year"].astype(str)) else default)
    if office == ROLLUP:
        return pd.Series({"ledger_id": None, "office": ROLLUP, "office_name": ROLLUP_LABEL.format(name=name),
                          "year": year, "zone": zone, "has_progress": year in set(with_progress)})
    return mine[mine["year"] == year].iloc[0]


def progress_store() -> ProgressStore:
    """The store of the chosen office and plan year, opened once per server and shared by every session (not under
    ROLLUP: a page of one office opens the roll-up page first, see rollup_view)."""
    chosen = chosen_ledger(visible_ledgers())
    return _ledger_store(str(data_dir()), chosen["office"], int(chosen["year"]))


def _store(directory: str, ledger_id: int) -> ProgressStore:
    """The store of a ledger this session already chose (its state key names it)."""
    with database().reading() as conn:
        found = ledger_frame(conn).set_index("ledger_id").loc[ledger_id]
    return _ledger_store(directory, found["office"], int(found["year"]))


@st.cache_data(show_spinner=False, max_entries=8)
def load_state(directory: str, ledger_id: int, revision: int, plan_version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plan and current progress, cached until the store's revision or plan version changes."""
    stored = _store(directory, ledger_id)
    return stored.plan(plan_version), stored.latest()


@st.cache_data(show_spinner=False, max_entries=8)
def evidence_cached(directory: str, ledger_id: int, revision: int, plan_version: int,
                    evidence_key: EvidenceKey) -> tuple[pd.DataFrame, str]:
    """The evidence states of the item-months (evidence.evidence_states) and the counting rule in force, cached
    until the progress, the plan version or the evidence key changes."""
    _plan, latest = load_state(directory, ledger_id, revision, plan_version)
    stored = _store(directory, ledger_id)
    return evidence.evidence_states(stored, latest), counting_rule(stored)


@st.cache_data(show_spinner=False, max_entries=32)
def classify_cached(directory: str, ledger_id: int, revision: int, plan_version: int, evidence_key: EvidenceKey,
                    as_of: date) -> pd.DataFrame:
    plan, latest = load_state(directory, ledger_id, revision, plan_version)
    states, rule = evidence_cached(directory, ledger_id, revision, plan_version, evidence_key)
    return status.classify(plan, latest, as_of, evidence=states, rule=rule)


@st.cache_data(show_spinner=False, max_entries=4)
def cached_preview(data: bytes, file_name: str, directory: str, ledger_id: int, revision: int, plan_version: int,
                   allowed_team: str | None, apply_plan: bool, renames: tuple = (), evidence_data: bytes | None = None,
                   evidence_name: str | None = None):
    """The preview of an uploaded workbook (and evidence ZIP), parsed once per file content, stored state,
    permission and renames."""
    upload_isolation.prepare_workers(SERVER_ENTRY_MODULES)
    return preview_upload(_store(directory, ledger_id), data, file_name, apply_plan=apply_plan,
                          allowed_team=allowed_team, renames=renames, evidence=evidence_data,
                          evidence_name=evidence_name)


@st.cache_data(show_spinner=False, max_entries=4)
def cached_year_preview(data: bytes, file_name: str, directory: str, office: str, ledger_count: int):
    """The preview of a plan workbook that would start a new year of `office`, per file content and set of years."""
    upload_isolation.prepare_workers(SERVER_ENTRY_MODULES)
    return preview_new_year(ProgressStore(database=database()), data, file_name, office)


@st.cache_data(show_spinner=False, max_entries=8)
def history_cached(directory: str, ledger_id: int, revision: int, plan_version: int, last_event: int, public: bool,
                   zone: str):
    """Riwayat's data per stored state and audit trail (an account change or sign-in adds an event):
    the uploads, and the upload history, audit table and audit events as shown; for a viewer
    (`public`) account names are replaced by roles; times in the office's `zone`."""
    stored = _store(directory, ledger_id)
    uploads, events = stored.uploads(), audit_events(stored)
    shown_uploads, shown_events = uploads, events
    if public:
        labels = public_labels(stored.accounts.list())
        shown_uploads, shown_events = public_uploads(uploads, labels), public_audit_events(events, labels)
    return uploads, upload_history(shown_uploads, zone), audit_table(shown_events, zone), shown_events


@st.cache_data(show_spinner=False, max_entries=8)
def orphaned_progress_cached(directory: str, ledger_id: int, revision: int, plan_version: int) -> pd.DataFrame:
    """Progress without a langkah aksi in the plan in force (see orphaned_progress), per stored state."""
    return orphaned_progress(_store(directory, ledger_id))


def previous_year_outcomes() -> tuple[int, pd.DataFrame] | None:
    """(year, outcomes): how each langkah aksi ended in the chosen office's previous plan year
    (previous_year.year_outcomes), built once per that year's stored state; None when the office has no earlier year."""
    stored = progress_store()
    if (year := previous_year(stored)) is None:
        return None
    earlier = _ledger_store(str(data_dir()), stored.office, year)
    return year, cached_build((state_key(earlier), evidence.revision(earlier)), "hasil_tahun",
                              lambda: year_outcomes(earlier))


def state_key(stored: ProgressStore) -> StateKey:
    """Identifies the stored state; the caches above are keyed by it, so every write refreshes them."""
    return str(data_dir()), stored.ledger_id, stored.revision(), stored.plan_version()


def ledger_selectors(years: pd.DataFrame) -> None:
    """Projector mode first (the chair's switch, in reach on a 768-pixel screen), then which office (when the
    session may see several: first all of them, ROLLUP) and which plan year; kept in the URL (kantor=, tahun=)
    when they differ from the defaults (ROLLUP, else the one office; this year's plan, else the latest). A new year
    starts at its own default as-of month: today, clamped into that year."""
    names = dict(zip(years["office"], years["office_name"]))
    with st.sidebar:
        st.toggle("Mode proyektor", key=PROJECTOR_KEY, bind="query-params",
                  help="Huruf besar dan grafik selebar layar untuk rapat; kontrol penyuntingan disembunyikan.")
        if sees_several_offices(years):
            names[ROLLUP] = ROLLUP_LABEL.format(name=rollup_scope()[0])
            st.selectbox("Kantor", [ROLLUP, *dict.fromkeys(years["office"])], index=0, key=OFFICE_KEY,
                         bind="query-params", on_change=_forget_month,
                         format_func=lambda code: names[code] if code == ROLLUP else f"{names[code]} ({code})")
        chosen = chosen_ledger(years)
        mine = years if chosen["office"] == ROLLUP else years[years["office"] == chosen["office"]]
        options = [str(year) for year in sorted(set(mine["year"]), reverse=True)]
        default = chosen_ledger(mine, default_only=True)
        st.selectbox("Tahun rencana aksi", options, index=options.index(str(default["year"])), key=YEAR_KEY,
                     bind="query-params", on_change=_forget_month)


def _forget_month() -> None:
    """Another year starts at its own default as-of month (today, clamped into that year)."""
    chosen = chosen_ledger(visible_ledgers())
    st.session_state[MONTH_KEY] = MONTHS[default_as_of(chosen).month - 1]


def default_as_of(chosen: pd.Series) -> date:
    """Today in the office's zone, clamped into the chosen plan year."""
    return status.as_of_date(int(chosen["year"]), today(str(chosen.get("zone", DEFAULT_ZONE))))


def month_selector(chosen: pd.Series) -> None:
    """The as-of month of the chosen plan year, in the URL (bulan=)."""
    year, default_month = int(chosen["year"]), default_as_of(chosen).month
    with st.sidebar:
        st.selectbox(f"Bulan acuan ({year})", MONTHS, index=default_month - 1, key=MONTH_KEY, bind="query-params",
                     help="Posisi capaian dihitung sampai akhir bulan ini.")


def sidebar_filters(plan: pd.DataFrame, chosen: pd.Series) -> None:
    """The shared filters; their values live in the URL so a view can be bookmarked."""
    month_selector(chosen)
    with st.sidebar:
        st.multiselect("Penanggung jawab", sorted(plan["penanggung_jawab"].unique()), key=TEAM_KEY,
                       bind="query-params", placeholder="Semua tim")
        st.multiselect("Area", list(dict.fromkeys(plan["area"])), key=AREA_KEY, bind="query-params",
                       placeholder="Semua area",
                       help="  \n".join(f"**{markdown_text(code)}** · {markdown_text(name)}"
                                        for code, name in area_names(plan).items()))


def area_names(plan: pd.DataFrame) -> dict[str, str]:
    return dict(zip(plan["area"], plan["area_name"]))


def projector_on() -> bool:
    """From the toggle once it has run, else from the URL (the entry script runs before any page)."""
    if PROJECTOR_KEY in st.session_state:
        return bool(st.session_state[PROJECTOR_KEY])
    return st.query_params.get(PROJECTOR_KEY, "").lower() == "true"


def page_view(page: str) -> View:
    """The office and year, the shared filters in the sidebar, then the data they select for the page titled `page`."""
    years = visible_ledgers()
    ledger_selectors(years)
    chosen = chosen_ledger(years)
    if chosen["office"] == ROLLUP:
        return rollup_view(page, chosen)
    stored = _ledger_store(str(data_dir()), chosen["office"], int(chosen["year"]))
    key, evidence_key = state_key(stored), evidence.revision(stored)
    plan, latest = load_state(*key)
    sidebar_filters(plan, chosen)
    return filtered_view(page, key, evidence_key, plan, latest, chosen)


def rollup_view(page: str, chosen: pd.Series) -> View:
    """All the session's offices (ROLLUP), for the roll-up page: the as-of month in the sidebar, no team or area
    filter, no plan; their one counting rule (Rekap Instansi's). A page of one office opens the roll-up page instead
    (the plan year and the month kept), where an office is chosen."""
    month_selector(chosen)
    if page != ROLLUP_PAGE.title:
        st.switch_page(ROLLUP_PAGE.file)
    empty = pd.DataFrame()
    return View(page=page, office=str(chosen["office_name"]), year=int(chosen["year"]), as_of=chosen_as_of(chosen),
                teams=(), areas=(), projector=projector_on(), plan=empty, classified=empty,
                has_progress=bool(chosen["has_progress"]), state_key=(str(data_dir()), 0, 0, 0), all_teams=(),
                evidence_key=(), counting_rule=DEFAULT_RULE, zone=str(chosen["zone"]), rollup=True)


def chosen_as_of(chosen: pd.Series) -> date:
    """The last day of the sidebar's as-of month (bulan=) in the chosen plan year, else of its default month."""
    month_label = st.session_state.get(MONTH_KEY)
    month = MONTHS.index(month_label) + 1 if month_label in MONTHS else default_as_of(chosen).month
    return status.as_of_date(int(chosen["year"]), month=month)


def filtered_view(page: str, key: StateKey, evidence_key: EvidenceKey, plan: pd.DataFrame, latest: pd.DataFrame,
                  chosen: pd.Series) -> View:
    year, as_of = int(chosen["year"]), chosen_as_of(chosen)
    teams = tuple(st.session_state.get(TEAM_KEY) or ())
    areas = tuple(st.session_state.get(AREA_KEY) or ())
    filtered_plan, filtered = filtered_frames(*key, evidence_key, as_of, teams, areas)
    _states, rule = evidence_cached(*key, evidence_key)
    return View(page=page, office=str(chosen["office_name"]), year=year, as_of=as_of, teams=teams, areas=areas,
                projector=projector_on(), plan=filtered_plan, classified=filtered, has_progress=not latest.empty,
                state_key=key, all_teams=tuple(dict.fromkeys(plan["penanggung_jawab"])), evidence_key=evidence_key,
                counting_rule=rule, zone=str(chosen.get("zone", DEFAULT_ZONE)))


@st.cache_data(show_spinner=False, max_entries=32)
def filtered_frames(directory: str, ledger_id: int, revision: int, plan_version: int, evidence_key: EvidenceKey,
                    as_of: date, teams: tuple[str, ...], areas: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan and its status for the chosen teams and areas."""
    plan, _latest = load_state(directory, ledger_id, revision, plan_version)
    classified = classify_cached(directory, ledger_id, revision, plan_version, evidence_key, as_of)
    keep = pd.Series(True, index=plan.index)
    if teams:
        keep &= plan["penanggung_jawab"].isin(teams)
    if areas:
        keep &= plan["area"].isin(areas)
    filtered_plan = plan[keep]
    return filtered_plan, classified[classified["id"].isin(filtered_plan["id"])]


@st.cache_data(show_spinner=False, max_entries=256)
def _copied(key: tuple, name: str, _build):
    return _build()


@st.cache_resource(show_spinner=False, max_entries=256)
def _shared(key: tuple, name: str, _build):
    return _build()


def cached_build(key: tuple, name: str, build, shared: bool = False):
    """The one cache of things built under a key: `build()` runs once per `key` (what it depends on) and `name`.
    Each caller gets its own copy (st.cache_data), or with `shared` the one object every session reads
    (st.cache_resource: a figure, which st.plotly_chart only reads)."""
    return (_shared if shared else _copied)(key, name, build)


def view_data(view: View, name: str, build):
    """What `build()` derives from the view's data: computed once per stored state, filters, page and `name`."""
    return cached_build((view.filters, view.page), name, build)


def review_lists(view: View, review_states) -> dict[str, pd.DataFrame]:
    """The filtered plan's item-months in each of `review_states` (evidence.REVIEW_LABELS' keys), oldest first."""
    states, _rule = evidence_cached(*view.state_key, view.evidence_key)
    _plan, latest = load_state(*view.state_key)
    return {state: view_data(view, f"review_{state}", lambda state=state: review_items(view.plan, latest, states, state))
            for state in review_states}
