"""The LKE mapping CSV and editor table get the office list's limits and text rule (issue 21, text edges)."""

import pytest
from hypothesis import given, settings, strategies as st

from helpers import csv_table, examples, KOMPONEN_TABLE, run_cli, THRESHOLDS
from realisasi_helpers import PASSWORD
from zi_data.store.accounts import Accounts
from zi_data.lke.lke_mapping import mapping_in_force, read_table_csv, validated
from zi_data.store.offices import MAX_CSV_BYTES, MAX_CSV_ROWS, MAX_NAME_CHARS
from zi_data.base.problems import InputError
from zi_data.store.progress_store import ProgressStore

CONTROLS = [chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]


def messages(raised) -> list[str]:
    return [str(problem) for problem in raised.value.problems]


def test_a_file_over_the_office_lists_size_is_refused_before_it_is_parsed():
    rows = "I,,Manajemen Perubahan,,8\n" * 100_006  # the attack: 100,006 rows, about 2.5 MB
    with pytest.raises(InputError) as raised:
        read_table_csv(("area,komponen,lke_area,lke_sub_item,weight\n" + rows).encode())
    assert messages(raised) == [f"Berkas CSV pemetaan LKE lebih besar dari {MAX_CSV_BYTES // 2**20} MB. "
                                "Tabel pemetaan hanya memuat beberapa puluh baris."]


def test_more_rows_than_the_office_list_allows_are_refused_from_a_file_and_from_the_editor():
    text = "area,komponen,lke_area,lke_sub_item,weight\n" + "I,,A,,1\n" * (MAX_CSV_ROWS + 1)
    with pytest.raises(InputError) as raised:
        validated(read_table_csv(text.encode()), THRESHOLDS)
    assert messages(raised) == ["Tabel pemetaan LKE berisi 10.001 baris; paling banyak 10.000 baris."]
    assert len(validated(csv_table(KOMPONEN_TABLE), THRESHOLDS)) == 9  # a normal table still passes


@settings(max_examples=examples(40), deadline=None)
@given(control=st.sampled_from(CONTROLS), column=st.sampled_from(["komponen", "lke_area", "lke_sub_item"]))
def test_control_characters_are_removed_from_every_text_column(control, column):
    frame = csv_table(KOMPONEN_TABLE)
    frame.loc[5, column] = f"Peng{control}endalian gratifikasi{control}"
    table = validated(frame, THRESHOLDS)
    assert not any(ch in text for text in table[["area", "komponen", "lke_area", "lke_sub_item"]].to_numpy().ravel()
                   for ch in CONTROLS)
    assert "Pengendalian gratifikasi" in set(table[column])


def test_a_text_longer_than_an_office_name_is_refused_with_its_row_and_column():
    frame = csv_table(KOMPONEN_TABLE)
    frame.loc[0, "lke_area"] = "x" * (MAX_NAME_CHARS + 1)
    with pytest.raises(InputError) as raised:
        validated(frame, THRESHOLDS, first_row=1)
    assert messages(raised) == ["Baris 1, kolom lke_area: Teks terlalu panjang (201 karakter; paling banyak 200)."]


def test_the_command_refuses_the_oversized_file_with_exit_2(seeded_zi_data_dir, tmp_path):
    big = tmp_path / "besar.csv"
    big.write_text("area,komponen,lke_area,lke_sub_item,weight\n" + "I,,Manajemen Perubahan,,8\n" * 100_006)
    refused = run_cli("lke", "mapping", "--file", big, "--user", "koordinator", check_returncode=2)
    assert "lebih besar dari 2 MB" in refused.stderr and "Traceback" not in refused.stderr


def test_the_command_stores_a_table_with_nul_without_it(seeded_zi_data_dir, tmp_path):
    Accounts(ProgressStore(seeded_zi_data_dir)).add("koordinator", "admin", "", PASSWORD, "uji")
    table = tmp_path / "nul.csv"
    table.write_text(KOMPONEN_TABLE.replace("Whistle Blowing", "Whistle\x00 Blowing"), encoding="utf-8")
    run_cli("lke", "mapping", "--file", table, "--user", "koordinator", stdin=PASSWORD + "\n", check_returncode=0)
    stored = mapping_in_force(ProgressStore(seeded_zi_data_dir)).table
    assert "Whistle Blowing System" in set(stored["komponen"])
    assert "\x00" not in run_cli("lke", "mapping", check_returncode=0).stdout
