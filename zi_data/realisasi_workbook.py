"""The Realisasi workbook: progress going out to the teams and coming back.

Out: `export_workbook(store, team=None, through_month=12)` builds the workbook a
team fills in: a 'Petunjuk' sheet, a 'Realisasi' sheet with one row per planned
item-month up to the chosen month (status as a dropdown, what is already recorded
filled in), the plan sheet exactly as in data/rencana_aksi_2025.xlsx, and a hidden
'Info Unduhan' sheet naming the state it was made from (store revision, plan
version, team, month and a fingerprint of the plan rows exported).

In: `preview_upload(store, source)` reads a filled workbook, validates every row and
sorts it against the store into new, changed, unchanged and conflicts, and lists
changes made to the plan sheet. Nothing is written until `apply_preview`, which
re-checks inside one BEGIN IMMEDIATE transaction, appends the entries, archives the
file and records the upload (undone with ProgressStore.undo_upload).

Per item-month the value compared is (status, bukti dukung, tanggal, catatan). An
uploaded value equal to the value at the workbook's base revision, or to the current
value, is unchanged: a newer value in the store is never reverted. When the store
changed since the base to something else, the row is a conflict, applied only when
asked for by key. Otherwise it is new (nothing recorded yet) or changed. Empty rows
and rows missing from the upload never delete anything.
"""

import hashlib
import io
import json
import re
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from . import undo_rules
from .audit import record_event
from .cell_safety import MAX_CELL_CHARS, clean_text, exported_length, exported_text, inert_text, needs_mark
from .cell_values import FIRST_DATE, LAST_DATE, DateOutOfRange, UnreadableRow, sheet_values
from .cell_values import cell_text as _cell_text
from .cell_values import date_of as _date_of
from .cell_values import key_text as _key_text
from .cell_values import meta_int as _meta_int
from .cell_values import month_of as _month_of
from .cell_values import number_of as _number
from .cell_values import squash as _squash
from .months import month_name
from .plan import PLAN_COLUMNS, read_checked_plan
from .plan_changes import PLAN_CHANGE_LABELS, PLAN_CHANGE_REMOVED, plan_changes, proposed_renames
from .plan_history import (carried_entries, carry_over, confirm_renames, id_aliases, link_plan_version,
                           off_schedule_warnings, recorded_renames, relabelled)
from .plan_workbook import PLAN_SHEET, add_plan_sheet, save_deterministic
from .problems import InputError, Problem, shown
from .progress_store import STATUSES, sha256_of
from .upload_isolation import run_isolated
from .xlsx_guard import open_checked_zip, read_source

REALISASI_SHEET = "Realisasi"
GUIDE_SHEET = "Petunjuk"
META_SHEET = "Info Unduhan"
FORMAT = "zi-monitor/realisasi/1"
UPLOAD_KIND = "realisasi"
EXAMPLE_MARK = "CONTOH — data fiktif"
DATE_FORMAT = "DD/MM/YYYY"
MAX_REPORTED_ERRORS = 200

# (key, header, width, pre-filled from the plan)
COLUMNS = [
    ("id", "ID", 9, True),
    ("area", "Area", 18, True),
    ("komponen", "Komponen", 22, True),
    ("langkah_aksi", "Langkah Aksi", 46, True),
    ("bukti_fisik", "Bukti Fisik (wajib)", 34, True),
    ("month", "Bulan", 11, True),
    ("penanggung_jawab", "Penanggung Jawab", 20, True),
    ("status", "Status", 12, False),
    ("bukti_dukung", "Bukti Dukung (tautan/nama dokumen)", 40, False),
    ("tanggal", "Tanggal Selesai", 14, False),
    ("catatan", "Catatan/Kendala", 40, False),
    ("reported_by", "Dilaporkan oleh", 18, False),
]
HEADERS = {key: header for key, header, _, _ in COLUMNS}
COLUMN_INDEX = {key: i for i, (key, *_rest) in enumerate(COLUMNS, start=1)}
HEADER_ALIASES = {
    "id": ("ID", "ID LANGKAH AKSI", "KODE"),
    "month": ("BULAN",),
    "status": ("STATUS",),
    "bukti_dukung": ("BUKTI DUKUNG", "TAUTAN BUKTI DUKUNG", "TAUTAN"),
    "tanggal": ("TANGGAL SELESAI", "TANGGAL"),
    "catatan": ("CATATAN/KENDALA", "CATATAN", "KENDALA"),
    "reported_by": ("DILAPORKAN OLEH", "PELAPOR"),
}
REQUIRED_HEADERS = ("id", "month", "status", "bukti_dukung", "tanggal", "catatan")
VALUE_KEYS = ("status", "bukti_dukung", "tanggal", "catatan")
ROW_COLUMNS = ["id", "area", "area_name", "komponen", "langkah_aksi", "bukti_fisik", "month", "penanggung_jawab",
               "status", "bukti_dukung", "tanggal", "catatan", "reported_by"]
UPLOAD_ROW_COLUMNS = ["row", "item_id", "month", "month_name", "langkah_aksi", "penanggung_jawab",
                      "status", "bukti_dukung", "tanggal", "catatan", "reported_by"]
CHANGED_COLUMNS = [*UPLOAD_ROW_COLUMNS, "previous_status", "previous_bukti_dukung", "previous_tanggal",
                   "previous_catatan", "previous_reported_by"]
CONFLICT_COLUMNS = [*UPLOAD_ROW_COLUMNS, "base_status", "base_bukti_dukung", "base_tanggal", "base_catatan",
                    "current_status", "current_bukti_dukung", "current_tanggal", "current_catatan",
                    "current_reported_by", "current_entry_id"]
FINGERPRINT_COLUMNS = ["id", "area", "area_name", "no", "komponen", "indikator", "langkah_aksi", "bukti_fisik",
                       "penanggung_jawab", "bulan"]
# Column labels for showing preview frames to people.
COLUMN_LABELS = {
    "row": "Baris", "item_id": "ID", "month": "Bulan ke", "month_name": "Bulan", "langkah_aksi": "Langkah Aksi",
    "penanggung_jawab": "Penanggung Jawab", "status": "Status", "bukti_dukung": "Bukti Dukung",
    "tanggal": "Tanggal Selesai", "catatan": "Catatan/Kendala", "reported_by": "Dilaporkan oleh",
    "previous_status": "Status sebelumnya", "previous_bukti_dukung": "Bukti dukung sebelumnya",
    "previous_tanggal": "Tanggal sebelumnya", "previous_catatan": "Catatan sebelumnya",
    "previous_reported_by": "Pelapor sebelumnya",
    "base_status": "Status saat diunduh", "base_bukti_dukung": "Bukti dukung saat diunduh",
    "base_tanggal": "Tanggal saat diunduh", "base_catatan": "Catatan saat diunduh",
    "current_status": "Status tercatat kini", "current_bukti_dukung": "Bukti dukung tercatat kini",
    "current_tanggal": "Tanggal tercatat kini", "current_catatan": "Catatan tercatat kini",
    "current_reported_by": "Dilaporkan kini oleh", "current_entry_id": "No. entri kini",
    "change": "Perubahan", "id": "ID", "old_months": "Bulan semula", "new_months": "Bulan baru",
    "fields": "Kolom berubah", **PLAN_CHANGE_LABELS,
}

THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_HEADER_FILL = PatternFill("solid", fgColor="FFF2CC")
PREFILLED_FILL = PatternFill("solid", fgColor="F2F2F2")
PREFILLED_FONT = Font(color="404040")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)

META_FIELDS = [
    ("format", "Format berkas"),
    ("revisi_data", "Revisi data kemajuan saat buku kerja dibuat"),
    ("versi_rencana", "Versi rencana aksi"),
    ("tim", "Tim penanggung jawab (kosong = semua tim)"),
    ("sampai_bulan", "Baris sampai bulan (1–12)"),
    ("dibuat_pada", "Waktu pembuatan (UTC)"),
    ("sidik_rencana", "Sidik SHA-256 baris rencana aksi yang diekspor"),
    ("instansi", "Instansi"),
    ("tahun", "Tahun rencana aksi"),
    ("contoh", "'ya' bila berisi data fiktif"),
]


# --- export ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportInfo:
    """What a downloaded workbook was made from; written to the 'Info Unduhan' sheet."""
    base_revision: int
    plan_version: int
    team: str | None
    through_month: int
    created_at: str
    plan_sha256: str
    office: str = ""
    year: int | None = None
    example: bool = False

    def meta_values(self) -> dict[str, str]:
        return {
            "format": FORMAT, "revisi_data": str(self.base_revision), "versi_rencana": str(self.plan_version),
            "tim": self.team or "", "sampai_bulan": str(self.through_month), "dibuat_pada": self.created_at,
            "sidik_rencana": self.plan_sha256, "instansi": self.office, "tahun": str(self.year or ""),
            "contoh": "ya" if self.example else "",
        }


def utc_timestamp() -> str:
    """Now, as the W3C date-time the workbook's document properties use."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan_fingerprint(plan: pd.DataFrame) -> str:
    """SHA-256 of the plan rows' content (not their order or sheet position)."""
    rows = sorted(
        [[str(getattr(row, c)) for c in FINGERPRINT_COLUMNS[:-1]] + [[int(m) for m in row.bulan]]
         for row in plan.itertuples(index=False)])
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def resolve_team(plan: pd.DataFrame, team: str | None) -> str | None:
    """The plan's spelling of `team` (case and spacing ignored); None for all teams. InputError if unknown."""
    if team is None or not str(team).strip():
        return None
    teams = list(dict.fromkeys(plan["penanggung_jawab"]))
    wanted = _squash(team).casefold()
    for name in teams:
        if _squash(name).casefold() == wanted:
            return name
    raise InputError([Problem(f"Tim '{shown(team)}' tidak ada di rencana aksi.",
                              fix=f"Pilih salah satu: {', '.join(teams)}.")])


def resolve_month(value) -> int:
    """A month given as 1–12 or its (Indonesian or short) name; InputError otherwise."""
    month = _month_of(value)
    if month is None:
        raise InputError([Problem(f"Bulan '{shown(value)}' tidak dikenal.",
                                  fix="Tulis angka 1–12 atau nama bulan, misalnya 'Oktober'.")])
    return month


def team_plan(plan: pd.DataFrame, team: str | None) -> pd.DataFrame:
    """The rows of `plan` that `team` is responsible for (all rows when None), attrs kept."""
    if team is None:
        return plan
    subset = plan[plan["penanggung_jawab"] == team].reset_index(drop=True)
    subset.attrs.update(plan.attrs)
    return subset


def realisasi_rows(plan: pd.DataFrame, latest: pd.DataFrame, team: str | None = None,
                   through_month: int = 12) -> pd.DataFrame:
    """One row per planned item-month up to `through_month` (plan order, then month), with what is recorded.

    `latest` is ProgressStore.latest(); its values fill status, bukti dukung, tanggal,
    catatan and reported_by (empty strings where nothing is recorded).
    """
    items = team_plan(plan, team)
    recorded = {(r.item_id, int(r.month)): r for r in latest.itertuples(index=False)}
    records = []
    for item in items.itertuples(index=False):
        for month in item.bulan:
            if month > through_month:
                continue
            entry = recorded.get((item.id, int(month)))
            records.append({
                "id": item.id, "area": item.area, "area_name": item.area_name, "komponen": item.komponen,
                "langkah_aksi": item.langkah_aksi, "bukti_fisik": item.bukti_fisik, "month": int(month),
                "penanggung_jawab": item.penanggung_jawab,
                **{key: (str(getattr(entry, key)) if entry is not None else "")
                   for key in ("status", "bukti_dukung", "tanggal", "catatan", "reported_by")},
            })
    return pd.DataFrame.from_records(records, columns=ROW_COLUMNS).astype({"month": "int64"})


def export_workbook(store, team: str | None = None, through_month: int = 12, created_at: str | None = None) -> bytes:
    """The download workbook for `team` (None: all teams) with rows up to `through_month`."""
    if not 1 <= int(through_month) <= 12:
        raise InputError([Problem(f"Bulan {through_month} di luar 1–12.", fix="Pilih bulan 1–12.")])
    version = store.plan_version()
    plan = store.plan(version)
    team = resolve_team(plan, team)
    revision = store.revision()
    latest = store.latest(through_revision=revision)
    rows = realisasi_rows(plan, latest, team, int(through_month))
    info = export_info(plan, team, int(through_month), revision, version, created_at)
    return workbook_bytes(plan, rows, info)


def export_info(plan: pd.DataFrame, team: str | None, through_month: int, revision: int, plan_version: int,
                created_at: str | None = None, example: bool = False) -> ExportInfo:
    return ExportInfo(
        base_revision=int(revision), plan_version=int(plan_version), team=team, through_month=int(through_month),
        created_at=created_at or utc_timestamp(), plan_sha256=plan_fingerprint(team_plan(plan, team)),
        office=str(plan.attrs.get("office") or ""), year=plan.attrs.get("year"), example=example)


def export_file_name(plan: pd.DataFrame, team: str | None, through_month: int, example: bool = False) -> str:
    """e.g. 'realisasi_2025_tim-pengawasan_sd-oktober.xlsx'."""
    slug = re.sub(r"[^a-z0-9]+", "-", (team or "semua tim").lower()).strip("-")
    prefix = "contoh_realisasi" if example else "realisasi"
    return f"{prefix}_{plan.attrs.get('year') or ''}_{slug}_sd-{month_name(through_month).lower()}.xlsx"


