"""Helpers shared by the Realisasi workbook tests: filling a downloaded workbook, LibreOffice, snapshots, and a plan
revision renaming I-4-1 to I-4-9 uploaded in one."""

import io
from datetime import date
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from zi_data.base.months import month_name
from zi_data.plan import status
from zi_data.plan.plan_workbook import PLAN_SHEET, add_plan_sheet
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_layout import COLUMN_INDEX, REALISASI_SHEET

ROOT = Path(__file__).resolve().parent.parent
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.usefixtures("soffice")  # skipped without LibreOffice, failed under CI=true (conftest)
# Two teams and their first rows, for permission tests: an editor of OWN, rows of OTHER.
PASSWORD = "kata-sandi-rahasia"
OWN, OTHER = "Tim Pengawasan", "Tim Agen Perubahan"
OWN_ROWS = {("V-1-1", 1): {"status": "Selesai", "bukti": "https://drive.example/v11.pdf"},
            ("V-1-2", 1): {"status": "Selesai", "bukti": "SK Unit Gratifikasi.pdf"}}
OTHER_ROWS = {("I-1-1", 1): {"status": "Selesai", "bukti": "SK Tim Kerja.pdf"}}
AS_OF = date(2025, 12, 1)  # January–November have ended
PAIR = ("I-4-1", "I-4-9")  # the rename of the plan revision below
FIELDS = {"status": "status", "bukti": "bukti_dukung", "tanggal": "tanggal", "catatan": "catatan", "by": "reported_by"}


def column(key: str) -> int:
    return COLUMN_INDEX[key]


def rows_by_key(ws) -> dict[tuple[str, str], int]:
    """(ID, month name) -> row number on a Realisasi sheet."""
    found = {}
    for number in range(2, ws.max_row + 1):
        item_id = ws.cell(number, column("id")).value
        if item_id:
            found[(str(item_id), str(ws.cell(number, column("month")).value))] = number
    return found


def fill(data: bytes, values: dict, edit=None) -> bytes:
    """Fill report cells like a team lead would: values[(id, month)] = {status, bukti, tanggal, catatan, by}.

    `month` is 1–12; a None value clears the cell. `edit(workbook)` may change anything else.
    """
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    ws = workbook[REALISASI_SHEET]
    where = rows_by_key(ws)
    for (item_id, month), cells in values.items():
        row = where[(item_id, month_name(month))]
        for name, value in cells.items():
            ws.cell(row, column(FIELDS[name])).value = value
    if edit is not None:
        edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def through_libreoffice(data: bytes, workdir: Path, name: str = "berkas.xlsx") -> bytes:
    """`data` opened and saved again as .xlsx by LibreOffice (headless)."""
    source_dir, out_dir = workdir / "lo-in", workdir / "lo-out"
    source_dir.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = source_dir / name
    source.write_bytes(data)
    profile = (workdir / "lo-profile").resolve().as_uri()
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=180)
    converted = out_dir / name
    assert converted.exists(), f"LibreOffice did not convert: {result.stdout}\n{result.stderr}"
    return converted.read_bytes()


def snapshot(store) -> tuple:
    """Everything an import may change: entries, uploads, plan versions and the archive."""
    archive = store.data_dir / "archive"
    return (store.entries().to_dict("records"), store.uploads().to_dict("records"),
            store.plan_versions().to_dict("records"),
            sorted(p.name for p in archive.iterdir()) if archive.exists() else [])


# --- a plan revision renaming I-4-1 to I-4-9 --------------------------------------------------------------
def record_i41(store, months=range(1, 10)) -> int:
    """I-4-1 reported Selesai with bukti for January–September (nine entries), as one upload."""
    frame = pd.DataFrame([{"item_id": "I-4-1", "month": m, "status": "Selesai", "bukti_dukung": f"daftar hadir {m}",
                           "tanggal": f"2025-{m:02d}-28", "catatan": "", "reported_by": "Sari"} for m in months])
    with store.transaction() as conn:
        upload_id = store.record_upload(conn, "lain.xlsx", "0" * 64, "", "Sari", "realisasi", {}, store.revision())
        store.append_entries(conn, frame, upload_id)
    return upload_id


def renamed_plan(plan: pd.DataFrame, old="I-4-1", new="I-4-9", **changes) -> pd.DataFrame:
    plan = plan.copy()
    where = plan["id"] == old
    plan.loc[where, "id"] = new
    for column, value in changes.items():
        plan.loc[where, column] = value
    return plan


def with_plan_sheet(data: bytes, plan: pd.DataFrame, values=None) -> bytes:
    def edit(book):
        index = book.sheetnames.index(PLAN_SHEET)
        book.remove(book[PLAN_SHEET])
        add_plan_sheet(book, plan, plan.attrs["info"], index)
    return fill(data, values or {}, edit=edit)


def revision_upload(store, plan=None, values=None) -> bytes:
    return with_plan_sheet(export_workbook(store), plan if plan is not None else renamed_plan(store.plan()), values)


def item_states(store, item_id: str) -> dict[int, str]:
    classified = status.classify(store.plan(), store.latest(), AS_OF)
    rows = classified[classified["id"] == item_id]
    return dict(zip(rows["month"], rows["state"]))
