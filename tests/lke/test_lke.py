"""LKE readiness on a small hand-built plan; every expected number is worked out by hand."""

import json

import pytest

from helpers import KOMPONEN_TABLE, THRESHOLDS, csv_table, make_latest
from lke_helpers import AS_OF, LATEST, PLAN, bundled
from zi_data.lke import lke
from zi_data.reporting.charts import PROJECTOR_MAX_HEIGHT, PROJECTOR_MIN_FONT
from zi_data.lke.lke_charts import readiness_bars
from zi_data.lke.lke_mapping import (AUDIT_ACTION, COLUMNS, LkeMapping, bundled_table, mapping_in_force,
                                     read_table_csv, set_mapping, table_csv, validated)
from zi_data.store.audit import audit_events
from zi_data.base.problems import InputError
from zi_data.plan.status import classify



def areas_of(result: lke.Readiness) -> dict:
    return {row.area: row for row in result.areas.itertuples()}


def test_the_bundled_weights_sum_to_the_pengungkit_total_of_60():
    table = bundled_table()
    assert dict(zip(table["area"], table["weight"])) == {"I": 8, "II": 7, "III": 10, "IV": 10, "V": 15, "VI": 10}
    assert table["weight"].sum() == THRESHOLDS.max == 60
    assert (THRESHOLDS.wbk_total, THRESHOLDS.wbk_floor, THRESHOLDS.wbbm_total, THRESHOLDS.wbbm_floor) == \
        (40, 0.60, 48, 0.75)


def test_everything_done_gives_each_area_its_full_weight():
    everything = make_latest([(row.id, month, "Selesai", "bukti.pdf") for row in PLAN.itertuples()
                              for month in row.months])
    result = lke.readiness(PLAN, classify(PLAN, everything, AS_OF), bundled(), AS_OF)
    assert list(result.areas["points"]) == list(result.areas["weight"])
    assert result.pengungkit["points"] == 60
    assert result.pengungkit["meets_wbk"] and result.pengungkit["meets_wbbm"]
    assert not result.areas["below_wbk"].any() and not result.areas["below_wbbm"].any()


def test_nothing_done_gives_zero_and_every_area_below_both_floors():
    result = lke.readiness(PLAN, classify(PLAN, make_latest([]), AS_OF), bundled(), AS_OF)
    assert result.pengungkit["points"] == 0 and not result.pengungkit["meets_wbk"]
    assert result.areas["points"].eq(0).all()
    assert result.areas["below_wbk"].all() and result.areas["below_wbbm"].all()


def test_the_floors_are_applied_per_area():
    result = lke.readiness(PLAN, classify(PLAN, LATEST, AS_OF), bundled(), AS_OF)
    areas = areas_of(result)
    # done / planned in the year × weight, against 60 % and 75 % of the weight
    expected = {"I": (3, 4, 6.0, 4.8, 6.0, False, False),  # exactly on the WBBM floor: not below
                "II": (1, 2, 3.5, 4.2, 5.25, True, True),
                "III": (3, 5, 6.0, 6.0, 7.5, False, True),  # exactly on the WBK floor
                "IV": (0, 10, 0.0, 6.0, 7.5, True, True),
                "V": (3, 4, 11.25, 9.0, 11.25, False, False),
                "VI": (1, 2, 5.0, 6.0, 7.5, True, True)}
    for area, (done, planned, points, floor_wbk, floor_wbbm, below_wbk, below_wbbm) in expected.items():
        row = areas[area]
        assert (row.done, row.planned) == (done, planned), area
        assert row.points == pytest.approx(points) and row.share == pytest.approx(done / planned), area
        assert (row.floor_wbk, row.floor_wbbm) == pytest.approx((floor_wbk, floor_wbbm)), area
        assert (row.below_wbk, row.below_wbbm) == (below_wbk, below_wbbm), area
    assert result.pengungkit["points"] == pytest.approx(31.75)
    assert not result.pengungkit["meets_wbk"]


def test_a_high_total_with_one_area_below_its_floor_does_not_meet_wbk():
    everything_but_iv = make_latest([(row.id, month, "Selesai", "bukti.pdf") for row in PLAN.itertuples()
                                     for month in row.months if row.area != "IV"])
    result = lke.readiness(PLAN, classify(PLAN, everything_but_iv, AS_OF), bundled(), AS_OF)
    assert result.pengungkit["points"] == 50  # over 48, but area IV has 0 of its 10
    assert not result.pengungkit["meets_wbk"] and not result.pengungkit["meets_wbbm"]


