"""Checking the rows of an uploaded Realisasi sheet against the plan: one Indonesian problem per bad row."""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..base.cell_safety import MAX_CELL_CHARS, exported_length, needs_mark
from ..base.cell_values import FIRST_DATE, LAST_DATE, DateOutOfRange, cell_text, date_of, key_text, month_of, number_of
from ..base.months import month_name
from ..base.problems import Problem, shown
from ..store.progress_rows import STATUSES
from .realisasi_layout import VALUE_KEYS, status_of
from .realisasi_upload import UploadedWorkbook


@dataclass
class CheckedRows:
    entries: list[dict]  # row, item_id, month, status, bukti_dukung, tanggal, catatan, reported_by
    blanked: list[dict]  # row, item_id, month: rows with every report cell empty
    errors: list[Problem]
    warnings: list[Problem]
    untouched: int = 0  # rows still holding the value recorded when the workbook was made
    rejected: int = 0  # rows of a team the uploader may not change


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
    checker = _RowChecker(upload, plan, team, base or {}, allowed_team, aliases or {})
    for record in upload.rows:
        checker.check(record)
    return checker.checked


class _RowChecker:
    """The steps of check_rows; each step that finds a problem records it and returns None."""

    def __init__(self, upload: UploadedWorkbook, plan: pd.DataFrame, team: str | None,
                 base: dict[tuple[str, int], tuple], allowed_team: str | None, aliases: dict[str, str]):
        self.items = {item.id: item for item in plan.itertuples(index=False)}
        self.folded = {key_text(item_id): item for item_id, item in self.items.items()}
        self.year = plan.attrs.get("year")
        self.upload, self.team, self.base, self.allowed_team, self.aliases = upload, team, base, allowed_team, aliases
        self.checked = CheckedRows([], [], [], [])
        self.seen: dict[tuple[str, int], int] = {}

    def error(self, row: int, key: str, message: str, fix: str) -> None:
        self.checked.errors.append(Problem(message, self.upload.sheet, row, self.upload.column(key), fix))

    def warn(self, row: int, key: str, message: str, fix: str | None = None) -> None:
        self.checked.warnings.append(Problem(message, self.upload.sheet, row, self.upload.column(key), fix))

    def check(self, record: dict) -> None:
        row = record["row"]
        item_id = cell_text(record.get("id"))
        report = {key: cell_text(record.get(key)) for key in VALUE_KEYS}
        if not any(report.values()):
            month = month_of(record.get("month"))
            if item_id in self.items and month:
                self.checked.blanked.append({"row": row, "item_id": item_id, "month": month})
            return
        if self._untouched(row, item_id, report, record):
            return
        item = self._item(row, item_id)
        if item is None or not self._may_report(row, item):
            return
        month = self._month(row, item, record)
        if month is None:
            return
        value = self._status_and_date(row, report, record)
        if value is None or self._too_long(row, report, record):
            return
        status, tanggal = value
        self._warn_unusual(row, item.id, month, status, tanggal, report)
        self.checked.entries.append({
            "row": row, "item_id": item.id, "month": month, "status": status,
            "bukti_dukung": report["bukti_dukung"], "tanggal": tanggal.isoformat() if tanggal else "",
            "catatan": report["catatan"], "reported_by": cell_text(record.get("reported_by")),
        })

    def _untouched(self, row: int, item_id: str, report: dict, record: dict) -> bool:
        """A row still holding the value recorded at the download is counted, not checked."""
        key = (item_id, month_of(record.get("month")))
        if key not in self.base or key in self.seen or not _same_value(report, record.get("tanggal"), self.base[key]):
            return False
        self.seen[key] = row
        self.checked.untouched += 1
        return True

    def _item(self, row: int, item_id: str):
        """The plan row `item_id` names: as typed, with case and invisible characters ignored, or by an old ID."""
        if not item_id:
            self.error(row, "id", "ID kosong padahal baris ini berisi laporan.",
                       "Salin ID dari baris yang diunduh; setiap laporan harus memiliki ID langkah aksi.")
            return None
        item = self.items.get(item_id) or self.folded.get(key_text(item_id))
        if item is None and self.aliases.get(item_id) in self.items:
            self.warn(row, "id", f"ID lama {shown(item_id)} dicatat sebagai {self.aliases[item_id]} (ID langkah "
                                 "aksi diganti pada revisi rencana).")
            item = self.items[self.aliases[item_id]]
        if item is None:
            self.error(row, "id", f"ID '{shown(item_id)}' tidak ada di rencana aksi.",
                       "Jangan mengubah kolom ID; gunakan baris dari buku kerja yang diunduh.")
        return item

    def _may_report(self, row: int, item) -> bool:
        """False for another team's row: rejected for an editor, an error in a one-team workbook."""
        if self.allowed_team is not None and item.penanggung_jawab != self.allowed_team:
            self.checked.rejected += 1
            self.warn(row, "id", f"Ditolak: langkah aksi {item.id} milik {item.penanggung_jawab}; Anda hanya dapat "
                                 f"memperbarui baris {self.allowed_team}.",
                      f"Baris ini dilewati; laporan {item.penanggung_jawab} diunggah oleh ketua tim tersebut atau "
                      "admin.")
            return False
        if self.team is not None and item.penanggung_jawab != self.team:
            self.error(row, "id", f"Langkah aksi {item.id} milik {item.penanggung_jawab}, padahal buku kerja ini "
                                  f"dibuat untuk {self.team}.",
                       f"Hapus baris ini; laporan {item.penanggung_jawab} diunggah dengan buku kerja tim tersebut.")
            return False
        return True

    def _month(self, row: int, item, record: dict) -> int | None:
        """The row's month when it is one the item is planned in and no earlier row reported it."""
        month = month_of(record.get("month"))
        raw_month = cell_text(record.get("month"))
        if month is None:
            message = (f"Bulan {shown(raw_month)} di luar 1–12." if number_of(record.get("month")) is not None
                       else "Bulan kosong." if not raw_month else f"Bulan '{shown(raw_month)}' tidak dikenal.")
            self.error(row, "month", message, "Tulis nama bulan (misalnya 'Maret') atau angka 1–12.")
            return None
        if month not in item.months:
            scheduled = ", ".join(month_name(m) for m in item.months) or "tidak ada"
            self.error(row, "month", f"{item.id} tidak dijadwalkan pada bulan {month_name(month)} "
                                     f"(jadwal: {scheduled}).",
                       "Laporkan hanya bulan yang dijadwalkan di rencana aksi.")
            return None
        key = (item.id, month)
        if key in self.seen:
            self.error(row, "id", f"{item.id} bulan {month_name(month)} sudah diisi di baris {self.seen[key]}.",
                       "Gabungkan laporannya dalam satu baris dan hapus baris lainnya.")
            return None
        self.seen[key] = row
        return month

    def _status_and_date(self, row: int, report: dict, record: dict) -> tuple[str, date | None] | None:
        status = status_of(report["status"])
        if status is None:
            self.error(row, "status", "Status kosong padahal baris ini berisi laporan." if not report["status"]
                       else f"Status '{shown(report['status'])}' tidak dikenal.",
                       f"Pilih salah satu: {', '.join(STATUSES)}.")
            return None
        try:
            return status, date_of(record.get("tanggal"))
        except DateOutOfRange:
            self.error(row, "tanggal", f"Tanggal '{shown(report['tanggal'])}' di luar rentang tanggal Excel "
                                       f"({FIRST_DATE:%d/%m/%Y}–{LAST_DATE:%d/%m/%Y}).",
                       "Periksa tahunnya; tulis tanggal seperti 17/11/2025 atau kosongkan.")
        except ValueError:
            self.error(row, "tanggal", f"Tanggal '{shown(report['tanggal'])}' tidak dikenal.",
                       "Tulis tanggal seperti 17/11/2025 atau kosongkan.")
        return None

    def _too_long(self, row: int, report: dict, record: dict) -> bool:
        """True (after one error per cell) when a text is longer than an Excel cell holds."""
        texts = (("bukti_dukung", report["bukti_dukung"]), ("catatan", report["catatan"]),
                 ("reported_by", cell_text(record.get("reported_by"))))
        too_long = [(key, text) for key, text in texts if exported_length(text) > MAX_CELL_CHARS]
        for key, text in too_long:
            self.error(row, key, _too_long_message(text),
                       "Persingkat teksnya, misalnya simpan uraian panjang dalam dokumen dan tulis tautannya di sini.")
        return bool(too_long)

    def _warn_unusual(self, row: int, item_id: str, month: int, status: str, tanggal: date | None,
                      report: dict) -> None:
        if tanggal and self.year and tanggal.year != int(self.year):
            self.warn(row, "tanggal", f"Tanggal {tanggal.strftime('%d/%m/%Y')} berada di luar tahun rencana aksi "
                                      f"({self.year}).", "Periksa tahunnya.")
        if status == "Selesai" and not report["bukti_dukung"]:
            self.warn(row, "bukti_dukung", f"{item_id} bulan {month_name(month)} berstatus Selesai tanpa bukti "
                                           "dukung; belum dihitung selesai.",
                      "Isi tautan atau nama dokumen bukti dukung.")


def _same_value(report: dict, tanggal_cell, base_value: tuple) -> bool:
    try:
        tanggal = date_of(tanggal_cell)
        tanggal_text = tanggal.isoformat() if tanggal else ""
    except ValueError:  # a date an older version stored, exported as text
        tanggal_text = report["tanggal"]
    value = (status_of(report["status"]) or report["status"], report["bukti_dukung"], tanggal_text, report["catatan"])
    return value == base_value


def _too_long_message(text: str) -> str:
    def number(n):
        return f"{n:,}".replace(",", ".")
    mark = (" (termasuk tanda petik ' yang ditambahkan saat diunduh di depan teks yang diawali =, +, - atau @)"
            if needs_mark(text) else "")
    return (f"Teks terlalu panjang: {number(exported_length(text))} karakter{mark}, padahal satu sel Excel memuat "
            f"paling banyak {number(MAX_CELL_CHARS)} karakter.")
