"""`python -m zi_data plan draft`: next year's plan workbook from a year's plan, edited in Excel and started with
`plan add`: the langkah aksi and their IDs come back exactly, and the new year has no progress."""

import io

import openpyxl

from helpers import report, run_cli
from zi_data.plan.plan_workbook import FIRST_MONTH_COL, HEADER_BOTTOM, ID_COL, MARK, PLAN_SHEET
from zi_data.store.progress_store import ProgressStore

CARRIED = ["id", "area", "area_name", "no", "komponen_pos", "komponen", "indikator", "langkah_aksi", "bukti_fisik",
           "penanggung_jawab", "months"]


def edited_in_excel(path, item_id: str, month: int, decree: str) -> None:
    """What the office does: the decree's number filled in on the Info sheet, `month` marked for `item_id`."""
    book = openpyxl.load_workbook(path)
    for key, value in book["Info"].iter_rows():
        if key.value == "Nomor keputusan":
            value.value = decree
    sheet = book[PLAN_SHEET]
    row = next(r for r in range(HEADER_BOTTOM + 1, sheet.max_row + 1) if sheet.cell(r, ID_COL).value == item_id)
    sheet.cell(row, FIRST_MONTH_COL + month - 1).value = MARK
    book.save(path)


def test_draft_edit_then_add_round_trips_the_langkah_aksi_and_ids_without_progress(seeded_data_dir, tmp_path):
    data = ["--data-dir", str(seeded_data_dir)]
    old = ProgressStore(seeded_data_dir)
    report(old, "I-1-1", 1)
    draft = tmp_path / "rancangan_2026.xlsx"
    written = run_cli("plan", "draft", "-o", draft, *data, check_returncode=0)
    assert f"Rancangan rencana aksi tahun 2026 (dari rencana tahun 2025, 68 langkah aksi) ditulis ke {draft}." \
        in written.stdout
    assert f"python -m zi_data plan add {draft} --yes" in written.stdout
    edited_in_excel(draft, "I-1-1", 6, "3 Tahun 2026")
    added = run_cli("plan", "add", draft, "--year", "2026", "--yes", *data, check_returncode=0)
    assert "Rencana aksi tahun 2026 untuk KPU Kabupaten Kapuas dimulai" in added.stdout
    new = ProgressStore(seeded_data_dir, year=2026)
    before, after = old.plan()[CARRIED], new.plan()[CARRIED]
    assert after["id"].tolist() == before["id"].tolist()
    assert after.loc[0, "months"] == (1, 6, 12) and before.loc[0, "months"] == (1, 12)  # the one edit
    assert after.drop(index=0).equals(before.drop(index=0))
    assert new.plan().attrs["info"]["Nomor keputusan"] == "3 Tahun 2026"
    assert new.entries().empty and len(old.entries()) == 1  # years stay apart
    assert run_cli("plan", "draft", "-o", tmp_path / "lagi.xlsx", *data, check_returncode=0).stdout.startswith(
        "Rancangan rencana aksi tahun 2027 (dari rencana tahun 2026")  # the latest year, by default


def test_a_draft_of_a_year_the_office_has_or_from_a_year_it_has_not_is_refused(seeded_data_dir, tmp_path):
    data = ["--data-dir", str(seeded_data_dir)]
    draft = tmp_path / "rancangan.xlsx"
    run_cli("plan", "draft", "-o", draft, *data, check_returncode=0)
    run_cli("plan", "add", draft, "--yes", *data, check_returncode=0)
    draft.unlink()
    taken = run_cli("plan", "draft", "--year", "2026", "--from-year", "2025", "-o", draft, *data)
    assert taken.returncode == 1 and "Gagal: Rencana aksi tahun 2026 untuk KPU Kabupaten Kapuas sudah ada" \
        in taken.stderr
    earlier = run_cli("plan", "draft", "--year", "2026", "-o", draft, *data)  # from 2025, the year before
    assert earlier.returncode == 1 and "sudah ada" in earlier.stderr
    backwards = run_cli("plan", "draft", "--from-year", "2026", "--year", "2025", "-o", draft, *data)
    assert backwards.returncode == 1 and "tahun 2027–2100, bukan 2025" in backwards.stderr
    missing = run_cli("plan", "draft", "--from-year", "2024", "-o", draft, *data)
    assert missing.returncode == 2 and "Belum ada rencana aksi tahun 2024" in missing.stderr
    assert not draft.exists()


def test_the_draft_names_the_year_in_its_info_sheet(seeded_data_dir, tmp_path):
    draft = tmp_path / "rancangan.xlsx"
    run_cli("plan", "draft", "--year", "2028", "-o", draft, "--data-dir", seeded_data_dir, check_returncode=0)
    info = dict(openpyxl.load_workbook(io.BytesIO(draft.read_bytes()))["Info"].iter_rows(values_only=True))
    assert info["Tahun"] == "2028" and info["Instansi"] == "KPU Kabupaten Kapuas"
