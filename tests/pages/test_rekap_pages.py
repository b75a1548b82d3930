"""Rekap Instansi through AppTest, on a data directory holding the example province (office example): where a
session that sees several offices opens, all of them chosen."""

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.frame.view import ROLLUP
from helpers import ROOT, metric, new_store, open_app, plan_workbook, report, run_cli, sign_in_as
from zi_data.plan import status
from zi_data.reporting import charts
from zi_data.store.accounts import User
from zi_data.store.database import Database
from zi_data.store.example_offices import load_example
from zi_data.base.months import format_percent
from zi_data.base.safe_text import markdown_text
from zi_data.store.progress_store import ProgressStore
from zi_data.base.clock import store_today

REKAP_PAGE = "app_pages/rekap_instansi.py"
PROVINCE_VIEWER = User("pemantau", "viewer", "", "62")
KABUPATEN_KOTA = 14
SCOPES = {"62": "KPU Provinsi Kalimantan Tengah", "00": "KPU Republik Indonesia"}
PROVINCE_ROLLUP = "Semua kantor (KPU Provinsi Kalimantan Tengah)"


@pytest.fixture(scope="module")
def example_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("contoh") / "data"
    database = Database(directory)
    load_example(database)
    database.dispose()
    return directory


@pytest.fixture(autouse=True)
def data_dir(example_dir, tmp_path, monkeypatch):
    """A copy of the example data directory for each test (a test may never change another's data)."""
    copied = tmp_path / "data"
    shutil.copytree(example_dir, copied)
    monkeypatch.setenv("ZI_DATA_DIR", str(copied))
    return copied


def signed_in_app(user: User) -> AppTest:
    """The dashboard's root opened with `user`'s session cookie (as after signing in, or on coming back)."""
    return sign_in_as(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), user)


def heatmap(app: AppTest) -> dict:
    return json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]


def header_caption(app: AppTest) -> str:
    return app.caption[0].value


def offices_offered(app: AppTest) -> list[str]:
    return [box.key for box in app.selectbox if box.key == "kantor"]


def test_a_page_of_one_office_opens_the_rollup_until_an_office_is_chosen():
    app = signed_in_app(PROVINCE_VIEWER)
    app.switch_page("app_pages/matriks.py").run()
    assert app.title[0].value == "Rekap Instansi"
    assert any("pilih kantornya di **Kantor**" in caption.value for caption in app.caption)
    app.selectbox(key="kantor").set_value("6205").run()
    app.switch_page("app_pages/matriks.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Matriks 12 Bulan"
    assert header_caption(app).startswith("**KPU Kabupaten Barito Utara** ·")
    app.selectbox(key="kantor").set_value(ROLLUP).run()  # all of them again: the roll-up
    assert app.title[0].value == "Rekap Instansi"
    assert header_caption(app).startswith(f"**{markdown_text(PROVINCE_ROLLUP)}** ·")


def test_an_editor_of_one_office_opens_the_dashboard_on_its_ringkasan_as_before():
    app = sign_in_as(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60),
                     User("ketua.pengawasan", "editor", "Tim Pengawasan", "6205"))
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Ringkasan"
    assert header_caption(app).startswith("**KPU Kabupaten Barito Utara** ·")
    assert not offices_offered(app)


def test_a_visitor_opens_the_dashboard_on_the_home_offices_ringkasan_as_before():
    app = open_app()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Ringkasan"
    assert header_caption(app).startswith("**KPU Kabupaten Kapuas** ·")
    assert not offices_offered(app)


