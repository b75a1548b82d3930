"""Attaching evidence on the Matriks page (AppTest): who may, files and links, versions, previews, the
team's list, and the matrix's review marks following every attach."""

import io
import json

import pytest
from PIL import Image
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from helpers import new_store, open_app
from page_helpers import ITEM, MATRIKS, MONTH, PDF, attachments_shown, matriks, may_attach
from zi_data.evidence import evidence
from zi_data.store.accounts import Accounts

TEAM = "Tim Pengawasan"
PASSWORD = "sandi-uji-bukti-2025"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "#0072B2").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def account(name: str, role: str, team: str = ""):
    return Accounts(new_store()).add(name, role, team, PASSWORD, by="baris perintah")


def attach(app: AppTest, files=(), link: str = "", replaces: int | None = None) -> AppTest:
    if not app.toggle(key="lampiran_buka").value:
        app.toggle(key="lampiran_buka").set_value(True).run()
    if replaces is not None:
        app.selectbox(key="lampiran_ganti").set_value(replaces).run()
    uploader = next(widget for widget in app.get("file_uploader") if widget.key.startswith("lampiran_berkas_"))
    if files:
        uploader.set_value(list(files))
    if link:
        next(field for field in app.text_input if field.key.startswith("lampiran_tautan_")).set_value(link)
    app.run()
    app.button(key="lampirkan").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def review_marks(app: AppTest) -> list[str]:
    """The hover texts of the matrix's review marks (every trace that is not a state's square cells)."""
    return [text for chart in app.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]
            if trace["marker"]["symbol"] != "square" for text in trace["hovertext"]]


def test_an_editor_attaches_several_files_and_the_matrix_marks_them_awaiting_review():
    editor = account("ketua.pengawasan", "editor", TEAM)
    app = matriks(editor)
    assert review_marks(app) == [] and may_attach(app)
    assert "Belum ada berkas" in " ".join(text.value for text in app.markdown)
    attach(app, [("SK Tim.pdf", PDF, "application/pdf"), ("foto kegiatan.png", png_bytes(), "image/png")])
    assert "2 lampiran disimpan." in app.success[0].value
    shown = attachments_shown(app)
    assert list(shown["Berkas"]) == ["SK Tim.pdf", "foto kegiatan.png"]
    assert list(shown["Jenis"]) == ["PDF", "Gambar PNG"]
    assert shown["Ukuran"].iloc[0] == f"{len(PDF)} B"
    assert set(shown["Oleh"]) == {"ketua.pengawasan"} and set(shown["Keterangan"]) == {"Berlaku"}
    assert all(text.endswith("WIB") for text in shown["Waktu"])
    # The uploader starts empty again; the matrix, cached per stored state, shows the new evidence at once.
    assert not next(w for w in app.get("file_uploader") if w.key.startswith("lampiran_berkas_")).value
    assert review_marks(app) == [f"<b>{ITEM}</b> · Maret<br>Verifikasi: Menunggu verifikasi"]
    stored = evidence.attachments(new_store())
    assert list(stored["file_name"]) == ["SK Tim.pdf", "foto kegiatan.png"]
    assert set(stored["added_by"]) == {"ketua.pengawasan"}


def test_a_pdf_is_previewed_in_the_page_and_an_image_drawn_each_with_a_download():
    app = matriks(account("koordinator", "admin"))
    attach(app, [("SK Tim.pdf", PDF, "application/pdf"), ("foto.png", png_bytes(), "image/png")])
    assert app.selectbox(key=f"lihat_{ITEM}_{MONTH}").value == attachments_shown(app)["No."].iloc[0]
    assert any(element.key == f"pratinjau_{attachments_shown(app)['No.'].iloc[0]}" for element in app.main)
    download = app.get("download_button")[-1]
    assert download.proto.label == "Unduh berkas"
    app.selectbox(key=f"lihat_{ITEM}_{MONTH}").set_value(attachments_shown(app)["No."].iloc[1]).run()
    assert app.get("image"), "the image is drawn in the page"


