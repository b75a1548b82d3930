"""Helpers shared by the Realisasi workbook tests: filling a downloaded workbook, LibreOffice, snapshots, and a plan
revision renaming I-4-1 to I-4-9 uploaded in one."""

import io
from datetime import date
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pypdf
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


def through_libreoffice(data: bytes, workdir: Path, name: str = "berkas.xlsx",
                        convert_to: str = "xlsx:Calc MS Excel 2007 XML") -> bytes:
    """`data` opened and saved again as .xlsx by LibreOffice (headless); with `convert_to="pdf"`, printed to PDF
    as LibreOffice prints it (its page setup, every sheet)."""
    source_dir, out_dir = workdir / "lo-in", workdir / "lo-out"
    source_dir.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = source_dir / name
    source.write_bytes(data)
    profile = (workdir / "lo-profile").resolve().as_uri()
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", convert_to, "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=180)
    converted = out_dir / f"{Path(name).stem}.{convert_to.split(':')[0]}"
    assert converted.exists(), f"LibreOffice did not convert: {result.stdout}\n{result.stderr}"
    return converted.read_bytes()


def printed_pages(data: bytes, workdir: Path, name: str = "cetak.xlsx") -> list[str]:
    """The text of each page LibreOffice prints the workbook `data` on, whitespace removed (a cell wraps its
    lines anywhere)."""
    pdf = through_libreoffice(data, workdir, name, convert_to="pdf")
    return ["".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def assert_prints_one_page_wide(data: bytes, workdir: Path, max_pages: int) -> list[str]:
    """LibreOffice prints every sheet of the workbook `data` with all its columns on one page's width (a page holds
    its whole first row: the header, or the first fact and its value) on at most `max_pages` pages; returns
    the pages' texts."""
    pages = printed_pages(data, workdir)
    assert 1 <= len(pages) <= max_pages, f"{len(pages)} pages"
    for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        first_row = ["".join(str(cell.value).split()) for cell in sheet[1] if cell.value not in (None, "")]
        assert any(all(text in page for text in first_row) for page in pages), (sheet.title, first_row)
    return pages


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
