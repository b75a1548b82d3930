"""The lembar monev PDF's letterhead (kop surat: the office's logo, name and address over a double rule) and its
signature block (Mengetahui, the Ketua KPU who chairs the meeting, beside the Ketua Tim Kerja ZI, each with name
and NIP), from `monev.report_data`'s dict. Every text goes through LembarDocument.text_line (measured, in its
box); the logo's box is recorded in `doc.images` so tests can check nothing overlaps it."""

import io
import re

from .lembar_pdf_layout import CONTENT_WIDTH, MARGIN, LembarDocument, line_height, rgb
from .letterhead import logo_bytes
from ..base.clock import date_text

LOGO_SIZE = 22.0  # mm, the logo's box (kept square; the image keeps its proportions inside it)
OFFICE_SIZE, ADDRESS_SIZE, SIGN_SIZE = 13.0, 8.5, 9.0
SIGNATURE_HEIGHT = 56.0
SIGNER_TIM = "Ketua Tim Kerja Zona Integritas"
DOTS = "." * 40
KPU_NAME = re.compile(r"(?i)^\s*(komisi pemilihan umum|kpu)\b\s*")


def chair_title(office_name: str) -> str:
    """'Ketua KPU Kabupaten Kapuas' for 'Komisi Pemilihan Umum Kabupaten Kapuas' (or 'KPU Kabupaten Kapuas'),
    'Ketua <office>' for any other office."""
    name = " ".join(str(office_name or "").split())
    return f"Ketua KPU {KPU_NAME.sub('', name, count=1)}".strip() if KPU_NAME.match(name) else f"Ketua {name}".strip()


def letterhead_block(doc: LembarDocument, y: float, report: dict, office_name: str) -> float:
    """The kop surat at y: the logo on the left, the office's name and address centred in the rest; returns the y
    under its double rule."""
    fields = report.get("letterhead") or {}
    logo = logo_bytes(fields)
    text_x = MARGIN + (LOGO_SIZE + 4 if logo else 0)
    text_width = MARGIN + CONTENT_WIDTH - text_x - (LOGO_SIZE + 4 if logo else 0)  # centred on the page
    lines = doc.wrap(office_name.upper(), text_width, size=OFFICE_SIZE, bold=True, max_lines=2)
    address = doc.wrap(fields.get("alamat") or "", text_width, size=ADDRESS_SIZE, max_lines=2) \
        if fields.get("alamat") else []
    text_height = len(lines) * line_height(OFFICE_SIZE) + len(address) * line_height(ADDRESS_SIZE)
    height = max(text_height, LOGO_SIZE if logo else 0)
    if logo:
        doc.image(io.BytesIO(logo), x=MARGIN, y=y, w=LOGO_SIZE, h=LOGO_SIZE, keep_aspect_ratio=True)
        doc.images.append((doc.page_no(), MARGIN, y, LOGO_SIZE, LOGO_SIZE))
    line_y = y + (height - text_height) / 2
    for line in lines:
        doc.text_line(text_x, line_y, text_width, line, size=OFFICE_SIZE, bold=True, align="C")
        line_y += line_height(OFFICE_SIZE)
    for line in address:
        doc.text_line(text_x, line_y, text_width, line, size=ADDRESS_SIZE, align="C")
        line_y += line_height(ADDRESS_SIZE)
    y += height + 1.5
    doc.set_draw_color(*rgb("#111111"))
    doc.set_line_width(0.8)
    doc.line(MARGIN, y, MARGIN + CONTENT_WIDTH, y)
    doc.set_line_width(0.2)
    doc.line(MARGIN, y + 1.1, MARGIN + CONTENT_WIDTH, y + 1.1)
    return y + 3


def signature_block(doc: LembarDocument, y: float, report: dict, office_name: str) -> None:
    """Two columns at y (a new page when they do not fit): Mengetahui, the Ketua KPU, on the left; the place and
    the meeting's date over the Ketua Tim Kerja ZI on the right; each with room to sign, a name and a NIP."""
    if SIGNATURE_HEIGHT > doc.room_left(y):
        y = doc.new_page()
    fields, meeting = report.get("letterhead") or {}, report.get("meeting") or {}
    place = report.get("place") or "........................"
    when = date_text(meeting.get("held_on")) or f"........................ {report.get('year', '')}"
    width = CONTENT_WIDTH / 2 - 4
    left, right = MARGIN, MARGIN + CONTENT_WIDTH / 2 + 4
    doc.text_line(right, y, width, f"{place}, {when}", size=SIGN_SIZE)
    top = y + line_height(SIGN_SIZE)
    doc.text_line(left, top, width, "Mengetahui,", size=SIGN_SIZE)
    chair = doc.wrap(chair_title(office_name), width, size=SIGN_SIZE, bold=True, max_lines=2)
    for number, line in enumerate(chair):
        doc.text_line(left, top + (number + 1) * line_height(SIGN_SIZE), width, line, size=SIGN_SIZE, bold=True)
    doc.text_line(right, top + line_height(SIGN_SIZE), width, SIGNER_TIM, size=SIGN_SIZE, bold=True)
    name_y = top + 3 * line_height(SIGN_SIZE) + 22
    for x, name, nip in ((left, fields.get("ketua_nama"), fields.get("ketua_nip")),
                         (right, fields.get("tim_nama"), fields.get("tim_nip"))):
        doc.text_line(x, name_y, width, name or DOTS, size=SIGN_SIZE, bold=bool(name))
        if name:
            doc.set_line_width(0.2)
            shown = doc.drawn[-1]
            doc.line(x, name_y + shown.height - 0.6, x + shown.text_width, name_y + shown.height - 0.6)
        doc.text_line(x, name_y + line_height(SIGN_SIZE), width, f"NIP. {nip or DOTS[:30]}", size=SIGN_SIZE)
