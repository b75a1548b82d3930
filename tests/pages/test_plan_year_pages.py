"""The plan year in the dashboard: the sidebar's year (tahun= in the URL) defaults to this calendar year's
plan, else the latest; the as-of month follows the chosen year; an admin starts a year on Tahun Rencana."""

from datetime import datetime, timezone

import pytest

from helpers import OPEN_MODE_REPORTER, new_store, open_app, plan_workbook, report, sign_in_as
from page_helpers import ADMIN, recorded_downloads
from zi_data.base import clock
from zi_data.base.months import MONTHS
from zi_data.store.accounts import User
from zi_data.store.plan_years import preview_new_year, start_year

YEAR_PAGE = "app_pages/tahun_rencana.py"
NOW = datetime(2027, 6, 30, 17, 30, tzinfo=timezone.utc)  # 00:30 WIB on 1 July 2027, still 30 June in UTC
THIS_YEAR = 2027  # in the bundled office's zone (KPU Kabupaten Kapuas: WIB)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """The pages read the clock at NOW, whenever the test runs."""
    monkeypatch.setattr(clock, "current_moment", lambda: NOW)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def start(year: int) -> None:
    store = new_store()
    start_year(store, preview_new_year(store, plan_workbook(year), f"rencana_{year}.xlsx"), "Admin")


def caption(app) -> str:
    return next(c.value for c in app.caption if "Rencana Aksi Zona Integritas" in c.value)


def test_the_year_defaults_to_this_calendar_year_s_plan():
    start(THIS_YEAR)
    app = open_app()
    assert not app.exception
    assert f"Rencana Aksi Zona Integritas {THIS_YEAR}" in caption(app)
    assert app.selectbox(key="tahun").options == [str(THIS_YEAR), "2025"]


def test_without_this_year_s_plan_the_latest_year_is_shown(data_dir):
    start(THIS_YEAR - 1)
    assert f"Rencana Aksi Zona Integritas {THIS_YEAR - 1}" in caption(open_app())


def test_tahun_in_the_url_chooses_the_year_and_a_past_year_ends_in_december():
    start(THIS_YEAR)
    app = open_app(tahun="2025")
    assert "Rencana Aksi Zona Integritas 2025" in caption(app) and "**Desember 2025**" in caption(app)
    assert app.selectbox(key="bulan").value == "Desember"


def test_changing_the_year_moves_the_as_of_month_into_that_year():
    start(THIS_YEAR)
    app = open_app(bulan="Maret")
    assert f"**Maret {THIS_YEAR}**" in caption(app)
    app.selectbox(key="tahun").select("2025").run()
    assert "**Desember 2025**" in caption(app)
    app.selectbox(key="tahun").select(str(THIS_YEAR)).run()
    assert "**Juli 2027**" in caption(app)  # the office's month, not the server's (Juni)


def test_an_unknown_year_in_the_url_falls_back_to_the_default():
    app = open_app(tahun="1999")
    assert not app.exception and "Rencana Aksi Zona Integritas 2025" in caption(app)


def test_tahun_rencana_starts_a_year_after_a_preview_and_opens_it():
    app = open_app(YEAR_PAGE)
    assert not app.exception
    assert app.dataframe[0].value["Tahun"].tolist() == [2025]
    app.text_input(key="pelapor").set_value(OPEN_MODE_REPORTER).run()
    app.file_uploader[0].upload("rencana_2026.xlsx", plan_workbook(2026), "application/octet-stream").run()
    assert not app.exception and not app.error
    summary = dict(zip(app.dataframe[-1].value["Isi"], app.dataframe[-1].value["Nilai"]))
    assert summary["Tahun"] == "2026" and summary["Kantor"] == "KPU Kabupaten Kapuas (6203)"
    assert new_store(year=2025).year == 2025  # nothing saved by the preview
    next(b for b in app.button if b.label.startswith("Mulai tahun 2026")).click().run()
    assert any("tahun 2026 dimulai" in s.value for s in app.success)
    next(b for b in app.button if b.label == "Buka tahun 2026").click().run()
    assert "Rencana Aksi Zona Integritas 2026" in caption(app)
    assert app.dataframe[0].value["Tahun"].tolist() == [2026, 2025]
    assert new_store(year=2026).entries().empty


def test_a_workbook_of_a_year_that_exists_is_refused_on_the_page():
    app = open_app(YEAR_PAGE)
    app.text_input(key="pelapor").set_value(OPEN_MODE_REPORTER).run()
    app.file_uploader[0].upload("rencana_2025.xlsx", plan_workbook(2025), "application/octet-stream").run()
    assert any("tidak dapat dipakai" in e.value for e in app.error)
    assert not [b for b in app.button if b.label.startswith("Mulai tahun")]


