"""read_plan against openpyxl, on the bundled plan and on a synthetic plan 50 times larger.

Workbooks:
  bundled          data/rencana_aksi_2025.xlsx, 68 rows, written by openpyxl (inline strings)
  50x              the bundled plan repeated 50 times with new IDs (3,400 rows), same writer
  50x Gantt        the 50x workbook with every ✓ replaced by an empty shaded cell
  50x LibreOffice  the 50x workbook re-saved by LibreOffice (shared strings, as Excel also
                   writes them); skipped when soffice is not installed

openpyxl engines, each building the grid of cells (value, shading) read_plan builds with
python-calamine (values and merges) plus the shaded cell styles from styles.xml and one
regular-expression pass over the sheet XML:
  openpyxl            load_workbook(data_only=True), normal mode: values, fills, merges
  openpyxl read_only  load_workbook(read_only=True, data_only=True): values and fills streamed,
                      merges from the sheet XML (what read_plan used before)

Every engine's time includes the zip checks and the same header search and row parsing as
read_plan's; each result is compared with read_plan's. Times are medians of --runs runs (--big-runs for 50x), as
wall-clock time and as this process's CPU time (steadier when other programs share the machine),
with the garbage collector paused during each run as timeit does.

    .venv/bin/python benchmarks/bench_read_plan.py     # writes benchmarks/results/read_plan.json
"""

import argparse
import gc
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

import timing  # noqa: F401 (puts the project root on sys.path)

from zi_data.base.paths import BUNDLED_PLAN
from zi_data.plan.plan import read_plan
from zi_data.plan.plan_cells import WHITE_COLORS, WHITE_INDEXED, Cell, spread_merged
from zi_data.plan.plan_layout import find_layout
from zi_data.plan.plan_rows import parse_rows
from zi_data.plan.plan_workbook import PLAN_SHEET, plan_workbook_bytes
from zi_data.files.xlsx_guard import open_checked_zip, read_source

COPIES = 50
RESULTS = Path(__file__).resolve().parent / "results" / "read_plan.json"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
GANTT_FILL = f'<fill xmlns="{MAIN_NS}"><patternFill patternType="solid"><fgColor rgb="FF4472C4"/></patternFill></fill>'


# Workbooks ------------------------------------------------------------------------------------------------

def synthetic_plan(base: pd.DataFrame, copies: int = COPIES) -> pd.DataFrame:
    """`base` repeated `copies` times within each area; komponen positions and IDs continue per copy."""
    stride = int(base["komponen_pos"].max())
    repeated = []
    for copy in range(copies):
        part = base.copy()
        part["komponen_pos"] += copy * stride
        part["id"] = [f"{area}-{pos}-{item.rsplit('-', 1)[1]}"
                      for area, pos, item in zip(part["area"], part["komponen_pos"], part["id"])]
        part["copy"] = copy
        repeated.append(part)
    area_order = {area: i for i, area in enumerate(base["area"].unique())}
    plan = pd.concat(repeated, ignore_index=True)
    plan = plan.sort_values(["area", "copy"], key=lambda c: c.map(area_order) if c.name == "area" else c,
                            kind="stable")
    return plan.drop(columns="copy").reset_index(drop=True)


