"""Indonesian column headers for showing the preview's frames (new, changed, conflicts, plan changes, carried)."""

from .plan_changes import PLAN_CHANGE_LABELS

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
