"""Confidence flags, worked by hand: each rule at its edge, and never a change to a score."""

from __future__ import annotations

from selfassess.scoring.flags import FlagKind, StandardClaim, confidence_flags


def kinds(*claims: StandardClaim) -> list[tuple[str, FlagKind]]:
    return [(f.standard, f.kind) for f in confidence_flags(claims)]


def test_above_target_needs_evidence_only_when_above_it() -> None:
    assert kinds(StandardClaim("GOV-1", 3.5, 3, evidenced=False)) == [
        ("GOV-1", FlagKind.UNEVIDENCED)
    ]
    assert kinds(StandardClaim("GOV-1", 3.0, 3, evidenced=False)) == []  # at target: fine
    assert kinds(StandardClaim("GOV-1", 5.0, 3, evidenced=True)) == []


def test_a_jump_of_two_levels_either_way_is_flagged_and_one_point_nine_is_not() -> None:
    assert kinds(StandardClaim("DATA-1", 4.0, 4, evidenced=True, previous=2.0)) == [
        ("DATA-1", FlagKind.JUMP)
    ]
    [flag] = confidence_flags([StandardClaim("DATA-1", 1.5, 4, evidenced=True, previous=3.5)])
    assert flag.detail == "down from 3.5 to 1.5 since the previous self-assessment"
    assert kinds(StandardClaim("DATA-1", 3.9, 4, evidenced=True, previous=2.0)) == []
    assert kinds(StandardClaim("DATA-1", 3.9, 4, evidenced=True, previous=None)) == []


def test_a_claim_at_odds_with_a_fact_answered_no() -> None:
    claim = StandardClaim("GOV-1", 3.0, 3, evidenced=True, facts_answered_no=("GOV-1.4",))
    [flag] = confidence_flags([claim])
    assert flag.kind is FlagKind.AT_ODDS
    assert flag.detail == "scored 3 while the alliance profile answers no to GOV-1.4"
    low = StandardClaim("GOV-1", 2.5, 3, evidenced=True, facts_answered_no=("GOV-1.4",))
    assert confidence_flags([low]) == []


def test_several_flags_on_one_standard_and_unscored_standards_are_skipped() -> None:
    claims = [
        StandardClaim("VIS-1", 5.0, 3, evidenced=False, previous=2.0, facts_answered_no=("X",)),
        StandardClaim("VIS-2", None, 3, evidenced=False, previous=1.0),
    ]
    assert kinds(*claims) == [
        ("VIS-1", FlagKind.UNEVIDENCED),
        ("VIS-1", FlagKind.JUMP),
        ("VIS-1", FlagKind.AT_ODDS),
    ]
