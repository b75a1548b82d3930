"""Every form of the dashboard keeps what was entered when its input is refused (AppTest).

Each test fills every field of one form, makes exactly one field invalid, submits, checks the Indonesian message
and reads every widget back: nothing entered has changed and nothing was saved. Where a form starts empty after a
successful save, a test checks that too.

| Page | Form | Fields | The one invalid field | Message | After a save |
|---|---|---|---|---|---|
| Verifikasi Bukti | Simpan keputusan | Keputusan, Catatan penilai | Perlu perbaikan without a note; evidence changed since shown | Tulis catatan …; … berubah sejak ditampilkan … | empty (the form's keys move on) |
| sidebar | Masuk | Nama akun, Kata sandi | wrong password | Nama akun atau kata sandi salah … | signed in, no form (the password is emptied after every attempt, by rule) |
| Rapat Monev | Catat rapat | Tanggal rapat, Jenis rapat, Pimpinan rapat, Nomor, Posisi capaian s.d. bulan, Peserta, jumlah peserta, Catatan rapat | Pimpinan rapat blank | Pimpinan rapat wajib diisi. | empty |
| Rapat Monev | Kop surat dan tanda tangan lembar monev | Alamat kantor, Nama and NIP of the Ketua KPU and of the Ketua Tim Kerja ZI, Logo kantor baru | NIP Ketua Tim Kerja ZI not 18 digits | … harus 18 angka … | the values in force |
| Rapat Monev | Tambah tindak lanjut | Tindak lanjut, Tim penanggung jawab, Tenggat, Langkah aksi | Tindak lanjut blank | Tindak lanjut wajib diisi. | empty |
| Rapat Monev | Tutup tindak lanjut | Tindak lanjut terbuka, Catatan penutupan | Catatan penutupan blank; the chosen one closed meanwhile | Catatan penutupan wajib diisi.; … tidak lagi terbuka … | empty |
| Rapat Monev | Lampirkan sebagai bukti dukung (lembar monev) | none typed: the meeting shown | the PDF over ZI_EVIDENCE_MAX_MB | … terlalu besar … | attached |
| Tahun Rencana | Mulai tahun rencana baru | Nama Anda (open mode), Rencana aksi tahun baru (.xlsx) | a workbook of a year that exists | … tidak dapat dipakai … | uploader empty |
| Perbarui Progres | Unggah realisasi | Nama Anda (open mode), Buku kerja realisasi (.xlsx) | a file that is no workbook | … tidak dapat diterima … | uploader empty (a new round key; not asserted here) |
| Kesiapan LKE | Pemetaan ke area LKE (admin's editor) | the table's edits | an unknown area | Pemetaan tidak disimpan: … | the table in force, no edits |
| Matriks 12 Bulan, Bukti Tertunggak | Perbarui bulan-kegiatan (tests/pages/test_item_month_form_pages.py) | Status, Bukti dukung, Catatan, Berkas bukti | Selesai without bukti dukung | … Bukti Dukung … | the stored values |
| Matriks 12 Bulan | Lampirkan (bukti dukung) | Nama Anda (open mode), Lampiran ini, Berkas bukti, tautan | Nama Anda blank; a javascript: link beside a good file | Isi nama Anda dulu …; … tautan … | uploader and link empty; a refused link stays |
"""

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from helpers import OPEN_MODE_REPORTER, ROOT, open_app, plan_workbook, post_sign_in_form, report, sign_in_as
from realisasi_helpers import OWN, PASSWORD
from evidence_samples import pdf_bytes
from zi_data.evidence import evidence
from zi_data.monev import letterhead, monev
from zi_data.store.accounts import Accounts, User
from zi_data.lke.lke_mapping import mapping_in_force
from zi_data.store.progress_store import ProgressStore

ADMIN = User("koordinator", "admin", "", "6203")
PENILAI = User("tpi.satu", "penilai", "", "6203")
HELD_ON = date(2025, 3, 14)


@pytest.fixture
def store(seeded_data_dir, monkeypatch):
    """The bundled plan with an admin account, and I-1-1 and V-1-2 reported Selesai in January."""
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    store = ProgressStore(seeded_data_dir)
    Accounts(store).add(ADMIN.name, ADMIN.role, "", PASSWORD, "uji")
    report(store, "I-1-1", 1)
    report(store, "V-1-2", 1)
    return store


@pytest.fixture
def open_mode(seeded_data_dir, monkeypatch):
    """No account yet: the writer types the name recorded with the change."""
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    return ProgressStore(seeded_data_dir)


