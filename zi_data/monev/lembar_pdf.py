"""The lembar monev as a PDF (A4 portrait, ready to print and sign), from `monev.report_data(...)`'s dict.

Sections: the letterhead (kop surat: logo, office name and address, see lembar_pdf_kop), the title and the
meeting's document number, the header (meeting, as-of month, counting rule), the summary metrics, completion
per area and per team and the Kurva S (drawn natively, see lembar_pdf_charts), the overdue evidence per team,
the follow-ups as they stood on the meeting's day, and the signature block (Mengetahui, the Ketua KPU, beside
the Ketua Tim Kerja ZI). The print date is in the footer only. The same report gives the same bytes: the
PDF's creation date is the meeting's recording time (or the snapshot's).
"""

from collections import defaultdict
from datetime import datetime, timezone
from math import floor

from .lembar_pdf_charts import (ROW_HEIGHT, completion_chart, completion_chart_height, kurva_s_chart,
                                kurva_s_chart_height)
from .lembar_pdf_kop import letterhead_block, signature_block
from .lembar_pdf_layout import CONTENT_WIDTH, MARGIN, LembarDocument, line_height, rgb
from .lembar_pdf_tables import Column, table
from ..store.counting_rule import RULES, rule_label
from .monev import KINDS, follow_up_state
from .monev_tables import participants_text
from ..base.clock import DEFAULT_ZONE, date_text, local_date
from ..base.months import format_percent, month_name

TITLE = "Lembar Monitoring dan Evaluasi Pembangunan Zona Integritas"
HEADING_SIZE = 10
BODY_SIZE = 8.5
LABEL_WIDTH = 38.0
OVERDUE_COLUMNS = [Column("ID", 17), Column("Bulan", 18), Column("Langkah aksi", 68, max_lines=3),
                   Column("Bukti fisik", 57, max_lines=4), Column("Hari terlambat", 20, max_lines=2, align="R")]
FOLLOW_UP_COLUMNS = [Column("Tindak lanjut", 62, max_lines=10), Column("Tim", 34, max_lines=3),
                     Column("Batas waktu", 22, max_lines=2), Column("ID", 16), Column("Status", 46, max_lines=6)]


def lembar_pdf_bytes(report: dict) -> bytes:
    return bytes(build_lembar(report).output())


def build_lembar(report: dict) -> LembarDocument:
    """The laid-out document; its `drawn` lists every text with its box (see lembar_pdf_layout)."""
    snapshot = report["snapshot"]
    office_name = report.get("office_name") or snapshot.get("office_name") or snapshot.get("office", "")
    year = report.get("year") or snapshot["year"]
    as_of = f"{month_name(snapshot['as_of_month'])} {year}"
    doc = LembarDocument(footer_note=f"Lembar monev ZI · {office_name} · posisi s.d. {as_of}",
                         printed=date_text(report.get("printed_on")))
    _metadata(doc, report, office_name, year, as_of)
    doc.alias_nb_pages()
    y = doc.new_page()
    y = _header(doc, y, report, office_name, year, as_of)
    y = _metrics(doc, y + 3, snapshot, as_of)
    y = _completion_section(doc, y + 4, "Capaian per area", _area_rows(snapshot))
    y = _completion_section(doc, y + 3, "Capaian per tim", list(snapshot["by_team"].items()))
    y = _kurva_s_section(doc, y + 3, snapshot)
    y = _overdue_section(doc, y + 4, snapshot["overdue"], as_of)
    y = _follow_up_section(doc, y + 4, report)
    signature_block(doc, y + 6, report, office_name)
    return doc


def _metadata(doc: LembarDocument, report: dict, office_name: str, year: int, as_of: str) -> None:
    doc.set_title(doc.clean(f"Lembar Monev ZI {office_name} {year} (posisi s.d. {as_of})"))
    doc.set_author(doc.clean(office_name))
    doc.set_subject(TITLE)
    doc.set_creator("ZI Monitor")
    doc.set_lang("id")
    meeting = report.get("meeting") or {}
    doc.set_creation_date(_timestamp(meeting.get("recorded_at") or report["snapshot"].get("taken_at")))


