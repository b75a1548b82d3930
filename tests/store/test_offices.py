"""The office CSV (kode,nama,induk) and the hierarchy's levels, without a database."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples, ROOT
from zi_data.store.offices import (MAX_CSV_BYTES, MAX_CSV_ROWS, OFFICE_COLUMNS, SHOWN_PROBLEMS, OfficeCsvError,
                                   OfficeError, office_level, office_levels, read_offices_csv)

EXAMPLE = ROOT / "data" / "kantor_kpu_kalimantan_tengah.csv"


def example_offices() -> pd.DataFrame:
    return read_offices_csv(EXAMPLE.read_bytes(), EXAMPLE.name)


def problems_of(text: str | bytes, existing=None, name="kantor.csv") -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(OfficeCsvError) as raised:
        read_offices_csv(data, name, existing)
    return raised.value.problems


def test_the_bundled_example_is_kpu_ri_the_province_and_its_fourteen_kabupaten_kota():
    offices = example_offices()
    assert list(offices.columns) == OFFICE_COLUMNS
    assert len(offices) == 16
    assert offices.iloc[0].tolist() == ["00", "KPU Republik Indonesia", ""]
    assert offices.set_index("code").loc["6203"].tolist() == ["KPU Kabupaten Kapuas", "62"]
    levels = office_levels(offices)
    assert levels.value_counts().to_dict() == {"kabupaten/kota": 14, "nasional": 1, "provinsi": 1}
    assert [office_level(code, offices) for code in ("00", "62", "6271")] == ["nasional", "provinsi",
                                                                               "kabupaten/kota"]


def test_office_level_of_an_unknown_code_is_refused_in_indonesian():
    with pytest.raises(OfficeError, match="^Kantor dengan kode 9999 tidak terdaftar.$"):
        office_level("9999", example_offices())


def test_bom_semicolons_header_case_extra_columns_spaces_and_crlf_are_accepted():
    text = "\ufeffKODE ; Nama;Catatan; INDUK \r\n 00 ;KPU RI ;pusat;\r\n62; KPU Kalteng;;00\r\n"
    offices = read_offices_csv(text.encode("utf-8"), "kantor.csv")
    assert offices.values.tolist() == [["00", "KPU RI", ""], ["62", "KPU Kalteng", "00"]]


def test_dotted_kemendagri_codes_are_the_same_office_as_plain_digits():
    offices = read_offices_csv(b"kode,nama,induk\n00,KPU RI,\n62,Prov,0.0\n62.03,Kapuas,62\n", "kantor.csv")
    assert offices["code"].tolist() == ["00", "62", "6203"]
    assert offices["parent"].tolist() == ["", "00", "62"]
    assert problems_of("kode,nama,induk\n6203,A,\n62.03,B,\n") == [
        "Berkas 'kantor.csv', baris 3, kolom A: kode 6203 sudah dipakai di baris 2."]


def test_cell_text_is_data_not_markup():
    names = ["<b>KPU</b> <img src=x onerror=alert(1)>", "**tebal** [tautan](https://contoh.id)", "=HYPERLINK(\"x\")"]
    text = "kode,nama,induk\n" + "".join(f'{number},"{name.replace(chr(34), chr(34) * 2)}",\n'
                                         for number, name in enumerate(names, start=1))
    assert read_offices_csv(text.encode(), "kantor.csv")["name"].tolist() == names


def test_columns_are_found_by_header_in_any_order():
    offices = read_offices_csv(b"nama,induk,kode\nKPU RI,,00\nProv,00,62\n", "kantor.csv")
    assert offices.values.tolist() == [["00", "KPU RI", ""], ["62", "Prov", "00"]]
    assert problems_of("nama,induk,kode\nProv,99,62\n") == [
        "Berkas 'kantor.csv', baris 2, kolom B: kantor induk 99 tidak dikenal: daftarkan dulu kantor induknya, "
        "atau kosongkan induk untuk kantor teratas."]


FORMAT_HINT = "tulis angka saja, boleh dikelompokkan dengan titik (misalnya 6203 atau 62.03)."


@pytest.mark.parametrize("text, expected", [
    ("kode,nama\n00,KPU RI\n", ["Berkas 'kantor.csv', baris 1: kolom induk tidak ada. Baris 1 harus berisi judul "
                                "kolom kode,nama,induk, dipisah koma atau titik koma."]),
    ("kode,nama,induk,KODE\n", ["Berkas 'kantor.csv', baris 1, kolom D: judul kolom 'KODE' muncul dua kali."]),
    ("", ["Berkas 'kantor.csv' kosong atau baris 1 kosong: baris 1 harus berisi judul kolom kode,nama,induk."]),
    ("\nkode,nama,induk\n", ["Berkas 'kantor.csv' kosong atau baris 1 kosong: baris 1 harus berisi judul kolom "
                             "kode,nama,induk."]),
    ("kode,nama,induk\n00,KPU RI,\n\n,Tanpa kode,00\n62,,00\n", [
        "Berkas 'kantor.csv', baris 4, kolom A: kode kosong.",
        "Berkas 'kantor.csv', baris 5, kolom B: nama kosong."]),
    ("kode,nama,induk\n62a,Prov,\n6 2,Prov,\n62.,Prov,\n٦٢,Prov,\n", [
        f"Berkas 'kantor.csv', baris {row}, kolom A: kode '{code}' tidak sah: {FORMAT_HINT}"
        for row, code in ((2, "62a"), (3, "6 2"), (4, "62."), (5, "٦٢"))]),
    ("kode,nama,induk\n62,Prov,x\n", [f"Berkas 'kantor.csv', baris 2, kolom C: induk 'x' tidak sah: {FORMAT_HINT}"]),
    ("kode,nama,induk\n" + "1" * 21 + ",A,\n", [
        "Berkas 'kantor.csv', baris 2, kolom A: kode '" + "1" * 21 + "' terlalu panjang (lebih dari 20 angka)."]),
    ("kode,nama,induk\n1," + "a" * 201 + ",\n", [
        "Berkas 'kantor.csv', baris 2, kolom B: nama terlalu panjang (201 karakter; paling banyak 200)."]),
    ('kode,nama,induk\n1,"dua\nbaris",\n', [
        "Berkas 'kantor.csv', baris 2, kolom B: nama 'dua[U+000A]baris' harus satu baris, tanpa tab."]),
    ("kode,nama,induk\n1,A,2\n2,B,3\n3,C,1\n4,D,4\n", [
        "Berkas 'kantor.csv', baris 2, kolom C: induk membuat lingkaran: 1 → 2 → 3 → 1.",
        "Berkas 'kantor.csv', baris 5, kolom C: induk membuat lingkaran: 4 → 4."]),
    (b"kode,nama,induk\n1,KPU \xff,\n", ["Berkas 'kantor.csv' bukan teks UTF-8 (byte tidak sah di posisi 23). "
                                       "Simpan ulang sebagai CSV UTF-8."]),
    ('kode,nama,induk\n1,"' + "a" * 200_000 + '",\n', [
        "Berkas 'kantor.csv', baris 2: bukan CSV yang sah (tanda kutip tidak tertutup atau sel terlalu panjang)."]),
], ids=["missing column", "duplicate header", "empty file", "blank header row", "empty kode and nama",
        "kode not digits and dots", "bad induk", "kode too long", "nama too long", "nama on two lines", "cycles",
        "not utf-8", "cell over the csv limit"])
def test_every_problem_names_file_row_and_column(text, expected):
    assert problems_of(text) == expected


def test_the_file_name_is_quoted_with_invisible_characters_spelled_out():
    assert problems_of("kode,nama,induk\n1,,\n", name="kantor\u200b.csv") == [
        "Berkas 'kantor[U+200B].csv', baris 2, kolom B: nama kosong."]


def test_parents_may_be_offices_already_stored_and_a_loop_through_them_is_refused():
    stored = example_offices()
    assert problems_of("kode,nama,induk\n6299,KPU Baru,62\n") == [
        "Berkas 'kantor.csv', baris 2, kolom C: kantor induk 62 tidak dikenal: daftarkan dulu kantor induknya, "
        "atau kosongkan induk untuk kantor teratas."]
    assert read_offices_csv(b"kode,nama,induk\n6299,KPU Baru,62\n", "kantor.csv", stored)["parent"].tolist() == ["62"]
    assert problems_of("kode,nama,induk\n00,KPU RI,6203\n", stored) == [
        "Berkas 'kantor.csv', baris 2, kolom C: induk membuat lingkaran: 00 → 6203 → 62 → 00."]


def test_size_and_row_limits():
    rows = "".join(f"{number},Kantor {number},\n" for number in range(1, MAX_CSV_ROWS + 1))
    assert len(read_offices_csv(("kode,nama,induk\n" + rows).encode(), "kantor.csv")) == MAX_CSV_ROWS
    assert problems_of("kode,nama,induk\n" + rows + "\n") == [
        "Berkas 'kantor.csv' berisi lebih dari 10.000 baris data."]
    padded = ("kode,nama,induk,catatan\n1,A,," + "x" * MAX_CSV_BYTES).encode()
    assert problems_of(padded[:MAX_CSV_BYTES]) == ["Berkas 'kantor.csv', baris 2: bukan CSV yang sah (tanda kutip "
                                                   "tidak tertutup atau sel terlalu panjang)."]
    assert problems_of(padded[:MAX_CSV_BYTES + 1]) == ["Berkas 'kantor.csv' lebih besar dari 2 MB."]


def test_a_file_with_many_problems_lists_all_and_shows_the_first_ones():
    count = SHOWN_PROBLEMS + 5
    with pytest.raises(OfficeCsvError) as raised:
        read_offices_csv(("kode,nama,induk\n" + "x,A,\n" * count).encode(), "kantor.csv")
    assert len(raised.value.problems) == count
    lines = str(raised.value).splitlines()
    assert len(lines) == SHOWN_PROBLEMS + 1 and lines[-1] == "… dan 5 masalah lain."


@settings(max_examples=examples(300), deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_either_parse_or_raise_office_csv_error(data):
    try:
        read_offices_csv(data, "acak.csv")
    except OfficeCsvError as error:
        assert error.problems and all(problem.startswith("Berkas 'acak.csv'") for problem in error.problems)


NOISE = st.text(alphabet="0123456789.,;\"\n\r \t\ufeff\u200bKPUaé<>*", max_size=8)
NAMES = st.sampled_from(["KPU", " <b>x</b> ", "é"])


@st.composite
def office_rows(draw) -> list[tuple[str, str, str]]:
    """Rows, mostly valid: distinct codes (some written with a dot), mostly a tree, some loops and noise."""
    codes = draw(st.lists(st.integers(0, 200).map(str), unique=True, max_size=8))
    noise = [NOISE] if draw(st.booleans()) else []  # half the files have no noise: only the hierarchy may be wrong
    rows = []
    for position, code in enumerate(codes):
        written = st.just(code if len(code) < 2 else f"{code[0]}.{code[1:]}")
        above = st.sampled_from(codes[:position]) if position else st.just("")  # a tree: parents come first
        rows.append((draw(st.one_of(st.just(code), written, *noise)), draw(st.one_of(NAMES, *noise)),
                     draw(st.one_of(st.just(""), above, above, above, st.sampled_from(codes), *noise))))
    return rows


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from([",", ";"]), office_rows())
def test_csv_like_text_gives_a_consistent_hierarchy_or_office_csv_error(delimiter, rows):
    lines = [delimiter.join(["kode", "nama", "induk"])] + [delimiter.join(row) for row in rows]
    try:
        offices = read_offices_csv("\n".join(lines).encode(), "acak.csv")
    except OfficeCsvError as error:
        assert error.problems
        return
    codes = set(offices["code"])
    assert len(codes) == len(offices) and all(code.isascii() and code.isdigit() for code in codes)
    assert set(offices["parent"]) <= codes | {""}
    assert office_levels(offices).isin(["nasional", "provinsi", "kabupaten/kota"]).all()  # no loop