def opened(page: str, user: User | None = None) -> AppTest:
    app = open_app()
    if user is not None:
        sign_in_as(app, user)
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def widget(app: AppTest, kind: str, label: str):
    return next(element for element in getattr(app, kind) if element.label == label)


def click(app: AppTest, label: str) -> AppTest:
    next(button for button in app.button if button.label == label).click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def errors(app: AppTest) -> str:
    return " ".join(error.value.replace("\\", "") for error in app.error)


def values(app: AppTest, fields: dict[str, str]) -> dict[str, object]:
    """Each field's value read back: `fields` maps a label to its widget kind."""
    return {label: widget(app, kind, label).value for label, kind in fields.items()}


# --- Verifikasi Bukti ---------------------------------------------------------------------------------------

DECISION_FIELDS = {"Keputusan": "radio", "Catatan penilai": "text_area"}


def test_a_refused_decision_keeps_the_choice_and_the_note(store):
    app = opened("app_pages/verifikasi_bukti.py", PENILAI)
    app.selectbox(key="verifikasi_buka_menunggu").set_value(("I-1-1", 1)).run()
    widget(app, "radio", "Keputusan").set_value("perlu_perbaikan")
    click(app, "Simpan keputusan")
    assert "Tulis catatan: apa yang harus diperbaiki" in errors(app)
    assert values(app, DECISION_FIELDS) == {"Keputusan": "perlu_perbaikan", "Catatan penilai": ""}

    widget(app, "text_area", "Catatan penilai").input("SK belum ditandatangani")
    evidence.attach_link(store, "I-1-1", 1, "https://drive.contoh.invalid/sk", ADMIN.name)  # changed meanwhile
    click(app, "Simpan keputusan")
    assert "berubah sejak ditampilkan" in errors(app)
    assert values(app, DECISION_FIELDS) == {"Keputusan": "perlu_perbaikan",
                                            "Catatan penilai": "SK belum ditandatangani"}
    assert evidence.reviews(store).empty

    click(app, "Simpan keputusan")  # the evidence now shown is decided on, as entered
    stored = evidence.reviews(store)[["decision", "note"]].values.tolist()
    assert stored == [["perlu_perbaikan", "SK belum ditandatangani"]]
    app.radio(key="verifikasi_daftar").set_value("perlu_perbaikan").run()
    assert values(app, DECISION_FIELDS) == {"Keputusan": "diterima", "Catatan penilai": ""}  # a saved form starts anew


# --- sign-in ------------------------------------------------------------------------------------------------

def test_a_refused_sign_in_keeps_the_name_and_empties_the_password(store):
    app = open_app()
    app.text_input(key="masuk_nama").input(ADMIN.name)
    app.text_input(key="masuk_sandi").input("sandi yang salah")
    click(app, "Masuk")
    assert any("Nama akun atau kata sandi salah" in error.value for error in app.sidebar.error)
    assert app.text_input(key="masuk_nama").value == ADMIN.name
    assert app.text_input(key="masuk_sandi").value == ""  # emptied after every attempt (README, sign-in)
    assert not any("Masuk sebagai" in line.value for line in app.sidebar.markdown)


def test_a_sign_in_that_succeeds_replaces_the_form(store):
    app = open_app()
    app.text_input(key="masuk_nama").input(ADMIN.name)
    app.text_input(key="masuk_sandi").input(PASSWORD)
    click(app, "Masuk")
    assert not [field for field in app.text_input if field.key in ("masuk_nama", "masuk_sandi")]
    post_sign_in_form(app, "Lanjutkan")  # the ticket becomes the browser's session cookie
    assert any("Masuk sebagai" in line.value for line in app.sidebar.markdown)
    assert not [field for field in app.text_input if field.key in ("masuk_nama", "masuk_sandi")]


# --- Rapat Monev ----------------------------------------------------------------------------------------------

MEETING_FIELDS = {"Tanggal rapat": "date_input", "Jenis rapat": "selectbox", "Pimpinan rapat": "text_input",
                  "Nomor (nomor surat lembar monev, boleh kosong)": "text_input",
                  "Posisi capaian s.d. bulan": "selectbox", "Peserta (satu nama per baris)": "text_area",
                  "atau jumlah peserta": "number_input", "Catatan rapat": "text_area"}


def fill_meeting(app: AppTest, chair: str) -> dict:
    entered = {"Tanggal rapat": HELD_ON, "Jenis rapat": "triwulan", "Pimpinan rapat": chair,
               "Nomor (nomor surat lembar monev, boleh kosong)": "005/PL.01/6203/2025",
               "Posisi capaian s.d. bulan": 3, "Peserta (satu nama per baris)": "Ani\nBudi",
               "atau jumlah peserta": 12, "Catatan rapat": "Bahas bukti triwulan I"}
    for label, kind in MEETING_FIELDS.items():
        widget(app, kind, label).set_value(entered[label])
    return entered


