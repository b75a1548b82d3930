"""Issue #8 item 10 in the app: confirming a rename on Perbarui Progres, progress without a step on Riwayat."""

import pytest
from streamlit.testing.v1 import AppTest

from helpers import open_app, sign_in, upload
from realisasi_helpers import PAIR, item_states, record_i41, revision_upload
from zi_data.store.accounts import Accounts
from zi_data.store.progress_store import ProgressStore

PASSWORD = "kata-sandi-rahasia"
RENAME_LABEL = "Pindahkan progres dari ID lama ke ID baru"


@pytest.fixture
def store(seeded_data_dir, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    store = ProgressStore.open()
    Accounts(store).add("koordinator", "admin", "", PASSWORD, "uji")
    record_i41(store)
    return store


def admin_uploads_revision(data: bytes) -> AppTest:
    app = sign_in(open_app(), "koordinator", PASSWORD)
    return upload(app, "revisi.xlsx", data).checkbox(key="terapkan_rencana").check().run()


def save(app: AppTest) -> AppTest:
    return next(b for b in app.button if b.label == "Simpan perubahan").click().run()


def test_the_admin_confirms_the_proposed_rename_and_the_progress_moves(store):
    app = admin_uploads_revision(revision_upload(store))
    assert not app.exception, [e.value for e in app.exception]
    choice = next(m for m in app.multiselect if m.label == RENAME_LABEL)
    assert choice.value == [PAIR] and choice.options == ["I-4-1 → I-4-9"]
    carried = app.dataframe[-1].value
    assert set(carried["ID"]) == {"I-4-9"} and set(carried["ID lama"]) == {"I-4-1"} and len(carried) == 9
    save(app)
    assert not app.exception
    assert "Rencana aksi kini versi 2" in app.success[0].value and "9 bulan-kegiatan dipindah" in app.success[0].value
    assert list(item_states(store, "I-4-9").values()).count("selesai") == 9
    app.switch_page("app_pages/riwayat.py").run()
    assert "Progres tanpa langkah aksi" not in [h.value for h in app.header]


def test_an_unchosen_rename_leaves_progress_listed_on_riwayat(store):
    app = admin_uploads_revision(revision_upload(store))
    next(m for m in app.multiselect if m.label == RENAME_LABEL).set_value([]).run()
    assert not app.exception
    save(app)
    assert "dipindah" not in app.success[0].value and store.plan_version() == 2
    app.switch_page("app_pages/riwayat.py").run()
    assert not app.exception
    assert "Progres tanpa langkah aksi" in [h.value for h in app.header]
    orphans = next(d.value for d in app.dataframe if "Jumlah entri" in d.value.columns)
    assert orphans[["ID", "Jumlah entri"]].values.tolist() == [["I-4-1", 9]]
