"""A plan's office, year and title: from its 'Info' sheet or, failing that, its title rows."""

import re

from python_calamine import CalamineWorkbook

from .plan_cells import cell_text

INFO_SHEET = "Info"
OFFICE_PATTERNS = (
    r"DI LINGKUNGAN\s+(.{3,80}?)\s+TAHUN\s+20\d\d",
    r"\bPADA\s+(.{3,80}?)\s+TAHUN\s+20\d\d",
    r"((?:KPU|KIP|KOMISI PEMILIHAN UMUM|KOMISI INDEPENDEN PEMILIHAN)\s+(?:PROVINSI|KABUPATEN|KOTA)\s+[A-Z .'-]+?)"
    r"(?:\s+(?:TAHUN|NOMOR)\b|$)",
)
OFFICE_ABBREVIATIONS = (("Komisi Pemilihan Umum", "KPU"), ("Komisi Independen Pemilihan", "KIP"),
                        ("Kpu", "KPU"), ("Kip", "KIP"), ("Ri", "RI"))


def info_sheet(book: CalamineWorkbook) -> dict:
    """Key -> value from the two first columns of the 'Info' sheet, if there is one."""
    info: dict = {}
    if INFO_SHEET in book.sheet_names:
        for key, value, *_ in (row + ["", ""] for row in book.get_sheet_by_name(INFO_SHEET).to_python()):
            if cell_text(key):
                info[cell_text(key)] = value
    return info


def document_info(info: dict, title_rows) -> dict:
    """Office, year and title from the 'Info' sheet's values or, failing that, the title rows."""
    title = [cell_text(c.value) for cells in title_rows for c in cells if cell_text(c.value)]
    joined = " ".join(title).upper()
    years = re.findall(r"20\d\d", cell_text(info.get("Tahun"))) or re.findall(r"TAHUN\s+(20\d\d)", joined)
    office = cell_text(info.get("Instansi"))
    if not office:
        office = next((_office_name(m.group(1)) for pattern in OFFICE_PATTERNS
                       if (m := re.search(pattern, joined))), "")
    return {"office": office, "year": int(years[-1]) if years else None, "title": title,
            "info": {k: cell_text(v) for k, v in info.items()}}


def _office_name(upper: str) -> str:
    """'KOMISI PEMILIHAN UMUM KABUPATEN KAPUAS' -> 'KPU Kabupaten Kapuas'."""
    name = upper.strip(" .,").title()
    for long, short in OFFICE_ABBREVIATIONS:
        name = re.sub(rf"\b{long}\b", short, name)
    return name
