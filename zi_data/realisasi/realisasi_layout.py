"""The Realisasi workbook's layout: sheet names, columns and their header spellings, the metadata fields.

Shared by the export (realisasi_export), the reading of an upload (realisasi_upload) and the row checks.
"""

import re

from openpyxl.utils import get_column_letter

from ..base.cell_values import cell_text, key_text, squash
from ..store.counting_rule import RULES
from ..store.progress_rows import STATUSES

REALISASI_SHEET = "Realisasi"
GUIDE_SHEET = "Petunjuk"
META_SHEET = "Info Unduhan"
FORMAT = "zi-monitor/realisasi/1"
EXAMPLE_MARK = "CONTOH — data fiktif"
DATE_FORMAT = "DD/MM/YYYY"

# (key, header, width): the columns filled from the plan, then the columns the team fills in
FROM_THE_PLAN = [("id", "ID", 9), ("area", "Area", 18), ("komponen", "Komponen", 22), ("langkah_aksi", "Langkah Aksi", 46),
                 ("bukti_fisik", "Bukti Fisik (wajib)", 34), ("month", "Bulan", 11),
                 ("penanggung_jawab", "Penanggung Jawab", 20)]
FILLED_IN = [("status", "Status", 12), ("bukti_dukung", "Bukti Dukung (tautan/nama dokumen)", 40),
             ("tanggal", "Tanggal Selesai", 14), ("catatan", "Catatan/Kendala", 40), ("reported_by", "Dilaporkan oleh", 18)]
# (key, header, width, pre-filled from the plan)
COLUMNS = [(*column, True) for column in FROM_THE_PLAN] + [(*column, False) for column in FILLED_IN]
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
    ("kode_kantor", "Kode kantor (kode wilayah Kemendagri)"),
    ("aturan_hitung", "Aturan hitung capaian saat buku kerja dibuat: "
                      + "; ".join(f"{rule} = {label}" for rule, label in RULES.items())),
]


def header_label(value) -> str:
    """A header cell as compared with HEADER_ALIASES: upper case, no '(…)', spaces squashed."""
    text = re.sub(r"\([^)]*\)", " ", cell_text(value).upper())
    return re.sub(r"\s*/\s*", "/", squash(text)).rstrip(":")


def status_of(text: str) -> str | None:
    """The status `text` names (case, spacing and invisible characters ignored), or None."""
    wanted = key_text(text)
    return next((status for status in STATUSES if status.casefold() == wanted), None)


def column_name(columns: dict[str, int], key: str) -> str:
    """'H (Status)': where column `key` is on a sheet whose columns are `columns` (key -> 1-based column)."""
    col = columns.get(key)
    name = re.sub(r"\s*\(.*\)", "", HEADERS[key])
    return f"{get_column_letter(col)} ({name})" if col else name
