"""The form "Perbarui bulan-kegiatan" on Matriks 12 Bulan and Bukti Tertunggak (AppTest): who sees it, what is
stored, refusals keeping every value entered, a conflict with a newer upload, and the undo on Riwayat."""

import pytest
from streamlit.testing.v1 import AppTest

from helpers import open_app, sign_in_as
from page_helpers import FORM_KEYS, ITEM, MONTH, PDF, PENILAI, has_form, matriks
from realisasi_helpers import OTHER, OWN, PASSWORD, fill
from zi_data.evidence import evidence
from zi_data.store.accounts import Accounts, User
from zi_data.base.history import FORM_KIND
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

TERTUNGGAK, RIWAYAT = "app_pages/bukti_tertunggak.py", "app_pages/riwayat.py"
LINK = "https://drive.example/v11-maret.pdf"
EDITOR, OTHER_EDITOR = User("rina", "editor", OWN, "6203"), User("budi", "editor", OTHER, "6203")
VIEWER = User("pemantau", "viewer", "", "6203")


@pytest.fixture
def store(seeded_data_dir, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    store = ProgressStore.open()
    accounts = Accounts(store)
    for user in (EDITOR, OTHER_EDITOR, VIEWER):
        accounts.add(user.name, user.role, user.team, PASSWORD, "uji")
    return store


def form_block(app: AppTest):
    """The form's block as the browser receives it (AppTest does not clear a form on submit as the browser does,
    so the flag is read here)."""
    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)
    return next(node.proto.form for node in walk(app._tree) if type(getattr(node, "proto", None)).__name__ == "Block"
                and node.proto.WhichOneof("type") == "form" and node.proto.form.form_id == f"formulir_{ITEM}_{MONTH}")


def fill_form(app: AppTest, status: str | None = None, bukti: str | None = None, catatan: str | None = None,
              files=()) -> None:
    if status is not None:
        app.selectbox(key=FORM_KEYS["status"]).set_value(status)
    if bukti is not None:
        app.text_area(key=FORM_KEYS["bukti"]).set_value(bukti)
    if catatan is not None:
        app.text_area(key=FORM_KEYS["catatan"]).set_value(catatan)
    if files:
        next(w for w in app.get("file_uploader") if w.key.startswith("formulir_berkas_")).set_value(list(files))


def submit(app: AppTest) -> AppTest:
    next(button for button in app.button if button.label == "Simpan").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def stored(store) -> tuple:
    latest = store.latest()
    row = latest[(latest["item_id"] == ITEM) & (latest["month"] == MONTH)]
    return tuple(row[["status", "bukti_dukung", "catatan", "reported_by"]].iloc[0]) if len(row) else ()


def texts(elements) -> str:
    return " ".join(element.value for element in elements).replace("\\", "")


def test_an_editor_of_the_team_saves_the_item_month_and_the_page_shows_it(store):
    app = matriks(EDITOR)
    assert has_form(app) and app.selectbox(key=FORM_KEYS["status"]).value is None
    assert "Perbarui Progres" in texts(app.caption)
    fill_form(app, "Selesai", LINK, "Rapat 12 Maret", [("SK Tim.pdf", PDF, "application/pdf")])
    submit(app)
    assert stored(store) == ("Selesai", LINK, "Rapat 12 Maret", "rina")
    assert f"{ITEM} bulan Maret tersimpan sebagai perubahan #1, 1 berkas dilampirkan, 1 tautan dilampirkan" in \
        texts(app.success)
    assert store.uploads()["kind"].tolist() == [FORM_KIND]
    assert list(evidence.attachments(store)["file_name"]) == ["SK Tim.pdf", LINK]  # the typed link is evidence
    # The page's data follow at once: the report above the form, and the form starts from the stored values.
    assert "**Status:** Selesai  \n" in texts(app.markdown)  # once: not "Selesai (Selesai)"
    assert (app.selectbox(key=FORM_KEYS["status"]).value,
            app.text_area(key=FORM_KEYS["bukti"]).value) == ("Selesai", LINK)


