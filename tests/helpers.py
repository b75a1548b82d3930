"""Helpers the test modules share: the dashboard under AppTest, and the command line run in this process."""

import argparse
import contextlib
import io
import multiprocessing
import os
import select
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy
from streamlit.testing.v1 import AppTest

from zi_data.cli import main as cli
from zi_data.base import paths
from zi_data.lke.lke_mapping import bundled_thresholds, read_table_csv
from zi_data.plan.plan import PLAN_COLUMNS
from zi_data.store.database import DB_NAME
from zi_data.store.plan_years import open_seeded
from zi_data.store.progress_store import ProgressStore

ROOT = Path(__file__).resolve().parent.parent
UPLOAD_PAGE = "app_pages/perbarui_progres.py"
OPEN_MODE_REPORTER = "Rina"


FAST_TIER_ENV = "ZI_FAST_TIER"  # set by conftest under --fast


def examples(full: int) -> int:
    """How many examples a property test tries: `full` in the whole suite, a tenth (at least 5) in the fast tier,
    where a quick answer matters more than depth."""
    return max(5, full // 10) if os.environ.get(FAST_TIER_ENV) == "1" else full


def in_ci() -> bool:
    """Whether this run is CI's (CI=true): there every test must run, so a missing tool is a failure."""
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str, what: str) -> None:
    """`what` cannot run for `reason` (a missing tool or server): skip the calling test or fixture, saying so; under
    CI=true fail it instead, since CI must run every test."""
    if in_ci():
        pytest.fail(f"CI=true but {what} cannot run: {reason}", pytrace=False)
    pytest.skip(f"{what} skipped: {reason}")


def required_tool(what: str, *names: str) -> str:
    """The path of the first of the programs `names` found on PATH; none: skip_or_fail."""
    for name in names:
        if found := shutil.which(name):
            return found
    skip_or_fail(f"{' / '.join(names)} not found on PATH", what)


def open_app(page: str | None = None, **query) -> AppTest:
    """The dashboard after its first run, with `query` as URL parameters, switched to `page` if given."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page).run()
        if query:  # AppTest's first run after switch_page reads no URL parameters; the next run does
            app.run()
    return app


def open_as(user, page: str, **query) -> AppTest:
    """The dashboard with `query` as URL parameters, `user` signed in (None: nobody), then switched to `page`;
    it ran without an exception."""
    app = open_app(**query)
    if user is not None:
        sign_in_as(app, user)
    app.switch_page(page).run()
    if query:  # the first run after switch_page shows the default filters under AppTest; the next the URL's
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metric(app: AppTest, label_start: str) -> str:
    """The value of the first metric whose label starts with `label_start`."""
    return next(m.value for m in app.metric if m.label.startswith(label_start))


def upload(app: AppTest, name: str, content: bytes) -> AppTest:
    """Upload `content` as file `name` on Perbarui Progres; in open mode the reporter gives a name first."""
    app.switch_page(UPLOAD_PAGE).run()
    if any(field.key == "pelapor" for field in app.text_input):
        app.text_input(key="pelapor").set_value(OPEN_MODE_REPORTER).run()
    return app.file_uploader[0].upload(name, content, "application/octet-stream").run()


def run_cli(*args, stdin: str | None = None, data_dir=None,
            check_returncode: int | None = None) -> subprocess.CompletedProcess:
    """`python -m zi_data ARGS` run in this process by zi_data.cli.main.main.

    Output is captured as a subprocess's would be; `stdin` is what a password prompt reads (the
    command reads its first line, as stdin is not a terminal); `data_dir` sets $ZI_DATA_DIR for the
    call. A usage error exits as argparse does, with its code. The one subprocess test of the real
    command is tests/plan/test_plan_golden.py::test_cli_validate_json_summary.
    """
    argv = [str(arg) for arg in args]
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        if data_dir is not None:
            patch.setenv("ZI_DATA_DIR", str(data_dir))
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                returncode = cli.main(argv)
            except SystemExit as exit_:  # argparse's usage errors (2) and --help (0)
                returncode = exit_.code or 0
    result = subprocess.CompletedProcess(["python", "-m", "zi_data", *argv], returncode,
                                         stdout.getvalue(), stderr.getvalue())
    if check_returncode is not None:
        assert result.returncode == check_returncode, result.stdout + result.stderr
    return result


def every_parser(parser: argparse.ArgumentParser):
    """`parser` and each of its subcommands' parsers, depth first."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from every_parser(child)