def refused(app: AppTest, fields: dict, entered: dict, button: str, message: str) -> None:
    """Press `button` of a form filled with `entered` (one field invalid): `message` shows, every field unchanged."""
    click(app, button)
    assert message in errors(app)
    assert values(app, fields) == entered


def test_a_refused_meeting_keeps_every_field_and_a_saved_one_empties_the_form(store):
    app = opened("app_pages/rapat_monev.py", ADMIN)
    refused(app, MEETING_FIELDS, fill_meeting(app, chair="   "), "Simpan rapat", "Pimpinan rapat wajib diisi.")
    assert monev.meetings(store).empty

    widget(app, "text_input", "Pimpinan rapat").input("Ketua KPU Kabupaten Kapuas")
    click(app, "Simpan rapat")
    assert len(monev.meetings(store)) == 1
    assert widget(app, "text_input", "Pimpinan rapat").value == ""
    assert widget(app, "text_area", "Catatan rapat").value == ""
    assert monev.meetings(store)["nomor"].tolist() == ["005/PL.01/6203/2025"]


LETTERHEAD_FIELDS = {"Alamat kantor (di bawah nama kantor pada kop surat)": "Jl. Tambun Bungai No. 1, Kuala Kapuas",
                     "Nama Ketua KPU": "Budi Santoso, S.H.", "NIP Ketua KPU": "197503102005011002",
                     "Nama Ketua Tim Kerja ZI": "Rina Wulandari, S.E.", "NIP Ketua Tim Kerja ZI": "19820715"}


def test_a_refused_letterhead_keeps_every_field_and_a_saved_one_shows_the_values_in_force(store):
    app = opened("app_pages/rapat_monev.py", ADMIN)
    for label, value in LETTERHEAD_FIELDS.items():
        widget(app, "text_input", label).input(value)
    click(app, "Simpan kop surat")
    assert "NIP Ketua Tim Kerja ZI harus 18 angka" in errors(app)
    assert {label: widget(app, "text_input", label).value for label in LETTERHEAD_FIELDS} == LETTERHEAD_FIELDS
    assert letterhead.letterhead(store)["ketua_nama"] == ""

    widget(app, "text_input", "NIP Ketua Tim Kerja ZI").input("198207152009022003")
    click(app, "Simpan kop surat")
    kept = {**LETTERHEAD_FIELDS, "NIP Ketua Tim Kerja ZI": "198207152009022003"}
    assert {label: widget(app, "text_input", label).value for label in LETTERHEAD_FIELDS} == kept
    assert letterhead.letterhead(store)["tim_nip"] == "198207152009022003"


FOLLOW_UP_FIELDS = {"Tindak lanjut (apa yang harus dilakukan)": "text_area", "Tim penanggung jawab": "selectbox",
                    "Tenggat": "date_input", "Langkah aksi (opsional)": "selectbox"}


def meeting(store) -> int:
    return monev.record_meeting(store, held_on=HELD_ON, kind="triwulan", chair="Ketua", participants="Ani",
                                participant_count=None, as_of_month=3, notes="", by=ADMIN.name)


def test_a_refused_follow_up_keeps_every_field_and_a_saved_one_empties_the_form(store):
    meeting_id = meeting(store)
    app = opened("app_pages/rapat_monev.py", ADMIN)
    entered = {"Tindak lanjut (apa yang harus dilakukan)": "  ", "Tim penanggung jawab": OWN,
               "Tenggat": date(2025, 4, 30), "Langkah aksi (opsional)": "V-1-2"}
    for label, kind in FOLLOW_UP_FIELDS.items():
        widget(app, kind, label).set_value(entered[label])
    refused(app, FOLLOW_UP_FIELDS, entered, "Simpan tindak lanjut", "Tindak lanjut wajib diisi.")
    assert monev.follow_ups(store).empty

    widget(app, "text_area", "Tindak lanjut (apa yang harus dilakukan)").input("Lengkapi SK")
    click(app, "Simpan tindak lanjut")
    assert list(monev.follow_ups(store, meeting_id=meeting_id)["action"]) == ["Lengkapi SK"]
    assert widget(app, "text_area", "Tindak lanjut (apa yang harus dilakukan)").value == ""


