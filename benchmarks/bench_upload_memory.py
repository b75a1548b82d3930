"""Peak memory and time of previewing an upload, for ordinary and hostile workbooks.

Each file is previewed as the dashboard does (preview_upload: the guard and the parsing run
in a worker process with a memory limit, the comparison with the store in this process),
timed as wall-clock seconds (median of RUNS). The worker's peak resident memory is measured
by running the same worker job once more with a probe that reports the worker's own
ru_maxrss (it includes the ~100 MB of libraries every worker inherits from the fork server).

- full year: the bundled plan's realisasi workbook with all 671 item-months filled;
- 200,000 rows: a Realisasi sheet of 200,000 filled rows (refused by the guard's row bound);
- sparse XFD100000: the 57 KB file that used to abort the server (one value at XFD100000);
- largest admitted: every sheet stretched to the guard's bounds (a value at GR10000 on each),
  the worst grid the parser can be asked to build. Goal: every admitted file under 512 MB.

    .venv/bin/python benchmarks/bench_upload_memory.py   # writes benchmarks/results/upload_memory.json
"""

import io
import os
import resource
import tempfile
import time
import zipfile
from pathlib import Path


import timing
from bench_import import full_year_workbook

from zi_data.files.package_checks import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS
from zi_data.base.problems import InputError
from zi_data.store.plan_years import open_seeded
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_import import preview_upload
from zi_data.realisasi.realisasi_upload import read_upload
from zi_data.files.sheet_extent import cell_name
from zi_data.files.upload_isolation import MEMORY_LIMIT_BYTES, run_isolated
from zi_data.files.uploaded_file import UploadedFile

RUNS = 3
GOAL_MB = 512
RESULTS = Path(__file__).resolve().parent / "results" / "upload_memory.json"
REALISASI_PART = "xl/worksheets/sheet2.xml"


def with_cells(data: bytes, cells_by_part: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename in cells_by_part:
                content = content.replace(b"</sheetData>", cells_by_part[member.filename] + b"</sheetData>")
            target.writestr(member.filename, content)
    return out.getvalue()


def many_rows(data: bytes, rows: int) -> bytes:
    body = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>I-1-1</t></is></c><c r="F%d"><v>1</v></c>'
                    b'<c r="H%d" t="inlineStr"><is><t>Selesai</t></is></c></row>' % (n, n, n, n)
                    for n in range(673, rows + 2))
    return with_cells(data, {REALISASI_PART: body})


def worker_probe(data: bytes, label: str):
    """In the worker: the upload job, then the worker's peak RSS in MB and what the job said."""
    try:
        upload = read_upload(UploadedFile(data, label))
        outcome = f"dibaca, {len(upload.rows)} baris, {len(upload.errors)} masalah"
    except InputError as error:
        outcome = "ditolak: " + error.problems[0].message[:90]
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, outcome


def measure(store, name: str, data: bytes) -> dict:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        preview = preview_upload(store, data, name)
        times.append(time.perf_counter() - start)
    try:
        peak_mb, outcome = run_isolated(worker_probe, data, name, label=name)
    except InputError as error:
        peak_mb, outcome = None, "pekerja gagal: " + error.problems[0].message[:90]
    return {"file_bytes": len(data), "preview_ok": preview.ok, "errors": len(preview.errors),
            "seconds": {"median": round(sorted(times)[len(times) // 2], 3), "min": round(min(times), 3)},
            "worker_peak_mb": None if peak_mb is None else round(peak_mb, 1), "outcome": outcome}


def main() -> int:
    with tempfile.TemporaryDirectory() as directory:
        store = ProgressStore(database=open_seeded(Path(directory) / "data"))
        year = full_year_workbook(store)
        corner = cell_name(MAX_SHEET_ROWS, MAX_SHEET_COLUMNS).encode()
        stretched = {f"xl/worksheets/sheet{n}.xml": b'<row r="%d"><c r="%s"><v>1</v></c></row>'
                     % (MAX_SHEET_ROWS, corner) for n in range(1, 5)}
        files = {
            "full year (671 item-months)": year,
            "200,000 rows": many_rows(year, 200_000),
            "sparse XFD100000": with_cells(year, {REALISASI_PART: b'<row r="100000"><c r="XFD100000" '
                                                                  b't="inlineStr"><is><t>x</t></is></c></row>'}),
            f"largest admitted (4 sheets to {corner.decode()})": with_cells(year, stretched),
        }
        results = {name: measure(store, name, data) for name, data in files.items()}
    width = max(map(len, results))
    print(f"worker memory limit (address space): {MEMORY_LIMIT_BYTES // 1_048_576} MB; goal: admitted files "
          f"under {GOAL_MB} MB peak; {RUNS} runs, {os.cpu_count()} CPUs")
    print(f"{'file':<{width}}  {'bytes':>10}  {'median s':>8}  {'peak MB':>7}  outcome")
    for name, row in results.items():
        peak = "-" if row["worker_peak_mb"] is None else f"{row['worker_peak_mb']:.0f}"
        print(f"{name:<{width}}  {row['file_bytes']:>10,}  {row['seconds']['median']:>8.3f}  {peak:>7}  "
              f"{row['outcome']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    timing.report({name: row["seconds"] for name, row in results.items()}, RESULTS, files=results,
                  memory_limit_mb=MEMORY_LIMIT_BYTES // 1_048_576, goal_mb=GOAL_MB, cpus=os.cpu_count())
    admitted = [row for row in results.values() if row["outcome"].startswith("dibaca")]
    return 0 if all(row["worker_peak_mb"] and row["worker_peak_mb"] <= GOAL_MB for row in admitted) else 1


if __name__ == "__main__":
    raise SystemExit(main())