def test_what_if_lists_the_areas_that_clear_and_the_ranked_agenda():
    scenario = lke.what_if(PLAN, classify(PLAN, LATEST, AS_OF), bundled(), through_month=3)
    # Undone and due by March: II-1 February (area II, +7/2), IV-1 January–March (area IV, +10/10 each).
    # Both areas are below the WBK floor; II's item-month adds more.
    assert list(zip(scenario.agenda["id"], scenario.agenda["month"])) == [
        ("II-1", 2), ("IV-1", 1), ("IV-1", 2), ("IV-1", 3)]
    assert list(scenario.agenda["gain"]) == pytest.approx([3.5, 1.0, 1.0, 1.0])
    assert list(scenario.agenda["below"]) == ["WBK"] * 4
    then = areas_of(scenario.readiness)
    assert then["II"].points == pytest.approx(7.0) and then["IV"].points == pytest.approx(3.0)
    areas = scenario.areas.set_index("area")
    assert list(areas.index[areas["clears_wbk"]]) == ["II"]  # IV: 3 of 10 stays under 6; VI has nothing due
    assert list(areas.index[areas["clears_wbbm"]]) == ["II"]
    assert scenario.readiness.pengungkit["points"] == pytest.approx(31.75 + 3.5 + 3.0)


def test_the_agenda_puts_areas_below_the_wbk_floor_before_those_below_wbbm_only():
    scenario = lke.what_if(PLAN, classify(PLAN, LATEST, AS_OF), bundled(), through_month=5)
    # III (6 of 10: below WBBM only) gains 2 per item-month, more than IV's 1, yet IV (below WBK) comes first
    order = list(zip(scenario.agenda["id"], scenario.agenda["month"], scenario.agenda["below"]))
    assert order == [("II-1", 2, "WBK"), ("IV-1", 1, "WBK"), ("IV-1", 2, "WBK"), ("IV-1", 3, "WBK"),
                     ("IV-1", 4, "WBK"), ("IV-1", 5, "WBK"), ("III-1", 4, "WBBM"), ("III-1", 5, "WBBM"),
                     ("V-2", 4, ""), ("I-1", 4, "")]  # then areas above both floors: V-2 adds 15/4, I-1 8/4
    assert list(scenario.agenda["gain"])[-4:] == pytest.approx([2.0, 2.0, 3.75, 2.0])


def test_komponen_rows_refine_an_area():
    mapping = LkeMapping(validated(csv_table(KOMPONEN_TABLE), THRESHOLDS), THRESHOLDS, bundled=False)
    result = lke.readiness(PLAN, classify(PLAN, LATEST, AS_OF), mapping, AS_OF)
    area_v = areas_of(result)["V"]
    # gratifikasi 3 of 3 × 5 + SPIP 0 of 1 × 6 + WBS (nothing planned) 0 × 4
    assert area_v.points == pytest.approx(5.0) and area_v.share == pytest.approx(5 / 15)
    assert (area_v.planned, area_v.done) == (4, 3) and area_v.below_wbk
    lines = result.lines[result.lines["area"] == "V"]
    assert list(lines["lke_sub_item"]) == ["Pengendalian gratifikasi", "SPIP", "WBS"]
    assert list(lines["points"]) == pytest.approx([5.0, 0.0, 0.0])
    assert list(lines["lke_area"]) == ["Penguatan Pengawasan"] * 3
    assert result.unmapped.empty
    scenario = lke.what_if(PLAN, classify(PLAN, LATEST, AS_OF), mapping, through_month=4)
    spip = scenario.agenda[scenario.agenda["id"] == "V-2"]
    assert list(spip["gain"]) == pytest.approx([6.0])  # the SPIP line's weight ÷ its 1 planned item-month


def test_a_komponen_of_a_refined_area_without_a_row_is_reported_not_counted():
    table = KOMPONEN_TABLE.replace("V,Penerapan SPIP,,SPIP,6\n", "").replace("WBS,4", "WBS,10")
    mapping = LkeMapping(validated(csv_table(table), THRESHOLDS), THRESHOLDS, bundled=False)
    result = lke.readiness(PLAN, classify(PLAN, LATEST, AS_OF), mapping, AS_OF)
    assert result.unmapped.to_dict("records") == [{"area": "V", "komponen": "Penerapan SPIP", "planned": 1}]
    assert areas_of(result)["V"].planned == 3