def test_before_any_office_has_progress_the_heatmap_is_a_note_saying_what_fills_it(tmp_path, monkeypatch):
    """Two offices with a plan year and no progress: instead of a map of 0 %, the note; once one office reports
    an item-month done, the map."""
    directory = tmp_path / "kosong"
    new_store(directory)  # the home office, KPU Kabupaten Kapuas, 2025
    run_cli("office", "add", "6205", "KPU Kabupaten Barito Utara", "--induk", "62", data_dir=directory,
            check_returncode=0)
    workbook = tmp_path / "rencana_barito_utara.xlsx"
    workbook.write_bytes(plan_workbook(2025, "KPU Kabupaten Barito Utara"))
    run_cli("plan", "add", str(workbook), "--yes", data_dir=directory, check_returncode=0)
    monkeypatch.setenv("ZI_DATA_DIR", str(directory))
    app = signed_in_app(PROVINCE_VIEWER)
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Rekap Instansi" and not app.get("plotly_chart")
    assert any(info.value == f"**Capaian per kantor dan area**: {charts.ROLLUP_NOTHING_DONE_TEXT}"
               for info in app.info)
    store = new_store(directory, office="6205", year=2025)
    first = store.plan().iloc[0]
    report(store, first["id"], min(first["months"]))
    app.run()
    assert len(set(heatmap(app)["y"])) == 2
    assert not any("Capaian per kantor dan area" in info.value for info in app.info)


def test_a_visitor_is_not_offered_the_page():
    app = open_app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(REKAP_PAGE).run()


@pytest.mark.parametrize("office", list(SCOPES), ids=["provinsi", "kpu-ri"])
def test_a_province_or_national_viewer_lands_on_the_rollup_of_the_kabupaten_kota_warned_of_example_data(office):
    """The dashboard's root opens on Rekap Instansi with every office chosen, named after the account's own office,
    never one kabupaten as 'the office' (#23)."""
    app = signed_in_app(User("pemantau", "viewer", "", office))
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Rekap Instansi"
    rollup = f"Semua kantor ({SCOPES[office]})"
    assert app.selectbox(key="kantor").value == ROLLUP and app.selectbox(key="kantor").options[0] == rollup
    assert header_caption(app).startswith(f"**{markdown_text(rollup)}** · Rencana Aksi Zona Integritas 2025")
    assert not app.multiselect  # no team or area filter: no one plan's, and they would not apply here
    cells = heatmap(app)
    assert len(set(cells["y"])) == KABUPATEN_KOTA  # the province itself has no plan year
    assert "Kota Palangka Raya" in json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]["ticktext"]
    assert all(text.endswith(" %") or text == "–" for row in cells["text"] for text in row)
    ranking = app.dataframe[0].value
    assert len(ranking) == KABUPATEN_KOTA and list(ranking["Peringkat"]) == list(range(1, KABUPATEN_KOTA + 1))
    assert set(ranking["Tren"].str[0]) <= {"▲", "▼", "►", "–"}
    assert len(app.warning) == 1 and "CONTOH FIKTIF" in app.warning[0].value
    assert f"{KABUPATEN_KOTA - 1} dari {KABUPATEN_KOTA} kantor" in app.warning[0].value  # Kapuas: real data
    assert any("satu aturan hitung: Selesai dengan bukti dukung" in caption.value for caption in app.caption)


def test_clicking_an_office_opens_its_ringkasan_with_that_offices_numbers(data_dir):
    app = signed_in_app(PROVINCE_VIEWER)
    ranking = app.dataframe[0].value
    row = ranking[ranking["Kantor"] == "KPU Kabupaten Barito Utara"].iloc[0]
    app.button(key="buka_6205").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Ringkasan"
    assert app.selectbox(key="kantor").value == "6205"
    assert app.selectbox(key="tahun").value == "2025"
    assert app.query_params["kantor"] == "KPU Kabupaten Barito Utara (6205)"  # a link to this view names it
    store = ProgressStore(data_dir, office="6205", year=2025)
    summary = status.status_summary(store.plan(), store.latest(), status.as_of_date(2025, store_today(store)))
    expected = format_percent(summary["overall"]["as_of"]["rate"])
    assert metric(app, "Capaian s.d.") == expected == row.iloc[2]
    assert metric(app, "Terlambat") == str(len(summary["overdue"]))


def test_the_projector_shows_the_page_in_its_large_tables():
    app = signed_in_app(PROVINCE_VIEWER)
    app.toggle(key="proyektor").set_value(True).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Rekap Instansi"
    assert len(set(heatmap(app)["y"])) == KABUPATEN_KOTA
    assert not app.dataframe and any("zi-table" in block.proto.body for block in app.get("html"))


def test_an_account_of_one_office_is_not_offered_the_page():
    app = sign_in_as(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), User("rina", "viewer", "", "6205"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(REKAP_PAGE).run()
