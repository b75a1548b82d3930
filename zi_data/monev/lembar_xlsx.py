"""The lembar monev as a workbook: the same content as the PDF, from one `monev.report_data` dict.

Sheets: *Ringkasan* (the letterhead, the office, the plan year, the meeting and its nomor, the as-of month, the
counting rule, the summary metrics, then the signature block: see lembar_xlsx_summary), *Per Area*, *Per Tim* and *Per Komponen* (planned,
done and rate up to the as-of month and for the year; a rate is a number shown as a percentage), *Kurva S*,
*Terlambat* (grouped by team, as the Bukti Tertunggak workbook) and *Tindak Lanjut*. Every text cell is written
inert (cell_safety.inert_text), so typed text such as `=HYPERLINK(…)` stays text. Every sheet prints on A4
with all its columns on the page's width and its header repeated (plan_workbook.set_up_printing), the print
date in the footer.
"""

from datetime import date

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..base.cell_safety import inert_text
from .monev import KINDS, follow_up_state
from .lembar_xlsx_summary import add_letterhead, add_signatures, print_footer
from .monev_snapshot import overdue_frame
from ..base.clock import DEFAULT_ZONE, date_text, local_date, moment_text
from ..base.months import month_name
from ..plan.plan_workbook import BORDER, HEADER_FILL, WRAP_TOP, add_table_sheet, fit_row_heights, save_deterministic
from ..reporting.reports import OVERDUE_WIDTHS, overdue_table
from ..plan.status import COUNTING_RULES, OVERALL_GROUP, STATE_LABELS

SUMMARY_SHEET, KURVA_S_SHEET, OVERDUE_SHEET, FOLLOW_UP_SHEET = "Ringkasan", "Kurva S", "Terlambat", "Tindak Lanjut"
GROUP_SHEETS = {  # snapshot key: (sheet, header of the group column)
    "by_area": ("Per Area", "Area"),
    "by_team": ("Per Tim", "Penanggung Jawab"),
    "by_komponen": ("Per Komponen", "Komponen"),
}
AREA_NAME_HEADER = "Nama Area"
PERCENT, POINTS, DAY = "0.0%", "+0.0;-0.0;0.0", "DD/MM/YYYY"
FOLLOW_UP_WIDTHS = {"No.": 6, "Tindak Lanjut": 48, "Penanggung Jawab": 26, "Tenggat": 12, "ID Langkah Aksi": 14,
                    "Tanggal Rapat": 14, "Status": 22, "Catatan Penutupan": 40, "Ditutup oleh": 18,
                    "Tanggal Ditutup": 14}


def lembar_xlsx_bytes(report: dict) -> bytes:
    """The lembar monev workbook of `report` (monev.report_data's dict)."""
    snapshot = report["snapshot"]
    month = month_name(int(snapshot["as_of_month"])) if snapshot["as_of_month"] else "-"
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    _add_summary(workbook, report)
    for key, (title, header) in GROUP_SHEETS.items():
        names = snapshot.get("area_names") if key == "by_area" else None
        frame = group_frame(snapshot[key], snapshot["overall"], header, month, names)
        add_table_sheet(workbook, title, frame, {header: 40 if names is None else 8, AREA_NAME_HEADER: 40})
        _format_group_sheet(workbook[title], len(frame))
    add_table_sheet(workbook, KURVA_S_SHEET, kurva_s_table(snapshot["kurva_s"]), {})
    _format_columns(workbook[KURVA_S_SHEET], {4: PERCENT, 5: PERCENT, 6: POINTS})
    add_table_sheet(workbook, OVERDUE_SHEET, overdue_table(overdue_frame(snapshot)), OVERDUE_WIDTHS)
    add_table_sheet(workbook, FOLLOW_UP_SHEET, follow_up_table(report["follow_ups"], _zone(report)), FOLLOW_UP_WIDTHS)
    _format_columns(workbook[FOLLOW_UP_SHEET], {4: DAY, 6: DAY, 10: DAY})
    print_footer(workbook, report)
    workbook.properties.title = f"Lembar monev {report['office_name']} {report['year']}"
    return save_deterministic(workbook)


def group_frame(groups: dict, overall: dict, header: str, month: str, names: dict | None = None) -> pd.DataFrame:
    """One row per group (plan order) and a last row for the whole plan: planned, done and rate up to the
    as-of month and for the year; with `names` (area code → name) a column of area names follows the code."""
    rows = [[group, *rate_cells(shape)] for group, shape in groups.items()]
    rows.append([OVERALL_GROUP, *rate_cells(overall)])
    columns = [header, f"Rencana s.d. {month}", f"Selesai s.d. {month}", f"Capaian s.d. {month}",
               "Rencana Tahunan", "Selesai Tahunan", "Capaian Tahunan"]
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    if names is not None:
        frame.insert(1, AREA_NAME_HEADER, [names.get(group, "") for group in frame[header]])
    return frame.where(frame.notna(), None)


def rate_cells(shape: dict) -> list:
    """[planned, done, rate] up to the as-of month, then for the year (a rate is None when nothing is planned)."""
    return [value for part in ("as_of", "annual") for value in
            (shape[part]["planned"], shape[part]["done"], shape[part]["rate"])]


def kurva_s_table(kurva_s: list[dict]) -> pd.DataFrame:
    """The Kurva S month by month: cumulative item-months and percentages (as fractions) and the deviation."""
    rows = [[point["month_name"], point["planned"], point["realised"], _fraction(point["planned_pct"]),
             _fraction(point["realised_pct"]), point["deviation"]] for point in kurva_s]
    columns = ["Bulan", "Rencana Kumulatif (bulan-kegiatan)", "Realisasi Kumulatif (bulan-kegiatan)",
               "Rencana Kumulatif (%)", "Realisasi Kumulatif (%)", "Deviasi (poin persen)"]
    return pd.DataFrame(rows, columns=columns).astype(object)


