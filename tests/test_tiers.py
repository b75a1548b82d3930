"""The fast tier's rule for property tests (README, "Tests"): a tenth of the examples, at least five; the whole
suite tries them all."""

import pytest

from helpers import FAST_TIER_ENV, examples


@pytest.mark.parametrize("tier, full, tried", [("", 300, 300), ("", 6, 6), ("1", 300, 30), ("1", 40, 5),
                                               ("1", 6, 5), ("1", 3, 5)])
def test_a_property_test_tries_a_tenth_of_its_examples_in_the_fast_tier(monkeypatch, tier, full, tried):
    monkeypatch.setenv(FAST_TIER_ENV, tier)
    assert examples(full) == tried