@contextlib.contextmanager
def drained_fifo(path: Path):
    """A FIFO made at `path` that always has a reader: a thread reads all that is written into the yielded
    bytearray (complete once the block ends), so a writer neither blocks on opening it nor on a full pipe."""
    os.mkfifo(path, 0o600)
    fifo = os.open(path, os.O_RDWR | os.O_NONBLOCK)  # a reader from now on; O_RDWR never blocks on a FIFO
    stop_read, stop_write = os.pipe()
    received = bytearray()

    def drain():
        while True:
            ready = select.select([fifo, stop_read], [], [])[0]
            if fifo in ready:
                received.extend(os.read(fifo, 1 << 16))
            elif stop_read in ready:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        yield received
    finally:
        os.write(stop_write, b"x")
        reader.join()
        for fd in (fifo, stop_read, stop_write):
            os.close(fd)


def stored_rows(store) -> dict[str, list[tuple]]:
    """Every row of every table of the store's database, by table name (either backend)."""
    with store.reading() as conn:
        return {table: [tuple(row) for row in conn.execute(sqlalchemy.text(f"SELECT * FROM {table}"))]
                for table in sorted(sqlalchemy.inspect(conn).get_table_names())}


@contextlib.contextmanager
def traced_sql(store):
    """The SQL the store's database runs meanwhile, each statement with its parameters."""
    statements = []

    def trace(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append(f"{statement} {parameters!r}")

    engines = {store.database.engine, store.database.read_engine}
    for engine in engines:
        sqlalchemy.event.listen(engine, "before_cursor_execute", trace)
    try:
        yield statements
    finally:
        for engine in engines:
            sqlalchemy.event.remove(engine, "before_cursor_execute", trace)


def plan_workbook(year: int | str = 2025, office_name: str = "KPU Kabupaten Kapuas") -> bytes:
    """The bundled plan workbook as another year's (or another office's) plan: its Info sheet says so."""
    book = openpyxl.load_workbook(ROOT / "data" / "rencana_aksi_2025.xlsx")
    for row in book["Info"].iter_rows():
        if row[0].value == "Tahun":
            row[1].value = str(year)
        elif row[0].value == "Instansi":
            row[1].value = office_name
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report(store, item_id: str, month: int, status_text: str = "Selesai", bukti_dukung: str = "SK.pdf") -> None:
    """One reported item-month, in its own transaction (so each has its own time)."""
    entries = pd.DataFrame([{"item_id": item_id, "month": month, "status": status_text, "bukti_dukung": bukti_dukung,
                             "tanggal": "", "catatan": "", "reported_by": "rina"}])
    with store.transaction() as conn:
        store.append_entries(conn, entries, None)


# --- a small hand-built plan and its progress, and an LKE mapping over it -----------------------------------
def make_plan(rows, year=2025) -> pd.DataFrame:
    """A plan of `rows` (id, area, team, komponen, months), the other columns filled in."""
    records = [{
        "id": item_id, "area": area, "area_name": f"Area {area}", "no": "1", "komponen_pos": 1,
        "komponen": komponen, "indikator": "ind", "langkah_aksi": f"langkah {item_id}",
        "bukti_fisik": f"bukti {item_id}", "penanggung_jawab": team, "months": tuple(months), "row": n,
    } for n, (item_id, area, team, komponen, months) in enumerate(rows, start=10)]
    plan = pd.DataFrame.from_records(records, columns=PLAN_COLUMNS)
    plan.attrs.update(year=year, office="KPU Contoh")
    return plan


def make_latest(rows) -> pd.DataFrame:
    """The latest entries of `rows` (item_id, month, status, bukti dukung)."""
    return pd.DataFrame(
        [{"item_id": i, "month": m, "status": s, "bukti_dukung": b, "tanggal": "", "catatan": f"catatan {i}/{m}"}
         for i, m, s, b in rows],
        columns=["item_id", "month", "status", "bukti_dukung", "tanggal", "catatan"])


THRESHOLDS = bundled_thresholds()
KOMPONEN_TABLE = """area,komponen,lke_area,lke_sub_item,weight
I,,Manajemen Perubahan,,8
II,,Penataan Tatalaksana,,7
III,,Penataan Sistem Manajemen SDM,,10
IV,,Penguatan Akuntabilitas Kinerja,,10
V,,Penguatan Pengawasan,,15
V,pengendalian  gratifikasi,,Pengendalian gratifikasi,5
V,Penerapan SPIP,,SPIP,6
V,Whistle Blowing System,,WBS,4
VI,,Peningkatan Kualitas Pelayanan Publik,,10
"""  # an LKE mapping table with three komponen lines under area V


def csv_table(text: str) -> pd.DataFrame:
    return read_table_csv(text.encode())


# --- signing in: AppTest has no browser, so the page tests keep one cookie jar ------------------------------
BROWSER_COOKIES: dict[str, str] = {}  # the cookies the sign-in routes set; conftest.py makes the app read them


def post_sign_in_form(app: AppTest, button: str) -> AppTest:
    """Press the HTML form button `button` ("Lanjutkan", "Keluar") of the sidebar as a browser would: its
    fields posted to the sign-in route (app_pages/frame/sign_in_routes.py), the cookie it sets or clears kept in
    BROWSER_COOKIES; then the page's next run, as after the route's redirect."""
    import html as html_text
    import re

    from starlette.applications import Starlette

    from app_pages.frame.session import database
    from app_pages.frame.sign_in_routes import routes
    from asgi_client import SITE, apply_cookies, request

    form = next(html.proto.body for html in app.sidebar.get("html") if f">{button}</button>" in html.proto.body)
    action = re.search(r'action="([^"]+)"', form)[1]
    fields = {name: html_text.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', form)}
    answer = request(Starlette(routes=routes(database)), "POST", action, fields, {"Origin": SITE}, BROWSER_COOKIES)
    assert answer.status == 303, answer.text
    apply_cookies(BROWSER_COOKIES, answer)
    return app.run()


def sign_in(app: AppTest, name: str, password: str) -> AppTest:
    """The sidebar's sign-in form, then (when the password was right) its Lanjutkan, as a person does."""
    app.sidebar.text_input(key="masuk_nama").set_value(name)
    app.sidebar.text_input(key="masuk_sandi").set_value(password)
    next(b for b in app.sidebar.button if b.label == "Masuk").click().run()
    if any(">Lanjutkan</button>" in html.proto.body for html in app.sidebar.get("html")):
        post_sign_in_form(app, "Lanjutkan")
    return app


def sign_in_as(app: AppTest, user) -> AppTest:
    """`user` signed in on this browser, as after the sidebar's sign-in: a real session in the app's database
    (the account made first when the test has none by that name) whose cookie the app reads; then a run."""
    from app_pages.frame.session import database
    from zi_data.store.accounts import Accounts
    from zi_data.store.sign_in_sessions import COOKIE_NAME, SignInSessions

    accounts = Accounts(database(), office=user.office)
    existing = accounts.user_named(user.name)
    if existing is None:
        accounts.add(user.name, user.role, user.team, "kata-sandi-uji-halaman", by="uji")
    else:
        assert existing == user, f"the test's account {user.name} already exists as {existing}: give it another name"
    BROWSER_COOKIES[COOKIE_NAME] = SignInSessions(database()).create(user, user_agent="AppTest").token
    return app.run()


def signed_in_user(app: AppTest):
    """Whom the app's browser is signed in as (its session cookie resolved), or None."""
    from app_pages.frame.session import database
    from zi_data.store.sign_in_sessions import COOKIE_NAME, SignInSessions

    token = BROWSER_COOKIES.get(COOKIE_NAME)
    return SignInSessions(database()).resolve(token).user if token else None


def copy_seeded_sqlite(seeded_sqlite_file: Path, data_dir: Path) -> Path:
    """`data_dir` made (private) with a copy of the seeded database, as the first opening leaves it."""
    paths.private_dir(data_dir)
    target = paths.private_file(data_dir / DB_NAME)
    shutil.copyfile(seeded_sqlite_file, target)
    return data_dir


def _open_on_signal(data_dir: Path, barrier) -> None:
    barrier.wait(120)
    new_store(data_dir)


def open_fresh_at_once(data_dir: Path, processes: int) -> list[int]:
    """Open the fresh `data_dir` (or the database of $ZI_DATABASE_URL, inherited) with new_store in `processes`
    spawned processes released together, as replicas and commands starting at once do; their exit codes."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    started = [context.Process(target=_open_on_signal, args=(data_dir, barrier)) for _ in range(processes)]
    for process in started:
        process.start()
    for process in started:
        process.join(timeout=180)
    return [process.exitcode for process in started]


def new_store(data_dir: Path | None = None, database_url: str | None = None, office: str | None = None,
              year: int | None = None) -> ProgressStore:
    """The store of `data_dir` (default: $ZI_DATA_DIR, as the pages find it) or `database_url`, opened as the
    dashboard and the command line open it: a new database made, migrated and seeded with the bundled plan first
    (plan_years.open_seeded); an existing one only opened. A ProgressStore alone never seeds."""
    directory = paths.data_dir() if data_dir is None else Path(data_dir)
    return ProgressStore(office=office, year=year, database=open_seeded(directory, database_url))