def test_a_refused_closure_keeps_the_choice_and_the_note(store):
    meeting_id = meeting(store)
    first, second, third = (monev.add_follow_up(store, action=f"Tindak lanjut {n}", team=OWN, due_on=date(2025, 4, 30),
                                                item_id=None, by=ADMIN.name, meeting_id=meeting_id) for n in (1, 2, 3))
    app = opened("app_pages/rapat_monev.py", ADMIN)
    fields = {"Tindak lanjut terbuka": "selectbox", "Catatan penutupan (apa yang sudah dilakukan)": "text_area"}
    widget(app, "selectbox", "Tindak lanjut terbuka").set_value(second)
    click(app, "Tutup tindak lanjut")
    assert "wajib diisi" in errors(app)
    assert values(app, fields) == {"Tindak lanjut terbuka": second, "Catatan penutupan (apa yang sudah dilakukan)": ""}

    widget(app, "text_area", "Catatan penutupan (apa yang sudah dilakukan)").input("Sudah dikerjakan")
    monev.close_follow_up(store, second, "Ditutup di sesi lain", ADMIN)  # closed elsewhere before the click
    click(app, "Tutup tindak lanjut")
    assert f"Tindak lanjut #{second} yang dipilih tidak lagi terbuka" in errors(app)
    closed = monev.follow_ups(store).set_index("follow_up_id")["closed"]
    assert not closed[first] and not closed[third], "nothing but what was chosen is ever closed"

    widget(app, "selectbox", "Tindak lanjut terbuka").set_value(third)
    widget(app, "text_area", "Catatan penutupan (apa yang sudah dilakukan)").input("Sudah dikerjakan")
    click(app, "Tutup tindak lanjut")
    assert monev.follow_ups(store).set_index("follow_up_id")["closed"][third]
    assert widget(app, "text_area", "Catatan penutupan (apa yang sudah dilakukan)").value == ""


def test_a_refused_lembar_attach_keeps_the_meeting_shown(store, monkeypatch):
    meeting(store)
    later = monev.record_meeting(store, held_on=date(2025, 6, 20), kind="triwulan", chair="Ketua", participants="Ani",
                                 participant_count=None, as_of_month=6, notes="", by=ADMIN.name)
    app = opened("app_pages/rapat_monev.py", ADMIN)
    assert app.selectbox(key="rapat_dipilih").value == later
    monkeypatch.setenv("ZI_EVIDENCE_MAX_MB", "0.001")  # the lembar's PDF is larger than 1 KB
    click(app, next(b.label for b in app.button if b.label.startswith("Lampirkan sebagai bukti dukung")))
    assert "terlalu besar" in errors(app), errors(app)
    assert app.selectbox(key="rapat_dipilih").value == later
    assert evidence.attachments(store).empty


# --- Tahun Rencana, Perbarui Progres ------------------------------------------------------------------------

def test_a_refused_plan_year_keeps_the_name_and_the_file(open_mode):
    app = opened("app_pages/tahun_rencana.py")
    app.text_input(key="pelapor").set_value(OPEN_MODE_REPORTER)
    app.file_uploader[0].upload("rencana_2025.xlsx", plan_workbook(2025), "application/octet-stream").run()
    assert "tidak dapat dipakai" in errors(app)
    assert app.text_input(key="pelapor").value == OPEN_MODE_REPORTER
    assert app.file_uploader[0].value.name == "rencana_2025.xlsx"

    app.file_uploader[0].upload("rencana_2026.xlsx", plan_workbook(2026), "application/octet-stream").run()
    click(app, next(b.label for b in app.button if b.label.startswith("Mulai tahun 2026")))
    assert any("tahun 2026 dimulai" in message.value for message in app.success)
    assert not app.file_uploader[0].value  # a started year empties the uploader
    assert app.text_input(key="pelapor").value == OPEN_MODE_REPORTER


def test_a_refused_upload_keeps_the_name_and_the_file(open_mode):
    app = opened("app_pages/perbarui_progres.py")
    app.text_input(key="pelapor").set_value(OPEN_MODE_REPORTER)
    app.file_uploader[0].upload("bukan.xlsx", b"ini bukan buku kerja", "application/octet-stream").run()
    assert "tidak dapat diterima" in errors(app)
    assert app.text_input(key="pelapor").value == OPEN_MODE_REPORTER
    assert app.file_uploader[0].value.name == "bukan.xlsx"


# --- Kesiapan LKE ----------------------------------------------------------------------------------------------

