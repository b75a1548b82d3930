"""Rekap Instansi in Chromium: a province viewer signs in, lands on the roll-up of the example offices (and
again when coming back with the session cookie), compares them and opens one.

The server runs on a data directory made with the command line as an administrator would: the
example province (`python -m zi_data office example`) and a viewer account of KPU Provinsi
Kalimantan Tengah (`python -m zi_data user add ... --role viewer --office 62`).
"""

import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from dashboard_server import ServerError, serve_dashboard
from streamlit_helpers import PROJECT_ROOT, assert_no_errors, header_caption, metric_value, open_page, sign_in, title, \
    url, wait_for_app
from zi_data.plan import status
from zi_data.base.months import format_percent
from zi_data.store.progress_store import ProgressStore
from zi_data.base.clock import store_today

pytestmark = pytest.mark.browser

VIEWER, PASSWORD = "pemantau.provinsi", "sandi-uji-provinsi-2025"
ROLLUP = "Semua kantor (KPU Provinsi Kalimantan Tengah)"
OFFICE, OFFICE_NAME = "6205", "KPU Kabupaten Barito Utara"


def zi_data_command(*args: str, stdin: str = "") -> None:
    done = subprocess.run([sys.executable, "-m", "zi_data", *args], cwd=PROJECT_ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def province_data(tmp_path_factory):
    directory = tmp_path_factory.mktemp("zi_data_province")
    zi_data_command("office", "example", "--data-dir", str(directory))
    zi_data_command("user", "add", VIEWER, "--role", "viewer", "--office", "62", "--data-dir", str(directory),
                    "--password-stdin", stdin=PASSWORD + "\n")
    return directory


@pytest.fixture(scope="module")
def province_server(browser_context, province_data, tmp_path_factory) -> str:
    try:
        with serve_dashboard(province_data, tmp_path_factory.mktemp("streamlit_province") / "server.log") as base_url:
            yield base_url
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)




def test_a_province_viewer_lands_on_rekap_instansi_and_opens_an_office(province_server, province_data, page):
    open_page(page, province_server)
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav.get_by_text("Rekap Instansi")).to_have_count(0)  # a visitor sees one office
    sign_in(page, VIEWER, PASSWORD)  # on Ringkasan, the root: the sign-in brings the browser back there
    heatmap = page.locator('[data-testid="stPlotlyChart"]').first
    wait_for_app(page, heatmap.locator(".ytick text").filter(has_text="Kota Palangka Raya"))
    expect(title(page, "Rekap Instansi")).to_be_visible()
    expect(page).to_have_url(url(province_server, "rekap-instansi"))
    expect(header_caption(page)).to_contain_text(f"{ROLLUP} · Rencana Aksi Zona Integritas 2025")
    expect(page.get_by_role("combobox", name="Kantor")).to_have_value(ROLLUP)
    expect(heatmap.locator(".ytick text")).to_have_count(14)
    expect(page.locator('[data-testid="stAlertContentWarning"]')).to_contain_text("CONTOH FIKTIF")
    assert_no_errors(page)

    page.get_by_role("button", name=OFFICE_NAME).click()
    wait_for_app(page, title(page, "Ringkasan"))
    expect(page.get_by_role("combobox", name="Kantor")).to_have_value(f"{OFFICE_NAME} ({OFFICE})")
    store = ProgressStore(province_data, office=OFFICE, year=2025)
    summary = status.status_summary(store.plan(), store.latest(), status.as_of_date(2025, store_today(store)))
    assert metric_value(page, "Capaian s.d.") == format_percent(summary["overall"]["as_of"]["rate"])
    assert_no_errors(page)

    # Coming back to the root with the session cookie: the roll-up again, not the office opened last.
    open_page(page, province_server, expected_title="Rekap Instansi")
    expect(page.get_by_role("combobox", name="Kantor")).to_have_value(ROLLUP)
    assert_no_errors(page)
