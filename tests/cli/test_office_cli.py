"""`python -m zi_data office add|import|list` against a data directory, and a plan year for any bundled office."""

import re
from collections import Counter

from helpers import ROOT, plan_workbook, run_cli
from zi_data.store.audit import audit_events
from zi_data.store.progress_store import ProgressStore

EXAMPLE = ROOT / "data" / "kantor_kpu_kalimantan_tengah.csv"


def test_a_new_data_directory_lists_every_kpu_office_with_its_level_and_zone(tmp_path):
    listed = run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout
    rows = [re.split(r" {2,}", line) for line in listed.splitlines()]  # columns are padded to line up
    assert len(rows) == 1 + 553
    assert rows[:3] == [["kode", "nama", "induk", "tingkat", "zona waktu"],
                        ["00", "KPU Republik Indonesia", "nasional", "WIB"],
                        ["11", "KIP Aceh", "00", "provinsi", "WIB"]]
    assert ["6203", "KPU Kabupaten Kapuas", "62", "kabupaten/kota", "WIB"] in rows
    assert ["5171", "KPU Kota Denpasar", "51", "kabupaten/kota", "WITA"] in rows
    assert ["93", "KPU Provinsi Papua Selatan", "00", "provinsi", "WIT"] in rows
    assert Counter(row[-2] for row in rows[1:]) == {"nasional": 1, "provinsi": 38, "kabupaten/kota": 514}
    assert len({line.rindex(row[-2]) for line, row in zip(listed.splitlines(), rows)}) == 1  # tingkat lines up


def test_importing_the_example_into_a_new_data_directory_changes_nothing(tmp_path):
    before = run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout
    again = run_cli("office", "import", EXAMPLE, data_dir=tmp_path, check_returncode=0)
    assert again.stdout == ("Kantor dari 'kantor_kpu_kalimantan_tengah.csv': 0 ditambahkan, 0 diubah, "
                            "16 tidak berubah.\n")
    assert run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout == before


def test_a_plan_year_starts_for_any_kpu_office_without_office_add(tmp_path):
    for code, name in (("6271", "KPU Kota Palangka Raya"), ("9404", "KPU Kabupaten Mimika")):
        workbook = tmp_path / f"rencana_{code}.xlsx"
        workbook.write_bytes(plan_workbook(2026, office_name=name))
        started = run_cli("plan", "add", workbook, "--office", code, "--yes", data_dir=tmp_path / "data")
        assert (started.returncode, started.stdout.splitlines()[-1]) == (
            0, f"Rencana aksi tahun 2026 untuk {name} dimulai (versi 1).")
    assert run_cli("plan", "list", data_dir=tmp_path / "data").stdout.splitlines() == [
        "6203\t2025\tKPU Kabupaten Kapuas", "6271\t2026\tKPU Kota Palangka Raya", "9404\t2026\tKPU Kabupaten Mimika"]


def test_add_then_rename_an_office(tmp_path):
    added = run_cli("office", "add", "62.99", "KPU Kabupaten Contoh", "--induk", "62", data_dir=tmp_path)
    assert (added.returncode, added.stdout) == (0, "Kantor 6299 (KPU Kabupaten Contoh) ditambahkan.\n")
    renamed = run_cli("office", "add", "6299", "KPU Kab. Contoh", "--induk", "62", data_dir=tmp_path)
    assert renamed.stdout == "Kantor 6299 (KPU Kab. Contoh) diperbarui.\n"
    listed = run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout
    assert "6299  KPU Kab. Contoh" in listed


def test_a_loop_or_a_bad_file_is_refused_and_changes_nothing(tmp_path):
    before = run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout
    looped = run_cli("office", "add", "00", "KPU RI", "--induk", "6203", data_dir=tmp_path)
    assert (looped.returncode, looped.stderr) == (1, "Gagal: Kantor 00: induk membuat lingkaran: "
                                                     "00 → 6203 → 62 → 00.\n")
    bad = tmp_path / "kantor.csv"
    bad.write_text("kode,nama,induk\n6299,KPU Baru,62\n6298,,62\n", encoding="utf-8")
    refused = run_cli("office", "import", bad, data_dir=tmp_path)
    assert (refused.returncode, refused.stderr) == (1, "Gagal: Berkas 'kantor.csv', baris 3, kolom B: nama kosong.\n")
    assert run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout == before


def test_bad_arguments_are_refused_before_the_store_is_opened(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # short relative paths: a message quotes at most SHOWN_CHARS of a path whole
    data_dir = tmp_path / "data"
    refused = run_cli("office", "add", "6x", "", "--induk", "62.", data_dir=data_dir)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "Gagal: KODE: kode '6x' tidak sah: tulis angka saja, boleh dikelompokkan dengan titik (misalnya 6203 atau "
        "62.03).",
        "NAMA: nama kosong.",
        "--induk: induk '62.' tidak sah: tulis angka saja, boleh dikelompokkan dengan titik (misalnya 6203 atau "
        "62.03)."]
    missing = run_cli("office", "import", "tidak-ada.csv", data_dir=data_dir)
    assert (missing.returncode, missing.stderr) == (1, "Gagal: berkas 'tidak-ada.csv' tidak ada.\n")
    (tmp_path / "folder").mkdir()
    directory = run_cli("office", "import", "folder", data_dir=data_dir, check_returncode=2)
    assert directory.stderr.endswith("galat: argumen BERKAS.csv: 'folder' adalah direktori, bukan berkas; "
                                     "sebutkan berkasnya\n")
    assert not data_dir.exists()


def test_changes_to_the_office_list_are_audited_and_an_unchanged_import_is_not(tmp_path):
    new = tmp_path / "kantor_baru.csv"
    new.write_text("kode,nama,induk\n6298,KPU Kabupaten Contoh Dua,62\n6203,KPU Kab. Kapuas,62\n", encoding="utf-8")
    run_cli("office", "import", EXAMPLE, data_dir=tmp_path, check_returncode=0)
    run_cli("office", "import", new, data_dir=tmp_path, check_returncode=0)
    run_cli("office", "import", new, data_dir=tmp_path, check_returncode=0)
    run_cli("office", "add", "6299", "KPU Kabupaten Contoh", "--induk", "62", data_dir=tmp_path, check_returncode=0)
    events = audit_events(ProgressStore(tmp_path))
    changes = events[events["action"] == "kantor_diperbarui"]
    assert [(event["berkas"], event["ditambah"], event["diubah"]) for event in changes["details"]] == [
        ("kantor_baru.csv", 1, 1), ("kantor 6299", 1, 0)]
    assert set(changes["actor"]) == {"baris perintah"}