def _timestamp(value) -> datetime:
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        moment = datetime(2000, 1, 1)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _heading(doc: LembarDocument, y: float, text: str, needed: float) -> float:
    """A section heading at y, moved to a new page with what follows when `needed` mm do not fit."""
    if line_height(HEADING_SIZE) + 1 + needed > doc.room_left(y):
        y = doc.new_page()
    doc.text_line(MARGIN, y, CONTENT_WIDTH, text, size=HEADING_SIZE, bold=True)
    return y + line_height(HEADING_SIZE) + 1


def _header(doc: LembarDocument, y: float, report: dict, office_name: str, year: int, as_of: str) -> float:
    y = letterhead_block(doc, y, report, office_name) + 1
    doc.text_line(MARGIN, y, CONTENT_WIDTH, TITLE, size=11, bold=True, align="C")
    y += line_height(11)
    doc.text_line(MARGIN, y, CONTENT_WIDTH, f"Rencana Aksi Tahun {year}", size=9, align="C")
    y += line_height(9)
    nomor = str((report.get("meeting") or {}).get("nomor") or "").strip()
    if nomor:
        doc.text_line(MARGIN, y, CONTENT_WIDTH, f"Nomor: {nomor}", size=9, align="C")
        y += line_height(9)
    y += 2
    doc.set_draw_color(*rgb("#BDBDBD"))
    doc.set_line_width(0.3)
    doc.line(MARGIN, y, MARGIN + CONTENT_WIDTH, y)
    y += 2
    for label, value, max_lines in _header_fields(report, as_of):
        top = y
        doc.text_line(MARGIN, y, LABEL_WIDTH, label, size=BODY_SIZE, bold=True)
        y = doc.paragraph(MARGIN + LABEL_WIDTH, top, CONTENT_WIDTH - LABEL_WIDTH, value, size=BODY_SIZE,
                          max_lines=max_lines) + 0.6
    return y


def _header_fields(report: dict, as_of: str) -> list[tuple[str, str, int]]:
    snapshot, meeting = report["snapshot"], report.get("meeting")
    rule = snapshot.get("aturan_hitung")
    position = f"Posisi s.d. {as_of} · {rule_label(rule) if rule in RULES else rule}"
    if not meeting:
        return [("Rapat", "Laporan tanpa rapat tercatat", 1),
                ("Dibuat", date_text(local_date(snapshot.get("taken_at"), report.get("zone") or DEFAULT_ZONE)), 1),
                ("Posisi data", position, 2)]
    kind = KINDS.get(meeting.get("kind"), str(meeting.get("kind", "")))
    fields = [("Rapat", f"{kind}, {date_text(meeting.get('held_on'))}", 2),
              ("Pimpinan rapat", meeting.get("chair", ""), 2),
              ("Peserta", participants_text(meeting), 6), ("Posisi data", position, 2)]
    if str(meeting.get("notes") or "").strip():
        fields.append(("Catatan rapat", meeting["notes"], 12))
    return fields


def _metrics(doc: LembarDocument, y: float, snapshot: dict, as_of: str) -> float:
    overall = snapshot["overall"]
    boxes = [(f"Capaian s.d. {as_of}", overall["as_of"]), (f"Capaian tahunan {snapshot['year']}", overall["annual"]),
             ("Bukti tertunggak", None)]
    width, height = (CONTENT_WIDTH - 2 * 4) / 3, 20.0
    for number, (label, rates) in enumerate(boxes):
        x = MARGIN + number * (width + 4)
        doc.set_draw_color(*rgb("#BDBDBD"))
        doc.set_line_width(0.3)
        doc.rect(x, y, width, height)
        doc.text_line(x + 2, y + 1.5, width - 4, label, size=8, bold=True)
        if rates is None:
            value, detail = str(len(snapshot["overdue"])), "bulan-kegiatan terlambat"
        else:
            value, detail = format_percent(rates["rate"]), f"{rates['done']} dari {rates['planned']} bulan-kegiatan"
        doc.text_line(x + 2, y + 6, width - 4, value, size=15, bold=True)
        doc.text_line(x + 2, y + 14, width - 4, detail, size=7.5)
    return y + height


