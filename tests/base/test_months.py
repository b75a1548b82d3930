"""Indonesian number formatting and the short list that names a few and counts the rest."""

import pytest

from zi_data.base.months import format_number, format_percent, left_out_text, listed_with_rest


@pytest.mark.parametrize("value, decimals, text", [
    (0, 0, "0"), (12345.6, 1, "12.345,6"), (1234567, 0, "1.234.567"), (2.345, 2, "2,35"), (-1500, 0, "-1.500")])
def test_numbers_read_the_indonesian_way(value, decimals, text):
    assert format_number(value, decimals) == text


def test_a_percentage_keeps_one_decimal_and_a_space_before_the_sign():
    assert format_percent(0.853) == "85,3 %"


@pytest.mark.parametrize("count, text", [(0, ""), (-3, ""), (1, "… dan 1 lainnya"), (1234, "… dan 1.234 lainnya")])
def test_what_a_short_list_leaves_out(count, text):
    assert left_out_text(count) == text


@pytest.mark.parametrize("names, left_out, text", [
    (["II-1-1 Januari", "II-1-2 Januari"], 40, "II-1-1 Januari, II-1-2 Januari … dan 40 lainnya"),
    (["V-1-1 Januari (150 hari)"], 0, "V-1-1 Januari (150 hari)"),
    ((), 5, "… dan 5 lainnya"),
])
def test_a_short_list_names_its_few_then_counts_the_rest(names, left_out, text):
    assert listed_with_rest(names, left_out) == text
