"""The lembar monev PDF: its numbers equal `status --json`, it opens, renders and embeds its fonts, and no
text overflows its box, whatever the texts."""

import copy
import io
import json
import logging
import re
import shutil
import subprocess
import warnings
from datetime import datetime
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from helpers import examples, new_store, run_cli
from lembar_helpers import TODAY, record_meeting, record_progress
from zi_data.monev import monev
from zi_data.monev.lembar_pdf import build_lembar, lembar_pdf_bytes
from zi_data.monev.lembar_pdf_layout import CONTENT_BOTTOM, FOOTER_TOP, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, PT, REPLACEMENT
from zi_data.base.months import format_percent

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"  # as tests/e2e/streamlit_helpers
A4_POINTS = (595.28, 841.89)
TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple:
    """A data directory with realistic progress through June, a meeting as of June and its report."""
    directory = tmp_path_factory.mktemp("lembar") / "data"
    store = new_store(directory)
    record_progress(store)
    meeting_id = record_meeting(store)
    report = monev.report_data(store, meeting_id=meeting_id, today=TODAY)
    unrecorded = monev.report_data(store, as_of_month=6, today=TODAY)
    store.database.dispose()
    return directory, report, unrecorded


@pytest.fixture(scope="module")
def data_dir(recorded):
    return recorded[0]


@pytest.fixture(scope="module")
def report(recorded) -> dict:
    return recorded[1]


@pytest.fixture(scope="module")
def pdf(report) -> bytes:
    return lembar_pdf_bytes(report)


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_every_text_fits(doc) -> None:
    """Every line lies in its box, every box inside the page's margins (the footer in the bottom margin)."""
    assert doc.drawn
    for drawn in doc.drawn:
        where = f"{drawn.text!r} on page {drawn.page}"
        assert drawn.text_width <= drawn.width + TOLERANCE, f"{where}: {drawn.text_width} > {drawn.width} mm"
        assert drawn.size * PT <= drawn.height + TOLERANCE, where
        assert MARGIN - TOLERANCE <= drawn.x and drawn.x + drawn.width <= PAGE_WIDTH - MARGIN + TOLERANCE, where
        bottom = PAGE_HEIGHT - 8 if drawn.y >= FOOTER_TOP else CONTENT_BOTTOM
        assert MARGIN - TOLERANCE <= drawn.y and drawn.y + drawn.height <= bottom + TOLERANCE, where


def test_text_holds_the_office_the_month_and_the_rates_of_status_json(pdf, report, data_dir):
    summary = json.loads(run_cli("status", "--json", "--as-of", "2025-06", "--data-dir", data_dir,
                                 check_returncode=0).stdout)
    text = flat(" ".join(pdf_text(pdf)))
    assert "Komisi Pemilihan Umum Kabupaten Kapuas" in text and "Posisi s.d. Juni 2025" in text
    overall = summary["overall"]
    assert f"Capaian s.d. Juni 2025 {format_percent(overall['as_of']['rate'])} " \
           f"{overall['as_of']['done']} dari {overall['as_of']['planned']} bulan-kegiatan" in text
    assert f"Capaian tahunan 2025 {format_percent(overall['annual']['rate'])}" in text
    assert f"Bukti tertunggak {len(summary['overdue'])} bulan-kegiatan terlambat" in text
    for code, rates in summary["by_area"].items():
        bars = f"{format_percent(rates['as_of']['rate'])} {format_percent(rates['annual']['rate'])}"
        assert re.search(rf"\b{code} – [^%]*? {re.escape(bars)}", text), code
    for team, rates in summary["by_team"].items():
        assert f"{team} {format_percent(rates['as_of']['rate'])} {format_percent(rates['annual']['rate'])}" in text
    for row in summary["overdue"]:
        assert f"{row['id']} {row['month_name']}" in text


def test_header_follow_ups_and_signature(pdf):
    pages = pdf_text(pdf)
    text = flat(" ".join(pages))
    assert "Lembar Monitoring dan Evaluasi Pembangunan Zona Integritas" in text
    assert "Rapat Monev triwulan, 3 Juli 2025" in text and "Pimpinan rapat Ketua KPU Kabupaten Kapuas" in text
    assert "Peserta 12 orang: Ketua KPU, Sekretaris, Kepala Subbagian Teknis, Kepala Subbagian Hukum" in text and "Posisi s.d. Juni 2025 · Aturan hitung: Selesai dengan bukti dukung" in text
    assert "Lengkapi SK tim kerja ZI" in text and "31 Juli 2025 I-1-1 Terbuka" in text
    # as it stood on the meeting's day (3 July): the closure came later, and nothing was past due yet
    assert "10 Juli 2025 – Terbuka" in text and "Notulen diunggah" not in text
    assert "8 Juli 2025 VI-3-3 Terbuka" in text and "lewat" not in text
    last = flat(pages[-1])
    assert "Mengetahui, Ketua KPU Kabupaten Kapuas" in last and "Ketua Tim Kerja Zona Integritas" in last
    assert last.count("NIP. ....") == 2  # no names and NIPs set: lines to write them on
    for number, page in enumerate(pages, 1):
        assert f"Dicetak 15 Juli 2025 · Halaman {number} dari {len(pages)}" in flat(page)