def as_gantt(data: bytes) -> bytes:
    """The workbook with each ✓ cell emptied and given a copy of its style with a solid blue fill."""
    source = zipfile.ZipFile(io.BytesIO(data))
    ET.register_namespace("", MAIN_NS)
    styles = ET.fromstring(source.read("xl/styles.xml"))
    fills = styles.find(f"{{{MAIN_NS}}}fills")
    cell_styles = styles.find(f"{{{MAIN_NS}}}cellXfs")
    fills.append(ET.fromstring(GANTT_FILL))
    fills.set("count", str(len(fills)))
    shaded_copy = {}

    def shaded(match):
        style = int(match.group(2))
        if style not in shaded_copy:
            xf = ET.fromstring(ET.tostring(cell_styles[style]))
            xf.set("fillId", str(len(fills) - 1))
            xf.set("applyFill", "1")
            cell_styles.append(xf)
            shaded_copy[style] = len(cell_styles) - 1
        return b'<c r="%s" s="%d" />' % (match.group(1), shaded_copy[style])

    sheet = source.read("xl/worksheets/sheet1.xml")
    sheet, count = re.subn(rb'<c r="([A-Z]+\d+)" s="(\d+)" t="inlineStr"><is><t>\xe2\x9c\x93</t></is></c>',
                           shaded, sheet)
    assert count, "no ✓ cells found"
    cell_styles.set("count", str(len(cell_styles)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/styles.xml":
                content = ET.tostring(styles, xml_declaration=True, encoding="UTF-8")
            elif member.filename == "xl/worksheets/sheet1.xml":
                content = sheet
            target.writestr(member, content)
    return out.getvalue()


def resaved_by_libreoffice(data: bytes) -> bytes | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        source = tmp / "in" / "plan.xlsx"
        source.write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                        "--convert-to", "xlsx", "--outdir", str(tmp / "out"), str(source)],
                       check=True, capture_output=True, timeout=600)
        return (tmp / "out" / "plan.xlsx").read_bytes()


# Engines --------------------------------------------------------------------------------------------------

def openpyxl_fill_colour(fill) -> str | None:
    if fill is None or getattr(fill, "fill_type", None) in (None, "none"):
        return None
    if fill.tagname == "gradientFill":
        return "gradient"
    color = fill.fgColor
    if color is None:
        return None
    if color.type == "rgb":
        rgb = str(color.rgb).upper()
        return None if rgb in WHITE_COLORS else rgb
    if color.type == "theme":
        return None if color.theme == 0 and not color.tint else f"theme{color.theme}:{float(color.tint)}"
    if color.type == "indexed":
        return None if str(color.indexed) in WHITE_INDEXED else f"indexed{color.indexed}"
    return None


def spread_merges(rows, ranges) -> None:
    height, width = len(rows), max((len(cells) for cells in rows), default=0)
    for min_row, min_col, max_row, max_col in ranges:
        spread_merged(rows, min_row, min_col, min(max_row, height), min(max_col, width))