def test_a_refused_mapping_keeps_the_edits(store):
    app = opened("app_pages/kesiapan_lke.py", ADMIN)
    edits = {"edited_rows": {2: {"area": "VII"}, 0: {"weight": 9}}, "added_rows": [], "deleted_rows": []}
    app.session_state["lke_pemetaan_editor"] = edits
    app.run()
    click(app, "Simpan pemetaan")
    assert "Pemetaan tidak disimpan" in errors(app)
    assert app.session_state["lke_pemetaan_editor"]["edited_rows"] in (edits["edited_rows"], {
        str(row): change for row, change in edits["edited_rows"].items()})
    assert len(app.data_editor) == 1 and mapping_in_force(store).bundled

    app.session_state["lke_pemetaan_editor"] = {"edited_rows": {0: {"weight": 9}, 1: {"weight": 6}},
                                                "added_rows": [], "deleted_rows": []}
    app.run()
    click(app, "Simpan pemetaan")
    assert list(mapping_in_force(store).table["weight"])[:2] == [9, 6]
    assert not app.session_state["lke_pemetaan_editor"]["edited_rows"]  # the saved table is shown, no edits left


# --- Matriks 12 Bulan: attaching evidence ---------------------------------------------------------------------

def attach_form(app: AppTest):
    """The attach form's uploader and link field (their keys carry the form's round)."""
    uploader = next(field for field in app.get("file_uploader") if field.key.startswith("lampiran_berkas_"))
    link = next(field for field in app.text_input if field.key.startswith("lampiran_tautan_"))
    return uploader, link


def matriks_on_v_1_2(app: AppTest) -> AppTest:
    app.selectbox(key="rincian_id").set_value("V-1-2").run()
    app.selectbox(key="rincian_bulan").set_value(1).run()
    app.toggle(key="lampiran_buka").set_value(True).run()
    return app


def test_a_refused_attach_keeps_the_name_the_choice_the_files_and_the_link(open_mode):
    evidence.attach_file(open_mode, "V-1-2", 1, "SK lama.pdf", pdf_bytes(), "Rina")
    app = matriks_on_v_1_2(opened("app_pages/matriks.py"))
    [old] = evidence.attachments(open_mode)["evidence_id"]
    app.text_input(key="pelapor").set_value("   ")  # the one invalid field: no name
    app.selectbox(key="lampiran_ganti").set_value(int(old))
    uploader, link = attach_form(app)
    uploader.set_value([("SK baru.pdf", pdf_bytes() + b"\n% baru\n", "application/pdf")])
    link.set_value("https://drive.contoh.invalid/sk-baru")
    app.run()
    click(app, "Lampirkan")
    assert "Isi nama Anda dulu" in errors(app)
    uploader, link = attach_form(app)
    assert [file.name for file in uploader.value] == ["SK baru.pdf"]
    assert link.value == "https://drive.contoh.invalid/sk-baru"
    assert app.selectbox(key="lampiran_ganti").value == int(old) and app.text_input(key="pelapor").value == "   "
    assert list(evidence.attachments(open_mode)["file_name"]) == ["SK lama.pdf"]


def test_a_refused_link_beside_a_saved_file_stays_typed(open_mode):
    app = matriks_on_v_1_2(opened("app_pages/matriks.py"))
    app.text_input(key="pelapor").set_value(OPEN_MODE_REPORTER)
    uploader, link = attach_form(app)
    uploader.set_value([("SK.pdf", pdf_bytes(), "application/pdf")])
    link.set_value("javascript:alert(1)")
    app.run()
    click(app, "Lampirkan")
    assert "javascript:alert(1)" in errors(app) and "1 lampiran disimpan." in app.success[0].value
    uploader, link = attach_form(app)
    assert not uploader.value and link.value == "javascript:alert(1)"  # the saved file is gone, the refused link not
    assert list(evidence.attachments(open_mode)["file_name"]) == ["SK.pdf"]


# --- every form, now and later --------------------------------------------------------------------------------

FORMS_TESTED = {"app_pages/verifikasi_bukti.py": 1, "app_pages/frame/auth.py": 1, "app_pages/parts/monev_meeting.py": 1,
                "app_pages/parts/monev_letterhead_form.py": 1,
                "app_pages/parts/monev_follow_ups.py": 2, "app_pages/parts/item_month_form.py": 1}  # its st.form count


def test_every_form_of_the_dashboard_is_in_the_table_and_none_clears_on_submit():
    """A form added later fails here until it has its refusal test (and its row in the table above); no form may
    clear itself on submit, since a refused submission would then lose what was entered."""
    found = {}
    for path in sorted((ROOT / "app_pages").rglob("*.py")):
        source = path.read_text()
        assert "clear_on_submit=True" not in source, path.name
        if count := len(re.findall(r"(?<![\w.])st\.form\(", source)):
            found[str(path.relative_to(ROOT))] = count
    assert found == FORMS_TESTED

