"""Build data/contoh_realisasi_2025.xlsx: an EXAMPLE filled Realisasi workbook (fictitious data).

It is the download workbook of the whole bundled plan through Oktober, made from an
empty store (base revision 0, plan version 1) so it imports cleanly into a fresh data
directory, filled with a realistic, fixed mix: most item-months Selesai with a link
or document name as bukti dukung, some Sebagian, some Belum with their kendala, a few
left empty. Upload it to see the dashboard come alive; undo the upload afterwards.

Usage: python scripts/build_example_workbook.py [--check]
--check exits 1 if the committed workbook differs from a fresh build.
"""

import random
import sys
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generated_file import write_or_check  # noqa: E402

from zi_data.base import paths  # noqa: E402
from zi_data.base.months import month_name  # noqa: E402
from zi_data.plan.plan import read_plan  # noqa: E402
from zi_data.store.progress_store import ENTRY_COLUMNS  # noqa: E402
from zi_data.realisasi.realisasi_export import export_info, realisasi_rows, workbook_bytes  # noqa: E402

TARGET = ROOT / "data" / "contoh_realisasi_2025.xlsx"
THROUGH_MONTH = 10
CREATED_AT = "2025-11-01T00:00:00Z"
PLAN_VERSION = 1  # a fresh data directory holds the bundled plan as version 1
SEED = 2025
REPORTERS = ("Andi Pratama", "Bunga Lestari", "Citra Handayani", "Dedi Kurniawan", "Eka Saputra",
             "Fajar Nugroho", "Gita Permata")
KENDALA_SEBAGIAN = (
    "Menunggu tanda tangan pimpinan.",
    "Sebagian peserta belum hadir; dijadwalkan ulang.",
    "Dokumentasi kegiatan belum lengkap.",
    "Laporan masih dalam penyusunan.",
)
KENDALA_BELUM = (
    "Anggaran belum tersedia.",
    "Bertepatan dengan tahapan Pilkada; ditunda.",
    "Menunggu arahan KPU Provinsi.",
    "Narasumber belum dapat hadir.",
)
# (Selesai, Sebagian, Belum, empty) weights: months long past are mostly done, recent ones less so.
WEIGHTS_PAST = (80, 8, 5, 7)
WEIGHTS_RECENT = (50, 20, 10, 20)


def fill(rows: pd.DataFrame, rng: random.Random) -> pd.DataFrame:
    teams = list(dict.fromkeys(rows["penanggung_jawab"]))
    reporter = {team: REPORTERS[i % len(REPORTERS)] for i, team in enumerate(teams)}
    rows = rows.copy()
    for index, row in rows.iterrows():
        weights = WEIGHTS_PAST if row["month"] <= THROUGH_MONTH - 2 else WEIGHTS_RECENT
        status = rng.choices(["Selesai", "Sebagian", "Belum", ""], weights=weights)[0]
        if not status:
            continue
        day = date(2025, int(row["month"]), rng.randint(3, 28))
        document = _short(row["bukti_fisik"])
        if status == "Selesai":
            bukti = (f"https://bukti.contoh.example/kapuas/{row['id']}/2025-{int(row['month']):02d}"
                     if rng.random() < 0.6 else f"{document} – {month_name(int(row['month']))} 2025.pdf")
            note = rng.choice(["", "", "Terlaksana sesuai jadwal."])
        elif status == "Sebagian":
            bukti = f"{document} (draf).docx" if rng.random() < 0.5 else ""
            note = rng.choice(KENDALA_SEBAGIAN)
        else:
            bukti, note = "", rng.choice(KENDALA_BELUM)
        rows.loc[index, ["status", "bukti_dukung", "tanggal", "catatan", "reported_by"]] = [
            status, bukti, day.isoformat() if status == "Selesai" else "", note, reporter[row["penanggung_jawab"]]]
    return rows


def _short(text: str, limit: int = 60) -> str:
    """The first item of a bukti fisik list, cut at a word boundary: a plausible document name."""
    first = text.split(",")[0].strip().rstrip(".")
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0].rstrip(" /-")


def build() -> bytes:
    plan = read_plan(paths.BUNDLED_PLAN)
    empty = pd.DataFrame(columns=ENTRY_COLUMNS)
    rows = fill(realisasi_rows(plan, empty, None, THROUGH_MONTH), random.Random(SEED))
    info = export_info(plan, None, THROUGH_MONTH, revision=0, plan_version=PLAN_VERSION, created_at=CREATED_AT,
                          example=True)
    return workbook_bytes(plan, rows, info)


def main() -> int:
    return write_or_check(TARGET, build, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
