"""Verifikasi Bukti, the counting rule on every page and the review lists of Bukti Tertunggak, through AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.frame.chrome import ALL_COLUMNS_KEY
from app_pages.frame.registry import ONE_OFFICE_PAGES
from helpers import metric, new_store, open_as, report
from page_helpers import ADMIN, PENILAI
from realisasi_helpers import OTHER, OWN, PASSWORD
from evidence_samples import pdf_bytes
from zi_data.evidence import evidence
from zi_data.store.accounts import Accounts, User
from zi_data.store.counting_rule import RULES
from zi_data.reporting.review_lists import MAIN_COLUMNS

PAGE = "app_pages/verifikasi_bukti.py"
EDITOR = User("rina", "editor", OWN, "6203")
HOSTILE_NAME = "**tebal** <img src=x onerror=alert(1)> [tautan](evil.example).pdf"  # no "/": a path is cut


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A data directory with an admin, an editor and a penilai, and three item-months reported Selesai:
    V-1-2 first, then I-1-1, then V-1-1 (with a PDF attached)."""
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    store = new_store()
    accounts = Accounts(store)
    for user in (ADMIN, EDITOR):  # the penilai signs in through the session only
        accounts.add(user.name, user.role, user.team, PASSWORD, "uji")
    report(store, "V-1-2", 1)
    report(store, "I-1-1", 1)
    report(store, "V-1-1", 1)
    evidence.attach_file(store, "V-1-1", 1, HOSTILE_NAME, pdf_bytes(), EDITOR.name)
    return store


def opened(user: User | None, page: str = PAGE, **query) -> AppTest:
    return open_as(user, page, **query)


def queue_ids(app: AppTest) -> list[str]:
    return list(app.dataframe[0].value["ID"])


def decision_button(app: AppTest):
    return [button for button in app.button if button.label == "Simpan keputusan"]


def decision_radio(app: AppTest):
    """The decision form's radio (its key names the item-month shown)."""
    return next(radio for radio in app.radio if radio.label == "Keputusan")


def note_area(app: AppTest):
    return next(area for area in app.text_area if area.label == "Catatan penilai")


def test_the_queue_is_oldest_first_and_follows_the_team_filter(store):
    app = opened(PENILAI)
    assert queue_ids(app) == ["V-1-2", "I-1-1", "V-1-1"]
    assert app.radio(key="verifikasi_daftar").value == "menunggu"
    app.multiselect(key="tim").set_value([OWN]).run()
    assert queue_ids(app) == ["V-1-2", "V-1-1"]
    app.multiselect(key="tim").set_value([]).run()
    app.multiselect(key="area").set_value(["I"]).run()
    assert queue_ids(app) == ["I-1-1"]


def test_an_item_month_opens_beside_the_plans_bukti_fisik_with_its_files_as_text(store):
    app = opened(PENILAI)
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("V-1-1", 1)).run()
    texts = [text.value for text in app.text]
    bukti_fisik = store.plan().set_index("id").at["V-1-1", "bukti_fisik"]
    assert f"Bukti fisik: {bukti_fisik}" in texts
    assert "Status: Selesai" in texts and "Bukti dukung: SK.pdf" in texts
    assert f"PDF · {HOSTILE_NAME}" in texts
    assert list(app.dataframe[1].value["Berkas"]) == [HOSTILE_NAME]
    assert not any(HOSTILE_NAME in (m.value or "") for m in app.markdown)  # never read as markdown
    assert app.get("bidi_component"), "the PDF is previewed in the page (st.pdf)"
    assert [button.label for button in app.get("download_button")] == ["Unduh berkas"]


