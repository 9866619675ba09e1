"""Display and export rounding: half-up, fixed places, empty for no score."""

from decimal import Decimal

import pytest

from selfassess.scoring import format_index, format_score, round_index, round_score
from selfassess.scoring.rounding import format_level, round_half_up


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3.75, "3.7500"),
        (10 / 3, "3.3333"),
        (3.33335, "3.3334"),  # half-up on the decimal a person reads, not banker's rounding
        (5, "5.0000"),
        (None, ""),
    ],
)
def test_score_has_four_decimals(value, shown):
    assert format_score(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (175 / 3, "58.33"),
        (125 / 3, "41.67"),
        (2.675, "2.68"),  # round(2.675, 2) gives 2.67 (binary); a coordinator expects 2.68
        (0.125, "0.13"),  # round(0.125, 2) gives 0.12 (half-even)
        (0, "0.00"),
        (100, "100.00"),
        (None, ""),
    ],
)
def test_index_has_two_decimals_half_up(value, shown):
    assert format_index(value) == shown


def test_round_returns_decimals_for_exports():
    assert round_score(2.5) == Decimal("2.5000")
    assert round_index(62.5) == Decimal("62.50")
    assert round_score(None) is None
    assert round_index(None) is None


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True])
def test_cannot_round_what_is_not_a_finite_number(value):
    with pytest.raises(ValueError, match="cannot round"):
        round_half_up(value, 2)


def test_levels_show_without_trailing_zero():
    assert (format_level(3.0), format_level(3.5), format_level(4)) == ("3", "3.5", "4")