def test_a_pdf_uploaded_as_html_downloads_as_pdf_with_its_mime_type(monkeypatch):
    """A valid PDF with a page and script after its first kilobyte, named .html: the download is `rechnung.pdf`,
    application/pdf (Streamlit serves a download button's file as an attachment)."""
    served = []
    keep = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        served.append((filename, mimetype))
        return keep(self, path_or_data, mimetype, kind, filename)
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    app = matriks(account("koordinator", "admin"))
    attach(app, [("rechnung.html", PDF + b" " * 1100 + b"<html><script>alert(1)</script></html>", "text/html")])
    assert "1 lampiran disimpan." in app.success[0].value
    assert ("rechnung.pdf", "application/pdf") in served
    assert not [name for name, _ in served if name and not name.endswith(".pdf")]


def test_a_pdf_with_javascript_is_refused_and_one_stored_before_is_never_previewed(monkeypatch):
    scripted = PDF + b"2 0 obj << /S /J#61vaScript /JS (app.alert(1)) >> endobj\n"
    app = matriks(account("koordinator", "admin"))
    attach(app, [("skrip.pdf", scripted, "application/pdf")])
    assert "PDF berisi JavaScript" in " ".join(error.value for error in app.error)
    assert evidence.attachments(new_store()).empty
    with monkeypatch.context() as patched:  # as a file kept before this check existed
        patched.setattr(evidence, "sniff", lambda data, name: "pdf")
        evidence.attach_file(new_store(), ITEM, MONTH, "lama.pdf", scripted, "koordinator")
    app = matriks(account("ketua", "admin"))
    assert not app.get("bidi_component"), "no st.pdf preview of a PDF with JavaScript"
    assert any("Pratinjau tidak ditampilkan" in warning.value for warning in app.warning)
    assert [button.label for button in app.get("download_button")] == ["Unduh berkas"]