def rows_openpyxl(data: bytes, archive: zipfile.ZipFile):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheet = book[PLAN_SHEET]
    rows = [[Cell(cell.value, openpyxl_fill_colour(cell.fill)) for cell in row] for row in sheet.iter_rows()]
    spread_merges(rows, [(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges])
    return rows


def rows_openpyxl_read_only(data: bytes, archive: zipfile.ZipFile):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book[PLAN_SHEET]
        sheet.reset_dimensions()
        rows = [[Cell(cell.value, openpyxl_fill_colour(getattr(cell, "fill", None))) for cell in row]
                for row in sheet.iter_rows()]
        xml = archive.read(sheet._worksheet_path.lstrip("/"))
        ranges = [openpyxl.utils.range_boundaries(ref.decode())
                  for ref in re.findall(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"', xml)]
        spread_merges(rows, [(r0, c0, r1, c1) for c0, r0, c1, r1 in ranges])
        return rows
    finally:
        book.close()


ENGINES = {
    "openpyxl": rows_openpyxl,
    "openpyxl read_only": rows_openpyxl_read_only,
}


def read_with(engine, data: bytes) -> pd.DataFrame:
    data, label = read_source(data, "bench.xlsx")
    with open_checked_zip(data, label) as archive:
        rows = engine(data, archive)
    layout, problems = find_layout(PLAN_SHEET, rows)
    assert layout is not None, problems
    return parse_rows(layout, rows)


# Measuring ------------------------------------------------------------------------------------------------

def timed(function, runs: int) -> dict:
    """Median wall-clock and CPU seconds of `runs` calls, and every run's times.

    As timeit does, the garbage collector is off while a call runs, so one engine's garbage
    is not collected on another's time.
    """
    wall, cpu = [], []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            function()
            wall.append(time.perf_counter() - wall_start)
            cpu.append(time.process_time() - cpu_start)
        finally:
            gc.enable()
    return {"median_s": statistics.median(wall), "median_cpu_s": statistics.median(cpu),
            "runs_s": wall, "runs_cpu_s": cpu}


def same_plan(frame: pd.DataFrame, reference: pd.DataFrame) -> bool:
    columns = [c for c in reference.columns if c != "row"]
    return frame[columns].reset_index(drop=True).equals(reference[columns].reset_index(drop=True))


def measure(name: str, data: bytes, runs: int) -> dict:
    reference = read_plan(data, "bench.xlsx")
    result = {"workbook": name, "rows": len(reference), "bytes": len(data),
              "planned_item_months": int(reference["months"].map(len).sum()),
              "read_plan": timed(lambda: read_plan(data, "bench.xlsx"), runs), "engines": {}}
    for engine_name, engine in ENGINES.items():
        frame = read_with(engine, data)
        times = timed(lambda: read_with(engine, data), runs)
        result["engines"][engine_name] = {
            **times, "same_as_read_plan": same_plan(frame, reference),
            "planned_item_months": int(frame["months"].map(len).sum())}
        print(f"  {name:<16} {engine_name:<20} {times['median_s'] * 1000:9.1f} ms wall "
              f"{times['median_cpu_s'] * 1000:9.1f} ms cpu", flush=True)
    return result


def print_table(results: list[dict], key: str, title: str) -> None:
    names = [*ENGINES, "read_plan"]
    print(f"\n{title}")
    print(f"{'workbook':<16} {'rows':>5} {'size':>7}" + "".join(f"{n:>22}" for n in names))
    for result in results:
        cells = ""
        for name in names:
            times = result["read_plan"] if name == "read_plan" else result["engines"][name]
            flag = "  " if times.get("same_as_read_plan", True) else " ✗"
            cells += f"{times[key] * 1000:>17.1f} ms{flag}"
        print(f"{result['workbook']:<16} {result['rows']:>5} {result['bytes'] / 1024:>4.0f} KB" + cells)


def print_summary(results: list[dict]) -> None:
    print("✗ = a different plan from read_plan's")
    for result in results:
        engines = result["engines"]
        ours = result["read_plan"]["median_cpu_s"]
        print(f"{result['workbook']}: read_plan takes "
              f"{engines['openpyxl read_only']['median_cpu_s'] / ours:.1f}x less CPU than openpyxl read_only, "
              f"{engines['openpyxl']['median_cpu_s'] / ours:.1f}x less than openpyxl normal mode")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs per engine on the bundled workbook")
    parser.add_argument("--big-runs", type=int, default=3, help="runs per engine on the 50x workbooks")
    parser.add_argument("--skip-libreoffice", action="store_true")
    args = parser.parse_args()

    bundled = BUNDLED_PLAN.read_bytes()
    base = read_plan(bundled)
    big = plan_workbook_bytes(synthetic_plan(base), base.attrs["info"])
    workbooks = [("bundled", bundled, args.runs), (f"{COPIES}x", big, args.big_runs),
                 (f"{COPIES}x Gantt", as_gantt(big), args.big_runs)]
    if not args.skip_libreoffice:
        resaved = resaved_by_libreoffice(big)
        if resaved is None:
            print("soffice not found: skipping the LibreOffice-saved workbook")
        else:
            workbooks.append((f"{COPIES}x LibreOffice", resaved, args.big_runs))

    load = os.getloadavg()
    results = [measure(name, data, runs) for name, data, runs in workbooks]
    print_table(results, "median_s", "Median wall-clock time")
    print_table(results, "median_cpu_s", "Median CPU time")
    print_summary(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "load_average_at_start": load, "openpyxl": openpyxl.__version__,
        "python_calamine": _version("python-calamine"), "results": results}, indent=2))
    print(f"\nwrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0


def _version(distribution: str) -> str:
    from importlib.metadata import version
    return version(distribution)


if __name__ == "__main__":
    raise SystemExit(main())