def test_a_report_without_a_meeting_says_so_and_lists_the_open_follow_ups(recorded):
    text = flat(" ".join(pdf_text(lembar_pdf_bytes(recorded[2]))))
    assert "Laporan tanpa rapat tercatat" in text and "Posisi s.d. Juni 2025" in text
    assert "Tindak lanjut yang masih terbuka (2)" in text and "Lengkapi SK tim kerja ZI" in text
    assert "Unggah notulen rapat" not in text  # closed
    no_follow_ups = {**recorded[2], "follow_ups": []}
    assert "Belum ada tindak lanjut yang dicatat." in flat(" ".join(pdf_text(lembar_pdf_bytes(no_follow_ups))))


def test_fonts_embedded_a4_metadata_and_no_warnings(pdf, report, caplog):
    with caplog.at_level(logging.WARNING), warnings.catch_warnings():
        warnings.simplefilter("error")
        reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
        fonts = []
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == A4_POINTS
            page.extract_text()
            for font in page["/Resources"]["/Font"].values():
                fonts.append(font.get_object())
    assert not caplog.records
    assert fonts
    for font in fonts:
        assert font["/Subtype"] == "/Type0"
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(Book|Bold)", descriptor["/FontName"])  # a subset, embedded
    assert reader.metadata.author == "Komisi Pemilihan Umum Kabupaten Kapuas"
    assert "Juni 2025" in reader.metadata.title
    assert reader.metadata.creation_date == datetime.fromisoformat(report["meeting"]["recorded_at"]).replace(
        microsecond=0)  # the meeting's recording time: the same report, the same bytes
    assert reader.trailer["/Root"]["/Lang"] == "id"


def test_the_same_report_gives_the_same_bytes(report, pdf):
    assert lembar_pdf_bytes(copy.deepcopy(report)) == pdf