def test_a_penilai_sends_back_with_a_note_and_accepts(store):
    app = opened(PENILAI)
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("I-1-1", 1)).run()
    decision_radio(app).set_value("perlu_perbaikan")
    decision_button(app)[0].click().run()
    assert any("Tulis catatan" in error.value for error in app.error)
    assert evidence.reviews(store).empty

    note_area(app).input("SK belum ditandatangani ketua")  # the choice was kept: only the note is typed
    decision_button(app)[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Keputusan tersimpan: I-1-1 Januari" in message.value.replace("\\", "") for message in app.success)
    recorded = evidence.reviews(store).iloc[-1]
    assert (recorded["item_id"], recorded["decision"], recorded["note"], recorded["reviewed_by"]) == (
        "I-1-1", "perlu_perbaikan", "SK belum ditandatangani ketua", PENILAI.name)
    assert queue_ids(app) == ["V-1-2", "V-1-1"]

    app.radio(key="verifikasi_daftar").set_value("perlu_perbaikan").run()
    sent_back = app.dataframe[0].value
    assert list(sent_back["ID"]) == ["I-1-1"]
    assert list(sent_back["Catatan Penilai"]) == ["SK belum ditandatangani ketua"]

    app.radio(key="verifikasi_daftar").set_value("menunggu").run()
    decision_button(app)[0].click().run()  # Diterima, no note needed: V-1-2
    assert evidence.reviews(store).iloc[-1]["decision"] == "diterima"
    assert queue_ids(app) == ["V-1-1"]


@pytest.mark.parametrize("user, notice", [
    (None, "Masuk sebagai penilai atau admin"),
    (EDITOR, "Hanya penilai (Tim Penilai Internal) atau admin"),
    (User("tpi.provinsi", "penilai", "", "62"), "Hanya penilai (Tim Penilai Internal) atau admin"),
], ids=["visitor", "editor", "penilai-of-another-office"])
def test_only_a_penilai_or_admin_of_the_office_may_decide(store, user, notice):
    app = opened(user)
    assert queue_ids(app) == ["V-1-2", "I-1-1", "V-1-1"]  # the queue and files are seen
    assert not decision_button(app)
    assert any(notice in info.value for info in app.info)
    assert not [r for r in app.radio if r.key == "aturan_hitung"]


def test_an_admin_may_decide_and_in_open_mode_nobody_may(store, tmp_path, monkeypatch):
    assert decision_button(opened(ADMIN))
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "terbuka"))
    open_store = new_store()
    report(open_store, "I-1-1", 1)
    app = opened(None)
    assert queue_ids(app) == ["I-1-1"] and not decision_button(app)
    assert any("--role penilai" in code.value for code in app.code)


def test_a_penilai_cannot_update_progress_or_undo(store):
    app = opened(PENILAI, "app_pages/perbarui_progres.py")
    assert not app.file_uploader
    assert any("Verifikasi Bukti" in info.value for info in app.info)
    app.switch_page("app_pages/riwayat.py").run()
    assert not [button for button in app.button if button.label == "Batalkan unggahan ini"]


def test_the_admins_counting_rule_switch_changes_the_rates_and_every_header(store):
    app = opened(ADMIN, "app_pages/ringkasan.py")
    assert metric(app, "Capaian tahunan") == "0,4 %"  # 3 of 671 item-months, with bukti dukung
    assert RULES["bukti"] in app.caption[0].value
    app.switch_page(PAGE).run()
    app.radio(key="aturan_hitung").set_value("terverifikasi").run()
    next(button for button in app.button if button.label == "Terapkan aturan hitung").click().run()
    assert any(RULES["terverifikasi"] in message.value for message in app.success)
    app.switch_page("app_pages/ringkasan.py").run()
    assert metric(app, "Capaian tahunan") == "0,0 %"  # none accepted yet
    evidence.review(store, "V-1-2", 1, "diterima", "", PENILAI.name)
    app.run()
    assert metric(app, "Capaian tahunan") == "0,1 %"
    for page in ONE_OFFICE_PAGES:
        app.switch_page(page.file).run()
        assert not app.exception, (page.title, [e.value for e in app.exception])
        assert f"Aturan hitung: {RULES['terverifikasi']}" in app.caption[0].value, page.title
    app = opened(None, "app_pages/ringkasan.py", proyektor="true")
    assert f"Aturan hitung: {RULES['terverifikasi']}" in app.caption[0].value


