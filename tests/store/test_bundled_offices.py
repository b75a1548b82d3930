"""The bundled list of every KPU office (data/kantor_kpu_indonesia.csv) and the databases that hold it."""

from collections import Counter

import sqlalchemy as sa

from helpers import ROOT
from zi_data.base import clock, paths
from zi_data.store.bundled_offices import add_bundled_offices, bundled_offices, office_chain
from zi_data.store.offices import OFFICE_COLUMNS, office_frame, office_levels, read_offices_csv

KALTENG = ROOT / "data" / "kantor_kpu_kalimantan_tengah.csv"
PAPUA_SPLITS_2022 = {"93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya"}


def the_list():
    """code, name, parent of the list read as an uploaded office list is: every check of read_offices_csv passed."""
    return read_offices_csv(paths.BUNDLED_OFFICES.read_bytes(), paths.BUNDLED_OFFICES.name)[OFFICE_COLUMNS]


def test_the_list_is_kpu_ri_38_provinces_and_514_kabupaten_kota_each_under_its_province():
    offices = the_list()
    rows = bundled_offices()
    assert len(offices) == len(rows) == 553
    assert Counter(office_levels(offices)) == {"nasional": 1, "provinsi": 38, "kabupaten/kota": 514}
    assert list(office_levels(offices)) == [row["tingkat"] for row in rows.values()]
    assert set(offices["parent"]) - {""} <= set(offices["code"])  # every parent exists
    for code, parent, level in zip(offices["code"], offices["parent"], office_levels(offices)):
        assert (len(code), parent) == {"nasional": (2, ""), "provinsi": (2, "00"),
                                       "kabupaten/kota": (4, code[:2])}[level], code
    names = dict(zip(offices["code"], offices["name"]))
    assert {code: names[code] for code in PAPUA_SPLITS_2022} == {
        code: f"KPU Provinsi {name}" for code, name in PAPUA_SPLITS_2022.items()}
    assert (names["00"], names["11"], names["1171"], names["5171"]) == (
        "KPU Republik Indonesia", "KIP Aceh", "KIP Kota Banda Aceh", "KPU Kota Denpasar")
    assert offices["name"].is_unique  # a plan's office is found by name


def test_the_kalimantan_tengah_rows_are_today_s_example_list():
    offices = the_list()
    kalteng = offices[offices["code"].isin(["00", "62"]) | (offices["parent"] == "62")]
    assert kalteng.reset_index(drop=True).equals(read_offices_csv(KALTENG.read_bytes(), KALTENG.name))


def test_each_office_has_its_province_s_time_zone():
    zones = {code: row["zona_waktu"] for code, row in bundled_offices().items()}
    assert zones == {code: clock.province_zone(code) for code in zones}
    assert (zones["51"], zones["5171"], zones["91"], zones["9171"], zones["62"], zones["6203"]) == (
        "WITA", "WITA", "WIT", "WIT", "WIB", "WIB")  # Bali, Papua, Kalimantan Tengah
    assert Counter(zones.values()) == {"WIB": 320, "WITA": 162, "WIT": 71}


def test_a_new_database_holds_every_office_its_zone_from_its_province(store_on_each_backend):
    with store_on_each_backend.reading() as conn:
        stored = office_frame(conn)
        zones = clock.office_zones(conn)
        overrides = conn.execute(sa.text("SELECT COUNT(*) FROM offices WHERE zona_waktu IS NOT NULL")).scalar()
    assert stored.equals(the_list().sort_values("code", ignore_index=True))
    assert zones == {code: row["zona_waktu"] for code, row in bundled_offices().items()}
    assert overrides == 0  # the zone follows the province until someone overrides it


def test_adding_the_list_again_adds_nothing(store):
    with store.transaction() as conn:
        assert add_bundled_offices(conn, clock.utc_now()) == 0


def test_a_plan_s_office_is_found_by_name_with_its_parents():
    assert office_chain(" kpu kota denpasar ") == [("00", "KPU Republik Indonesia", None),
                                                   ("51", "KPU Provinsi Bali", "00"), ("5171", "KPU Kota Denpasar", "51")]
    assert office_chain("KPU Kota Atlantis") == []