def test_page_one_renders_with_pdftoppm(pdftoppm, pdf, tmp_path):
    source = tmp_path / "lembar.pdf"
    source.write_bytes(pdf)
    result = subprocess.run([pdftoppm, "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", str(source),
                             str(tmp_path / "page1")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    artifact = ARTIFACTS_DIR / "lembar_monev_page1.png"
    shutil.copyfile(tmp_path / "page1.png", artifact)
    with Image.open(artifact) as image:
        assert image.size == (497, 702)  # A4 at 60 dpi (pdftoppm rounds up)
        darkest, _ = image.convert("L").getextrema()
        assert darkest < 100  # text and bars, not a blank page


def test_every_text_fits_its_box(report):
    assert_every_text_fits(build_lembar(report))


EMOJI = "Rapat \U0001F600 selesai \U0001F44D"
RTL = "\u202eabc\u202c \u2067teks\u2069 \u200f"


def hostile(report: dict) -> dict:
    """Texts as long and odd as a user could type: a 300-character office name, a 2000-character action,
    120-character team names, bidi overrides, emoji, a lone surrogate, control characters."""
    hostile_report = copy.deepcopy(report)
    snapshot = hostile_report["snapshot"]
    long_team = "Tim " + "Penguatan Akuntabilitas Kinerja " * 4
    long_team = long_team[:120]
    hostile_report["office_name"] = ("Komisi Pemilihan Umum " * 14)[:300]
    snapshot["by_team"] = {f"{long_team[:-1]}{n}": rates for n, rates in enumerate(snapshot["by_team"].values())}
    snapshot["area_names"] = {code: f"{RTL} {EMOJI} " + "nama area yang panjang sekali " * 8
                              for code in snapshot["area_names"]}
    for row in snapshot["overdue"]:
        row["penanggung_jawab"] = long_team
        row["langkah_aksi"] = "Langkahaksitanpaspasi" * 20
    hostile_report["meeting"] = {**report["meeting"], "chair": RTL + EMOJI + "\ud800\x00\x07",
                                 "participants": "\n".join(f"Peserta {n} {EMOJI}" for n in range(80)),
                                 "notes": "Catatan\tpanjang\r\n" * 150}
    first, closed = report["follow_ups"][0], report["follow_ups"][1]
    hostile_report["follow_ups"] = [{**first, "action": ("Tindak lanjut " + EMOJI + " ") * 90, "team": long_team},
                                    {**closed, "closure_note": RTL * 40, "team": long_team}]
    return hostile_report


def test_hostile_texts_fit_and_unsupported_glyphs_are_replaced(report, caplog):
    with caplog.at_level(logging.WARNING):
        doc = build_lembar(hostile(report))
        data = bytes(doc.output())
    assert not [record for record in caplog.records if "missing" in record.getMessage()]
    assert_every_text_fits(doc)
    texts = [drawn.text for drawn in doc.drawn]
    assert any(REPLACEMENT in text for text in texts)  # the emoji and the lone surrogate
    assert not any(re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\x00-\x1f\ud800-\udfff]", text)
                   for text in texts)
    assert any(text.endswith("…") for text in texts)  # long texts shortened, not overflowing
    assert flat(pdf_text(data)[0]).startswith("KOMISI PEMILIHAN UMUM KOMISI")  # the kop surat, in capitals


text_fields = st.text(max_size=400)


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(office=text_fields, chair=text_fields, notes=text_fields, action=text_fields, team=text_fields,
       langkah_aksi=text_fields)
def test_any_text_fits(report, office, chair, notes, action, team, langkah_aksi):
    changed = copy.deepcopy(report)
    changed["office_name"] = office
    changed["meeting"] = {**report["meeting"], "chair": chair, "notes": notes}
    changed["follow_ups"] = [{**report["follow_ups"][0], "action": action, "team": team}]
    changed["snapshot"]["by_team"] = {team or "-": rates for rates in changed["snapshot"]["by_team"].values()}
    for row in changed["snapshot"]["overdue"][:20]:
        row["langkah_aksi"], row["penanggung_jawab"] = langkah_aksi, team
    assert_every_text_fits(build_lembar(changed))


def test_many_overdue_rows_run_over_pages_with_the_header_repeated(report):
    many = copy.deepcopy(report)
    template = many["snapshot"]["overdue"][0]
    many["snapshot"]["overdue"] = [{**template, "id": f"X-{n}-1", "penanggung_jawab": f"Tim {n % 3}"}
                                   for n in range(500)]
    doc = build_lembar(many)
    data = bytes(doc.output())
    assert_every_text_fits(doc)
    row_pages = [drawn.page for drawn in doc.drawn if re.fullmatch(r"X-\d+-1", drawn.text)]
    assert len(row_pages) == 500  # every row kept
    header_pages = {drawn.page for drawn in doc.drawn if drawn.text == "Langkah aksi"}
    assert set(row_pages) <= header_pages and len(set(row_pages)) >= 10
    pages = pdf_text(data)
    assert len(pages) == doc.page_no() > 10
    for number, page in enumerate(pages, 1):
        assert f"Halaman {number} dari {len(pages)}" in page
    assert "Tim 1 (167 bulan-kegiatan) (lanjutan)" in flat(" ".join(pages))


def test_nothing_planned_yet_draws_dashes_not_numbers(report):
    empty = copy.deepcopy(report)
    snapshot = empty["snapshot"]
    nothing = {"as_of": {"planned": 0, "done": 0, "rate": None}, "annual": {"planned": 0, "done": 0, "rate": None}}
    snapshot["overall"] = nothing
    snapshot["by_area"] = {code: nothing for code in snapshot["by_area"]}
    snapshot["by_team"] = {team: nothing for team in snapshot["by_team"]}
    snapshot["overdue"] = []
    snapshot["kurva_s"] = [{**row, "planned_pct": float("nan"), "realised_pct": None, "deviation": float("nan")}
                           for row in snapshot["kurva_s"]]
    doc = build_lembar(empty)
    assert_every_text_fits(doc)
    text = flat(" ".join(pdf_text(bytes(doc.output()))))
    assert "Capaian s.d. Juni 2025 – 0 dari 0 bulan-kegiatan" in text and "Tidak ada bukti tertunggak" in text


def test_the_participants_count_comes_first_so_the_cut_box_keeps_it(report):
    names = "\n".join(f"Peserta nomor {n}" for n in range(200))
    long = {**report, "meeting": {**report["meeting"], "participants": names, "participant_count": None}}
    text = flat(" ".join(pdf_text(lembar_pdf_bytes(long))))
    assert "Peserta 200 orang: Peserta nomor 0, Peserta nomor 1," in text and "Peserta nomor 199" not in text


@pytest.mark.parametrize("participants, count, shown", [
    ("Ani\nBudi\n\n Citra ", None, "3 orang: Ani, Budi, Citra"), ("", 12, "12 orang"),
    ("Kepala Subbagian Hukum", 12, "12 orang: Kepala Subbagian Hukum"), (None, float("nan"), "–")])
def test_participants_read_the_same_on_the_page_and_in_the_lembar(participants, count, shown):
    from zi_data.monev import lembar_pdf, monev_tables

    meeting = {"participants": participants, "participant_count": count}
    assert monev_tables.participants_text(meeting) == shown and lembar_pdf.participants_text is \
        monev_tables.participants_text
