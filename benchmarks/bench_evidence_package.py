"""The evidence package of a full year: time and peak memory, against copying the same blobs into a ZIP.

Attaches one 200 KB PDF of distinct, incompressible content to each of the bundled plan's 671 planned
item-months (134 MB of blobs; untimed), then builds, each run in a new child process (so every peak is
that run's own), median of RUNS:

- the package written to a file (`python -m zi_data evidence package`'s path);
- the package built in a SpooledTemporaryFile, as the page's download does (8 MB in memory, then disk);
- baseline: the same blobs copied in 1 MiB chunks into a ZIP on disk, stored, without index or database;
- baseline: the blobs only read, in the same chunks.

Each child imports the same modules first, so the baselines carry the same interpreter and library
memory. Wall time and ru_maxrss come from runs without tracemalloc; the Python allocation peak from
separate runs with it.

    .venv/bin/python benchmarks/bench_evidence_package.py   # writes benchmarks/results/evidence_package.json
"""

import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import timing  # noqa: F401 (puts the project root on sys.path)

from zi_data.evidence import evidence
from zi_data.files.evidence_files import EVIDENCE_DIR
from zi_data.evidence.evidence_package import CHUNK_BYTES, write_package
from zi_data.store.plan_years import open_seeded
from zi_data.store.progress_store import ProgressStore

RUNS = 3
FILE_BYTES = 200 * 1024
SPOOL_BYTES = 8 << 20
RESULTS = Path(__file__).resolve().parent / "results" / "evidence_package.json"
STAGES = {
    "package to a file": "package_file",
    "package in a SpooledTemporaryFile": "package_spool",
    "baseline: blobs copied into a ZIP": "copy_zip",
    "baseline: blobs read": "read_blobs",
}


def distinct_pdf(rng: random.Random, number: int) -> bytes:
    head = f"%PDF-1.7\n% bukti nomor {number}\n".encode()
    return head + rng.randbytes(FILE_BYTES - len(head) - 6) + b"%%EOF\n"


def fill_year(data_dir: Path) -> int:
    """One distinct 200 KB PDF per planned item-month of the bundled plan, in one transaction."""
    store = ProgressStore(database=open_seeded(data_dir))
    rng = random.Random(2025)
    attached = 0
    with store.transaction() as conn:
        for item in store.plan().itertuples(index=False):
            for month in item.months:
                evidence.attach_file(store, item.id, month, f"Bukti {item.id} bulan {month}.pdf",
                                     distinct_pdf(rng, attached), "bench", conn=conn)
                attached += 1
    return attached


def run_stage(stage: str, data_dir: Path, target: Path) -> None:
    store = ProgressStore(database=open_seeded(data_dir))
    if stage == "package_file":
        with target.open("wb") as out:
            write_package(store, out)
    elif stage == "package_spool":
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, dir=target.parent) as spool:
            write_package(store, spool)
    else:
        blobs = sorted(path for path in (data_dir / EVIDENCE_DIR).rglob("*") if path.is_file())
        if stage == "copy_zip":
            with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                for path in blobs:
                    with path.open("rb") as source, archive.open(path.name, "w") as member:
                        shutil.copyfileobj(source, member, CHUNK_BYTES)
        else:
            for path in blobs:
                with path.open("rb") as source:
                    while source.read(CHUNK_BYTES):
                        pass


def child(stage: str, data_dir: str, target: str, traced: bool) -> None:
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    run_stage(stage, Path(data_dir), Path(target))
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    print(json.dumps({"seconds": elapsed, "traced_peak": peak,
                      "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


def measured(stage: str, data_dir: Path, target: Path, traced: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", stage, str(data_dir), str(target),
                          "traced" if traced else "plain"], check=True, capture_output=True, text=True).stdout
    target.unlink(missing_ok=True)
    return json.loads(out)


def main() -> int:
    with tempfile.TemporaryDirectory() as directory:
        data_dir, target = Path(directory) / "data", Path(directory) / "paket.zip"
        start = time.perf_counter()
        attached = fill_year(data_dir)
        print(f"{attached} item-months, one {FILE_BYTES // 1024} KB PDF each, attached in "
              f"{time.perf_counter() - start:.1f} s")
        results = {}
        for name, stage in STAGES.items():
            plain = [measured(stage, data_dir, target, traced=False) for _ in range(RUNS)]
            traced = [measured(stage, data_dir, target, traced=True) for _ in range(RUNS)]
            results[name] = {"seconds": round(statistics.median(r["seconds"] for r in plain), 3),
                             "maxrss_mb": round(statistics.median(r["maxrss"] for r in plain) / 2**20, 1),
                             "traced_peak_mb": round(statistics.median(r["traced_peak"] for r in traced) / 2**20, 2)}
    width = max(map(len, results))
    print(f"{'stage':<{width}}  time (s)  ru_maxrss (MB)  tracemalloc peak (MB)")
    for name, row in results.items():
        print(f"{name:<{width}}  {row['seconds']:8.2f}  {row['maxrss_mb']:14.1f}  {row['traced_peak_mb']:21.2f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"item_months": attached, "file_bytes": FILE_BYTES, "runs": RUNS,
                                   "results": results}, indent=2) + "\n")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "traced")
    else:
        sys.exit(main())
