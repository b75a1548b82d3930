"""The lembar monev as it is printed, signed and filed: its workbook through LibreOffice's printing (every column on
the page's width, the summary on one page), and its PDF rendered by pdftoppm with the letterhead and both
signatures on the page and no text over another or over the logo."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from helpers import new_store
from lembar_helpers import LETTERHEAD, TODAY, record_meeting, record_progress, set_letterhead
from realisasi_helpers import assert_prints_one_page_wide
from zi_data.monev import monev
from zi_data.monev.lembar_pdf import build_lembar
from zi_data.monev.lembar_pdf_layout import PAGE_HEIGHT, PAGE_WIDTH
from zi_data.monev.lembar_xlsx import lembar_xlsx_bytes

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"  # as tests/e2e/streamlit_helpers
DPI = 100
SIGNATURE_TEXTS = {"Mengetahui,", "Ketua KPU Kabupaten Kapuas", "Ketua Tim Kerja Zona Integritas",
                   LETTERHEAD["ketua_nama"], LETTERHEAD["tim_nama"], f"NIP. {LETTERHEAD['ketua_nip']}",
                   f"NIP. {LETTERHEAD['tim_nip']}", "Kuala Kapuas, 3 Juli 2025"}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    """A meeting as of June with realistic progress, its nomor, the office's letterhead and signers."""
    store = new_store(tmp_path_factory.mktemp("lembar_cetak") / "data")
    record_progress(store)
    meeting_id = record_meeting(store)
    set_letterhead(store)
    found = monev.report_data(store, meeting_id=meeting_id, today=TODAY)
    store.database.dispose()
    return found


@pytest.fixture(scope="module")
def doc(report):
    return build_lembar(report)


def test_the_workbook_prints_every_column_on_the_page_and_the_summary_on_one_page(soffice, report, tmp_path):
    pages = assert_prints_one_page_wide(lembar_xlsx_bytes(report), tmp_path, max_pages=12)
    summary = pages[0]
    for text in ("KOMISI PEMILIHAN UMUM KABUPATEN KAPUAS", LETTERHEAD["alamat"],
                 "LEMBAR MONITORING DAN EVALUASI PEMBANGUNAN ZONA INTEGRITAS", "Nomor: 005/PL.01-Und/6203/2025",
                 "Tindak lanjut terbuka", "Mengetahui,", "Ketua Tim Kerja Zona Integritas,",
                 f"NIP. {LETTERHEAD['ketua_nip']}", f"NIP. {LETTERHEAD['tim_nip']}"):
        assert "".join(text.split()) in summary, text
    assert all("Dicetak15Juli2025" in page for page in pages)


def test_no_text_overlaps_another_or_the_logo(doc):
    (logo,) = doc.images
    assert logo[0] == 1
    boxes = {}
    for drawn in doc.drawn:
        boxes.setdefault(drawn.page, []).append((drawn.text, drawn.ink))
    logo_box = (logo[1], logo[2], logo[1] + logo[3], logo[2] + logo[4])
    for page, texts in boxes.items():
        for number, (text, ink) in enumerate(texts):
            assert page != 1 or not _overlap(ink, logo_box), text
            others = [(other, box) for other, box in texts[number + 1:] if _overlap(ink, box)]
            assert not others, (page, text, others)


def _overlap(first, second, tolerance: float = 0.05) -> bool:
    return (min(first[2], second[2]) - max(first[0], second[0]) > tolerance
            and min(first[3], second[3]) - max(first[1], second[1]) > tolerance)


def test_the_rendered_pages_carry_the_letterhead_and_both_signatures(pdftoppm, doc, tmp_path):
    """Page 1 as pdftoppm draws it: the logo's red where the layout put it, the office's name under the
    letterhead's text; the last page: both signers' names and NIPs side by side, inside the page."""
    last = doc.pages_count
    signature = [drawn for drawn in doc.drawn if drawn.text in SIGNATURE_TEXTS and drawn.page == last]
    assert {drawn.text for drawn in signature} == SIGNATURE_TEXTS
    left = {drawn.text for drawn in signature if drawn.ink[2] < PAGE_WIDTH / 2}
    assert left == {"Mengetahui,", "Ketua KPU Kabupaten Kapuas", LETTERHEAD["ketua_nama"],
                    f"NIP. {LETTERHEAD['ketua_nip']}"}  # the Ketua KPU on the left, the Ketua Tim on the right
    source = tmp_path / "lembar.pdf"
    source.write_bytes(bytes(doc.output()))
    pages = {}
    for number in sorted({1, last}):
        stem = tmp_path / f"halaman{number}"
        result = subprocess.run([pdftoppm, "-r", str(DPI), "-f", str(number), "-l", str(number), "-png",
                                 "-singlefile", str(source), str(stem)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        pages[number] = Image.open(f"{stem}.png").convert("RGB")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    pages[1].save(ARTIFACTS_DIR / "lembar_monev_kop.png")
    pages[last].save(ARTIFACTS_DIR / "lembar_monev_tanda_tangan.png")
    first = pages[1]
    assert [abs(pixels - mm / 25.4 * DPI) < 2 for pixels, mm in zip(first.size, (PAGE_WIDTH, PAGE_HEIGHT))] == [True] * 2
    _page, x, y, width, height = doc.images[0]
    logo = first.crop(_pixels((x, y, x + width, y + height)))
    assert sum(1 for red, green, blue in logo.get_flattened_data() if red > 150 and green < 80 and blue < 80) > 100
    for drawn in signature:
        ink = pages[last].convert("L").crop(_pixels(drawn.ink))
        assert ink.getextrema()[0] < 100, drawn.text  # the text is drawn where the layout says


def _pixels(box) -> tuple[int, int, int, int]:
    return tuple(round(value / 25.4 * DPI) for value in box)