def _area_rows(snapshot: dict) -> list[tuple[str, dict]]:
    names = snapshot.get("area_names") or {}
    return [(f"{code} – {names[code]}" if names.get(code) else str(code), rates)
            for code, rates in snapshot["by_area"].items()]


def _completion_section(doc: LembarDocument, y: float, title: str, rows: list[tuple[str, dict]]) -> float:
    """Completion bars under a heading; a chart longer than the page goes on over the next pages."""
    continued = False
    while rows:
        needed = completion_chart_height(min(len(rows), 2))
        y = _heading(doc, y, title + (" (lanjutan)" if continued else ""), needed)
        fitting = max(1, floor((doc.room_left(y) - completion_chart_height(0)) / ROW_HEIGHT))
        y = completion_chart(doc, MARGIN, y, CONTENT_WIDTH, rows[:fitting])
        rows, continued = rows[fitting:], True
        if rows:
            y = doc.new_page()
    return y


def _kurva_s_section(doc: LembarDocument, y: float, snapshot: dict) -> float:
    y = _heading(doc, y, "Kurva S: rencana vs realisasi kumulatif", kurva_s_chart_height())
    return kurva_s_chart(doc, MARGIN, y, CONTENT_WIDTH, snapshot.get("kurva_s") or [], snapshot["as_of_month"])


def _overdue_section(doc: LembarDocument, y: float, overdue: list[dict], as_of: str) -> float:
    y = _heading(doc, y, f"Bukti tertunggak per tim ({len(overdue)} bulan-kegiatan)", 20)
    if not overdue:
        doc.text_line(MARGIN, y, CONTENT_WIDTH, f"Tidak ada bukti tertunggak s.d. {as_of}.", size=BODY_SIZE)
        return y + line_height(BODY_SIZE)
    by_team = defaultdict(list)
    for row in overdue:
        by_team[str(row.get("penanggung_jawab") or "–")].append(row)
    for team in sorted(by_team):
        rows = [[row["id"], row.get("month_name") or month_name(row["month"]), row.get("langkah_aksi", ""),
                 row.get("bukti_fisik", ""), str(row.get("days_overdue", ""))] for row in by_team[team]]
        y = table(doc, y, OVERDUE_COLUMNS, rows, heading=f"{team} ({len(rows)} bulan-kegiatan)") + 3
    return y


def _follow_up_section(doc: LembarDocument, y: float, report: dict) -> float:
    title = "Tindak lanjut hasil rapat" if report.get("meeting") else "Tindak lanjut yang masih terbuka"
    follow_ups = report.get("follow_ups") or []
    y = _heading(doc, y, f"{title} ({len(follow_ups)})", 20)
    if not follow_ups:
        doc.text_line(MARGIN, y, CONTENT_WIDTH, "Belum ada tindak lanjut yang dicatat.", size=BODY_SIZE)
        return y + line_height(BODY_SIZE)
    rows = [[item.get("action", ""), item.get("team", ""), date_text(item.get("due_on")), item.get("item_id") or "–",
             _state_with_note(item)] for item in follow_ups]
    return table(doc, y, FOLLOW_UP_COLUMNS, rows)


def _state_with_note(item: dict) -> str:
    note = str(item.get("closure_note") or "").strip() if item.get("closed") else ""
    return f"{follow_up_state(item)}: {note}" if note else follow_up_state(item)