def test_refused_files_are_named_in_indonesian_and_nothing_of_them_is_kept(monkeypatch):
    monkeypatch.setenv("ZI_EVIDENCE_MAX_MB", "1")
    app = matriks(account("koordinator", "admin"))
    attach(app, [("laporan.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
                 ("besar.pdf", PDF + b"0" * (1024 * 1024), "application/pdf"),
                 ("baik.pdf", PDF, "application/pdf")])
    errors = " ".join(error.value.replace("\\", "") for error in app.error)
    assert "laporan.pdf" in errors and "besar.pdf" in errors
    assert "1 lampiran disimpan." in app.success[0].value
    assert list(evidence.attachments(new_store())["file_name"]) == ["baik.pdf"]


def test_a_file_name_is_data_never_markdown():
    hostile = "**tebal** [tautan](javascript:alert(1)) <img src=x onerror=alert(1)> :red[merah] $x$.pdf"  # no slash: a name is its last path part
    app = matriks(account("koordinator", "admin"))
    attach(app, [(hostile, PDF, "application/pdf")])
    assert attachments_shown(app)["Berkas"].iloc[0] == hostile
    app.selectbox(key=f"lihat_{ITEM}_{MONTH}").set_value(attachments_shown(app)["No."].iloc[0]).run()
    # The only places a file name is written as text are the table and the escaped option label.
    assert not any("**tebal**" in text.value for text in app.markdown)


def test_a_replacement_is_a_new_version_and_the_old_one_stays_in_the_history():
    app = matriks(account("ketua.pengawasan", "editor", TEAM))
    attach(app, [("SK Tim.pdf", PDF, "application/pdf")])
    first = int(attachments_shown(app)["No."].iloc[0])
    attach(app, [("SK Tim revisi.pdf", PDF.replace(b"1.4", b"1.7"), "application/pdf")], replaces=first)
    shown = attachments_shown(app)
    assert list(shown["Berkas"]) == ["SK Tim.pdf", "SK Tim revisi.pdf"]
    second = int(shown["No."].iloc[1])
    assert shown["Keterangan"].iloc[0] == f"Diganti oleh #{second}"
    assert shown["Keterangan"].iloc[1] == f"Berlaku · versi baru dari #{first} SK Tim.pdf"
    assert list(evidence.attachments(new_store())["evidence_id"]) == [second]
    assert app.selectbox(key="lampiran_ganti").value == 0  # the replaced one is no longer offered


def test_replacing_takes_exactly_one_file():
    app = matriks(account("koordinator", "admin"))
    attach(app, [("SK Tim.pdf", PDF, "application/pdf")])
    first = int(attachments_shown(app)["No."].iloc[0])
    attach(app, [("a.pdf", PDF + b"a", "application/pdf"), ("b.pdf", PDF + b"b", "application/pdf")], replaces=first)
    assert "tepat satu berkas" in app.error[0].value
    assert len(evidence.attachments(new_store())) == 1


def test_a_link_is_attached_only_when_it_is_http_or_https():
    app = matriks(account("koordinator", "admin"))
    attach(app, link="javascript:alert(1)")
    assert app.error and "javascript:alert(1)" in app.error[0].value.replace("\\", "")
    assert evidence.attachments(new_store()).empty
    attach(app, link="https://drive.contoh.invalid/sk-tim.pdf")
    shown = attachments_shown(app)
    assert list(shown["Jenis"]) == ["Tautan"] and shown["Ukuran"].iloc[0] == "–"
    assert any(button.proto.url == "https://drive.contoh.invalid/sk-tim.pdf" for button in app.get("link_button"))


def test_visitors_editors_of_other_teams_and_penilai_see_the_evidence_but_cannot_attach():
    account("koordinator", "admin")
    other = account("ketua.pelayanan", "editor", "Tim Pelayanan Publik")
    evidence.attach_file(new_store(), ITEM, MONTH, "SK Tim.pdf", PDF, "ketua.pengawasan")
    account("ketua.pengawasan", "editor", TEAM)
    visitor = matriks()
    assert attachments_shown(visitor)["Oleh"].iloc[0] == f"Editor · {TEAM}"  # a visitor sees the role, not the name
    assert not may_attach(visitor)
    assert any("Hanya ketua tim" in info.value for info in visitor.info)
    someone_else = matriks(other)
    assert not may_attach(someone_else)
    assert any("Tim Pelayanan Publik" in info.value for info in someone_else.info)
    penilai = matriks(account("penilai.satu", "penilai"))
    assert not may_attach(penilai)
    assert attachments_shown(penilai)["Berkas"].iloc[0] == "SK Tim.pdf"


def test_in_open_mode_the_name_typed_is_recorded_with_the_attachment():
    app = matriks()
    attach(app, [("SK Tim.pdf", PDF, "application/pdf")])
    assert "Isi nama Anda" in app.error[0].value
    app.text_input(key="pelapor").set_value("Rina").run()
    attach(app, [("SK Tim.pdf", PDF, "application/pdf")])
    assert list(evidence.attachments(new_store())["added_by"]) == ["Rina"]


def test_the_team_list_shows_the_teams_item_months_with_their_evidence_and_verdict():
    store = new_store()
    evidence.attach_file(store, ITEM, MONTH, "SK Tim.pdf", PDF, "ketua.pengawasan")
    evidence.review(store, ITEM, MONTH, "perlu_perbaikan", "Tanda tangan kepala kantor belum ada.", "penilai.satu")
    evidence.attach_link(store, "V-1-2", 11, "https://drive.contoh.invalid/nanti", "ketua.pengawasan")
    app = matriks(tim=TEAM)
    table = next(frame.value for frame in app.dataframe if "Catatan Penilai" in frame.value.columns)
    assert set(table["ID"]) == set(new_store().plan().query("penanggung_jawab == @TEAM")["id"])
    assert set(table["Bulan"]) == {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "November"}
    row = table[(table["ID"] == ITEM) & (table["Bulan"] == "Maret")].iloc[0]
    assert (row["Berkas"], row["Verifikasi"], row["Catatan Penilai"]) == (
        1, "Perlu perbaikan", "Tanda tangan kepala kantor belum ada.")
    later = table[(table["ID"] == "V-1-2") & (table["Bulan"] == "November")].iloc[0]
    assert (later["Tautan"], later["Verifikasi"]) == (1, "Menunggu verifikasi")
    # The chosen item-month tells the team lead what to fix and why.
    assert any("Tanda tangan kepala kantor belum ada" in warning.value for warning in app.warning)
    assert sorted(review_marks(app)) == [f"<b>{ITEM}</b> · Maret<br>Verifikasi: Perlu perbaikan",
                                         "<b>V-1-2</b> · November<br>Verifikasi: Menunggu verifikasi"]


def test_projector_mode_shows_the_matrix_without_the_evidence_section():
    # Run again: on the run that switched pages, Streamlit has cleared the URL and the toggle reads as off.
    app = open_app(MATRIKS, proyektor="true").run()
    assert not app.exception and app.toggle(key="proyektor").value
    assert not any(header.value.startswith("Bukti dukung") for header in app.header)