def follow_up_table(follow_ups: list[dict], zone: str) -> pd.DataFrame:
    """The follow-ups with Indonesian headers; dates as dates (the day closed as it was in the office's `zone`),
    the state in words."""
    rows = [[row["follow_up_id"], row["action"], row["team"], _day(row["due_on"]), row["item_id"] or "",
             _day(row.get("meeting_held_on")), follow_up_state(row), row.get("closure_note") or "",
             row.get("closed_by") or "", local_date(row.get("closed_at"), zone)] for row in follow_ups]
    return pd.DataFrame(rows, columns=list(FOLLOW_UP_WIDTHS)).astype(object)


def summary_facts(report: dict) -> list[tuple[str, object]]:
    """The header of the lembar: (label, value) pairs, the meeting's when the report is of a meeting."""
    snapshot, meeting = report["snapshot"], report["meeting"]
    as_of = date.fromisoformat(snapshot["as_of"])
    month = int(snapshot["as_of_month"])
    facts = [("Kantor", report["office_name"]), ("Tahun rencana aksi", report["year"])]
    if meeting is None:
        facts.append(("Rapat", "Tanpa rapat tercatat (posisi terkini)"))
    else:
        names = [name for name in str(meeting["participants"] or "").split("\n") if name.strip()]
        count = meeting["participant_count"] if meeting["participant_count"] is not None else len(names)
        if str(meeting.get("nomor") or "").strip():
            facts.append(("Nomor", meeting["nomor"]))
        facts += [("Rapat nomor", meeting["meeting_id"]), ("Tanggal rapat", date_text(_day(meeting["held_on"]))),
                  ("Jenis rapat", KINDS.get(meeting["kind"], meeting["kind"])), ("Pimpinan rapat", meeting["chair"]),
                  ("Peserta", "\n".join(names) or "-"), ("Jumlah peserta", count)]
    facts += [("Bulan acuan", f"{month_name(month) if month else '-'} {snapshot['year']} "
                              f"(posisi per {date_text(as_of)})"),
              ("Aturan hitung", COUNTING_RULES.get(snapshot["aturan_hitung"], snapshot["aturan_hitung"])),
              ("Versi rencana aksi", snapshot["plan_version"]),
              ("Data diambil pada", moment_text(snapshot.get("taken_at"), _zone(report)))]
    if meeting is not None:
        facts += [("Catatan rapat", meeting["notes"] or "-"), ("Dicatat oleh", meeting["recorded_by"])]
    return facts


def _add_summary(workbook, report: dict) -> None:
    sheet = workbook.create_sheet(SUMMARY_SHEET)
    add_letterhead(sheet, report)
    sheet.append([])
    for label, value in summary_facts(report):
        _append(sheet, [label, value], bold_first=True)
    _add_metrics(sheet, report)
    fit_row_heights(sheet, first_row=6)
    add_signatures(sheet, report)


def _add_metrics(sheet, report: dict) -> None:
    snapshot = report["snapshot"]
    month = int(snapshot["as_of_month"])
    sheet.append([])
    _append_header(sheet, ["Ringkasan capaian", "Capaian", "Selesai", "Rencana"])
    for label, part in ((f"Capaian s.d. {month_name(month) if month else '-'}", "as_of"),
                        ("Capaian tahunan", "annual")):
        shape = snapshot["overall"][part]
        _append(sheet, [label, shape["rate"], shape["done"], shape["planned"]], bold_first=True)
        sheet.cell(sheet.max_row, 2).number_format = PERCENT
    sheet.append([])
    _append_header(sheet, ["Status bulan-kegiatan", "Jumlah"])
    for state, label in STATE_LABELS.items():
        _append(sheet, [label, snapshot["states"].get(state, 0)], bold_first=True)
    _append(sheet, ["Bukti tertunggak (bulan-kegiatan terlambat)", len(snapshot["overdue"])], bold_first=True)
    _append(sheet, ["Tindak lanjut", len(report["follow_ups"])], bold_first=True)
    _append(sheet, ["Tindak lanjut terbuka", sum(1 for row in report["follow_ups"] if not row["closed"])],
            bold_first=True)


def _append(sheet, values: list, bold_first: bool = False) -> None:
    sheet.append([inert_text(value) for value in values])
    for cell in sheet[sheet.max_row]:
        cell.alignment, cell.border = WRAP_TOP, BORDER
    if bold_first:
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)


def _append_header(sheet, headers: list[str]) -> None:
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _format_group_sheet(sheet, rows: int) -> None:
    """Rates as percentages, the counts' columns narrow, the whole-plan row bold."""
    first_count = 3 if sheet.cell(1, 2).value == AREA_NAME_HEADER else 2
    _format_columns(sheet, {first_count + 2: PERCENT, first_count + 5: PERCENT})
    for offset in range(6):
        sheet.column_dimensions[get_column_letter(first_count + offset)].width = 14
    for cell in sheet[rows + 1]:
        cell.font = Font(bold=True)
    fit_row_heights(sheet)  # again, at the narrower widths


def _format_columns(sheet, formats: dict[int, str]) -> None:
    for column, number_format in formats.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format


def _zone(report: dict) -> str:
    """The office's time zone label the report's moments are shown in (monev.report_data gives it)."""
    return report.get("zone") or DEFAULT_ZONE


def _fraction(percent):
    return None if percent is None else percent / 100


def _day(value) -> date | None:
    """A date from a date or an ISO date/time text ('' and None: none)."""
    if value is None or value == "" or isinstance(value, date):
        return value or None
    return date.fromisoformat(str(value)[:10])
