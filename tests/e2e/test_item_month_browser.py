"""One item-month updated in the browser, in Chromium: the lead of Tim Pengawasan signs in on Matriks 12 Bulan,
opens V-1-1 in Maret, sets Selesai with a link as bukti dukung in the form "Perbarui bulan-kegiatan" and saves
it; the item-month is then selesai on Matriks and counted on Ringkasan, the change is listed on Riwayat as its
own change, the realisasi workbook export carries it, and undoing it on Riwayat brings the empty report back.

The server is `accounts_server` (conftest.py): started for this module on a data directory with two editor
accounts of Tim Pengawasan and no progress.
"""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from streamlit_helpers import assert_no_errors, go_to, metric_value, open_page, sidebar, sign_in, wait_for_app
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_layout import COLUMN_INDEX, REALISASI_SHEET

pytestmark = pytest.mark.browser

ITEM, MONTH, MONTH_NAME = "V-1-1", 3, "Maret"
LINK = "https://drive.example/v11-maret.pdf"


def choose(page: Page, label: str, text: str) -> None:
    """A searchable select: type, then Enter takes the first match."""
    box = page.get_by_label(label, exact=True)
    box.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(box).to_have_value(re.compile(rf"^{re.escape(text)}"))


def form(page: Page):
    return page.locator('[data-testid="stMain"] [data-testid="stForm"]').filter(has_text=f"{ITEM} · {MONTH_NAME}")


def report_line(page: Page, text: str):
    return page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=text)


def exported_row(store: ProgressStore, team: str) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(export_workbook(store, team, 12)))[REALISASI_SHEET]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if (row[COLUMN_INDEX["id"] - 1], row[COLUMN_INDEX["month"] - 1]) == (ITEM, MONTH_NAME):
            return [row[COLUMN_INDEX[key] - 1] for key in ("status", "bukti_dukung")]
    raise AssertionError(f"{ITEM} {MONTH_NAME} is not in the export")


def test_an_editor_updates_one_item_month_in_the_browser_and_undoes_it(accounts_server, editor_accounts, new_page):
    editor, team = editor_accounts.names[0], editor_accounts.team
    page = new_page(1600, 1000)
    open_page(page, accounts_server, "matriks", tim=team, bulan=MONTH_NAME)
    sign_in(page, editor, editor_accounts.password)
    expect(sidebar(page).get_by_text(f"Masuk sebagai {editor} ({team})", exact=True)).to_be_visible()

    choose(page, "Langkah aksi", ITEM)
    wait_for_app(page, form(page))
    choose(page, "Bulan", MONTH_NAME)
    wait_for_app(page, form(page))
    expect(page.get_by_text("tetap gunakan buku kerja realisasi di halaman Perbarui Progres")).to_be_visible()
    choose(page, "Status", "Selesai")
    form(page).get_by_label("Bukti dukung (tautan atau nama dokumen)").fill(LINK)
    form(page).get_by_role("button", name="Simpan").click()
    saved = page.locator('[data-testid="stAlertContentSuccess"]').filter(
        has_text=f"{ITEM} bulan {MONTH_NAME} tersimpan sebagai perubahan #1")
    wait_for_app(page, saved)
    assert_no_errors(page)
    expect(report_line(page, "Status: Selesai")).to_be_visible()
    expect(report_line(page, "Selesai (Selesai)")).to_have_count(0)  # the state once, not the typed status beside it

    store = ProgressStore(editor_accounts.data_dir)
    latest = store.latest()
    assert latest[["item_id", "month", "status", "bukti_dukung", "reported_by"]].values.tolist() == [
        [ITEM, MONTH, "Selesai", LINK, editor]]
    assert exported_row(store, team) == ["Selesai", LINK]

    go_to(page, "Ringkasan")
    assert metric_value(page, "Capaian s.d.") != "0,0 %"

    go_to(page, "Riwayat")
    last = page.get_by_text(f"Unggahan terakhir: #1 · berkas formulir_{ITEM}_03.json · oleh {editor}")
    wait_for_app(page, last)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert store.uploads()["kind"].tolist() == ["formulir"]
    page.get_by_role("button", name="Batalkan unggahan ini").click()
    wait_for_app(page, page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Unggahan #1 dibatalkan"))
    assert_no_errors(page)
    assert store.latest().empty
    assert exported_row(store, team) == [None, None]
