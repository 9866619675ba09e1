"""Answer -> level rules, one kind at a time, with the values a coordinator would check by hand."""

import math

import pytest

from selfassess.questionbank.kinds import SCORED_KINDS, QuestionKind
from selfassess.scoring import QuestionSpec, is_answered, question_level
from selfassess.scoring.rules import _LEVEL_RULES

MATURITY = QuestionSpec("GOV-1.1", QuestionKind.MATURITY)
YES_DEFAULT = QuestionSpec("GOV-1.2", QuestionKind.YES_NO)
YES_AT_4 = QuestionSpec("GOV-1.3", QuestionKind.YES_NO, yes_level=4)
TEXT = QuestionSpec("GOV-1.4", QuestionKind.TEXT, required=False)
# e.g. "% of pathways with an agreed shared protocol": more is better.
HIGHER = QuestionSpec(
    "MET-1.1",
    QuestionKind.METRIC,
    better="higher",
    thresholds={2: 50, 3: 70, 4: 85, 5: 95},
)
# e.g. "median days from referral to first appointment": fewer is better.
LOWER = QuestionSpec(
    "MET-1.2",
    QuestionKind.METRIC,
    better="lower",
    thresholds={2: 20, 3: 15, 4: 10, 5: 5},
)


def test_every_scored_kind_has_exactly_one_rule():
    assert set(_LEVEL_RULES) == set(SCORED_KINDS)
    assert QuestionKind.TEXT not in _LEVEL_RULES


@pytest.mark.parametrize(
    ("value", "level"), [(1, 1), (3, 3), (5, 5), ("4", 4), (" 2 ", 2), (3.0, 3)]
)
def test_maturity_answer_is_the_chosen_level(value, level):
    assert question_level(MATURITY, value) == level


@pytest.mark.parametrize("value", [0, 6, "6", -1])
def test_maturity_level_off_the_scale_is_refused(value):
    with pytest.raises(ValueError, match=r"GOV-1\.1: level -?\d+ is off the scale 1-5"):
        question_level(MATURITY, value)


@pytest.mark.parametrize("value", [True, False, "three", 2.5, "2.5", "²"])
def test_maturity_answer_that_is_not_a_whole_level_is_refused(value):
    with pytest.raises(ValueError, match=r"GOV-1\.1: a maturity answer"):
        question_level(MATURITY, value)


@pytest.mark.parametrize(
    ("spec", "value", "level"),
    [
        (YES_DEFAULT, "yes", 5),  # yes -> the question's yes level, default 5
        (YES_DEFAULT, "no", 1),  # no -> 1, always
        (YES_DEFAULT, " Yes ", 5),  # forms may send any case and stray spaces
        (YES_DEFAULT, True, 5),
        (YES_DEFAULT, False, 1),
        (YES_AT_4, "yes", 4),  # yes_level: 4 in the file
        (YES_AT_4, "no", 1),
        (YES_AT_4, True, 4),
    ],
)
def test_yes_no_maps_to_yes_level_or_one(spec, value, level):
    assert question_level(spec, value) == level


@pytest.mark.parametrize("value", ["maybe", "y", "true", 1, 0, 5.0])
def test_yes_no_answer_must_be_yes_or_no(value):
    with pytest.raises(ValueError, match=r"GOV-1\.2: a yes/no answer is 'yes' or 'no'"):
        question_level(YES_DEFAULT, value)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0, 1),  # below the level-2 threshold (50) -> level 1
        (49.99, 1),
        (50, 2),  # exactly on the level-2 threshold reaches level 2
        (69.99, 2),
        (70, 3),  # exactly on 70 -> 3
        (72, 3),
        (85, 4),
        (94.9, 4),
        (95, 5),  # exactly on 95 -> 5
        (100, 5),
        ("85", 4),  # numbers typed as text are read as numbers
    ],
)
def test_metric_better_higher_reaches_highest_threshold_at_or_below_value(value, level):
    assert question_level(HIGHER, value) == level


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (30, 1),  # worse than the level-2 threshold (20 days) -> level 1
        (20.5, 1),
        (20, 2),  # exactly on 20 -> 2
        (15, 3),  # exactly on 15 -> 3
        (12, 3),  # 12 <= 15 but > 10 -> 3
        (10, 4),
        (5, 5),  # exactly on 5 -> 5
        (0, 5),
    ],
)
def test_metric_better_lower_reaches_lowest_threshold_at_or_above_value(value, level):
    assert question_level(LOWER, value) == level


@pytest.mark.parametrize("value", ["ten", True, math.nan, math.inf, "-inf", [1]])
def test_metric_answer_must_be_a_finite_number(value):
    with pytest.raises(ValueError, match=r"MET-1\.1: a metric answer is a number"):
        question_level(HIGHER, value)


@pytest.mark.parametrize("value", ["Board minutes, March", 3, "yes", None])
def test_free_text_is_never_scored(value):
    assert question_level(TEXT, value) is None


@pytest.mark.parametrize("spec", [MATURITY, YES_DEFAULT, HIGHER, LOWER, TEXT])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_unanswered_has_no_level(spec, value):
    assert not is_answered(value)
    assert question_level(spec, value) is None


def test_zero_is_an_answer():
    assert is_answered(0)
    assert question_level(HIGHER, 0) == 1
    assert question_level(LOWER, 0) == 5
