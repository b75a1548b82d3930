"""Build data/rencana_aksi_2025.xlsx from the reviewable CSV transcription in data/source/.

Usage: python scripts/build_plan_workbook.py [--check]
--check exits 1 if the committed workbook differs from a fresh build.
"""

import csv
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generated_file import write_or_check  # noqa: E402

from zi_data.plan.plan import PLAN_COLUMNS  # noqa: E402
from zi_data.plan.plan_workbook import plan_workbook_bytes  # noqa: E402

SOURCE = ROOT / "data" / "source"
TARGET = ROOT / "data" / "rencana_aksi_2025.xlsx"
CONTINUED = ("no", "komponen", "indikator", "bukti_fisik", "penanggung_jawab")


def plan_from_transcription(path: Path) -> pd.DataFrame:
    """Rows of the CSV, blank cells continuing the row above (merged in the source)."""
    records, area, area_name, current = [], "", "", {}
    komponen_pos = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if not row["id"]:
                area, area_name, current, komponen_pos = row["no"], row["komponen"], {}, 0
                continue
            if row["komponen"]:
                komponen_pos += 1
                current.pop("indikator", None)
                current.pop("bukti_fisik", None)
            if row["indikator"]:
                current.pop("bukti_fisik", None)
            current.update({key: row[key] for key in CONTINUED if row[key]})
            records.append({
                "id": row["id"], "area": area, "area_name": area_name, "no": current.get("no", ""),
                "komponen_pos": komponen_pos, "komponen": current["komponen"],
                "indikator": current.get("indikator", ""), "langkah_aksi": row["langkah_aksi"],
                "bukti_fisik": current.get("bukti_fisik", ""), "penanggung_jawab": current["penanggung_jawab"],
                "months": tuple(m for m in range(1, 13) if row[str(m)].strip()), "row": line,
            })
    return pd.DataFrame.from_records(records, columns=PLAN_COLUMNS)


def build() -> bytes:
    plan = plan_from_transcription(SOURCE / "rencana_aksi_2025.csv")
    info = dict(pd.read_csv(SOURCE / "info_2025.csv", dtype=str).itertuples(index=False))
    notes = pd.read_csv(SOURCE / "catatan_2025.csv", dtype=str, keep_default_na=False)
    notes.columns = ["Jenis", "Lokasi", "Teks sumber", "Catatan"]
    return plan_workbook_bytes(plan, info, notes)


def main() -> int:
    return write_or_check(TARGET, build, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