def workbook_bytes(plan: pd.DataFrame, rows: pd.DataFrame, info: ExportInfo) -> bytes:
    """Petunjuk, Realisasi (`rows` as realisasi_rows returns), the team's plan sheet and the hidden metadata."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    _add_guide_sheet(workbook, info, len(rows))
    _add_realisasi_sheet(workbook, rows)
    add_plan_sheet(workbook, team_plan(plan, info.team)[PLAN_COLUMNS], _plan_info(plan))
    _add_meta_sheet(workbook, info)
    active = workbook.sheetnames.index(REALISASI_SHEET)
    workbook.active = active
    for index, sheet in enumerate(workbook.worksheets):
        sheet.sheet_view.tabSelected = index == active
    title = f"Realisasi Rencana Aksi ZI {info.year or ''} – {info.team or 'semua tim'} s.d. {month_name(info.through_month)}"
    workbook.properties.title = f"{EXAMPLE_MARK}: {title}" if info.example else title
    workbook.properties.subject = info.office
    workbook.properties.description = "Isi lembar Realisasi lalu unggah kembali ke ZI Monitor."
    return save_deterministic(workbook, info.created_at)


def _plan_info(plan: pd.DataFrame) -> dict:
    info = dict(plan.attrs.get("info") or {})
    info.setdefault("Instansi", plan.attrs.get("office") or "")
    info.setdefault("Tahun", str(plan.attrs.get("year") or ""))
    return info


def _add_guide_sheet(workbook, info: ExportInfo, row_count: int) -> None:
    ws = workbook.create_sheet(GUIDE_SHEET)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    ws.append(["Petunjuk pengisian realisasi rencana aksi Zona Integritas"])
    ws["A1"].font = Font(bold=True, size=14)
    if info.example:
        ws.append([f"{EXAMPLE_MARK}. Isi berkas ini hanya contoh untuk mencoba dasbor; "
                   "jangan dipakai sebagai laporan resmi."])
        ws.cell(ws.max_row, 1).font = Font(bold=True, color="C00000", size=12)
    ws.append([])
    details = [
        ("Instansi", info.office), ("Tahun", str(info.year or "")),
        ("Tim", info.team or "Semua tim"), ("Baris sampai bulan", month_name(info.through_month)),
        ("Jumlah baris", str(row_count)), ("Dibuat pada", info.created_at),
        ("Revisi data", str(info.base_revision)), ("Versi rencana", str(info.plan_version)),
    ]
    for label, value in details:
        ws.append([label, inert_text(value)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    steps = [
        f"Isi lembar '{REALISASI_SHEET}': satu baris untuk setiap langkah aksi pada setiap bulan yang dijadwalkan.",
        "Kolom abu-abu (ID sampai Penanggung Jawab) sudah terisi dari rencana aksi; jangan diubah, terutama ID dan Bulan.",
        "Status: pilih dari daftar Selesai, Sebagian atau Belum.",
        "Bukti Dukung: tautan (misalnya Google Drive) atau nama dokumen. Status Selesai tanpa bukti dukung "
        "belum dihitung selesai.",
        "Tanggal Selesai: tanggal pelaksanaan, misalnya 17/11/2025.",
        "Catatan/Kendala: jelaskan kendala bila statusnya Sebagian atau Belum.",
        "Dilaporkan oleh: nama pengisi; bila kosong dipakai nama pengunggah.",
        "Baris yang dibiarkan kosong tidak mengubah apa pun. Mengosongkan atau menghapus baris tidak menghapus "
        "data yang sudah tercatat.",
        "Nilai yang sudah tercatat saat berkas diunduh ikut terisi. Bila orang lain mengubah bulan-kegiatan yang "
        "sama sesudah berkas diunduh, unggahan Anda ditandai sebagai konflik dan tidak menimpa datanya.",
        f"Lembar '{PLAN_SHEET}' berisi rencana yang berlaku. Perubahan di sana ditampilkan saat mengunggah tetapi "
        "hanya diterapkan bila diminta secara khusus.",
        f"Simpan sebagai .xlsx (jangan .xls/.ods, jangan hapus lembar '{META_SHEET}' yang tersembunyi), lalu unggah "
        "di dasbor atau dengan perintah: python -m zi_data import NAMA_BERKAS.xlsx",
    ]
    ws.append(["Langkah pengisian"])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
    for number, text in enumerate(steps, start=1):
        ws.append([f"{number}.", text])
        ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="right", vertical="top")
        ws.cell(ws.max_row, 2).alignment = WRAP_TOP
    ws.sheet_view.showGridLines = False


def _add_realisasi_sheet(workbook, rows: pd.DataFrame) -> None:
    ws = workbook.create_sheet(REALISASI_SHEET)
    for key, header, width, prefilled in COLUMNS:
        col = COLUMN_INDEX[key]
        ws.column_dimensions[get_column_letter(col)].width = width
        cell = ws.cell(1, col, header)
        cell.font, cell.border, cell.alignment = Font(bold=True), BORDER, HEADER_ALIGN
        cell.fill = HEADER_FILL if prefilled else INPUT_HEADER_FILL
    ws.row_dimensions[1].height = 32
    # Styling each cell through openpyxl's descriptors hashes every style object per
    # cell; styling one template cell per column and copying its style array is ~10x faster.
    styles = {}
    for key, _header, _width, prefilled in COLUMNS:
        template = ws.cell(2, COLUMN_INDEX[key])
        template.border = BORDER
        template.alignment = CENTER_TOP if key in ("id", "month", "status", "tanggal") else WRAP_TOP
        if prefilled:
            template.fill, template.font = PREFILLED_FILL, PREFILLED_FONT
        if key == "tanggal":
            template.number_format = DATE_FORMAT
        styles[key] = copy(template._style)
    for offset, record in enumerate(rows.to_dict("records")):
        row = offset + 2
        for key, *_rest in COLUMNS:
            cell = ws.cell(row, COLUMN_INDEX[key])
            if key == "month":
                cell.value = month_name(int(record["month"]))
            elif key == "area":
                cell.value = inert_text(f"{record['area']}. {record['area_name']}".strip(". "))
            elif key == "tanggal":
                cell.value = _date_or_text(record["tanggal"])
            else:
                cell.value = inert_text(clean_text(str(record[key])))
            cell._style = copy(styles[key])
    last = max(len(rows) + 1, 2)
    status_col = get_column_letter(COLUMN_INDEX["status"])
    date_col = get_column_letter(COLUMN_INDEX["tanggal"])
    status_list = DataValidation(
        type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True, showErrorMessage=True,
        showInputMessage=True, errorStyle="stop", errorTitle="Status tidak dikenal",
        error=f"Pilih salah satu: {', '.join(STATUSES)}.", promptTitle="Status",
        prompt=f"Pilih {', '.join(STATUSES)}.")
    status_list.add(f"{status_col}2:{status_col}{last}")
    dates = DataValidation(
        type="date", operator="greaterThan", formula1="36526", allow_blank=True, showErrorMessage=True,
        errorStyle="warning", errorTitle="Tanggal", error="Isi tanggal, misalnya 17/11/2025.")
    dates.add(f"{date_col}2:{date_col}{last}")
    ws.add_data_validation(status_list)
    ws.add_data_validation(dates)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _add_meta_sheet(workbook, info: ExportInfo) -> None:
    ws = workbook.create_sheet(META_SHEET)
    ws.append(["Kunci", "Nilai", "Keterangan"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    values = info.meta_values()
    for key, description in META_FIELDS:
        ws.append([key, inert_text(values[key]), description])
        ws.cell(ws.max_row, 2).number_format = "@"
    ws.append([])
    ws.append(["", "Jangan ubah lembar ini: dipakai untuk mengenali data asal berkas saat diunggah kembali."])
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 50
    ws.sheet_state = "hidden"


def _date_or_text(value):
    text = str(value or "").strip()
    if not text:
        return None
    try:
        found = date.fromisoformat(text)
    except ValueError:
        return inert_text(text)
    return found if FIRST_DATE <= found <= LAST_DATE else inert_text(text)  # older stores may hold such dates


# --- reading an upload --------------------------------------------------------------------------

@dataclass
class UploadedWorkbook:
    """What a filled workbook says, before it is compared with the store."""
    meta: dict[str, str]
    meta_rows: dict[str, int]  # meta key -> row on the metadata sheet
    sheet: str  # the Realisasi sheet's name as spelled in the file
    columns: dict[str, int]  # column key -> 1-based column on the Realisasi sheet
    rows: list[dict]  # each non-empty row: raw cell values by column key, plus 'row'
    plan: pd.DataFrame | None  # the plan sheet as read_plan reads it; None when missing or unreadable
    plan_problems: list[Problem]
    errors: list[Problem]

    def column(self, key: str) -> str:
        """'H (Status)': where a problem in column `key` is."""
        col = self.columns.get(key)
        name = re.sub(r"\s*\(.*\)", "", HEADERS[key])
        return f"{get_column_letter(col)} ({name})" if col else name


def read_upload(data: bytes, label: str) -> UploadedWorkbook:
    """Check the .xlsx with the guard, then read its metadata, Realisasi and plan sheets (no store needed).

    InputError only when the guard refuses the file or it is no workbook; sheet problems go to `errors`."""
    errors: list[Problem] = []
    open_checked_zip(data, label).close()
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        meta, meta_rows = _read_meta(book, errors)
        sheet, columns, rows = _read_realisasi(book, errors)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # calamine reports damage as CalamineError, or as a Rust panic (a BaseException)
        raise InputError([Problem(
            f"Berkas '{label}' tidak dapat dibaca sebagai buku kerja Excel (isi rusak).",
            fix="Buka berkas di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu unggah kembali.")]) from None
    plan, plan_problems = _read_plan_sheet(data, label)
    return UploadedWorkbook(meta, meta_rows, sheet, columns, rows, plan, plan_problems, errors)


def _sheet_rows(book: CalamineWorkbook, name: str) -> tuple[str, list[list]] | None:
    """(the sheet's own spelling of `name`, its rows from A1) or None when there is no such sheet."""
    for title in book.sheet_names:
        if _squash(title).casefold() == name.casefold():
            return title, sheet_values(book.get_sheet_by_name(title))
    return None


def _read_meta(book: CalamineWorkbook, errors: list[Problem]) -> tuple[dict[str, str], dict[str, int]]:
    found = _sheet_rows(book, META_SHEET)
    if found is None:
        errors.append(Problem(
            f"Lembar '{META_SHEET}' tidak ditemukan, jadi tidak diketahui dari data mana berkas ini dibuat.",
            sheet=META_SHEET,
            fix="Unduh buku kerja realisasi dari ZI Monitor, isi lembar Realisasi di sana, lalu unggah berkas itu "
                "(jangan hapus lembar tersembunyi 'Info Unduhan')."))
        return {}, {}
    title, rows = found
    meta, where = {}, {}
    for number, values in enumerate(rows[:200], start=1):
        key = _cell_text(values[0]) if values else ""
        if key and key not in meta:
            meta[key] = _cell_text(values[1]) if len(values) > 1 else ""
            where[key] = number
    if meta.get("format") != FORMAT:
        errors.append(Problem(f"Lembar '{META_SHEET}' bukan milik buku kerja realisasi ZI Monitor.",
                              sheet=title, row=where.get("format"), column="B",
                              fix="Unduh ulang buku kerja realisasi dari ZI Monitor."))
    return meta, where


def _read_realisasi(book: CalamineWorkbook, errors: list[Problem]) -> tuple[str, dict[str, int], list[dict]]:
    found = _sheet_rows(book, REALISASI_SHEET)
    if found is None:
        errors.append(Problem(f"Lembar '{REALISASI_SHEET}' tidak ditemukan.", sheet=REALISASI_SHEET,
                              fix="Isi lembar Realisasi pada buku kerja yang diunduh dari ZI Monitor; jangan "
                                  "menghapus atau mengganti namanya."))
        return REALISASI_SHEET, {}, []
    sheet, all_rows = found
    header_row, columns = None, {}
    for number, values in enumerate(all_rows[:10], start=1):
        labels = [_header_label(v) for v in values]
        known = sum(any(label in names for names in HEADER_ALIASES.values()) for label in labels)
        if "ID" in labels and known >= 3:
            header_row = number
            for col, label in enumerate(labels, start=1):
                for key, names in HEADER_ALIASES.items():
                    if label in names and key not in columns:
                        columns[key] = col
            break
    if header_row is None:
        errors.append(Problem("Baris judul kolom (ID, Bulan, Status, ...) tidak ditemukan di 10 baris pertama.",
                              sheet=sheet, row=1,
                              fix="Kembalikan baris judul seperti saat diunduh: ID, Area, Komponen, Langkah Aksi, "
                                  "Bukti Fisik, Bulan, Penanggung Jawab, Status, Bukti Dukung, Tanggal Selesai, "
                                  "Catatan/Kendala, Dilaporkan oleh."))
        return sheet, {}, []
    missing = [HEADERS[key] for key in REQUIRED_HEADERS if key not in columns]
    if missing:
        errors.append(Problem(f"Kolom {', '.join(missing)} tidak ditemukan pada baris judul.",
                              sheet=sheet, row=header_row,
                              fix="Kembalikan kolom tersebut dengan judul seperti saat diunduh."))
        return sheet, columns, []
    rows = []
    for number, values in enumerate(all_rows[header_row:], start=header_row + 1):
        if isinstance(values, UnreadableRow):
            errors.append(Problem(
                f"Baris ini tidak dapat dibaca: ada sel tanggal atau durasi berisi angka di luar rentang tanggal "
                f"Excel ({FIRST_DATE:%d/%m/%Y}–{LAST_DATE:%d/%m/%Y}).", sheet=sheet, row=number,
                column=f"{get_column_letter(columns['tanggal'])} ({HEADERS['tanggal']}) atau kolom lain",
                fix="Periksa sel tanggal pada baris ini; tulis tanggal seperti 17/11/2025 atau kosongkan."))
            continue
        record = {key: (values[col - 1] if col <= len(values) else None) for key, col in columns.items()}
        if all(_cell_text(v) == "" for v in record.values()):
            continue
        record["row"] = number
        rows.append(record)
    return sheet, columns, rows


def _read_plan_sheet(data: bytes, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    missing = Problem(f"Lembar '{PLAN_SHEET}' tidak ditemukan atau tidak berisi tabel rencana aksi.", sheet=PLAN_SHEET,
                      fix=f"Kembalikan lembar '{PLAN_SHEET}' seperti saat diunduh.")
    try:
        plan = read_checked_plan(data, label)
    except InputError as error:
        return None, [p for p in error.problems if p.sheet == PLAN_SHEET] or [missing]
    if plan.attrs.get("sheet") != PLAN_SHEET:
        return None, [missing]
    return plan, []


# --- checking rows ------------------------------------------------------------------------------

@dataclass
class CheckedRows:
    entries: list[dict]  # row, item_id, month, status, bukti_dukung, tanggal, catatan, reported_by
    blanked: list[dict]  # row, item_id, month: rows with every report cell empty
    errors: list[Problem]
    warnings: list[Problem]
    untouched: int = 0  # rows still holding the value recorded when the workbook was made
    rejected: int = 0  # rows of a team the uploader may not change


def _untouched(report: dict, tanggal_cell, base_value: tuple) -> bool:
    try:
        tanggal = _date_of(tanggal_cell)
        tanggal_text = tanggal.isoformat() if tanggal else ""
    except ValueError:  # a date an older version stored, exported as text
        tanggal_text = report["tanggal"]
    value = (_status_of(report["status"]) or report["status"], report["bukti_dukung"], tanggal_text, report["catatan"])
    return value == base_value


def check_rows(upload: UploadedWorkbook, plan: pd.DataFrame, team: str | None,
               base: dict[tuple[str, int], tuple] | None = None, allowed_team: str | None = None,
               aliases: dict[str, str] | None = None) -> CheckedRows:
    """Validate each row against `plan` (and `team`, when the workbook was made for one).

    `base` maps (item_id, month) to the value recorded when the workbook was made; a row
    still holding exactly that value was not touched and is counted in `untouched`
    without further checks (its item may have left a revised plan meanwhile).
    With `allowed_team` (an editor's own team), rows of other teams are rejected with a
    warning and left out; the rest of the upload is still checked. `aliases` maps old IDs of
    confirmed renames to their ID in `plan`; rows using an old ID count for the new one, with a warning.
    """
    items = {item.id: item for item in plan.itertuples(index=False)}
    folded = {_key_text(item_id): item for item_id, item in items.items()}
    year = plan.attrs.get("year")
    sheet, where = upload.sheet, upload.column
    checked = CheckedRows([], [], [], [])
    seen: dict[tuple[str, int], int] = {}
    base = base or {}

    def error(row, key, message, fix):
        checked.errors.append(Problem(message, sheet, row, where(key), fix))

    for record in upload.rows:
        row = record["row"]
        item_id = _cell_text(record.get("id"))
        report = {key: _cell_text(record.get(key)) for key in VALUE_KEYS}
        if not any(report.values()):
            month = _month_of(record.get("month"))
            if item_id in items and month:
                checked.blanked.append({"row": row, "item_id": item_id, "month": month})
            continue
        key = (item_id, _month_of(record.get("month")))
        if key in base and key not in seen and _untouched(report, record.get("tanggal"), base[key]):
            seen[key] = row
            checked.untouched += 1
            continue
        if not item_id:
            error(row, "id", "ID kosong padahal baris ini berisi laporan.",
                  "Salin ID dari baris yang diunduh; setiap laporan harus memiliki ID langkah aksi.")
            continue
        item = items.get(item_id) or folded.get(_key_text(item_id))
        if item is None and (aliases or {}).get(item_id) in items:
            checked.warnings.append(Problem(f"ID lama {shown(item_id)} dicatat sebagai {aliases[item_id]} (ID langkah "
                                            "aksi diganti pada revisi rencana).", sheet, row, where("id")))
            item = items[aliases[item_id]]
        if item is not None:
            item_id = item.id  # 'i-1-1 ' typed by hand, or 'I-1-1' with a zero-width space pasted from a chat, is I-1-1
        if item is None:
            error(row, "id", f"ID '{shown(item_id)}' tidak ada di rencana aksi.",
                  "Jangan mengubah kolom ID; gunakan baris dari buku kerja yang diunduh.")
            continue
        if allowed_team is not None and item.penanggung_jawab != allowed_team:
            checked.rejected += 1
            checked.warnings.append(Problem(
                f"Ditolak: langkah aksi {item_id} milik {item.penanggung_jawab}; Anda hanya dapat memperbarui "
                f"baris {allowed_team}.", sheet, row, where("id"),
                f"Baris ini dilewati; laporan {item.penanggung_jawab} diunggah oleh ketua tim tersebut atau admin."))
            continue
        if team is not None and item.penanggung_jawab != team:
            error(row, "id", f"Langkah aksi {item_id} milik {item.penanggung_jawab}, padahal buku kerja ini dibuat "
                             f"untuk {team}.",
                  f"Hapus baris ini; laporan {item.penanggung_jawab} diunggah dengan buku kerja tim tersebut.")
            continue
        month = _month_of(record.get("month"))
        raw_month = _cell_text(record.get("month"))
        if month is None:
            number = _number(record.get("month"))
            message = (f"Bulan {shown(raw_month)} di luar 1–12." if number is not None
                       else "Bulan kosong." if not raw_month else f"Bulan '{shown(raw_month)}' tidak dikenal.")
            error(row, "month", message, "Tulis nama bulan (misalnya 'Maret') atau angka 1–12.")
            continue
        if month not in item.bulan:
            scheduled = ", ".join(month_name(m) for m in item.bulan) or "tidak ada"
            error(row, "month", f"{item_id} tidak dijadwalkan pada bulan {month_name(month)} "
                                f"(jadwal: {scheduled}).",
                  "Laporkan hanya bulan yang dijadwalkan di rencana aksi.")
            continue
        key = (item_id, month)
        if key in seen:
            error(row, "id", f"{item_id} bulan {month_name(month)} sudah diisi di baris {seen[key]}.",
                  "Gabungkan laporannya dalam satu baris dan hapus baris lainnya.")
            continue
        seen[key] = row
        status = _status_of(report["status"])
        if status is None:
            error(row, "status", "Status kosong padahal baris ini berisi laporan." if not report["status"]
                  else f"Status '{shown(report['status'])}' tidak dikenal.",
                  f"Pilih salah satu: {', '.join(STATUSES)}.")
            continue
        try:
            tanggal = _date_of(record.get("tanggal"))
        except DateOutOfRange:
            error(row, "tanggal", f"Tanggal '{shown(report['tanggal'])}' di luar rentang tanggal Excel "
                                  f"({FIRST_DATE:%d/%m/%Y}–{LAST_DATE:%d/%m/%Y}).",
                  "Periksa tahunnya; tulis tanggal seperti 17/11/2025 atau kosongkan.")
            continue
        except ValueError:
            error(row, "tanggal", f"Tanggal '{shown(report['tanggal'])}' tidak dikenal.",
                  "Tulis tanggal seperti 17/11/2025 atau kosongkan.")
            continue
        reported_by = _cell_text(record.get("reported_by"))
        too_long = [(key, text) for key, text in (("bukti_dukung", report["bukti_dukung"]),
                                                  ("catatan", report["catatan"]), ("reported_by", reported_by))
                    if exported_length(text) > MAX_CELL_CHARS]
        for key, text in too_long:
            error(row, key, _too_long_message(text),
                  "Persingkat teksnya, misalnya simpan uraian panjang dalam dokumen dan tulis tautannya di sini.")
        if too_long:
            continue
        if tanggal and year and tanggal.year != int(year):
            checked.warnings.append(Problem(
                f"Tanggal {tanggal.strftime('%d/%m/%Y')} berada di luar tahun rencana aksi ({year}).",
                sheet, row, where("tanggal"), "Periksa tahunnya."))
        if status == "Selesai" and not report["bukti_dukung"]:
            checked.warnings.append(Problem(
                f"{item_id} bulan {month_name(month)} berstatus Selesai tanpa bukti dukung; belum dihitung selesai.",
                sheet, row, where("bukti_dukung"), "Isi tautan atau nama dokumen bukti dukung."))
        checked.entries.append({
            "row": row, "item_id": item_id, "month": month, "status": status,
            "bukti_dukung": report["bukti_dukung"], "tanggal": tanggal.isoformat() if tanggal else "",
            "catatan": report["catatan"], "reported_by": reported_by,
        })
    return checked


def _too_long_message(text: str) -> str:
    def number(n):
        return f"{n:,}".replace(",", ".")
    mark = (" (termasuk tanda petik ' yang ditambahkan saat diunduh di depan teks yang diawali =, +, - atau @)"
            if needs_mark(text) else "")
    return (f"Teks terlalu panjang: {number(exported_length(text))} karakter{mark}, padahal satu sel Excel memuat "
            f"paling banyak {number(MAX_CELL_CHARS)} karakter.")


# --- comparing with the store -------------------------------------------------------------------

def _value(record) -> tuple[str, str, str, str]:
    """The compared value of an entry: (status, bukti_dukung, tanggal, catatan) as its export reads back."""
    get = record.get if isinstance(record, dict) else lambda key: getattr(record, key)
    return tuple(exported_text(str(get(key) or "")) for key in VALUE_KEYS)


def _by_key(latest: pd.DataFrame) -> dict[tuple[str, int], object]:
    return {(str(r.item_id), int(r.month)): r for r in latest.itertuples(index=False)}


@dataclass
class Comparison:
    new: list[dict]
    changed: list[dict]
    unchanged: int
    conflicts: list[dict]


def compare_entries(entries: list[dict], base_latest: pd.DataFrame, current_latest: pd.DataFrame) -> Comparison:
    """Sort uploaded entries into new, changed, unchanged and conflicts (see the module docstring)."""
    base, current = _by_key(base_latest), _by_key(current_latest)
    result = Comparison([], [], 0, [])
    for entry in entries:
        key = (entry["item_id"], entry["month"])
        uploaded = _value(entry)
        before, now = base.get(key), current.get(key)
        if before is not None and entry["reported_by"] == exported_text(str(before.reported_by)):
            entry = {**entry, "reported_by": ""}  # the pre-filled name reported the old value, not this one
        before_value = _value(before) if before is not None else None
        now_value = _value(now) if now is not None else None
        if uploaded in (before_value, now_value):
            result.unchanged += 1
        elif now_value != before_value:
            result.conflicts.append({
                **entry,
                **{f"base_{k}": v for k, v in zip(VALUE_KEYS, before_value or ("",) * 4)},
                **{f"current_{k}": v for k, v in zip(VALUE_KEYS, now_value or ("",) * 4)},
                "current_reported_by": str(now.reported_by) if now is not None else "",
                "current_entry_id": int(now.entry_id) if now is not None else 0,
            })
        elif now is None:
            result.new.append(entry)
        else:
            result.changed.append({
                **entry, **{f"previous_{k}": v for k, v in zip(VALUE_KEYS, now_value)},
                "previous_reported_by": str(now.reported_by),
            })
    return result


# --- preview and apply --------------------------------------------------------------------------

@dataclass
class ImportPreview:
    """What an upload would change. Nothing is written until apply_preview."""
    file_name: str
    sha256: str
    base_revision: int | None  # the store revision the workbook was made from
    revision: int  # the store revision when this preview was computed
    plan_version: int  # the store's plan version when this preview was computed
    workbook_plan_version: int | None
    team: str | None
    through_month: int | None
    apply_plan: bool
    new: pd.DataFrame  # UPLOAD_ROW_COLUMNS
    changed: pd.DataFrame  # CHANGED_COLUMNS
    unchanged: int
    conflicts: pd.DataFrame  # CONFLICT_COLUMNS
    plan_changes: pd.DataFrame  # PLAN_CHANGE_COLUMNS
    warnings: list[Problem]
    errors: list[Problem]
    new_plan: pd.DataFrame | None = field(default=None, repr=False)  # set when applying plan changes
    upload: UploadedWorkbook | None = field(default=None, repr=False)
    allowed_team: str | None = None  # an editor's own team: other teams' rows were rejected
    rejected: int = 0
    renames: tuple = ()  # confirmed (old ID, new ID) pairs whose progress is carried over
    carried: pd.DataFrame | None = field(default=None, repr=False)  # plan_history.CARRIED_COLUMNS

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": int(self.unchanged),
                "conflicts": len(self.conflicts), "plan_changes": len(self.plan_changes), "rejected": self.rejected}

    def conflict_keys(self) -> set[tuple[str, int]]:
        return {(str(i), int(m)) for i, m in zip(self.conflicts["item_id"], self.conflicts["month"])}

    def raise_for_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors)

    def as_dict(self) -> dict:
        """JSON-ready summary (the CLI's --json)."""
        def records(frame):
            return json.loads(frame.to_json(orient="records", force_ascii=False))
        return {
            "ok": self.ok, "file_name": self.file_name, "sha256": self.sha256,
            "base_revision": self.base_revision, "revision": self.revision, "plan_version": self.plan_version,
            "workbook_plan_version": self.workbook_plan_version, "team": self.team,
            "through_month": self.through_month, "apply_plan": self.apply_plan, "counts": self.counts(),
            "new": records(self.new), "changed": records(self.changed), "conflicts": records(self.conflicts),
            "plan_changes": records(self.plan_changes), "renames": [list(p) for p in self.renames],
            "carried": records(self.carried) if self.carried is not None else [],
            "warnings": [p.as_dict() for p in self.warnings], "errors": [p.as_dict() for p in self.errors],
        }

    def _actions(self) -> tuple:
        """What applying would do; equal actions mean a preview is still valid."""
        def keyed(frame, columns):
            return tuple(sorted(tuple(str(v) for v in row) for row in frame[columns].itertuples(index=False)))
        value_columns = ["item_id", "month", *VALUE_KEYS, "reported_by"]
        return (keyed(self.new, value_columns), keyed(self.changed, value_columns),
                keyed(self.conflicts, [*value_columns, "current_entry_id"]),
                keyed(self.plan_changes, ["change", "id", "old_id", "fields"]), self.new_plan is not None,
                tuple(self.renames), () if self.carried is None else keyed(self.carried, ["item_id", "month"]),
                tuple(str(p) for p in self.errors))


