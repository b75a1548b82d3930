"""`python -m zi_data lke` and `lke mapping`: the JSON shape, the counting rule, the what-if, the admin's table."""

import json

import pytest

from helpers import KOMPONEN_TABLE, report, run_cli
from realisasi_helpers import PASSWORD
from zi_data.evidence import evidence
from zi_data.lke import lke
from zi_data.store.accounts import Accounts
from zi_data.store.counting_rule import set_counting_rule
from zi_data.lke.lke_mapping import mapping_in_force
from zi_data.store.progress_store import ProgressStore

AREA_KEYS = ["area", "lke_area", "weight", "planned", "done", "share", "points", "floor_wbk", "floor_wbbm",
             "below_wbk", "below_wbbm"]


def lke_json(*args) -> dict:
    return json.loads(run_cli("lke", "--json", *args, check_returncode=0).stdout)


def test_json_has_the_areas_the_pengungkit_the_note_and_the_rule(store_on_each_backend, tmp_path):
    store = store_on_each_backend
    report(store, "I-1-1", 1)
    report(store, "I-2-1", 1)
    evidence.review(store, "I-1-1", 1, "diterima", "", "tpi")
    shown = lke_json("--data-dir", tmp_path / "data", "--as-of", "2025-06")
    assert shown["catatan"] == lke.NOTE and "bukan nilai LKE" in shown["catatan"]
    assert shown["aturan_hitung"] == "bukti" and shown["as_of"] == "2025-06-30"
    assert [list(area) for area in shown["areas"]] == [AREA_KEYS] * 6
    assert [area["weight"] for area in shown["areas"]] == [8, 7, 10, 10, 15, 10]
    assert shown["pengungkit"] | {"points": None} == {"points": None, "max": 60, "wbk": 40, "wbbm": 48,
                                                       "meets_wbk": False, "meets_wbbm": False}
    area_i = shown["areas"][0]
    assert (area_i["planned"], area_i["done"]) == (28, 2)  # the year's 28 planned item-months of area I
    assert area_i["points"] == pytest.approx(8 * 2 / 28, abs=1e-4)
    assert area_i["floor_wbk"] == pytest.approx(4.8) and area_i["below_wbk"] is True
    assert shown["pengungkit"]["points"] == area_i["points"]
    set_counting_rule(store, "terverifikasi", "koordinator")
    verified = lke_json("--data-dir", tmp_path / "data", "--as-of", "2025-06")
    assert verified["aturan_hitung"] == "terverifikasi"
    assert verified["areas"][0]["done"] == 1  # only I-1-1's evidence was accepted


def test_text_output_names_the_estimate_and_the_what_if(seeded_zi_data_dir):
    shown = run_cli("lke", "--as-of", "2025-06", "--jika-selesai-sampai", "2025-06", check_returncode=0).stdout
    assert lke.NOTE in shown and "Aturan hitung: Selesai dengan bukti dukung" in shown
    assert "Area V Penguatan Pengawasan: 0,00 dari 15,00 poin" in shown
    assert "Jika semua yang jatuh tempo sampai Juni 2025 selesai:" in shown
    assert "Area yang lolos batas WBK: IV" in shown  # 30 of area IV's 47 item-months fall in January–June
    assert "Agenda monev berikutnya (341 bulan-kegiatan" in shown
    scenario = lke_json("--as-of", "2025-06", "--jika-selesai-sampai", "2025-06")["jika_selesai_sampai"]
    assert scenario["through_month"] == 6 and scenario["lolos_wbk"] == ["IV"] and scenario["lolos_wbbm"] == []
    assert len(scenario["agenda"]) == 341 and scenario["agenda"][0]["below"] == "WBK"


@pytest.mark.parametrize("args, message", [
    (("--jika-selesai-sampai", "Juni"), "--jika-selesai-sampai 'Juni' tidak sah"),
    (("--as-of", "2024-06"), "--as-of '2024-06' berada di luar tahun rencana aksi (2025)."),
])
def test_a_bad_month_exits_2_in_indonesian(seeded_zi_data_dir, args, message):
    assert message in run_cli("lke", *args, check_returncode=2).stderr


def test_mapping_shows_the_table_and_only_an_admin_changes_it(seeded_zi_data_dir, tmp_path):
    assert run_cli("lke", "mapping", check_returncode=0).stdout.splitlines()[:2] == [
        "area,komponen,lke_area,lke_sub_item,weight", "I,,Manajemen Perubahan,,8"]
    table = tmp_path / "pemetaan.csv"
    table.write_text(KOMPONEN_TABLE, encoding="utf-8")
    assert "--role admin" in run_cli("lke", "mapping", "--file", table, check_returncode=1).stderr
    accounts = Accounts(ProgressStore(seeded_zi_data_dir))
    accounts.add("koordinator", "admin", "", PASSWORD, "uji")
    accounts.add("rina", "editor", "Tim Pengawasan", PASSWORD, "uji")
    editor = run_cli("lke", "mapping", "--file", table, "--user", "rina", stdin=PASSWORD + "\n", check_returncode=1)
    assert "Gagal masuk" in editor.stderr and mapping_in_force(ProgressStore(seeded_zi_data_dir)).bundled
    bad = tmp_path / "salah.csv"
    bad.write_text(KOMPONEN_TABLE.replace("WBS,4", "WBS,5"), encoding="utf-8")
    refused = run_cli("lke", "mapping", "--file", bad, "--user", "koordinator", stdin=PASSWORD + "\n",
                      check_returncode=2)
    assert "Baris 6, kolom weight: Bobot komponen area V" in refused.stderr
    run_cli("lke", "mapping", "--file", table, "--user", "koordinator", stdin=PASSWORD + "\n", check_returncode=0)
    assert not mapping_in_force(ProgressStore(seeded_zi_data_dir)).bundled
    assert "V,pengendalian gratifikasi,,Pengendalian gratifikasi,5" in run_cli("lke", "mapping", check_returncode=0).stdout
    assert lke_json()["pemetaan"] == "disesuaikan"
    run_cli("lke", "mapping", "--bawaan", "--user", "koordinator", stdin=PASSWORD + "\n", check_returncode=0)
    assert mapping_in_force(ProgressStore(seeded_zi_data_dir)).bundled


def test_the_plan_year_may_be_named_before_or_after_mapping(seeded_zi_data_dir):
    for args in (("--year", "2024", "mapping"), ("mapping", "--year", "2024")):
        assert "2024" in run_cli("lke", *args, check_returncode=2).stderr
    assert run_cli("lke", "--year", "2025", "mapping", check_returncode=0).stdout.startswith("area,komponen")
