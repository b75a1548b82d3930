"""Evidence from attaching to the package, in Chromium: a team lead attaches a PDF to an item-month on the
Matriks page; a penilai sends it back with a note on Verifikasi Bukti; the team lead, who now reads the note,
replaces the file; the penilai accepts it; the matrix's mark beside the cell follows every step (awaiting review,
needs revision, awaiting review, accepted); and the evidence package downloaded from Bukti Tertunggak holds the
accepted file in the evaluators' folder shape with its index.

The server is started for this module on a fresh data directory with two accounts made on the command line:
the lead of Tim Pengawasan and a penilai. Each account has its own page (its own Streamlit session) and moves
between pages with the sidebar's links, so it stays signed in.
"""

import io
import re
import subprocess
import sys
import zipfile
from urllib.parse import unquote

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from dashboard_server import ServerError, serve_dashboard
from streamlit_helpers import PROJECT_ROOT, assert_no_errors, go_to, open_page, sign_in, wait_for_app
from zi_data.evidence import evidence
from zi_data.store.progress_store import ProgressStore

pytestmark = pytest.mark.browser

TEAM, ITEM, MONTH_NAME = "Tim Pengawasan", "V-1-1", "Maret"
LEAD, PENILAI, PASSWORD = "ketua.pengawasan", "penilai.satu", "sandi-uji-bukti-2025"
NOTE = "Tanda tangan kepala kantor belum ada."


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII), with a correct cross-reference table, so the viewer draws it."""
    stream = f"BT /F1 18 Tf 20 60 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 144] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


FIRST_PDF, SECOND_PDF = pdf_bytes("SK Tim Pengawasan"), pdf_bytes("SK Tim Pengawasan, ditandatangani")

REVIEW_MARKS_JS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
  .flatMap(plot => (plot.data || []).filter(trace => trace.marker && trace.marker.symbol !== 'square'))
  .flatMap(trace => trace.hovertext || [])
"""


@pytest.fixture(scope="module")
def evidence_dir(tmp_path_factory):
    """A fresh data directory with the team lead's and the penilai's accounts."""
    directory = tmp_path_factory.mktemp("zi_data_evidence")
    for name, role in ((LEAD, ["--role", "editor", "--team", TEAM]), (PENILAI, ["--role", "penilai"])):
        done = subprocess.run([sys.executable, "-m", "zi_data", "user", "add", name, *role, "--data-dir",
                               str(directory), "--password-stdin"], cwd=PROJECT_ROOT, input=PASSWORD + "\n", capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, f"user add {name} failed:\n{done.stdout}{done.stderr}"
    return directory


@pytest.fixture(scope="module")
def evidence_server(browser_context, evidence_dir, tmp_path_factory):
    """A dashboard on `evidence_dir`."""
    try:
        with serve_dashboard(evidence_dir, tmp_path_factory.mktemp("streamlit_evidence") / "server.log") as base_url:
            yield base_url
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)



def signed_in_page(new_page, base_url: str, name: str, path: str, expected_title: str) -> Page:
    """A page of a browser of its own (its own cookie) with `name` signed in."""
    page = new_page(1600, 1000, own_browser=True)
    open_page(page, base_url, path, expected_title=expected_title, tim=TEAM, bulan=MONTH_NAME)
    sign_in(page, name, PASSWORD)
    return page


def reload_matrix(page: Page) -> None:
    go_to(page, "Bukti Tertunggak")
    go_to(page, "Matriks 12 Bulan")


def expect_mark(page: Page, label: str) -> None:
    """The matrix shows exactly one review mark, beside the item-month's cell, with `label`."""
    expected = [f"<b>{ITEM}</b> · {MONTH_NAME}<br>Verifikasi: {label}"]
    page.wait_for_function(f"expected => JSON.stringify(({REVIEW_MARKS_JS})()) === JSON.stringify(expected)",
                           arg=expected)


def attach_pdf(page: Page, path, replacing: bool = False) -> None:
    """Open the attach form, upload `path` (a new attachment, or replacing the one in force) and save it."""
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Berkas bukti")
    switch = page.locator('[data-testid="stCheckbox"]').filter(has_text="Lampirkan atau ganti bukti")
    if not switch.locator("input").is_checked():
        switch.locator("label").click()
        wait_for_app(page, uploader)
    uploader.locator("input[type=file]").set_input_files(str(path))
    expect(uploader.locator('[data-testid="stFileChipName"]')).to_have_attribute("title", path.name)
    if replacing:  # a searchable select: type, then Enter takes the first match; the uploaded file stays
        choice = page.get_by_label("Lampiran ini")
        choice.click()
        page.keyboard.type("menggantikan")
        page.keyboard.press("Enter")
        expect(choice).to_have_value(re.compile(r"^menggantikan #\d+ "))
    button = page.get_by_role("button", name="Lampirkan")
    expect(button).to_be_enabled()
    button.click()
    wait_for_app(page, page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="1 lampiran disimpan."))
    assert_no_errors(page)


