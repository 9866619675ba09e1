"""Buddy suggestions: who qualifies, in what order, and how each suggestion explains itself."""

import pytest

from selfassess.scoring import BuddyCandidate, PeerMember, suggest_buddies

TARGETS = {"GOV-2": 3.0, "DATA-1": 3.0, "REL-1": 4.0}
MENTEE = PeerMember("m", "hospital group", "North", "acute")
UNMET = ["GOV-2", "DATA-1"]


def candidate(
    member_id,
    name,
    *,
    scores,
    quartiles=None,
    load=0,
    collaboration_type="multi-service",
    region="South",
    trust_type="specialist",
):
    """A candidate in the top quartile on every standard it has a score for, unless told."""
    return BuddyCandidate(
        id=member_id,
        name=name,
        collaboration_type=collaboration_type,
        region=region,
        trust_type=trust_type,
        scores=scores,
        targets=TARGETS,
        quartiles=quartiles if quartiles is not None else dict.fromkeys(scores, 1),
        active_pairs=load,
    )


STRONG_BOTH = {"GOV-2": 4.5, "DATA-1": 4.0}
STRONG_GOV = {"GOV-2": 4.0, "DATA-1": 2.0}
STRONG_DATA = {"GOV-2": 2.0, "DATA-1": 3.0}  # exactly on target 3 counts

A = candidate("a", "Alpha Trust", scores=STRONG_BOTH, load=1)
B = candidate(
    "b", "Bravo Trust", scores=STRONG_GOV, collaboration_type="hospital group", region="North"
)
C = candidate("c", "Charlie Trust", scores=STRONG_GOV, region="North")
D = candidate("d", "Delta Trust", scores=STRONG_DATA, region="North", load=1)
E = candidate("e", "Echo Trust", scores=STRONG_DATA, region="North", load=1)
F = candidate("f", "Foxtrot Trust", scores=STRONG_DATA, region="North", load=0)


def _names(suggestions):
    return [s.name for s in suggestions]


def test_ranking_by_cover_then_similarity_then_load_then_name():
    result = suggest_buddies(MENTEE, UNMET, [E, D, C, F, B, A], max_active_pairs=2)
    assert _names(result) == [
        "Alpha Trust",  # covers 2 standards: first, although nothing in common and 1 place used
        "Bravo Trust",  # covers 1; same collaboration type + region (2)
        "Charlie Trust",  # covers 1; same region (1), load 0
        "Foxtrot Trust",  # covers 1; same region (1), load 0 (C before F by name)
        "Delta Trust",  # covers 1; same region (1), load 1: tie with Echo broken by name
        "Echo Trust",
    ]


def test_order_does_not_depend_on_input_order():
    forwards = suggest_buddies(MENTEE, UNMET, [A, B, C, D, E, F], max_active_pairs=2)
    backwards = suggest_buddies(MENTEE, UNMET, [F, E, D, C, B, A], max_active_pairs=2)
    assert forwards == backwards


def test_explanations():
    by_id = {s.member_id: s for s in suggest_buddies(MENTEE, UNMET, [A, B, D], 2)}
    assert by_id["a"].explanation == "covers GOV-2 and DATA-1; 1 of 2 places used"
    assert by_id["b"].explanation == (
        "covers GOV-2; same collaboration type; same region; 0 of 2 places used"
    )
    assert by_id["d"].explanation == "covers DATA-1; same region; 1 of 2 places used"
    assert by_id["b"].covers == ("GOV-2",)
    assert by_id["b"].similarity == ("same collaboration type", "same region")
    assert (by_id["d"].load, by_id["d"].capacity) == (1, 2)


def test_explanation_from_the_issue():
    buddy = candidate("g", "Golf Trust", scores=STRONG_BOTH, region="North", load=1)
    [suggestion] = suggest_buddies(MENTEE, UNMET, [buddy], max_active_pairs=2)
    assert suggestion.explanation == "covers GOV-2 and DATA-1; same region; 1 of 2 places used"


def test_three_covers_are_listed_with_commas_and_and():
    scores = {"GOV-2": 5.0, "DATA-1": 5.0, "REL-1": 5.0}
    buddy = candidate("h", "Hotel Trust", scores=scores, trust_type="acute")
    [suggestion] = suggest_buddies(MENTEE, ["GOV-2", "DATA-1", "REL-1"], [buddy], 3)
    assert suggestion.explanation == (
        "covers GOV-2, DATA-1 and REL-1; same trust type; 0 of 3 places used"
    )


def test_covers_follow_the_order_given_without_duplicates():
    [suggestion] = suggest_buddies(MENTEE, ["DATA-1", "GOV-2", "DATA-1"], [A], 2)
    assert suggestion.covers == ("DATA-1", "GOV-2")


def test_capacity_full_is_excluded():
    full = candidate("f2", "Full Trust", scores=STRONG_BOTH, load=2)
    over = candidate("f3", "Over Trust", scores=STRONG_BOTH, load=3)
    assert _names(suggest_buddies(MENTEE, UNMET, [full, over, C], 2)) == ["Charlie Trust"]
    assert suggest_buddies(MENTEE, UNMET, [A, C], max_active_pairs=0) == []


def test_mentee_itself_is_excluded():
    itself = candidate("m", "Mentee Trust", scores=STRONG_BOTH)
    assert suggest_buddies(MENTEE, UNMET, [itself], 2) == []
    # the mentee may also be passed as a candidate record
    assert suggest_buddies(itself, UNMET, [itself, C], 2)[0].member_id == "c"


def test_not_top_quartile_is_excluded_even_above_target():
    second_quartile = candidate(
        "q2", "Quartile Two Trust", scores=STRONG_BOTH, quartiles={"GOV-2": 2, "DATA-1": 2}
    )
    assert suggest_buddies(MENTEE, UNMET, [second_quartile], 2) == []


def test_top_quartile_below_target_is_excluded():
    # Everyone is weak on GOV-2: top quartile on 2.8 still does not reach target 3.
    weak = candidate("w", "Weak Trust", scores={"GOV-2": 2.8})
    assert suggest_buddies(MENTEE, ["GOV-2"], [weak], 2) == []


def test_no_score_or_unknown_standard_covers_nothing():
    unscored = candidate("u", "Unscored Trust", scores={"GOV-2": None}, quartiles={"GOV-2": 1})
    assert suggest_buddies(MENTEE, ["GOV-2", "XYZ-9"], [unscored, A], 2)[0].covers == ("GOV-2",)
    assert _names(suggest_buddies(MENTEE, ["GOV-2"], [unscored], 2)) == []


def test_no_candidate_at_all():
    assert suggest_buddies(MENTEE, UNMET, [], 2) == []


def test_nothing_unmet_needs_no_buddy():
    assert suggest_buddies(MENTEE, [], [A, B], 2) == []


def test_unknown_context_matches_nothing():
    unknown = PeerMember("m", None, None, None)
    anonymous = candidate(
        "n",
        "November Trust",
        scores=STRONG_BOTH,
        collaboration_type=None,
        region=None,
        trust_type=None,
    )
    [suggestion] = suggest_buddies(unknown, UNMET, [anonymous], 1)
    assert suggestion.similarity == ()


def test_negative_capacity_is_a_mistake():
    with pytest.raises(ValueError, match="cannot be negative"):
        suggest_buddies(MENTEE, UNMET, [A], -1)
