"""The office boundary: a province's admin or editor sees the kabupaten under it but changes none of its data, in
the app and on the command line, on both backends (User.may_write_in alone is tested in test_permissions)."""

import pytest
from streamlit.testing.v1 import AppTest

from evidence_helpers import pdf
from helpers import open_app, plan_workbook, run_cli, sign_in_as, stored_rows
from page_helpers import has_form, may_attach
from realisasi_helpers import OWN, OWN_ROWS, PASSWORD, fill
from zi_data.store.accounts import Accounts, User
from zi_data.store.audit import audit_events
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

PROVINCE, KABUPATEN = "62", "6203"
PROVINCE_USERS = {"admin": User("admin.kalteng", "admin", "", PROVINCE),
                  "editor": User("ketua.kalteng", "editor", OWN, PROVINCE)}
REFUSED = f"tidak dapat mengubah data kantor {KABUPATEN}"
ITEM, MONTH = "V-1-1", 3


@pytest.fixture
def store(store_on_each_backend, monkeypatch):
    """The kabupaten's store (the home office) with one upload by its own admin, and the province's accounts."""
    store = store_on_each_backend
    assert store.office == KABUPATEN
    monkeypatch.setenv("ZI_DATA_DIR", str(store.data_dir))
    Accounts(store).add("koordinator", "admin", "", PASSWORD, "uji")
    for user in PROVINCE_USERS.values():
        Accounts(store, office=PROVINCE).add(user.name, user.role, user.team, PASSWORD, "uji")
    data = fill(export_workbook(store, None, 1), OWN_ROWS)
    apply_preview(store, preview_upload(store, data, "realisasi.xlsx"), by="koordinator")
    return store


def everything(store) -> tuple:
    """Every row of every table but the audit trail and the sign-in sessions (the test signs in), and the files
    of the data directory."""
    rows = {table: found for table, found in stored_rows(store).items()
            if table not in ("audit_log", "sign_in_sessions")}
    files = sorted(str(path.relative_to(store.data_dir)) for path in store.data_dir.rglob("*") if path.is_file()
                   and not path.name.startswith("zi_monitor.sqlite3"))
    return rows, files


def new_actions(store, before: int) -> list[str]:
    return audit_events(store)["action"].iloc[before:].tolist()


def province_page(page: str, user: User) -> AppTest:
    app = sign_in_as(open_app(page), user)
    assert not app.exception, [e.value for e in app.exception]
    assert any("Masuk sebagai" in block.value for block in app.sidebar.markdown)
    return app


@pytest.mark.parametrize("role", list(PROVINCE_USERS))
def test_a_province_account_changes_nothing_of_a_kabupaten_in_the_app(store, role):
    user, before, events = PROVINCE_USERS[role], everything(store), len(audit_events(store))
    app = province_page("app_pages/perbarui_progres.py", user)
    assert any(caption.value.startswith("**KPU Kabupaten Kapuas**") for caption in app.caption)  # its only year
    assert not app.file_uploader
    assert any("hanya dapat melihat data kantor ini" in info.value for info in app.info)
    app.switch_page("app_pages/riwayat.py").run()
    assert not any(button.label == "Batalkan unggahan ini" for button in app.button)
    app = province_page("app_pages/matriks.py", user)
    app.selectbox(key="rincian_id").set_value(ITEM).run()
    app.selectbox(key="rincian_bulan").set_value(MONTH).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not may_attach(app) and not has_form(app)
    assert everything(store) == before
    assert new_actions(store, events) == []  # the kabupaten's audit trail (the sign-in is the province's)


def province_command(store, tmp_path, command: str, role: str) -> list:
    name = PROVINCE_USERS[role].name
    workbook = tmp_path / "isi.xlsx"
    workbook.write_bytes(fill(export_workbook(store, None, 1), {("I-1-1", 1): {"status": "Selesai",
                                                                               "bukti": "SK.pdf"}}))
    evidence_file = tmp_path / "sk.pdf"
    evidence_file.write_bytes(pdf("bukti provinsi"))
    plan = tmp_path / "rencana_2026.xlsx"
    plan.write_bytes(plan_workbook(2026))
    return {"import": ["import", workbook, "--yes", "--overwrite-conflicts"],
            "undo": ["undo", "1"],
            "evidence add": ["evidence", "add", ITEM, str(MONTH), evidence_file],
            "evidence rule": ["evidence", "rule", "terverifikasi"],
            "lke mapping": ["lke", "mapping", "--bawaan"],
            "plan add": ["plan", "add", plan, "--office", KABUPATEN, "--year", "2026", "--yes"],
            }[command] + ["--user", name, "--password-stdin"]


@pytest.mark.parametrize("command, role", [
    ("import", "admin"), ("import", "editor"), ("undo", "admin"), ("undo", "editor"), ("evidence add", "admin"),
    ("evidence add", "editor"), ("evidence rule", "admin"), ("lke mapping", "admin"), ("plan add", "admin")])
def test_a_province_account_changes_nothing_of_a_kabupaten_on_the_command_line(store, tmp_path, command, role):
    args = province_command(store, tmp_path, command, role)
    before, events = everything(store), len(audit_events(store))
    refused = run_cli(*args, stdin=PASSWORD + "\n", data_dir=store.data_dir)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert REFUSED in refused.stderr and "Traceback" not in refused.stderr
    assert everything(store) == before
    assert new_actions(store, events) == []  # the kabupaten's audit trail (the sign-in is the province's)
