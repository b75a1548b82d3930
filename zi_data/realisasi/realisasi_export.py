"""The Realisasi workbook going out to the teams.

`export_workbook(store, team=None, through_month=12)` builds the workbook a team fills in: a 'Petunjuk'
sheet, a 'Realisasi' sheet with one row per planned item-month up to the chosen month (status as a
dropdown, what is already recorded filled in), the plan sheet exactly as in data/rencana_aksi_2025.xlsx,
and a hidden 'Info Unduhan' sheet naming the state it was made from (store revision, plan version, team,
month and a fingerprint of the plan rows exported).
"""

import re
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, timezone

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..base.cell_safety import clean_text, inert_text
from ..base.cell_values import FIRST_DATE, LAST_DATE, month_of
from ..base.clock import DEFAULT_ZONE, MOMENT_FORMAT, excel_moment, store_zone
from ..store.counting_rule import DEFAULT_RULE, RULES, counting_rule
from ..base.months import month_name
from ..plan.plan import PLAN_COLUMNS
from ..plan.plan_queries import plan_fingerprint, resolve_team, team_plan
from ..plan.plan_workbook import PLAN_SHEET, add_plan_sheet, save_deterministic
from ..base.problems import InputError, Problem, shown
from ..store.progress_rows import STATUSES
from .realisasi_layout import (
    COLUMN_INDEX,
    COLUMNS,
    DATE_FORMAT,
    EXAMPLE_MARK,
    FORMAT,
    GUIDE_SHEET,
    META_FIELDS,
    META_SHEET,
    REALISASI_SHEET,
    ROW_COLUMNS,
)

THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_HEADER_FILL = PatternFill("solid", fgColor="FFF2CC")
PREFILLED_FILL = PatternFill("solid", fgColor="F2F2F2")
PREFILLED_FONT = Font(color="404040")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


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
    office_code: str = ""
    counting_rule: str = DEFAULT_RULE  # the rule in force when the workbook was made (counting_rule.RULES)
    zone: str = DEFAULT_ZONE  # the office's time zone label: the guide sheet shows when it was made in it

    def meta_values(self) -> dict[str, str]:
        return {
            "format": FORMAT, "revisi_data": str(self.base_revision), "versi_rencana": str(self.plan_version),
            "tim": self.team or "", "sampai_bulan": str(self.through_month), "dibuat_pada": self.created_at,
            "sidik_rencana": self.plan_sha256, "instansi": self.office, "tahun": str(self.year or ""),
            "contoh": "ya" if self.example else "", "kode_kantor": self.office_code,
            "aturan_hitung": self.counting_rule,
        }


def utc_timestamp() -> str:
    """Now, as the W3C date-time the workbook's document properties use."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")



def resolve_month(value) -> int:
    """A month given as 1–12 or its (Indonesian or short) name; InputError otherwise."""
    month = month_of(value)
    if month is None:
        raise InputError([Problem(f"Bulan '{shown(value)}' tidak dikenal.",
                                  fix="Tulis angka 1–12 atau nama bulan, misalnya 'Oktober'.")])
    return month



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
        for month in item.months:
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
    info = export_info(plan, team, int(through_month), revision, version, created_at,
                       office_code=store.office, year=store.year, rule=counting_rule(store), zone=store_zone(store))
    return workbook_bytes(plan, rows, info)


def export_info(plan: pd.DataFrame, team: str | None, through_month: int, revision: int, plan_version: int,
                created_at: str | None = None, example: bool = False, office_code: str = "",
                year: int | None = None, rule: str = DEFAULT_RULE, zone: str = DEFAULT_ZONE) -> ExportInfo:
    """`office_code` and `year` name the plan year the workbook belongs to (the plan's own year by default);
    `rule` is the counting rule in force."""
    return ExportInfo(
        base_revision=int(revision), plan_version=int(plan_version), team=team, through_month=int(through_month),
        created_at=created_at or utc_timestamp(), plan_sha256=plan_fingerprint(team_plan(plan, team)),
        office=str(plan.attrs.get("office") or ""), year=year or plan.attrs.get("year"), example=example,
        office_code=office_code, counting_rule=rule, zone=zone)


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
        ("Jumlah baris", str(row_count)), (f"Dibuat pada ({info.zone})", excel_moment(info.created_at, info.zone)),
        ("Revisi data", str(info.base_revision)), ("Versi rencana", str(info.plan_version)),
        ("Aturan hitung", RULES[info.counting_rule]),
    ]
    for label, value in details:
        ws.append([label, inert_text(value)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        if isinstance(value, datetime):  # a date-time cell, left-aligned like the text around it
            ws.cell(ws.max_row, 2).number_format = MOMENT_FORMAT
            ws.cell(ws.max_row, 2).alignment = Alignment(horizontal="left")
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


