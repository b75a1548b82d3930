"""Signing in through the sidebar, in Chromium, on a dashboard whose data directory has accounts.

The server (`accounts_server` in conftest.py) is a second one, started for this module with two
editor accounts of Tim Pengawasan made with `python -m zi_data user add`. With accounts present a
viewer cannot upload; a signed-in editor can, and the rows of other teams in the workbook are
rejected while the team's own are kept.

Each wrong password makes the next attempt with that name wait (1 s after the first failure, then
2, 4, … s), so the wrong passwords are tried on one account and the correct sign-in uses the other:
no test waits for the delay to pass. Every refusal, wrong password or throttled, shows one message.
"""

import contextlib
import re
import sqlite3
import time

import pytest
from playwright.sync_api import Page, expect

from streamlit_helpers import PROJECT_ROOT, assert_no_errors, metric, open_page, screenshots, sidebar, sign_in, sign_out, \
    submit_sign_in, title, wait_for_app, workbook_uploader
from zi_data.store.progress_store import ProgressStore

pytestmark = pytest.mark.browser

EXAMPLE_WORKBOOK = PROJECT_ROOT / "data" / "contoh_realisasi_2025.xlsx"
PAGE = "perbarui-progres"
REFUSED = "Nama akun atau kata sandi salah, atau terlalu banyak percobaan"


def uploader(page: Page):
    return workbook_uploader(page)


def viewer_notice(page: Page):
    return page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="Anda melihat sebagai pengunjung")


def sign_in_error(page: Page, text: str):
    return sidebar(page).locator('[data-testid="stAlertContentError"]').filter(has_text=text)


def audited_sign_ins(data_dir) -> list[str]:
    """The refused sign-ins in the audit trail, oldest first, as the server recorded them."""
    with contextlib.closing(sqlite3.connect(f"file:{data_dir / 'zi_monitor.sqlite3'}?mode=ro", uri=True)) as conn:
        return [action for (action,) in conn.execute(
            "SELECT action FROM audit_log WHERE action IN ('masuk_gagal', 'masuk_ditahan') ORDER BY event_id")]


def wait_until(condition, timeout_s: float = 60.0) -> None:
    """Poll `condition` (a check of the server's database) until it holds; fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the server did not record the sign-in attempt in time"
        time.sleep(0.05)


def test_viewer_cannot_upload_and_a_wrong_password_is_refused(accounts_server, editor_accounts, page):
    mistyped = editor_accounts.names[1]
    open_page(page, accounts_server, PAGE)
    assert_no_errors(page)
    expect(viewer_notice(page)).to_be_visible()
    expect(uploader(page)).to_have_count(0)
    expect(sidebar(page).get_by_text("Masuk (editor, penilai, admin, pemantau)")).to_be_visible()

    submit_sign_in(page, mistyped, "bukan-kata-sandinya")
    wait_for_app(page, sign_in_error(page, REFUSED))
    assert audited_sign_ins(editor_accounts.data_dir) == ["masuk_gagal"]
    # Retry the moment the refusal shows (the page watches for it on every animation frame and presses
    # "Masuk" itself: a Playwright click takes 0.1-0.3 s). The wait doubles after each failure, so on
    # even a slow machine one retry soon lands inside it: refused unchecked, audited as throttled.
    for _attempt in range(6):
        refusals = len(audited_sign_ins(editor_accounts.data_dir))
        page.wait_for_function(
            """text => {
                 const sidebar = document.querySelector('[data-testid="stSidebar"]');
                 const shown = [...sidebar.querySelectorAll('[data-testid="stAlertContentError"]')]
                   .some(alert => alert.textContent.includes(text));
                 if (shown) sidebar.querySelector('[data-testid="stFormSubmitButton"] button').click();
                 return shown;
               }""", arg=REFUSED, polling="raf")
        wait_until(lambda: len(audited_sign_ins(editor_accounts.data_dir)) > refusals)
        if "masuk_ditahan" in audited_sign_ins(editor_accounts.data_dir):
            break
    assert "masuk_ditahan" in audited_sign_ins(editor_accounts.data_dir)
    wait_for_app(page, sign_in_error(page, REFUSED))
    expect(sign_in_error(page, "Terlalu cepat")).to_have_count(0)  # the same words as for a wrong password

    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    expect(uploader(page)).to_have_count(0)
    expect(viewer_notice(page)).to_be_visible()
    assert_no_errors(page)


def test_editor_uploads_only_own_team_rows_then_signs_out(accounts_server, editor_accounts, new_page,
                                                          screenshot_dir):
    editor, team = editor_accounts.names[0], editor_accounts.team
    assert EXAMPLE_WORKBOOK.is_file(), f"missing example workbook {EXAMPLE_WORKBOOK}"
    page = new_page(1920, 1080)
    open_page(page, accounts_server, PAGE)
    expect(uploader(page)).to_have_count(0)

    sign_in(page, editor, editor_accounts.password)
    expect(sidebar(page).get_by_text(f"Masuk sebagai {editor} ({team})", exact=True)).to_be_visible()
    expect(sidebar(page).get_by_role("button", name=re.compile("Keluar"))).to_be_visible()
    expect(viewer_notice(page)).to_have_count(0)
    expect(page.locator('[data-testid="stCaptionContainer"]').filter(
        has_text=f"Anda hanya dapat memperbarui baris {team}")).to_be_visible()

    # The example workbook covers the whole office: only Tim Pengawasan's rows are taken.
    uploader(page).locator("input[type=file]").set_input_files(str(EXAMPLE_WORKBOOK))
    expect(uploader(page).locator('[data-testid="stFileChipName"]')).to_have_attribute("title", EXAMPLE_WORKBOOK.name)
    confirm = page.get_by_role("button", name="Simpan perubahan")
    wait_for_app(page, confirm)
    assert_no_errors(page)
    rejected, new = int(metric(page, "Ditolak").inner_text()), int(metric(page, "Baru").inner_text())
    assert rejected > 0, "no row of another team was rejected"
    assert new > 0, "none of the team's own rows is new"
    expect(confirm).to_be_enabled()
    # The preview's counts in the middle of the screen (the list of rejected rows above them is long).
    metric(page, "Ditolak").evaluate("value => value.scrollIntoView({block: 'center'})")
    screenshots(page, screenshot_dir, "perbarui-progres_editor_pratinjau", [(1920, 1080)])

    confirm.click()
    saved = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Tersimpan")
    wait_for_app(page, saved)
    expect(saved).to_contain_text(f"{new} baru")
    assert_no_errors(page)
    store = ProgressStore(editor_accounts.data_dir)
    teams = store.latest().merge(store.plan()[["id", "penanggung_jawab"]], left_on="item_id", right_on="id")
    assert len(teams) == new and set(teams["penanggung_jawab"]) == {team}, teams["penanggung_jawab"].value_counts()

    sign_out(page)
    expect(sidebar(page).get_by_text("Masuk sebagai")).to_have_count(0)
    expect(uploader(page)).to_have_count(0)
    expect(viewer_notice(page)).to_be_visible()
    assert_no_errors(page)
    expect(title(page, "Perbarui Progres")).to_be_visible()
