"""The monev meeting in Chromium: the admin signs in on Rapat Monev, records a meeting, adds a follow-up for a team
and downloads the lembar monev (a PDF naming the office); Ringkasan filtered to that team (?tim=…) lists the
follow-up, and filtered to another team does not.

The server is started for this module on a fresh data directory with an admin account made on the command line.
"""

import io
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from dashboard_server import ServerError, serve_dashboard
from streamlit_helpers import PROJECT_ROOT, assert_no_errors, open_page, sidebar, sign_in, wait_for_app

pytestmark = pytest.mark.browser

ADMIN, PASSWORD = "koordinator", "sandi-uji-monev-2025"
TEAM, OTHER_TEAM = "Tim Pengawasan", "Tim Agen Perubahan"
OFFICE_NAME = "Komisi Pemilihan Umum Kabupaten Kapuas"  # the bundled plan's "Nama lengkap instansi"
ACTION = "Lengkapi SK unit pengendalian gratifikasi"


@pytest.fixture(scope="module")
def monev_server(browser_context, tmp_path_factory):
    """A dashboard on a fresh data directory with the admin's account."""
    directory = tmp_path_factory.mktemp("zi_data_monev")
    done = subprocess.run([sys.executable, "-m", "zi_data", "user", "add", ADMIN, "--role", "admin", "--data-dir",
                           str(directory), "--password-stdin"], cwd=PROJECT_ROOT, input=PASSWORD + "\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"user add failed:\n{done.stdout}{done.stderr}"
    try:
        with serve_dashboard(directory, tmp_path_factory.mktemp("streamlit_monev") / "server.log") as base_url:
            yield base_url
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)



def main(page: Page):
    return page.locator('[data-testid="stMain"]')


def sign_in_as_admin(page: Page) -> None:
    sign_in(page, ADMIN, PASSWORD)


def choose(page: Page, label: str, option: str) -> None:
    """A searchable select: type, then Enter takes the first match."""
    select = main(page).get_by_label(label)
    select.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    expect(select).to_have_value(option)


def success(page: Page, text: str):
    return page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=text)


def record_meeting(page: Page) -> None:
    form = main(page).locator('[data-testid="stForm"]').filter(has_text="Pimpinan rapat")
    form.get_by_label("Pimpinan rapat").fill("Ketua KPU Kabupaten Kapuas")
    form.get_by_label("Peserta (satu nama per baris)").fill("Ani\nBudi\nCitra")
    form.get_by_role("button", name="Simpan rapat").click()
    wait_for_app(page, success(page, "tersimpan"))
    assert_no_errors(page)


def add_follow_up(page: Page) -> None:
    form = main(page).locator('[data-testid="stForm"]').filter(has_text="Tambah tindak lanjut")
    form.get_by_label("Tindak lanjut (apa yang harus dilakukan)").fill(ACTION)
    choose(page, "Tim penanggung jawab", TEAM)
    form.get_by_role("button", name="Simpan tindak lanjut").click()
    wait_for_app(page, success(page, "Tindak lanjut disimpan"))
    assert_no_errors(page)


def test_record_a_meeting_add_a_follow_up_download_the_lembar_and_see_it_on_ringkasan(monev_server, new_page):
    admin = new_page(1600, 1000)
    open_page(admin, monev_server, "rapat-monev")
    sign_in_as_admin(admin)
    record_meeting(admin)
    add_follow_up(admin)

    button = admin.get_by_role("button", name="Unduh lembar monev (PDF)")
    with admin.expect_download() as download:
        button.click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert OFFICE_NAME.casefold() in " ".join(text.split()).casefold()

    viewer = new_page(1600, 1000, own_browser=True)  # a visitor: not the admin's browser and cookie
    open_page(viewer, monev_server, "", tim=TEAM)
    table = main(viewer).locator('[data-testid="stDataFrame"]').filter(has_text="Tindak lanjut")
    expect(table).to_be_visible()
    expect(table.get_by_text(ACTION)).to_have_count(1)  # the grid's accessible cell (the grid itself is a canvas)
    assert_no_errors(viewer)

    open_page(viewer, monev_server, "", tim=OTHER_TEAM)
    expect(main(viewer).get_by_text("Tidak ada tindak lanjut rapat monev yang terbuka")).to_be_visible()
    expect(main(viewer).get_by_text(ACTION)).to_have_count(0)