def decide(page: Page, decision: str, note: str = "") -> None:
    """On Verifikasi Bukti: the queue's first item-month (the only one) gets `decision` with `note`."""
    go_to(page, "Verifikasi Bukti")
    form = page.locator('[data-testid="stMain"] [data-testid="stForm"]')
    form.get_by_text(decision, exact=True).click()
    if note:
        form.get_by_role("textbox", name="Catatan penilai").fill(note)
    form.get_by_role("button", name="Simpan keputusan").click()
    wait_for_app(page, page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Keputusan tersimpan"))
    assert_no_errors(page)


def test_attach_reject_replace_accept_then_download_the_package(evidence_server, new_page, tmp_path):
    first, second = tmp_path / "SK Tim Pengawasan.pdf", tmp_path / "SK Tim Pengawasan (ditandatangani).pdf"
    first.write_bytes(FIRST_PDF)
    second.write_bytes(SECOND_PDF)

    lead = signed_in_page(new_page, evidence_server, LEAD, "matriks", "Matriks 12 Bulan")
    attach_pdf(lead, first)
    expect_mark(lead, "Menunggu verifikasi")
    expect(lead.locator('[data-testid="stDataFrame"]').filter(has_text="Keterangan")).to_be_visible()
    expect(lead.locator('[data-testid="stMain"] canvas.react-pdf__Page__canvas').first).to_be_visible()  # the PDF drawn
    expect(lead.get_by_text("Invalid PDF file")).to_have_count(0)

    penilai = signed_in_page(new_page, evidence_server, PENILAI, "matriks", "Matriks 12 Bulan")
    expect(penilai.get_by_role("button", name="Lampirkan")).to_have_count(0)
    decide(penilai, "Perlu perbaikan", NOTE)

    reload_matrix(lead)
    expect_mark(lead, "Perlu perbaikan")
    expect(lead.locator('[data-testid="stAlertContentWarning"]').filter(has_text=NOTE)).to_be_visible()
    attach_pdf(lead, second, replacing=True)
    expect_mark(lead, "Menunggu verifikasi")

    decide(penilai, "Diterima")
    reload_matrix(lead)
    expect_mark(lead, "Bukti diterima")

    go_to(lead, "Bukti Tertunggak")
    package_button = lead.get_by_role("button", name="Unduh paket bukti (ZIP)")
    wait_for_app(lead, package_button)
    with lead.expect_download() as download:
        package_button.click()
    package = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    files = [name for name in package.namelist() if not name.endswith("/")]
    assert "indeks_bukti.xlsx" in files
    [member] = [name for name in files if name != "indeks_bukti.xlsx"]
    area, komponen, folder, file_name = member.split("/")
    assert area.startswith("AREA V - ") and folder == ITEM
    assert file_name == f"{ITEM}_03-{MONTH_NAME}_{second.name}"
    assert package.read(member) == SECOND_PDF  # the replacement, not the version sent back
    index = openpyxl.load_workbook(io.BytesIO(package.read("indeks_bukti.xlsx")))["Indeks Bukti"]
    header = [cell.value for cell in index[1]]
    [row] = list(index.iter_rows(min_row=2))
    values = dict(zip(header, (cell.value for cell in row)))
    assert (values["ID"], values["Bulan"], values["Status Verifikasi"]) == (ITEM, MONTH_NAME, "Diterima")
    link = row[header.index("Berkas di Paket")].hyperlink
    assert link is not None and unquote(link.target) == member


def test_a_sent_back_decision_refused_for_its_missing_note_is_stored_as_sent_back(evidence_dir, evidence_server,
                                                                                   new_page):
    """Issue 20's defect, in Chromium: Perlu perbaikan with no note is refused and stays chosen; with the note typed,
    Perlu perbaikan and the note are what the database holds (a form cleared on submit stored Diterima)."""
    item, note = "V-1-2", "Surat tugas belum dilampirkan."
    evidence.attach_link(ProgressStore(evidence_dir), item, 1, "https://drive.contoh.invalid/surat-tugas", LEAD)
    page = signed_in_page(new_page, evidence_server, PENILAI, "verifikasi-bukti", "Verifikasi Bukti")
    chooser = page.get_by_label("Buka bulan-kegiatan")
    if not chooser.input_value().startswith(f"{item} · Januari"):  # a searchable select: type, Enter takes it
        chooser.click()
        page.keyboard.type(f"{item} · Januari")
        page.keyboard.press("Enter")
    expect(chooser).to_have_value(re.compile(rf"^{item} · Januari"))
    form = page.locator('[data-testid="stMain"] [data-testid="stForm"]')
    wait_for_app(page, form)
    form.get_by_text("Perlu perbaikan", exact=True).click()
    form.get_by_role("button", name="Simpan keputusan").click()
    wait_for_app(page, page.locator('[data-testid="stAlertContentError"]').filter(has_text="Tulis catatan"))
    expect(form.get_by_role("radio", name="Perlu perbaikan")).to_be_checked()
    expect(form.get_by_role("radio", name="Diterima")).not_to_be_checked()
    form.get_by_role("textbox", name="Catatan penilai").fill(note)
    form.get_by_role("button", name="Simpan keputusan").click()
    wait_for_app(page, page.locator('[data-testid="stAlertContentSuccess"]').filter(
        has_text=f"Keputusan tersimpan: {item} Januari · Perlu perbaikan"))
    assert_no_errors(page)
    stored = evidence.reviews(ProgressStore(evidence_dir))
    assert stored.loc[stored["item_id"] == item, ["month", "decision", "note", "reviewed_by"]].values.tolist() == [
        [1, "perlu_perbaikan", note, PENILAI]]
