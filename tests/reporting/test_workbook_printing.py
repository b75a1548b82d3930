"""Every workbook a person may print comes out of LibreOffice's printing with all its columns on the page's width,
its header repeated, on a sensible number of pages: the Bukti Tertunggak list, the audit trail and the evidence
package's index (the lembar monev's: tests/monev/test_lembar_print.py; the realisasi's: tests/realisasi)."""

import io

import openpyxl
import pytest

from evidence_helpers import package, pdf
from realisasi_helpers import assert_prints_one_page_wide
from zi_data.evidence import evidence
from zi_data.plan import status
from zi_data.reporting import reports
from zi_data.store.audit import audit_events

pytestmark = pytest.mark.usefixtures("soffice")


def rows_of(data: bytes) -> int:
    return max(sheet.max_row for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets)


def test_the_overdue_list_prints_one_page_wide(store, tmp_path):
    overdue = status.overdue_list(status.classify(store.plan(), store.latest(), status.as_of_date(2025, month=2)))
    data = reports.overdue_workbook_bytes(overdue, "Bukti tertunggak s.d. Februari 2025")
    pages = assert_prints_one_page_wide(data, tmp_path, max_pages=rows_of(data) // 8 + 2)
    header = ["".join(str(column).split()) for column in reports.overdue_table(overdue).columns]
    with_header = [all(text in page for text in header) for page in pages]
    assert with_header == [True] * (len(pages) - 1) + [False]  # repeated on every page of the list; then Info


def test_the_audit_trail_and_the_evidence_index_print_one_page_wide(store, tmp_path):
    for item_id, month in (("I-1-1", 1), ("II-2-1", 3), ("VI-3-3", 5)):
        evidence.attach_file(store, item_id, month, f"laporan {item_id} dengan nama berkas panjang.pdf",
                             pdf(item_id), "admin.zi")
    trail = reports.audit_workbook_bytes(audit_events(store), "WIB")
    assert_prints_one_page_wide(trail, tmp_path / "jejak", max_pages=rows_of(trail) // 8 + 2)
    index = package(store).read("indeks_bukti.xlsx")
    pages = assert_prints_one_page_wide(index, tmp_path / "indeks", max_pages=2)
    assert "SHA-256" in pages[0] and "Ditambahkanpada(WIB)" in pages[0]
