"""Respondents' spread and the "respondents disagree" flag, worked by hand at their edges."""

from __future__ import annotations

from selfassess.scoring.flags import FlagKind, StandardClaim, confidence_flags
from selfassess.scoring.spread import Spread, claimed_level, level_spread


def test_only_a_maturity_answer_on_the_scale_claims_a_level() -> None:
    assert claimed_level("maturity", "3") == 3
    assert claimed_level("maturity", " 5 ") == 5
    assert claimed_level("maturity", None) is None
    assert claimed_level("maturity", "0") is None
    assert claimed_level("maturity", "6") is None
    assert claimed_level("maturity", "three") is None
    assert claimed_level("maturity", "\N{SUPERSCRIPT THREE}") is None  # a digit, not ASCII
    assert claimed_level("yes_no", "yes") is None  # a criterion, not a level
    assert claimed_level("metric", "4") is None  # a measured figure, not a level choice


def test_spread_is_lowest_to_highest_and_two_apart_is_uncertain() -> None:
    assert level_spread([]) is None
    assert level_spread([3]) == Spread(3, 3, 1)
    one_apart = level_spread([2, 3, 3])
    assert one_apart == Spread(2, 3, 3) and not one_apart.uncertain
    assert str(one_apart) == "levels 2 to 3"
    two_apart = level_spread([4, 2])
    assert two_apart is not None and two_apart.uncertain and two_apart.width == 2
    assert str(level_spread([3, 3])) == "level 3"


def test_respondents_two_levels_apart_raise_one_flag_per_question() -> None:
    claim = StandardClaim(
        "REL-1",
        3.0,
        3,
        evidenced=True,
        respondent_levels=(("REL-1.1", (2, 4)), ("REL-1.4", (3, 4)), ("REL-1.5", (1, 5, 3))),
    )
    flags = confidence_flags([claim])
    assert [(f.standard, f.kind) for f in flags] == [
        ("REL-1", FlagKind.DISAGREE),
        ("REL-1", FlagKind.DISAGREE),
    ]
    assert flags[0].detail == "REL-1.1 is uncertain: 2 respondents chose levels 2 to 4"
    assert flags[1].detail == "REL-1.5 is uncertain: 3 respondents chose levels 1 to 5"


def test_no_respondents_or_one_respondent_raise_nothing() -> None:
    assert confidence_flags([StandardClaim("REL-1", 3.0, 3, evidenced=True)]) == []
    single = StandardClaim("REL-1", 3.0, 3, evidenced=True, respondent_levels=(("REL-1.1", (5,)),))
    assert confidence_flags([single]) == []