@dataclass(frozen=True)
class AppliedUpload:
    upload_id: int | None  # None when everything in the file was already recorded (nothing written)
    counts: dict
    plan_version: int | None  # the new plan version, when plan changes were applied
    preview: ImportPreview  # the preview that was applied (recomputed inside the transaction)


class PreviewOutdated(InputError):
    """The store changed between the preview and its confirmation in a way that matters."""


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table with Indonesian headers, for showing."""
    return pd.DataFrame([{"Lembar": p.sheet or "", "Baris": str(p.row) if p.row else "", "Kolom": p.column or "",
                          "Masalah": p.message, "Perbaikan": p.fix or ""} for p in problems],
                        columns=["Lembar", "Baris", "Kolom", "Masalah", "Perbaikan"])


def preview_upload(store, source, file_name: str | None = None, *, apply_plan: bool = False,
                   allowed_team: str | None = None, renames=()) -> ImportPreview:
    """Read, validate and compare an uploaded workbook (path, bytes or binary file) with the store.

    Never writes anything and never raises InputError: problems with the file are in
    `errors` (each naming sheet, row and column), and such a preview cannot be applied.
    """
    label = file_name or getattr(source, "name", None) or "berkas unggahan"
    try:
        data, label = read_source(source, file_name)
    except InputError as error:
        return _failed_preview(store, str(label), "", error.problems, apply_plan)
    sha256 = sha256_of(data)
    try:
        upload = run_isolated(read_upload, data, label, label=label)  # a worker process: see upload_isolation
    except InputError as error:
        return _failed_preview(store, label, sha256, error.problems, apply_plan)
    return compare_upload(store, upload, label, sha256, apply_plan, allowed_team, renames)


def _failed_preview(store, label, sha256, problems, apply_plan) -> ImportPreview:
    return ImportPreview(label, sha256, None, store.revision(), store.plan_version(), None, None, None, apply_plan,
                         _frame([], UPLOAD_ROW_COLUMNS), _frame([], CHANGED_COLUMNS), 0, _frame([], CONFLICT_COLUMNS),
                         plan_changes(pd.DataFrame(columns=PLAN_COLUMNS), pd.DataFrame(columns=PLAN_COLUMNS)),
                         [], _capped(problems))


def compare_upload(store, upload: UploadedWorkbook, file_name: str, sha256: str,
                   apply_plan: bool = False, allowed_team: str | None = None, renames=()) -> ImportPreview:
    """The preview of an already read upload against the store's current state.

    `allowed_team` restricts an editor to their own team's rows; only admins (None) may
    apply plan changes. `renames` are the (old ID, new ID) pairs the admin confirmed: with plan
    changes applied, the old ID's progress is carried over to the new one (see plan_history).
    """
    revision = store.revision()
    version = store.plan_version()
    plan = store.plan(version)
    errors, warnings_ = list(upload.errors), []
    meta, meta_sheet = upload.meta, META_SHEET

    def meta_problem(key, message, fix="Unduh ulang buku kerja realisasi dari ZI Monitor lalu isi kembali."):
        errors.append(Problem(message, meta_sheet, upload.meta_rows.get(key), "B", fix))

    base = wb_version = through = None
    team = None
    if not upload.errors or meta.get("format") == FORMAT:
        base = _meta_int(meta, "revisi_data")
        wb_version = _meta_int(meta, "versi_rencana")
        through = _meta_int(meta, "sampai_bulan")
        if base is None or base < 0:
            meta_problem("revisi_data", "Revisi data asal berkas tidak terbaca.")
        elif base > revision:
            meta_problem("revisi_data", f"Berkas dibuat dari data revisi {base}, padahal data di sini baru sampai "
                                        f"revisi {revision}: berkas ini berasal dari penyimpanan data lain.")
            base = None
        if wb_version is None or not 1 <= wb_version <= version:
            meta_problem("versi_rencana", f"Versi rencana aksi '{shown(meta.get('versi_rencana', ''))}' tidak dikenal "
                                          f"(versi yang ada: 1–{version}).")
            wb_version = None
        elif wb_version != version:
            warnings_.append(Problem(f"Rencana aksi sudah direvisi (versi {wb_version} → {version}) sejak berkas "
                                     "dibuat; baris diperiksa terhadap rencana yang berlaku.", meta_sheet))
        if meta.get("contoh") == "ya":
            warnings_.append(Problem(f"Berkas ini {EXAMPLE_MARK}: isinya hanya untuk mencoba dasbor.", meta_sheet,
                                     fix="Batalkan unggahan ini di halaman riwayat unggahan sebelum data sungguhan "
                                         "diisi."))
        if meta.get("tim"):
            try:
                team = resolve_team(plan, meta["tim"])
            except InputError:
                meta_problem("tim", f"Tim '{shown(meta['tim'])}' tidak ada di rencana aksi yang berlaku.")

    exported = team_plan(store.plan(wb_version), team) if wb_version else None
    changes = plan_changes(pd.DataFrame(columns=PLAN_COLUMNS), pd.DataFrame(columns=PLAN_COLUMNS))
    if upload.plan is None:
        (errors if apply_plan else warnings_).extend(
            [Problem(f"Lembar '{PLAN_SHEET}' tidak dapat dibaca, jadi perubahan rencana tidak diperiksa.", PLAN_SHEET,
                     fix=f"Kembalikan lembar '{PLAN_SHEET}' seperti saat diunduh."), *upload.plan_problems])
    elif exported is not None and plan_fingerprint(upload.plan) != meta.get("sidik_rencana"):
        changes = plan_changes(exported, upload.plan, renames)
        if len(changes):
            warnings_.append(Problem(
                f"Lembar '{PLAN_SHEET}' diubah ({len(changes)} perubahan rencana).", PLAN_SHEET,
                fix=None if apply_plan else "Perubahan rencana tidak diterapkan kecuali diminta secara khusus."))

    new_plan, confirmed = None, ()
    renames = tuple(dict.fromkeys((str(old), str(new)) for old, new in renames))
    check_plan = plan
    if apply_plan and len(changes):
        if team is not None:
            errors.append(Problem("Perubahan rencana hanya dapat diterapkan dari buku kerja semua tim.", PLAN_SHEET,
                                  fix="Unduh buku kerja untuk semua tim, ubah rencananya di sana, lalu unggah."))
        elif wb_version is not None and wb_version != version:
            errors.append(Problem(f"Rencana aksi sudah direvisi ke versi {version} sejak berkas dibuat "
                                  f"(versi {wb_version}); perubahan rencana di berkas ini tidak dapat diterapkan.",
                                  PLAN_SHEET, fix="Unduh ulang buku kerja lalu ulangi perubahan rencananya."))
        else:
            new_plan = upload.plan.copy()
            new_plan.attrs = {k: v for k, v in plan.attrs.items() if k != "plan_version"}
            new_plan.attrs["file"] = file_name
            check_plan = new_plan
            recorded = set(store.latest()["item_id"])
            for removed in changes[changes["change"] == PLAN_CHANGE_REMOVED].itertuples():
                if removed.id in recorded:
                    warnings_.append(Problem(f"Langkah aksi {removed.id} dihapus dari rencana padahal sudah ada "
                                             "realisasinya; riwayatnya tetap disimpan.", PLAN_SHEET))
            confirmed = confirm_renames(proposed_renames(changes), renames, recorded, errors, warnings_)
    if renames and new_plan is None and not errors:
        errors.append(Problem("Penggantian ID hanya dapat dikonfirmasi bersama penerapan perubahan rencana.",
                              PLAN_SHEET, fix="Centang penerapan perubahan rencana (CLI: --apply-plan)."))

    aliases = id_aliases([*recorded_renames(store), *confirmed], set(check_plan["id"]))
    base_latest = relabelled(store.latest(through_revision=base), aliases.items(), override=False) \
        if base is not None else None
    base_values = {key: _value(entry) for key, entry in _by_key(base_latest).items()} if base is not None else {}
    if apply_plan and allowed_team is not None:
        errors.append(Problem("Hanya admin yang dapat merevisi rencana aksi.", PLAN_SHEET,
                              fix="Minta koordinator ZI (admin) mengunggah perubahan rencana."))
    checked = check_rows(upload, check_plan, team, base_values, allowed_team, aliases)
    errors.extend(checked.errors)
    warnings_.extend(checked.warnings)
    if base_latest is not None:
        base_keys = _by_key(base_latest)
        for blank in checked.blanked:
            if (blank["item_id"], blank["month"]) in base_keys:
                warnings_.append(Problem(
                    f"{blank['item_id']} bulan {month_name(blank['month'])} dikosongkan; data yang sudah tercatat "
                    "tidak dihapus.", upload.sheet, blank["row"], upload.column("status")))

    comparison = Comparison([], [], 0, [])
    current = store.latest(through_revision=revision)
    carried = carried_entries(current, confirmed)
    warnings_.extend(off_schedule_warnings(carried, check_plan))
    if not errors:
        comparison = compare_entries(checked.entries, base_latest, relabelled(current, confirmed, override=True))
        comparison.unchanged += checked.untouched
    details = {item.id: item for item in check_plan.itertuples(index=False)}

    def shaped(records, columns):
        return _frame([{**r, "month_name": month_name(r["month"]), "langkah_aksi": details[r["item_id"]].langkah_aksi,
                        "penanggung_jawab": details[r["item_id"]].penanggung_jawab} for r in records], columns)

    return ImportPreview(
        file_name=file_name, sha256=sha256, base_revision=base, revision=revision, plan_version=version,
        workbook_plan_version=wb_version, team=team, through_month=through, apply_plan=apply_plan,
        new=shaped(comparison.new, UPLOAD_ROW_COLUMNS), changed=shaped(comparison.changed, CHANGED_COLUMNS),
        unchanged=comparison.unchanged, conflicts=shaped(comparison.conflicts, CONFLICT_COLUMNS),
        plan_changes=changes, warnings=_capped(warnings_), errors=_capped(errors), new_plan=new_plan, upload=upload,
        allowed_team=allowed_team, rejected=checked.rejected, renames=confirmed,
        carried=carried[["old_id", "item_id", "month", *VALUE_KEYS, "reported_by"]].reset_index(drop=True))


def apply_preview(store, preview: ImportPreview, uploaded, file_name: str | None = None, *, by: str,
                  take_uploaded_for=(), accept_changes: bool = False) -> AppliedUpload:
    """Apply a confirmed preview in one transaction: entries, plan revision if asked, archive, upload record.

    `uploaded` is the file (bytes, path or binary file) the preview was made from.
    Conflicts are left alone unless their (item_id, month) is in `take_uploaded_for`.
    The preview is recomputed under the write lock; if what it would do changed
    meanwhile, PreviewOutdated is raised and nothing is written, unless
    `accept_changes` (the CLI's --yes) applies the recomputed preview instead.
    Entries without a reporter get `by`. When everything is already recorded and there
    is no conflict, nothing is written and the upload_id is None.
    """
    preview.raise_for_errors()
    data, _label = read_source(uploaded, file_name or preview.file_name)
    if sha256_of(data) != preview.sha256 or preview.upload is None:
        raise InputError([Problem("Berkas yang dikonfirmasi berbeda dari berkas pada pratinjau; tidak ada yang "
                                  "disimpan.", fix="Unggah ulang berkasnya dan periksa pratinjaunya lagi.")])
    wanted = {(str(i), int(m)) for i, m in take_uploaded_for}
    if not accept_changes and not wanted <= preview.conflict_keys():
        raise ValueError(f"Bukan konflik pada pratinjau: {sorted(wanted - preview.conflict_keys())}")
    name = file_name or preview.file_name
    with store.transaction() as conn:
        fresh = compare_upload(store, preview.upload, name, preview.sha256, preview.apply_plan, preview.allowed_team,
                               preview.renames)
        fresh.raise_for_errors()
        if not accept_changes and fresh._actions() != preview._actions():
            raise PreviewOutdated([Problem(
                "Data kemajuan berubah sejak pratinjau dibuat (ada unggahan lain); tidak ada yang disimpan.",
                fix="Periksa pratinjau yang baru lalu konfirmasi lagi.")])
        chosen = [key in wanted for key in zip(fresh.conflicts["item_id"], fresh.conflicts["month"])]
        taken = fresh.conflicts.loc[pd.Series(chosen, index=fresh.conflicts.index, dtype=bool)]
        entries = pd.concat([fresh.new[UPLOAD_ROW_COLUMNS], fresh.changed[UPLOAD_ROW_COLUMNS],
                             taken[UPLOAD_ROW_COLUMNS]], ignore_index=True)
        entries["reported_by"] = [who or by for who in entries["reported_by"]]
        plan_version = None
        if fresh.new_plan is not None:
            plan_version = store.add_plan_version(fresh.new_plan, name, fresh.sha256, by, conn)
        counts = {"new": len(fresh.new), "changed": len(fresh.changed) + len(taken), "unchanged": fresh.unchanged,
                  "conflicts": len(fresh.conflicts) - len(taken),
                  "plan_changes": len(fresh.plan_changes) if plan_version else 0, "rejected": fresh.rejected,
                  **({"carried": len(fresh.carried)} if plan_version and fresh.renames else {})}
        if entries.empty and plan_version is None and not counts["conflicts"]:
            return AppliedUpload(None, counts, None, fresh)  # everything already recorded: nothing to keep
        archive_name = store.archive_file(data, fresh.sha256)
        upload_id = store.record_upload(conn, name, fresh.sha256, archive_name, by, UPLOAD_KIND, counts,
                                        fresh.base_revision)
        if plan_version is not None:  # carried-over progress first: the file's own rows may still change it
            carry_over(store, conn, fresh.renames, fresh.carried, plan_version, upload_id, by, fresh.sha256)
            link_plan_version(conn, plan_version, upload_id)
        store.append_entries(conn, entries, upload_id)
        record_event(conn, by, "unggah_realisasi", {"unggahan": upload_id, "berkas": name, **counts}, fresh.sha256)
        if plan_version is not None:
            record_event(conn, by, "revisi_rencana", {"versi": plan_version, "berkas": name, "unggahan": upload_id},
                         fresh.sha256)
    return AppliedUpload(upload_id, counts, plan_version, fresh)


def undo_upload(store, upload_id: int, by: str, *, editor_team: str | None = None) -> int:
    """Undo a confirmed upload (appends the state before it; history kept). InputError when refused.

    An editor (`editor_team`: the team they lead) may undo only their own uploads that touched
    nothing but their team's rows (undo_rules.undo_refusal); None is an admin or open mode.
    """
    if (refusal := undo_rules.undo_refusal(store, int(upload_id), by, editor_team)) is not None:
        raise InputError([refusal])
    try:
        return store.undo_upload(int(upload_id), by)
    except ValueError as error:
        raise InputError([Problem(str(error))]) from None


# --- cell values ---------------------------------------------------------------------------------
# Reading and normalising cell values lives in cell_values and cell_safety (imported above).

def _header_label(value) -> str:
    text = re.sub(r"\([^)]*\)", " ", _cell_text(value).upper())
    return re.sub(r"\s*/\s*", "/", _squash(text)).rstrip(":")


def _status_of(text: str) -> str | None:
    wanted = _key_text(text)
    return next((status for status in STATUSES if status.casefold() == wanted), None)


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns)
    integer_columns = [c for c in ("row", "month", "current_entry_id") if c in columns]
    return frame.astype({c: "int64" for c in integer_columns})


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_REPORTED_ERRORS:
        return list(problems)
    return [*problems[:MAX_REPORTED_ERRORS],
            Problem(f"… dan {len(problems) - MAX_REPORTED_ERRORS} masalah lain yang sejenis.")]