@pytest.mark.parametrize("change, message", [
    (("8\n", "9\n"), "Kolom weight: Jumlah bobot area 61, seharusnya 60."),
    (("II,,Penataan Tatalaksana,,7", "VII,,Penataan Tatalaksana,,7"), "Baris 3, kolom area: Area 'VII' tidak dikenal"),
    (("IV,,Penguatan Akuntabilitas Kinerja,,10", "IV,,Penguatan Akuntabilitas Kinerja,,nol"),
     "Baris 5, kolom weight: Bobot 'nol' tidak sah"),
    (("III,,Penataan Sistem Manajemen SDM,,10", "III,,Penataan Sistem Manajemen SDM,,-10"),
     "Baris 4, kolom weight: Bobot '-10' tidak sah"),
    (("VI,,Peningkatan Kualitas Pelayanan Publik,,10", "VI,,,,10"), "Baris 10, kolom lke_area: Nama area LKE kosong."),
    (("WBS,4", "WBS,5"), "Baris 6, kolom weight: Bobot komponen area V (baris 7, 8, 9) berjumlah 16, seharusnya "
                         "sama dengan bobot areanya (15)."),
    (("V,Penerapan SPIP", "V,Pengendalian Gratifikasi"), "Baris 8, kolom komponen: Area V, komponen 'Pengendalian "
                                                         "Gratifikasi' sudah dipetakan di baris 7."),
    (("I,,Manajemen Perubahan,,8\n", ""), "Kolom area: Area I tidak memiliki baris seluruh area"),
])
def test_mapping_errors_are_indonesian_and_name_the_row_and_column(change, message):
    with pytest.raises(InputError) as raised:
        validated(csv_table(KOMPONEN_TABLE.replace(*change, 1)), THRESHOLDS)
    assert any(str(problem).startswith(message) for problem in raised.value.problems), \
        [str(problem) for problem in raised.value.problems]


def test_a_table_without_a_column_is_refused():
    with pytest.raises(InputError) as raised:
        validated(csv_table("area,komponen,lke_area,weight\nI,,Manajemen Perubahan,60\n"), THRESHOLDS)
    assert [str(problem) for problem in raised.value.problems] == [
        f"Kolom lke_sub_item tidak ada. Tabel pemetaan LKE memerlukan kolom {', '.join(COLUMNS)}."]


def test_the_admins_table_is_stored_per_plan_year_audited_and_set_back_to_the_default(store_on_each_backend):
    store = store_on_each_backend
    assert mapping_in_force(store).bundled
    table = csv_table(KOMPONEN_TABLE)
    set_mapping(store, table, "koordinator")
    set_mapping(store, table, "koordinator")  # unchanged: nothing written
    in_force = mapping_in_force(store)
    assert not in_force.bundled and list(in_force.table["lke_sub_item"])[5:8] == ["Pengendalian gratifikasi",
                                                                                   "SPIP", "WBS"]
    assert read_table_csv(table_csv(in_force.table).encode()).equals(
        read_table_csv(table_csv(validated(table, THRESHOLDS)).encode()))
    with pytest.raises(InputError):
        set_mapping(store, csv_table(KOMPONEN_TABLE.replace("8\n", "9\n", 1)), "koordinator")
    assert not mapping_in_force(store).bundled  # a refused table changes nothing
    set_mapping(store, None, "koordinator")
    assert mapping_in_force(store).bundled
    events = audit_events(store)
    changes = events[events["action"] == AUDIT_ACTION]
    assert list(changes["actor"]) == ["koordinator", "koordinator"]
    assert [json.loads(details) if isinstance(details, str) else details for details in changes["details"]] == [
        {"pemetaan": "disesuaikan", "baris": 9}, {"pemetaan": "bawaan", "baris": 6}]


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "proyektor"])
def test_the_chart_marks_an_area_below_its_floor_in_text_and_fits_the_projector(projector):
    result = lke.readiness(PLAN, classify(PLAN, LATEST, AS_OF), bundled(), AS_OF)
    figure = readiness_bars(result.areas, projector)
    labels = dict(zip(figure.data[-1].y, figure.data[-1].text))  # first area on top: the last row of the axis
    below_wbk = next(text for label, text in labels.items() if label.startswith("II ·"))
    below_wbbm = next(text for label, text in labels.items() if label.startswith("III ·"))
    above = next(text for label, text in labels.items() if label.startswith("V ·"))
    if projector:
        assert (below_wbk.strip(), below_wbbm.strip(), above.strip()) == ("3,50 ✗ < WBK", "6,00 ✗ < WBBM", "11,25 ✓")
        assert figure.layout.height <= PROJECTOR_MAX_HEIGHT and figure.layout.font.size >= PROJECTOR_MIN_FONT
    else:
        assert below_wbk.strip() == "3,50 / 7 ✗ di bawah batas WBK" and above.strip() == "11,25 / 15 ✓"
    assert [trace.name for trace in figure.data[2:4]] == ["Batas WBK", "Batas WBBM"]
    assert [trace.marker.symbol for trace in figure.data[2:4]] == ["line-ns", "diamond-tall"]  # not colour alone