def test_bukti_tertunggak_lists_what_was_sent_back_and_what_waits(store):
    evidence.review(store, "I-1-1", 1, "perlu_perbaikan", "SK belum ditandatangani ketua", PENILAI.name)
    app = opened(EDITOR, "app_pages/bukti_tertunggak.py")
    assert any("[1 bukti perlu perbaikan](#perlu-perbaikan) · [2 menunggu verifikasi](#menunggu-verifikasi)"
               in line.value for line in app.markdown)  # at the top, pointing down to the lists
    headers = [header.value for header in app.header]
    assert "Bukti perlu perbaikan · 1 bulan-kegiatan" in headers
    assert "Menunggu verifikasi · 2 bulan-kegiatan" in headers
    frames = [frame.value for frame in app.dataframe]
    sent_back = next(frame for frame in frames if "Catatan Penilai" in frame.columns)
    assert list(sent_back.columns) == MAIN_COLUMNS["perlu_perbaikan"]  # the team: with every column
    assert list(sent_back["ID"]) == ["I-1-1"]
    assert list(sent_back["Catatan Penilai"]) == ["SK belum ditandatangani ketua"]
    waiting = next(frame for frame in frames if "Menunggu Sejak" in frame.columns)
    assert list(waiting["ID"]) == ["V-1-2", "V-1-1"]
    app.toggle(key=ALL_COLUMNS_KEY).set_value(True).run()
    sent_back = next(frame.value for frame in app.dataframe if "Catatan Penilai" in frame.value.columns)
    assert list(sent_back["Penanggung Jawab"]) == [OTHER]
    app.multiselect(key="tim").set_value([OWN]).run()
    headers = [header.value for header in app.header]
    assert not any(header.startswith("Bukti perlu perbaikan") for header in headers)
    assert "Menunggu verifikasi · 2 bulan-kegiatan" in headers


def test_a_decision_on_evidence_that_changed_since_it_was_shown_is_refused(store):
    app = opened(PENILAI)
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("V-1-1", 1)).run()
    evidence.attach_file(store, "V-1-1", 1, "lampiran.pdf", pdf_bytes() + b"\n% versi 2\n", EDITOR.name)
    decision_button(app)[0].click().run()
    assert any("berubah sejak ditampilkan" in error.value for error in app.error)
    assert evidence.reviews(store).empty


def test_a_sent_back_decision_refused_for_its_missing_note_is_stored_as_sent_back(store):
    """Issue 20's defect: Perlu perbaikan without a note is refused; the choice stays, the note is typed, and the
    decision stored is Perlu perbaikan with that note (a form cleared on submit stored Diterima)."""
    app = opened(PENILAI)
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("I-1-1", 1)).run()
    decision_radio(app).set_value("perlu_perbaikan")
    decision_button(app)[0].click().run()
    assert any("Tulis catatan" in error.value for error in app.error)
    assert decision_radio(app).value == "perlu_perbaikan" and evidence.reviews(store).empty
    note_area(app).input("Tanda tangan kepala kantor belum ada.")
    decision_button(app)[0].click().run()
    stored = evidence.reviews(store)[["item_id", "month", "decision", "note"]].values.tolist()
    assert stored == [["I-1-1", 1, "perlu_perbaikan", "Tanda tangan kepala kantor belum ada."]]


def test_a_decision_typed_for_one_item_month_is_not_carried_to_another(store):
    app = opened(PENILAI)
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("I-1-1", 1)).run()
    decision_radio(app).set_value("perlu_perbaikan")
    decision_button(app)[0].click().run()  # refused (no note): the choice is now held for I-1-1
    assert decision_radio(app).value == "perlu_perbaikan"
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("V-1-2", 1)).run()
    assert (decision_radio(app).value, note_area(app).value) == ("diterima", "")  # V-1-2's own, empty form
    decision_button(app)[0].click().run()
    assert evidence.reviews(store)[["item_id", "decision"]].values.tolist() == [["V-1-2", "diterima"]]
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("I-1-1", 1)).run()
    assert (decision_radio(app).value, note_area(app).value) == ("diterima", "")


def test_a_decision_on_an_item_month_that_left_the_list_is_refused_not_given_to_the_next(store):
    app = opened(PENILAI)
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("I-1-1", 1)).run()
    decision_radio(app).set_value("perlu_perbaikan")
    note_area(app).input("SK belum ditandatangani ketua")
    evidence.review(store, "I-1-1", 1, "diterima", "", ADMIN.name)  # decided in another session meanwhile
    decision_button(app)[0].click().run()  # the queue now opens V-1-2 first: the click was not on it
    assert any("berganti menjadi V-1-2 Januari" in error.value.replace("\\", "") and "tidak disimpan" in error.value
               for error in app.error)
    assert evidence.reviews(store)[["item_id", "reviewed_by"]].values.tolist() == [["I-1-1", ADMIN.name]]
