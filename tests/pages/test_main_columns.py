"""The wide tables in a 1024-px window (#23), through AppTest. With "Tampilkan semua kolom" off, as a page opens,
every interactive table of Bukti Tertunggak, Capaian, Kesiapan LKE, Verifikasi Bukti and Riwayat shows the columns
a meeting reads, and the widths fitted to them (app_pages/frame/tables.shown_table) add up to no more than the
narrowest table: none hides behind a sideways scroll (measured in Chromium by tests/e2e/test_layout_browser.py).
The toggle brings every column back; the Excel downloads always have them all."""

import json

import pytest

from app_pages.frame.chrome import ALL_COLUMNS_KEY
from app_pages.frame.tables import SELECT_COLUMN_PX
from helpers import KOMPONEN_TABLE, csv_table, new_store, open_app, report
from zi_data.evidence import evidence
from zi_data.lke.lke_mapping import set_mapping
from zi_data.lke.lke_tables import AGENDA_MAIN_COLUMNS
from zi_data.realisasi.item_month_update import form_values, save_item_month
from zi_data.reporting.narrow_tables import OVERDUE_MAIN_COLUMNS, UPLOAD_MAIN_COLUMNS
from zi_data.reporting.review_lists import MAIN_COLUMNS
from zi_data.reporting.table_fit import TABLE_WIDTH_PX

# page: (the columns of its first table as it opens, a column only every column shows)
PAGES = {
    "app_pages/bukti_tertunggak.py": (OVERDUE_MAIN_COLUMNS, "Bukti Fisik yang Diperlukan"),
    "app_pages/capaian.py": (["Kelompok", "Capaian s.d. Juni", "Capaian tahunan"], "Rencana setahun"),
    "app_pages/kesiapan_lke.py": (["Area", "Porsi selesai", "Perkiraan poin", "Tanda"], "Batas WBK"),
    "app_pages/verifikasi_bukti.py": (MAIN_COLUMNS["menunggu"], "Penanggung Jawab"),
    "app_pages/riwayat.py": (UPLOAD_MAIN_COLUMNS, "SHA-256"),
}
AREAS = ("I", "II", "III", "IV", "V", "VI")


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    """Progress on three item-months (one saved through the form, so Riwayat lists an upload; one with a link
    waiting for review; one sent back), and an LKE mapping with komponen lines (Kesiapan LKE's table per komponen)."""
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    store = new_store()
    for item_id in ("V-1-2", "I-1-1"):
        report(store, item_id, 1)
    shown = form_values(store.latest(), store.revision(), "V-1-1", 1)  # an upload, listed on Riwayat
    save_item_month(store, shown, status="Selesai", bukti_dukung="SK.pdf", catatan="", by="rina")
    evidence.attach_link(store, "V-1-1", 1, "https://bukti.contoh.example/v-1-1", "rina")
    evidence.review(store, "I-1-1", 1, "perlu_perbaikan", "SK belum ditandatangani ketua", "tpi.satu")
    set_mapping(store, csv_table(KOMPONEN_TABLE), "uji", first_row=1)
    return store


def opened(page: str):
    app = open_app(page, bulan="Juni")
    for area in AREAS:  # Kesiapan LKE: every area's agenda opened, as a click opens one
        app.session_state[f"lke_agenda_6_{area}"] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def fitted_width(table) -> int:
    """The width (px) the page gave the table's columns, with its selection column."""
    widths = [column.get("width", 0) for column in json.loads(table.proto.columns).values()]
    return sum(widths) + (SELECT_COLUMN_PX if table.proto.selection_mode else 0)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.split("/")[-1][:-3])
def test_each_table_fits_the_narrowest_window_until_every_column_is_asked_for(page):
    first_columns, full_only = PAGES[page]
    app = opened(page)
    tables = app.dataframe
    too_wide = {tuple(table.value.columns): fitted_width(table) for table in tables
                if fitted_width(table) > TABLE_WIDTH_PX}
    assert not too_wide, f"wider than {TABLE_WIDTH_PX} px: {too_wide}"
    assert list(tables[0].value.columns) == first_columns
    assert not any(full_only in table.value.columns for table in tables)
    if page.endswith("kesiapan_lke.py"):  # the per-komponen table and the agendas, fitted too
        assert any("Komponen" in table.value.columns for table in tables)
        assert any(list(table.value.columns) == AGENDA_MAIN_COLUMNS for table in tables)

    app.toggle(key=ALL_COLUMNS_KEY).set_value(True).run()
    assert full_only in app.dataframe[0].value.columns
    assert sum(len(table.value.columns) for table in app.dataframe) > sum(len(table.value.columns) for table in tables)


def test_merged_cells_keep_what_the_separate_columns_said():
    overdue = opened("app_pages/bukti_tertunggak.py").dataframe[0].value
    assert overdue["Bulan · Terlambat"].str.fullmatch(r"(Januari|Februari|Maret|April|Mei|Juni) · \d+ hari").all()
    by_area = opened("app_pages/capaian.py").dataframe[0].value.set_index("Kelompok")
    assert by_area.at["I", "Capaian s.d. Juni"].endswith(" · 1 dari 15")  # I-1-1 in Januari
    readiness = opened("app_pages/kesiapan_lke.py").dataframe[0].value
    assert readiness["Area"].iloc[0] == "I · Manajemen Perubahan"
    assert readiness["Perkiraan poin"].iloc[0].endswith(" dari 8")