def test_a_refused_submission_keeps_every_value_entered(store):
    app = matriks(EDITOR)
    assert not form_block(app).clear_on_submit  # the browser would empty the form after a refusal otherwise
    fill_form(app, "Selesai", "", "Menunggu tanda tangan")
    submit(app)
    assert "berstatus Selesai tanpa bukti dukung" in texts(app.error)
    assert stored(store) == () and store.uploads().empty
    assert app.selectbox(key=FORM_KEYS["status"]).value == "Selesai"
    assert app.text_area(key=FORM_KEYS["catatan"]).value == "Menunggu tanda tangan"
    fill_form(app, bukti="x" * 40_000)
    submit(app)
    assert "Teks terlalu panjang: 40.000 karakter" in texts(app.error)
    assert len(app.text_area(key=FORM_KEYS["bukti"]).value) == 40_000


@pytest.mark.parametrize(("user", "notice"), [
    (OTHER_EDITOR, f"hanya dapat memperbarui bulan-kegiatan {OTHER}"),
    (VIEWER, "hanya dapat melihat data kantor ini"),
    (PENILAI, "memeriksa bukti di halaman **Verifikasi Bukti**"),
    (None, "Anda melihat sebagai pengunjung"),
])
def test_others_see_the_lock_notice_and_no_form(store, user, notice):
    app = matriks(user)
    assert not has_form(app)
    assert notice in texts(app.info)
    assert not any(button.label == "Simpan" for button in app.button)


def test_a_newer_upload_since_the_form_was_opened_is_refused_as_a_conflict(store):
    app = matriks(EDITOR)
    fill_form(app, "Selesai", LINK)
    filled = fill(export_workbook(store, OWN, 3), {(ITEM, MONTH): {"status": "Sebagian", "bukti": "draf.pdf"}})
    apply_preview(store, preview_upload(store, filled, "realisasi.xlsx", allowed_team=OWN), by="wakil")
    submit(app)
    errors = texts(app.error)
    assert f"{ITEM} bulan Maret sudah diubah oleh wakil pada " in errors
    assert "Nilai terbaru: status Sebagian, bukti dukung draf.pdf" in errors
    assert stored(store)[:2] == ("Sebagian", "draf.pdf")
    assert (app.selectbox(key=FORM_KEYS["status"]).value,
            app.text_area(key=FORM_KEYS["bukti"]).value) == ("Selesai", LINK)
    next(button for button in app.button if button.label.startswith("Tampilkan nilai")).click().run()
    assert app.text_area(key=FORM_KEYS["bukti"]).value == "draf.pdf"
    submit(fill_form(app, "Selesai", LINK) or app)
    assert stored(store)[:2] == ("Selesai", LINK)


def test_the_change_is_undone_on_riwayat_by_the_editor_who_made_it(store):
    app = matriks(EDITOR)
    fill_form(app, "Selesai", LINK, files=[("SK Tim.pdf", PDF, "application/pdf")])
    submit(app)
    app.switch_page(RIWAYAT).run()
    uploads = next(frame.value for frame in app.dataframe if "Jenis" in frame.value.columns)
    assert (uploads["Jenis"].iloc[0], uploads["Oleh"].iloc[0]) == ("Formulir bulan-kegiatan", "rina")
    next(button for button in app.button if button.label == "Batalkan unggahan ini").click().run()
    assert "Unggahan #1 dibatalkan" in texts(app.success)
    assert stored(store) == () and evidence.attachments(store).empty


def test_a_row_of_bukti_tertunggak_opens_the_form_under_its_table(store):
    app = open_app(TERTUNGGAK, bulan="Juni")
    sign_in_as(app, EDITOR)
    assert not has_form(app)
    app.session_state["tertunggak_pilihan"] = (ITEM, "Maret", OWN)  # what choosing the row in the table sets
    app.run()
    assert has_form(app)
    # Above the form, the row's texts in full, those the table leaves out too
    bukti_fisik = store.plan().set_index("id").at[ITEM, "bukti_fisik"]
    assert f"Bukti Fisik yang Diperlukan: {bukti_fisik}" in [text.value for text in app.text]
    fill_form(app, "Sebagian", "Draf SK.pdf")
    submit(app)
    assert stored(store)[:2] == ("Sebagian", "Draf SK.pdf")
    assert f"{ITEM} bulan Maret tersimpan sebagai perubahan #1" in texts(app.success)
    app.session_state["tertunggak_pilihan"] = (ITEM, "Maret", OWN)
    sign_in_as(app, OTHER_EDITOR)
    assert not has_form(app)
