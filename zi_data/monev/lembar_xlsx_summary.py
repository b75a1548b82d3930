"""The lembar monev workbook's Ringkasan sheet as it is printed and signed: the letterhead (the office's logo,
name and address), the title and the meeting's nomor, then the caller's facts and metrics, and at the end the
signature block (Mengetahui, the Ketua KPU, beside the Ketua Tim Kerja ZI, each with name and NIP). One
portrait A4 page wide; the print date in every sheet's footer (print_footer)."""

import io

from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font

from ..base.cell_safety import inert_text
from ..base.clock import date_text
from ..plan.plan_workbook import set_up_printing
from .lembar_pdf_kop import SIGNER_TIM, chair_title
from .letterhead import logo_bytes

TITLE = "LEMBAR MONITORING DAN EVALUASI PEMBANGUNAN ZONA INTEGRITAS"
WIDTHS = (30, 56, 16, 16)  # columns A–D
LOGO_PIXELS = 64  # the logo's height on the sheet
BLANK_LINE = "." * 48
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def add_letterhead(sheet, report: dict) -> None:
    """Rows 1–5: the office's name and address (with the logo at the left), the title, the plan year, the nomor."""
    for column, width in zip("ABCD", WIDTHS):
        sheet.column_dimensions[column].width = width
    fields = report.get("letterhead") or {}
    nomor = str((report.get("meeting") or {}).get("nomor") or "").strip()
    lines = ((str(report["office_name"]).upper(), 14, True), (fields.get("alamat") or "", 9, False),
             (TITLE, 12, True), (f"Rencana Aksi Tahun {report['year']}", 11, False),
             (f"Nomor: {nomor}" if nomor else "", 10, False))
    for row, (text, size, bold) in enumerate(lines, start=1):
        sheet.cell(row, 1, inert_text(text) or None).font = Font(bold=bold, size=size)
        sheet.cell(row, 1).alignment = CENTRED
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
    sheet.row_dimensions[1].height = sheet.row_dimensions[2].height = 26
    logo = logo_bytes(fields)
    if logo:
        image = Image(io.BytesIO(logo))
        image.width, image.height = round(image.width * LOGO_PIXELS / image.height), LOGO_PIXELS
        sheet.add_image(image, "A1")


def add_signatures(sheet, report: dict) -> None:
    """The signature block under the summary: the place the plan was signed and the meeting's date (dots for
    either that is unknown) over the Ketua Tim Kerja ZI on the right (columns C–D); Mengetahui, the Ketua KPU on
    the left (column A); room to sign, then each one's name and NIP (dots when not set)."""
    fields, held_on = report.get("letterhead") or {}, (report.get("meeting") or {}).get("held_on")
    when = date_text(held_on) if held_on else f"{BLANK_LINE[:24]} {report['year']}"
    sheet.append([])
    rows = [(None, f"{report.get('place') or BLANK_LINE[:24]}, {when}", (False, False)),
            ("Mengetahui,", f"{SIGNER_TIM},", (False, True)), (chair_title(report["office_name"]), None, (True, False))]
    for left, right, bold in rows:
        _signature_row(sheet, left, right, bold)
    for _ in range(3):
        sheet.append([])
        sheet.row_dimensions[sheet.max_row].height = 22
    _signature_row(sheet, fields.get("ketua_nama") or BLANK_LINE[:30], fields.get("tim_nama") or BLANK_LINE[:30],
                   (bool(fields.get("ketua_nama")), bool(fields.get("tim_nama"))))
    _signature_row(sheet, f"NIP. {fields.get('ketua_nip') or BLANK_LINE[:24]}",
                   f"NIP. {fields.get('tim_nip') or BLANK_LINE[:24]}", (False, False))
    set_up_printing(sheet, None, landscape=False)
    sheet.print_area = f"A1:D{sheet.max_row}"


def _signature_row(sheet, left, right, bold: tuple[bool, bool]) -> None:
    sheet.append([inert_text(left), None, inert_text(right)])
    row = sheet.max_row
    sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
    for column, bold_here in zip((1, 3), bold):
        sheet.cell(row, column).font = Font(bold=bold_here)
        sheet.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")


def print_footer(workbook, report: dict) -> None:
    """Every sheet's footer: the print date at the left (the page number is at the right, set_up_printing)."""
    printed = date_text(report.get("printed_on"))
    for sheet in workbook.worksheets:
        if printed:
            sheet.oddFooter.left.text = f"Dicetak {printed}"
