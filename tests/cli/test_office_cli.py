"""`python -m zi_data office add|import|list` against a data directory."""

import re


from helpers import ROOT, run_cli
from zi_data.store.audit import audit_events
from zi_data.store.progress_store import ProgressStore

EXAMPLE = ROOT / "data" / "kantor_kpu_kalimantan_tengah.csv"


def test_import_the_example_then_list_it_with_levels(tmp_path):
    run_cli("office", "import", EXAMPLE, data_dir=tmp_path, check_returncode=0)
    again = run_cli("office", "import", EXAMPLE, data_dir=tmp_path, check_returncode=0)
    assert again.stdout == ("Kantor dari 'kantor_kpu_kalimantan_tengah.csv': 0 ditambahkan, 0 diubah, "
                            "16 tidak berubah.\n")
    listed = run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout
    rows = [re.split(r" {2,}", line) for line in listed.splitlines()]  # columns are padded to line up
    assert rows[:3] == [["kode", "nama", "induk", "tingkat", "zona waktu"],
                        ["00", "KPU Republik Indonesia", "nasional", "WIB"],
                        ["62", "KPU Provinsi Kalimantan Tengah", "00", "provinsi", "WIB"]]
    assert ["6203", "KPU Kabupaten Kapuas", "62", "kabupaten/kota", "WIB"] in rows
    assert len(rows) == 17
    assert len({line.rindex(row[-2]) for line, row in zip(listed.splitlines(), rows)}) == 1  # tingkat lines up


def test_add_then_rename_an_office(tmp_path):
    run_cli("office", "import", EXAMPLE, data_dir=tmp_path, check_returncode=0)
    added = run_cli("office", "add", "62.99", "KPU Kabupaten Contoh", "--induk", "62", data_dir=tmp_path)
    assert (added.returncode, added.stdout) == (0, "Kantor 6299 (KPU Kabupaten Contoh) ditambahkan.\n")
    renamed = run_cli("office", "add", "6299", "KPU Kab. Contoh", "--induk", "62", data_dir=tmp_path)
    assert renamed.stdout == "Kantor 6299 (KPU Kab. Contoh) diperbarui.\n"
    listed = run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout
    assert "6299  KPU Kab. Contoh" in listed


def test_a_loop_or_a_bad_file_is_refused_and_changes_nothing(tmp_path):
    run_cli("office", "import", EXAMPLE, data_dir=tmp_path, check_returncode=0)
    before = run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout
    looped = run_cli("office", "add", "00", "KPU RI", "--induk", "6203", data_dir=tmp_path)
    assert (looped.returncode, looped.stderr) == (1, "Gagal: Kantor 00: induk membuat lingkaran: "
                                                     "00 → 6203 → 62 → 00.\n")
    bad = tmp_path / "kantor.csv"
    bad.write_text("kode,nama,induk\n6299,KPU Baru,62\n6298,,62\n", encoding="utf-8")
    refused = run_cli("office", "import", bad, data_dir=tmp_path)
    assert (refused.returncode, refused.stderr) == (1, "Gagal: Berkas 'kantor.csv', baris 3, kolom B: nama kosong.\n")
    assert run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout == before


def test_a_new_data_directory_lists_the_bundled_plan_s_office_and_its_parents(tmp_path):
    listed = run_cli("office", "list", data_dir=tmp_path, check_returncode=0)
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == ["00", "62", "6203"]
    assert listed.stdout.splitlines()[-1].endswith("kabupaten/kota  WIB")


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
    run_cli("office", "import", EXAMPLE, data_dir=tmp_path, check_returncode=0)
    run_cli("office", "import", EXAMPLE, data_dir=tmp_path, check_returncode=0)
    run_cli("office", "add", "6299", "KPU Kabupaten Contoh", "--induk", "62", data_dir=tmp_path, check_returncode=0)
    events = audit_events(ProgressStore(tmp_path))
    changes = events[events["action"] == "kantor_diperbarui"]
    assert [(event["berkas"], event["ditambah"], event["diubah"]) for event in changes["details"]] == [
        ("kantor_kpu_kalimantan_tengah.csv", 13, 0), ("kantor 6299", 1, 0)]
    assert set(changes["actor"]) == {"baris perintah"}
