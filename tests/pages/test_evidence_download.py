"""Bukti Tertunggak's one-click evidence package (AppTest) and what its button serves."""

import io
import zipfile

import pytest

from app_pages.parts.evidence_download import ACCEPTED_ONLY_KEY, package_bytes
from evidence_helpers import index_rows, pdf
from helpers import new_store, open_app
from page_helpers import recorded_downloads
from realisasi_helpers import PASSWORD
from zi_data.evidence import evidence
from zi_data.store.accounts import Accounts

PAGE = "app_pages/bukti_tertunggak.py"
LABEL = "Unduh paket bukti (ZIP)"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    store = new_store()
    evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf("sk"), "rina")
    evidence.attach_file(store, "I-1-1", 12, "evaluasi.pdf", pdf("evaluasi"), "rina")
    evidence.review(store, "I-1-1", 12, "diterima", "", "penilai")
    return store


@pytest.fixture
def served(monkeypatch) -> dict:
    return recorded_downloads(monkeypatch)


def package_buttons(app) -> list:
    return [button for button in app.get("download_button") if button.proto.label == LABEL]


def test_the_page_offers_the_package_with_an_accepted_only_choice(store, served):
    app = open_app(PAGE)
    assert not app.exception, [e.value for e in app.exception]
    assert len(package_buttons(app)) == 1
    assert package_buttons(app)[0].proto.help.startswith("Berkas bukti terkini dalam folder Area")
    every = zipfile.ZipFile(io.BytesIO(served["paket_bukti_6203_2025.zip"]()))
    assert [row["Bulan"].value for row in index_rows(every)] == ["Januari", "Desember"]
    choice = app.checkbox(key=ACCEPTED_ONLY_KEY)
    assert choice.label == "Hanya bukti yang diterima penilai" and not choice.value
    choice.check().run()
    assert not app.exception and len(package_buttons(app)) == 1
    accepted = zipfile.ZipFile(io.BytesIO(served["paket_bukti_6203_2025_diterima.zip"]()))
    assert [row["Status Verifikasi"].value for row in index_rows(accepted)] == ["Diterima"]


def test_the_button_serves_the_package_of_the_chosen_year(store):
    every = zipfile.ZipFile(io.BytesIO(package_bytes(store, accepted_only=False)))
    assert [row["Bulan"].value for row in index_rows(every)] == ["Januari", "Desember"]
    accepted = zipfile.ZipFile(io.BytesIO(package_bytes(store, accepted_only=True)))
    assert [row["Status Verifikasi"].value for row in index_rows(accepted)] == ["Diterima"]


def test_no_package_button_on_the_projector(store):
    app = open_app(PAGE)
    app.toggle(key="proyektor").set_value(True).run()
    assert not app.exception and not package_buttons(app) and not app.checkbox


def test_once_accounts_exist_a_visitor_is_asked_to_sign_in(store):
    Accounts(store).add("koordinator", "admin", "", PASSWORD, "uji")
    app = open_app(PAGE)
    assert not app.exception and not package_buttons(app)
    assert any("Masuk untuk mengunduh paket bukti" in caption.value for caption in app.caption)
