"""Import → preview time for the bundled plan with a full year of progress.

Exports the Realisasi workbook of the whole bundled plan through Desember, fills all
671 planned item-months (70 % Selesai with bukti dukung, 20 % Sebagian, 10 % Belum,
each with a date and a note), and times (median and best of RUNS runs):

- reading and checking the file alone (zip checks, Realisasi, metadata and plan sheets);
- preview_upload against an empty store (all 671 rows new);
- apply_preview of that preview (one transaction, archive and upload record), on a fresh store each run;
- preview_upload of the same file against a store that already holds it (all unchanged);
- export_workbook with the full year recorded;
- `python -m zi_data import FILE` (preview only) as a user runs it, interpreter start-up included.

    .venv/bin/python benchmarks/bench_import.py     # writes benchmarks/results/import.json
"""

import os
import random
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd

from timing import ROOT

import timing

from zi_data.base.months import MONTHS
from zi_data.store.plan_years import open_seeded
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.realisasi_layout import COLUMN_INDEX, REALISASI_SHEET
from zi_data.realisasi.realisasi_upload import read_upload
from zi_data.files.uploaded_file import UploadedFile

RUNS = 5
SEED = 2025
RESULTS = Path(__file__).resolve().parent / "results" / "import.json"


def full_year_workbook(store) -> bytes:
    import io
    book = openpyxl.load_workbook(io.BytesIO(export_workbook(store, through_month=12)))
    ws = book[REALISASI_SHEET]
    rng = random.Random(SEED)
    col = COLUMN_INDEX
    for row in range(2, ws.max_row + 1):
        month = MONTHS.index(ws.cell(row, col["month"]).value) + 1
        status = rng.choices(["Selesai", "Sebagian", "Belum"], weights=[70, 20, 10])[0]
        ws.cell(row, col["status"]).value = status
        ws.cell(row, col["bukti_dukung"]).value = (f"https://drive.example/zi/{ws.cell(row, 1).value}-{month}.pdf"
                                                   if status != "Belum" else None)
        ws.cell(row, col["tanggal"]).value = date(2025, month, rng.randint(1, 28))
        ws.cell(row, col["catatan"]).value = "terlaksana sesuai jadwal" if status == "Selesai" else "kendala anggaran"
        ws.cell(row, col["reported_by"]).value = "Pengisi"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seconds(function, runs=RUNS, setup=None) -> dict:
    return timing.seconds(function, runs, setup)


def main() -> int:
    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        empty = ProgressStore(database=open_seeded(base / "empty"))
        data = full_year_workbook(empty)
        path = base / "realisasi_setahun.xlsx"
        path.write_bytes(data)
        preview = preview_upload(empty, data, path.name)
        assert preview.ok and preview.counts()["new"] == 671, preview.counts()

        full = ProgressStore(database=open_seeded(base / "full"))
        apply_preview(full, preview_upload(full, data, path.name), by="bench")
        again = preview_upload(full, data, path.name)
        assert again.ok and again.counts()["unchanged"] == 671, again.counts()

        fresh_stores = iter(range(10_000))

        def new_store_and_preview():
            store = ProgressStore(database=open_seeded(base / f"fresh{next(fresh_stores)}"))
            return store, preview_upload(store, data, path.name)

        def apply(prepared):
            store, fresh_preview = prepared
            apply_preview(store, fresh_preview, by="bench")

        env = {**os.environ, "ZI_DATA_DIR": str(base / "empty"), "PYTHONPATH": str(ROOT)}
        timings = {
            "read + check the file (no store)": seconds(
                lambda: read_upload(UploadedFile(data, path.name))),
            "preview_upload, empty store (671 new)": seconds(lambda: preview_upload(empty, data, path.name)),
            "apply_preview (one transaction, 671 entries)": seconds(apply, setup=new_store_and_preview),
            "preview_upload, full store (671 unchanged)": seconds(lambda: preview_upload(full, data, path.name)),
            "export_workbook, full year recorded": seconds(lambda: export_workbook(full)),
            "CLI: python -m zi_data import FILE (preview)": seconds(lambda: subprocess.run(
                [sys.executable, "-m", "zi_data", "import", str(path)], env=env, cwd=ROOT, check=True,
                capture_output=True), runs=3),
        }
    sizes = {"items": 68, "item_months": 671, "file_bytes": len(data), "runs": RUNS}
    print(f"bundled plan, full year: {sizes['item_months']} item-months filled, file {len(data):,} bytes; "
          f"median and best of {RUNS} runs (CLI: 3)")
    timing.report(timings, RESULTS, sizes=sizes, cpus=os.cpu_count(), pandas=pd.__version__, openpyxl=openpyxl.__version__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
