"""Names inside the evidence package: safe, short, unique, whatever people typed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zi_data.files.package_names import FILE_BYTES, FOLDER_BYTES, UniquePaths, safe_component, with_extension

WINDOWS_REFUSED = set('/\\:*?"<>|')


@pytest.mark.parametrize("text, expected", [
    ("../../x.pdf", "_.._x.pdf"),
    ("..\\..\\x.pdf", "_.._x.pdf"),
    ("/etc/passwd", "_etc_passwd"),
    ("C:\\Windows\\win.ini", "C__Windows_win.ini"),
    ("CON.pdf", "_CON.pdf"),
    ("nul", "_nul"),
    ("com1.tar.gz", "_com1.tar.gz"),
    ("CONSOLE.pdf", "CONSOLE.pdf"),
    (".hidden", "hidden"),
    ("...", "_"),
    ("", "_"),
    ("  a   b\n\tc . ", "a b c"),
    ("laporan\u202efdp.exe", "laporanfdp.exe"),  # right-to-left override dropped: no disguised extension
    ("zero\u200bwidth.pdf", "zerowidth.pdf"),
    ("WBK/ WBBM", "WBK_ WBBM"),
    ('a:b*c?d"e<f>g|h', "a_b_c_d_e_f_g_h"),
    ("Ringkasan Laporan Kinerja 2025.pdf", "Ringkasan Laporan Kinerja 2025.pdf"),
])
def test_a_component_is_safe(text, expected):
    assert safe_component(text) == expected


def test_a_long_name_is_cut_to_its_byte_budget_keeping_its_extension():
    name = safe_component("laporan " * 60 + ".pdf", FILE_BYTES)
    assert name.endswith(".pdf") and len(name.encode()) <= FILE_BYTES
    wide = safe_component("数据" * 100 + ".docx", FILE_BYTES)  # three bytes a character: never cut inside one
    assert wide.endswith(".docx") and len(wide.encode()) <= FILE_BYTES and "\ufffd" not in wide


@given(st.text(max_size=400))
def test_any_text_gives_a_safe_component(text):
    name = safe_component(text)
    assert name and name not in (".", "..") and not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert not WINDOWS_REFUSED & set(name)
    assert len(name.encode()) <= FOLDER_BYTES
    assert all(ch >= " " for ch in name)


def test_the_extension_shows_the_type_decided_by_content():
    assert with_extension("laporan.PDF", (".pdf",)) == "laporan.PDF"
    assert with_extension("laporan.docx", (".pdf",)) == "laporan.pdf"
    assert with_extension("rechnung.html", (".pdf",)) == "rechnung.pdf"
    assert with_extension("SK No. 3", (".pdf",)) == "SK No. 3.pdf"  # ' 3' is no extension: kept
    assert with_extension(".html", (".pdf",)) == ".html.pdf"
    assert with_extension("foto.jpeg", (".jpg", ".jpeg")) == "foto.jpeg"
    assert with_extension("foto", (".jpg", ".jpeg")) == "foto.jpg"


def test_paths_are_unique_ignoring_letter_case():
    paths = UniquePaths()
    assert paths.claim("A/B", "x.pdf") == "A/B/x.pdf"
    assert paths.claim("A/B", "X.PDF") == "A/B/X (2).PDF"
    assert paths.claim("A/B", "x.pdf") == "A/B/x (3).pdf"
    assert paths.claim("A/C", "x.pdf") == "A/C/x.pdf"
    assert paths.claim("A/B", "tanpa") == "A/B/tanpa"
    assert paths.claim("A/B", "tanpa") == "A/B/tanpa (2)"
