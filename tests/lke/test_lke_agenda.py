"""The next monev's agenda per area (lke_agenda) on test_lke's hand-built plan; every number worked out by hand."""

import io

import openpyxl
import pytest

from lke_helpers import AS_OF, LATEST, PLAN, bundled
from zi_data.lke import lke
from zi_data.lke.lke_agenda import agenda_table, agenda_workbook_bytes, area_agendas
from zi_data.plan.status import classify


@pytest.fixture
def agendas():
    return area_agendas(lke.what_if(PLAN, classify(PLAN, LATEST, AS_OF), bundled(), through_month=5), shown=2)


def test_areas_below_wbk_come_first_then_below_wbbm_then_the_rest(agendas):
    assert [(agenda.area, agenda.below) for agenda in agendas] == [
        ("II", "WBK"), ("IV", "WBK"), ("III", "WBBM"), ("I", ""), ("V", "")]


def test_each_area_says_how_many_it_needs_to_clear_its_floor(agendas):
    by_area = {agenda.area: agenda for agenda in agendas}
    # II: 1 of 2 done × 7 = 3,5 points, WBK floor 60 % of 7 = 4,2: February's item-month (+3,5) is enough
    assert by_area["II"].deficit == pytest.approx(0.7) and by_area["II"].needed == 1
    # IV: nothing of 10 done, floor 6: the five due by May (+1 each) are not enough
    assert by_area["IV"].deficit == pytest.approx(6.0) and by_area["IV"].needed is None
    assert by_area["IV"].title == ("Area IV · Penguatan Akuntabilitas Kinerja · di bawah batas WBK (kurang 6,00 "
                                   "poin): semua 5 bulan-kegiatan belum cukup")
    # III: 3 of 5 done × 10 = 6, WBBM floor 7,5: one of the two due (+2 each)
    assert by_area["III"].needed == 1 and "perlu 1 bulan-kegiatan" in by_area["III"].title
    assert by_area["V"].needed == 0 and "di atas batas WBBM" in by_area["V"].title


def test_the_earliest_due_come_first_and_the_rest_are_counted(agendas):
    four = next(agenda for agenda in agendas if agenda.area == "IV")
    assert list(four.rows["month"]) == [1, 2, 3, 4, 5]
    assert four.more == 3
    assert four.line == "Dahulu: IV-1 Januari, IV-1 Februari … dan 3 lainnya"
    two = agendas[0]
    assert two.more == 0 and two.line == "Dahulu: II-1 Februari"


def test_the_download_holds_the_whole_agenda_in_the_order_shown(agendas):
    table = agenda_table(agendas)
    assert len(table) == 10 and list(table["Area"]) == ["II"] + ["IV"] * 5 + ["III"] * 2 + ["I", "V"]
    sheet = openpyxl.load_workbook(io.BytesIO(agenda_workbook_bytes(agendas, "Agenda uji")))["Agenda"]
    assert [cell.value for cell in sheet[1]][:5] == ["Area", "Area LKE", "Di bawah batas", "ID", "Bulan"]
    assert sheet.max_row == 11


def test_nothing_due_and_undone_makes_no_agenda():
    everything = classify(PLAN, LATEST, AS_OF)
    everything = everything.assign(state="selesai")
    assert area_agendas(lke.what_if(PLAN, everything, bundled(), through_month=12)) == []
