"""The evidence package's index workbook (indeks_bukti.xlsx): one row per file or link, each file linked.

Sheet *Indeks Bukti* lists ID, area, komponen, langkah aksi, bulan, kind, the original name (a link's URL),
the file's path inside the package as a relative hyperlink (it opens once the ZIP is extracted), size,
SHA-256, the verification status, who added it and when (a date-time cell in the office's zone, named in the
header). Sheet *Keterangan* names the office, the year, the counting rule
in force and what the package holds. Every text cell is written inert (cell_safety.inert_text), so a
name such as `=HYPERLINK(…)` stays text.
"""

from datetime import date
from urllib.parse import quote, urlsplit

import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..base.cell_safety import inert_text
from ..base.clock import DEFAULT_ZONE, MOMENT_FORMAT, date_text, excel_moment
from ..store.counting_rule import RULES
from .evidence import LINK, REVIEW_LABELS
from ..files.file_types import KINDS
from ..base.months import month_name
from ..plan.plan_workbook import BORDER, CENTER, HEADER_FILL, WRAP_TOP, save_deterministic, set_up_printing

INDEX_NAME = "indeks_bukti.xlsx"
INDEX_SHEET, FACTS_SHEET = "Indeks Bukti", "Keterangan"
LINK_LABEL = "Tautan"
WAITING = "menunggu"
COLUMNS = {  # header: width
    "ID": 10, "Area": 7, "Komponen": 28, "Langkah Aksi": 48, "Bulan": 11, "Jenis": 14,
    "Nama Asli / Tautan": 36, "Berkas di Paket": 60, "Ukuran (byte)": 14, "SHA-256": 30,
    "Status Verifikasi": 20, "Ditambahkan oleh": 18, "Ditambahkan pada": 20,
}
TARGET_COLUMN = list(COLUMNS).index("Berkas di Paket") + 1
LINK_FONT = Font(color="0563C1", underline="single")


def index_workbook_bytes(rows: pd.DataFrame, facts: dict) -> bytes:
    """The index of `rows` (evidence_package.package_rows) with `facts` (office, year, rule, accepted_only,
    as_of, zone) on its Keterangan sheet. Written row by row (openpyxl's write-only mode)."""
    zone = facts.get("zone") or DEFAULT_ZONE
    headers = [*list(COLUMNS)[:-1], f"{list(COLUMNS)[-1]} ({zone})"]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(INDEX_SHEET)
    for number, width in enumerate(COLUMNS.values(), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    set_up_printing(sheet, "1:1")
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    sheet.append([_styled(sheet, header, font=Font(bold=True), fill=HEADER_FILL, border=BORDER, alignment=CENTER)
                  for header in headers])
    for row in rows.itertuples(index=False):
        values = [inert_text(value) for value in _index_values(row, zone)]
        values[TARGET_COLUMN - 1] = _linked(sheet, values[TARGET_COLUMN - 1], _target(row))
        values[-1] = _styled(sheet, values[-1], number_format=MOMENT_FORMAT)
        sheet.append(values)
    _add_facts(workbook, rows, facts)
    workbook.properties.title = f"Indeks bukti {facts['office']} {facts['year']}"
    return save_deterministic(workbook)


def review_label(review_state: str) -> str:
    """Diterima, Perlu perbaikan or Menunggu verifikasi (evidence no penilai has decided on yet)."""
    return REVIEW_LABELS.get(review_state or WAITING, REVIEW_LABELS[WAITING])


def _index_values(row, zone: str) -> list:
    is_link = row.kind == LINK
    kind = LINK_LABEL if is_link else (KINDS[row.kind].label if row.kind in KINDS else str(row.kind))
    return [row.item_id, row.area, row.komponen, row.langkah_aksi, month_name(int(row.month)), kind,
            row.file_name, row.file_name if is_link else row.member, None if is_link else int(row.size),
            None if is_link else row.sha256, review_label(row.review_state), row.added_by,
            excel_moment(row.added_at, zone)]


def _target(row) -> str | None:
    """Where the row's cell links to: the file inside the package (relative, percent-encoded), or the
    link's own http(s) URL; None for anything else."""
    if row.kind != LINK:
        return quote(row.member, safe="/")
    parts = urlsplit(str(row.file_name))
    return str(row.file_name) if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _linked(sheet, value, target: str | None) -> WriteOnlyCell:
    cell = _styled(sheet, value, alignment=WRAP_TOP)
    if target:
        cell.hyperlink = target
        cell.font = LINK_FONT
    return cell


def _styled(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _add_facts(workbook, rows: pd.DataFrame, facts: dict) -> None:
    files = rows[rows["kind"] != LINK]
    made: date = facts["as_of"]
    sheet = workbook.create_sheet(FACTS_SHEET)
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 70
    set_up_printing(sheet, None, landscape=False)
    for label, value in (
        ("Kantor", facts["office"]),
        ("Tahun rencana aksi", facts["year"]),
        ("Aturan hitung capaian", RULES.get(facts["rule"], facts["rule"])),
        ("Isi paket", "Hanya bukti yang diterima penilai" if facts["accepted_only"] else "Semua bukti terkini"),
        ("Dibuat pada", date_text(made)),
        ("Jumlah berkas", len(files)),
        ("Jumlah tautan", len(rows) - len(files)),
        ("Berkas di paket (tanpa duplikat per ID)", int(rows["writes_blob"].sum())),
        ("Ukuran berkas di paket (byte)", int(files.loc[files["writes_blob"], "size"].sum())),
        ("Tautan berkas", "Tautan di kolom 'Berkas di Paket' terbuka setelah seluruh ZIP diekstrak."),
    ):
        sheet.append([_styled(sheet, inert_text(label), font=Font(bold=True)), inert_text(value)])
