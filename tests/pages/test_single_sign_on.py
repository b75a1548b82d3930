"""Single sign-on (st.login, OIDC) as the pages apply it: an e-mail with an account is that account, one without
is a viewer of the home office, and a write is recorded under the signed-in account's name. AppTest's `user`
stands in for the identity provider (`is_logged_in` and the e-mail claim, as st.user gives them)."""

import pytest
from streamlit.testing.v1 import AppTest

from helpers import BROWSER_COOKIES, ROOT, metric, upload
from realisasi_helpers import OWN, OWN_ROWS, PASSWORD, fill, snapshot
from zi_data.store.accounts import Accounts
from zi_data.store.audit import audit_events
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.base.safe_text import markdown_text

UPLOAD, TERTUNGGAK = "app_pages/perbarui_progres.py", "app_pages/bukti_tertunggak.py"
EDITOR_EMAIL = "rina@kpu.example.go.id"


@pytest.fixture
def store(seeded_data_dir, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    monkeypatch.delenv("ZI_DATABASE_URL", raising=False)
    store = ProgressStore.open()
    Accounts(store).add("koordinator", "admin", "", PASSWORD, "uji")
    Accounts(store).add(EDITOR_EMAIL, "editor", OWN, PASSWORD, "uji")
    return store


def signed_on(email: str | None) -> AppTest:
    """The dashboard, its browser signed in with the identity provider as `email` (None: signed out)."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    return app.run()


def signed_in_label(app: AppTest) -> str | None:
    return next((block.value for block in app.sidebar.markdown if block.value.startswith("Masuk sebagai")), None)


def test_an_e_mail_without_an_account_is_a_viewer_of_the_home_office(store):
    app = signed_on("tamu@kpu.example.go.id")
    assert not app.exception, [e.value for e in app.exception]
    assert signed_in_label(app) == f"Masuk sebagai **{markdown_text('tamu@kpu.example.go.id (viewer)')}**"
    assert any(b.label == "Keluar" for b in app.sidebar.button)  # signed in: no second "Masuk dengan akun kantor"
    assert not any(b.label == "Masuk dengan akun kantor" for b in app.sidebar.button)
    app.switch_page(UPLOAD).run()
    assert not app.file_uploader
    notices = " ".join(info.value for info in app.info)
    assert "hanya dapat melihat data kantor ini" in notices and "pengunjung" not in notices
    app.switch_page(TERTUNGGAK).run()  # what a viewer has and a visitor has not: the evidence package
    assert any(button.label == "Unduh paket bukti (ZIP)" for button in app.get("download_button"))
    assert not BROWSER_COOKIES


def test_signed_out_of_the_identity_provider_is_a_visitor(store):
    app = signed_on(None)
    assert not app.exception, [e.value for e in app.exception]
    assert signed_in_label(app) is None
    assert any(b.label == "Masuk dengan akun kantor" for b in app.sidebar.button)
    app.switch_page(TERTUNGGAK).run()
    assert not any(button.label == "Unduh paket bukti (ZIP)" for button in app.get("download_button"))
    assert any("Masuk untuk mengunduh paket bukti" in caption.value for caption in app.caption)


def test_a_write_is_audited_under_the_signed_in_account(store):
    before = len(audit_events(store))
    app = signed_on("Rina@KPU.Example.go.id")  # the provider's spelling; the account's name is what is recorded
    assert signed_in_label(app) == f"Masuk sebagai **{markdown_text(EDITOR_EMAIL + ' (Tim Pengawasan)')}**"
    upload(app, "realisasi.xlsx", fill(export_workbook(store, None, 1), OWN_ROWS))
    assert metric(app, "Baru") == "2"
    next(b for b in app.button if b.label == "Simpan perubahan").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert set(store.latest()["item_id"]) == {item for item, _month in OWN_ROWS}
    assert store.uploads().iloc[-1]["uploaded_by"] == EDITOR_EMAIL
    events = audit_events(store).iloc[before:]
    assert set(events["actor"]) == {EDITOR_EMAIL}  # the upload and the link its Bukti Dukung attached
    assert events["action"].tolist()[-1] == "unggah_realisasi" and "bukti_ditambah" in set(events["action"])


def test_an_e_mail_without_an_account_changes_nothing(store):
    before = snapshot(store)
    app = signed_on("tamu@kpu.example.go.id")
    app.switch_page("app_pages/riwayat.py").run()
    assert not any(b.label == "Batalkan unggahan ini" for b in app.button)
    assert snapshot(store) == before
