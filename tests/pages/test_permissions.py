"""Who may change what: viewers, editors of one team and admins, in the app and on the command line."""

import io
import zipfile
from datetime import datetime, timedelta, timezone

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import BROWSER_COOKIES, ROOT, metric, open_app, post_sign_in_form, run_cli, sign_in_as, signed_in_user, upload
from helpers import sign_in as sign_in_with_form
from realisasi_helpers import OTHER, OTHER_ROWS, OWN, OWN_ROWS, PASSWORD, fill, snapshot
from zi_data.store.accounts import AccountError, Accounts, User
from zi_data.store.audit import audit_events
from zi_data.base.problems import InputError
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.base.safe_text import markdown_text
from zi_data.store.sign_in_sessions import COOKIE_NAME, SignInSessions
from zi_data.realisasi.undo_rules import undo_upload

@pytest.fixture
def store(seeded_data_dir, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    store = ProgressStore.open()
    accounts = Accounts(store)
    accounts.add("koordinator", "admin", "", PASSWORD, "uji")
    accounts.add("rina", "editor", OWN, PASSWORD, "uji")
    accounts.add("budi", "editor", OTHER, PASSWORD, "uji")
    return store


def both_teams_workbook(store) -> bytes:
    return fill(export_workbook(store, None, 1), {**OWN_ROWS, **OTHER_ROWS})


def recorded(store) -> set[str]:
    return set(store.latest()["item_id"])


def sign_in(app: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    return sign_in_with_form(app, name, password)


def signed_in_as(app: AppTest):
    return signed_in_user(app)


def confirm(app: AppTest) -> AppTest:
    return next(b for b in app.button if b.label == "Simpan perubahan").click().run()


# --- in the app -------------------------------------------------------------------------------------

def test_a_viewer_cannot_upload_or_undo(store):
    app = open_app("app_pages/perbarui_progres.py")
    assert not app.exception
    assert not app.file_uploader
    assert any("pengunjung" in info.value for info in app.info)
    assert app.get("download_button")  # the blank workbook is still offered


@pytest.mark.parametrize("user", [User("pemantau", "viewer", "", "6203"), User("tpi.satu", "penilai", "", "6203")],
                         ids=["viewer", "penilai"])
def test_a_signed_in_viewer_or_penilai_cannot_upload_or_undo(store, tmp_path, user):
    apply_preview(store, preview_upload(store, both_teams_workbook(store), "admin.xlsx"), by="koordinator")
    Accounts(store).add(user.name, user.role, user.team, PASSWORD, "uji")
    before, events = snapshot(store), len(audit_events(store))
    app = sign_in_as(open_app("app_pages/perbarui_progres.py"), user)
    assert signed_in_as(app) == user
    assert not app.file_uploader
    assert not any(b.label == "Simpan perubahan" for b in app.button)
    notices = " ".join(info.value for info in app.info)
    assert markdown_text(user.label) in notices and "pengunjung" not in notices
    assert app.get("download_button")  # the workbook is still offered
    app.switch_page("app_pages/riwayat.py").run()
    assert not any(b.label == "Batalkan unggahan ini" for b in app.button)
    path = tmp_path / "isi.xlsx"
    path.write_bytes(both_teams_workbook(store))
    for command in (["import", path, "--yes", "--overwrite-conflicts"], ["undo", "1"]):
        refused = run_cli(*command, "--user", user.name, "--password-stdin", stdin=PASSWORD + "\n",
                          data_dir=store.data_dir)
        assert refused.returncode == 1 and "tidak dapat mengubah data kantor 6203" in refused.stderr, refused.stderr
    assert snapshot(store) == before
    assert set(audit_events(store)["action"].iloc[events:]) <= {"sesi_dimulai", "masuk"}


def test_wrong_password_is_refused_and_slows_the_next_attempt(store):
    # Four earlier failures, each once its wait had passed, so the app's failure below asks for 16 s
    # (not 1 s): the right password straight after it is refused even on a slow, busy machine.
    accounts, earlier = Accounts(store), datetime.now(timezone.utc) - timedelta(minutes=1)
    for wait in (0, 1, 2, 4):
        earlier += timedelta(seconds=wait)
        with pytest.raises(AccountError):
            accounts.authenticate("rina", "salah-salah-salah", now=earlier)
    app = sign_in(open_app(), "rina", "salah-salah-salah")
    assert signed_in_as(app) is None
    assert "Nama akun atau kata sandi salah" in app.sidebar.error[0].value
    sign_in(app, "rina")  # the right password straight after a failure: must wait
    assert signed_in_as(app) is None
    assert "coba lagi dalam" in app.sidebar.error[0].value
    assert list(audit_events(store)["action"])[-2:] == ["masuk_gagal", "masuk_ditahan"]
    app.switch_page("app_pages/perbarui_progres.py").run()
    assert not app.file_uploader


def test_signed_in_editor_can_upload(store):
    app = sign_in(open_app(), "rina")
    assert signed_in_as(app).label == "rina (Tim Pengawasan)"
    assert any(r"Masuk sebagai **rina \(Tim Pengawasan\)**" in m.value for m in app.sidebar.markdown)
    app.switch_page("app_pages/perbarui_progres.py").run()
    assert app.file_uploader
    assert any("Tim Pengawasan" in c.value for c in app.caption)


def test_sign_out_ends_the_session(store):
    app = sign_in_as(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), User("rina", "editor", OWN, "6203"))
    assert any(r"Masuk sebagai **rina \(Tim Pengawasan\)**" in m.value for m in app.sidebar.markdown)
    token = BROWSER_COOKIES[COOKIE_NAME]
    post_sign_in_form(app, "Keluar")
    assert signed_in_as(app) is None and not BROWSER_COOKIES  # the cookie is cleared
    assert SignInSessions(store).resolve(token).reason == "dicabut"  # and revoked for every tab using it
    app.switch_page("app_pages/perbarui_progres.py").run()
    assert not app.file_uploader


def test_an_editor_cannot_change_another_teams_rows(store):
    app = sign_in(open_app(), "rina")
    upload(app, "realisasi.xlsx", both_teams_workbook(store))
    assert metric(app, "Baru") == "2" and metric(app, "Ditolak") == "1"
    assert any("Ditolak: langkah aksi I-1-1 milik Tim Agen Perubahan" in text
               for text in app.dataframe[0].value["Masalah"])
    confirm(app)
    assert recorded(store) == {"V-1-1", "V-1-2"}
    assert store.uploads().iloc[-1]["uploaded_by"] == "rina"
    last_event = audit_events(store).iloc[-1]
    assert (last_event["actor"], last_event["action"]) == ("rina", "unggah_realisasi")
    assert last_event["sha256"] == store.uploads().iloc[-1]["sha256"]


def test_an_admin_can_change_every_row(store):
    app = sign_in(open_app(), "koordinator")
    upload(app, "realisasi.xlsx", both_teams_workbook(store))
    assert metric(app, "Baru") == "3"
    confirm(app)
    assert recorded(store) == {"V-1-1", "V-1-2", "I-1-1"}


def test_an_editor_may_undo_only_their_own_upload(store):
    data = both_teams_workbook(store)
    preview = preview_upload(store, data, "admin.xlsx")
    apply_preview(store, preview, by="koordinator")
    app = sign_in(open_app(), "budi")
    app.switch_page("app_pages/riwayat.py").run()
    assert not any(b.label == "Batalkan unggahan ini" for b in app.button)
    assert any("Minta admin" in t.value for t in app.text)  # made by someone else, and it changed another team's rows too
    with pytest.raises(InputError, match="unggahannya sendiri"):
        undo_upload(store, 1, "budi", editor_team=OTHER)


@pytest.mark.parametrize("content, message", [
    (b"0" * (20 * 1024 * 1024 + 1), "terlalu besar"),
    ("macro", "makro"),
])
def test_oversized_and_macro_uploads_are_refused_with_no_state_change(store, content, message):
    if content == "macro":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr("xl/vbaProject.bin", b"\x00" * 64)
        content = buffer.getvalue()
    before = snapshot(store)
    app = upload(sign_in(open_app(), "koordinator"), "realisasi.xlsx", content)
    assert message in " ".join(e.value for e in app.error) + " ".join(app.dataframe[0].value["Masalah"])
    assert not any(b.label == "Simpan perubahan" for b in app.button)
    assert snapshot(store) == before


# --- on the command line -----------------------------------------------------------------------------

def test_command_line_import_requires_sign_in_once_accounts_exist(store, tmp_path):
    path = tmp_path / "isi.xlsx"
    path.write_bytes(both_teams_workbook(store))
    before = snapshot(store)
    refused = run_cli("import", path, "--yes", data_dir=store.data_dir)
    assert refused.returncode == 1 and "--user" in refused.stderr and "Traceback" not in refused.stderr
    wrong = run_cli("import", path, "--yes", "--user", "rina", data_dir=store.data_dir, stdin="salah-salah\n")
    assert wrong.returncode == 1 and "salah" in wrong.stderr
    assert snapshot(store) == before


def test_command_line_editor_changes_only_their_team_and_admin_changes_all(store, tmp_path):
    path = tmp_path / "isi.xlsx"
    path.write_bytes(both_teams_workbook(store))
    run_cli("import", path, "--yes", "--user", "rina", "--password-stdin", data_dir=store.data_dir,
            stdin=PASSWORD + "\n", check_returncode=0)
    assert recorded(store) == {"V-1-1", "V-1-2"}
    refused = run_cli("undo", "1", "--user", "budi", data_dir=store.data_dir, stdin=PASSWORD + "\n")
    assert refused.returncode == 1 and "unggahannya sendiri" in refused.stderr
    run_cli("import", path, "--yes", "--user", "koordinator", data_dir=store.data_dir,
            stdin=PASSWORD + "\n", check_returncode=0)
    assert recorded(store) == {"V-1-1", "V-1-2", "I-1-1"}
    events = audit_events(store)
    assert list(events[events["action"] == "unggah_realisasi"]["actor"])[-2:] == ["rina", "koordinator"]


def test_only_an_admin_may_revise_the_plan(store):
    data = both_teams_workbook(store)
    editor = preview_upload(store, data, "x.xlsx", apply_plan=True, allowed_team=OWN)
    assert any("Hanya admin" in p.message for p in editor.errors)


# --- formula injection ------------------------------------------------------------------------------

INJECTIONS = ['=HYPERLINK("http://evil.example","klik")', "@SUM(1)", "+1+1", "-2+3"]


def test_formula_text_comes_back_out_of_every_export_as_inert_text(store):
    from zi_data.reporting import reports
    from zi_data.plan import status
    from zi_data.store.audit import record_event
    from zi_data.reporting.reports import audit_workbook_bytes

    typed = pd.DataFrame([
        {"item_id": "V-1-1", "month": 1, "status": "Selesai", "bukti_dukung": INJECTIONS[0], "catatan": ""},
        {"item_id": "V-1-2", "month": 1, "status": "Sebagian", "bukti_dukung": INJECTIONS[1], "catatan": INJECTIONS[2]},
        {"item_id": "V-2-1", "month": 1, "status": "Sebagian", "bukti_dukung": "ok", "catatan": INJECTIONS[3]},
    ]).assign(tanggal="", reported_by="@admin")
    with store.transaction() as conn:  # as if typed as text in a spreadsheet and uploaded
        upload_id = store.record_upload(conn, "=evil.xlsx", "0" * 64, "", "@admin", "realisasi", {}, 0)
        store.append_entries(conn, typed, upload_id)
        record_event(conn, "@admin", "unggah_realisasi", {"berkas": "=evil.xlsx"}, "0" * 64)
    classified = status.classify(store.plan(), store.latest(), status.as_of_date(2025, month=3))
    exports = {
        "realisasi": export_workbook(store, OWN, 1),
        "tertunggak": reports.overdue_workbook_bytes(status.overdue_list(classified), "uji"),
        "audit": audit_workbook_bytes(audit_events(store), "WIB"),
    }
    for name, workbook_bytes in exports.items():
        workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
        cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert not any(cell.data_type == "f" for cell in cells), name
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
        dangerous = [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert not dangerous, (name, dangerous)
    realisasi_texts = {c.value for s in openpyxl.load_workbook(io.BytesIO(exports["realisasi"]))
                       for r in s.iter_rows() for c in r}
    assert "'" + INJECTIONS[0] in realisasi_texts and "'" + INJECTIONS[1] in realisasi_texts
    tertunggak_texts = {c.value for s in openpyxl.load_workbook(io.BytesIO(exports["tertunggak"]))
                        for r in s.iter_rows() for c in r}
    assert "'" + INJECTIONS[2] in tertunggak_texts