def draft_buttons(app) -> list[str]:
    return [button.proto.label for button in app.get("download_button")]


def test_tahun_rencana_offers_next_year_s_draft_which_starts_that_year(monkeypatch):
    served = recorded_downloads(monkeypatch)
    start(2026)  # the latest year is drafted, whichever year the sidebar shows
    app = open_app(YEAR_PAGE, tahun="2025")
    assert not app.exception and draft_buttons(app) == ["Unduh rancangan rencana tahun 2027"]
    assert any("sunting di Excel" in c.value and c.value.endswith("lalu unggah di sini.") for c in app.caption)
    drafted = served["rancangan_rencana_aksi_6203_2027.xlsx"]()
    app.text_input(key="pelapor").set_value(OPEN_MODE_REPORTER).run()
    app.file_uploader[0].upload("rancangan.xlsx", drafted, "application/octet-stream").run()
    assert not app.exception and not app.error and not app.warning
    next(b for b in app.button if b.label.startswith("Mulai tahun 2027")).click().run()
    new, old = new_store(year=2027), new_store(year=2026)
    assert new.plan()["id"].tolist() == old.plan()["id"].tolist() and new.entries().empty


def test_only_who_may_start_a_year_gets_the_draft():
    app = sign_in_as(open_app(YEAR_PAGE), User("rina", "editor", "Tim Pengawasan", "6203"))  # one team's editor
    assert not app.exception and not draft_buttons(app)
    assert draft_buttons(sign_in_as(open_app(YEAR_PAGE), ADMIN)) == ["Unduh rancangan rencana tahun 2026"]


def step_detail(app) -> str:
    """The Matriks page's detail of the chosen langkah aksi and month, as read (markdown escapes removed)."""
    return next(m.value for m in app.markdown if "Penanggung jawab" in m.value).replace("\\", "")


def test_matriks_detail_shows_how_the_step_ended_in_the_previous_year():
    report(new_store(year=2025), "I-1-1", 1)
    start(2026)
    app = open_app("app_pages/matriks.py", tahun="2026")
    app.selectbox(key="rincian_id").set_value("I-1-1").run()
    app.selectbox(key="rincian_bulan").set_value(1).run()
    assert not app.exception
    assert "Tahun 2025: 1 dari 2 bulan selesai (acuan; progres tahun itu tidak terbawa)" in step_detail(app)
    report(new_store(year=2025), "I-1-1", 12)  # a late report of 2025 changes how it ended
    assert "Tahun 2025: 2 dari 2 bulan selesai" in step_detail(app.run())
    assert "Status:** Terlambat" in step_detail(app)  # 2026's own Januari, reported in 2025: nothing carried
    app.selectbox(key="tahun").select("2025").run()
    assert "bulan selesai" not in step_detail(app)  # the office has no year before 2025


def record_progress(year: int) -> None:
    """One item-month of Tim Pengawasan reported done in plan year `year` (its own realisasi workbook)."""
    import io

    import openpyxl

    from zi_data.realisasi.realisasi_export import export_workbook
    from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

    store = new_store(year=year)
    workbook = openpyxl.load_workbook(io.BytesIO(export_workbook(store, "Tim Pengawasan", 1)))
    sheet = workbook["Realisasi"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("Status") + 1).value = "Selesai"
    sheet.cell(2, header.index("Bukti Dukung (tautan/nama dokumen)") + 1).value = "https://drive.example/bukti.pdf"
    out = io.BytesIO()
    workbook.save(out)
    apply_preview(store, preview_upload(store, out.getvalue(), "isi.xlsx"), by="Rina")


def test_a_new_empty_year_waits_until_it_has_progress_and_its_guide_fits_the_year():
    record_progress(2025)
    start(THIS_YEAR)
    app = open_app()
    assert "Rencana Aksi Zona Integritas 2025" in caption(app)  # the year with progress, not the empty new one
    assert app.selectbox(key="tahun").options == [str(THIS_YEAR), "2025"]  # the new year is still one choice away
    app.selectbox(key="tahun").select(str(THIS_YEAR)).run()
    assert f"Rencana Aksi Zona Integritas {THIS_YEAR}" in caption(app)
    guide = next(info.value for info in app.info if "Belum ada progres yang tercatat" in info.value)
    assert f"tahun {THIS_YEAR}" in guide and "contoh_realisasi" not in guide  # no 2025 example for 2027
    record_progress(THIS_YEAR)
    assert f"Rencana Aksi Zona Integritas {THIS_YEAR}" in caption(open_app())  # its first upload: lands there


def test_the_guide_of_the_example_s_year_names_the_example():
    guide = next(info.value for info in open_app().info if "Belum ada progres yang tercatat" in info.value)
    assert "data/contoh_realisasi_2025.xlsx" in guide
