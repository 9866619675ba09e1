"""Buddy suggestions: who qualifies, in what order, and how each suggestion explains itself."""

import pytest

from selfassess.scoring import BuddyCandidate, PeerMember, suggest_buddies
from selfassess.scoring.buddies import FocusChange, MemberScores, focus_changes, rank_candidates

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


# From a cycle's stored scores to candidates: quartiles within the peer group.


def _member(member_id, scores, **context):
    return MemberScores(
        member_id,
        f"{member_id.upper()} Trust",
        context.get("ct"),
        context.get("region"),
        context.get("tt"),
        scores,
    )


def test_rank_candidates_computes_top_quartile_among_scored_members():
    # GOV-2 values 1, 2, 3, 4: percentile ranks 12.5, 37.5, 62.5, 87.5 -> only "d" is quartile 1.
    members = [_member(k, {"GOV-2": v}) for k, v in zip("abcd", (1.0, 2.0, 3.0, 4.0), strict=True)]
    candidates = {c.id: c for c in rank_candidates(members, {"GOV-2": 3.0}, {"d": 1})}
    assert {k: c.quartiles["GOV-2"] for k, c in candidates.items()} == {
        "a": 4,
        "b": 3,
        "c": 2,
        "d": 1,
    }
    assert candidates["d"].is_strong_on("GOV-2")
    assert not candidates["c"].is_strong_on("GOV-2")  # meets target 3 but only quartile 2
    assert (candidates["d"].active_pairs, candidates["a"].active_pairs) == (1, 0)


def test_rank_candidates_end_to_end_with_suggestions():
    members = [
        _member("m", {"GOV-2": 1.0}, region="North"),
        _member("x", {"GOV-2": 4.5}, region="North"),
        _member("y", {"GOV-2": 2.0}),
        _member("z", {"GOV-2": 2.5}),
    ]
    candidates = rank_candidates(members, {"GOV-2": 3.0}, {})
    [suggestion] = suggest_buddies(members[0], ["GOV-2"], candidates, 2)
    assert suggestion.explanation == "covers GOV-2; same region; 0 of 2 places used"


def test_rank_candidates_suppresses_small_groups_and_skips_missing_scores():
    # Only two members scored DATA-1: fewer than 3 peers, so nobody is top quartile on it.
    members = [
        _member("a", {"DATA-1": 5.0, "GOV-2": None}),
        _member("b", {"DATA-1": 1.0}),
        _member("c", {}),
    ]
    candidates = {c.id: c for c in rank_candidates(members, {"DATA-1": 3.0, "GOV-2": 3.0}, {})}
    assert candidates["a"].quartiles == {"DATA-1": None, "GOV-2": None}
    assert not candidates["a"].is_strong_on("DATA-1")
    assert candidates["c"].quartiles == {}


def test_rank_candidates_ties_share_the_top_quartile():
    # 4, 4, 4, 1: the three tied at 4 share percentile 62.5 -> quartile 2, so nobody qualifies.
    members = [_member(k, {"GOV-2": v}) for k, v in zip("abcd", (4.0, 4.0, 4.0, 1.0), strict=True)]
    assert {c.quartiles["GOV-2"] for c in rank_candidates(members, {"GOV-2": 3.0}, {})} == {2, 4}
    # 4, 4, 1, 1, 1: the two at 4 share percentile 80 -> both quartile 1, both suggested.
    members = [
        _member(k, {"GOV-2": v}) for k, v in zip("abcde", (4.0, 4.0, 1.0, 1.0, 1.0), strict=True)
    ]
    result = suggest_buddies(members[2], ["GOV-2"], rank_candidates(members, {"GOV-2": 3.0}, {}), 1)
    assert [s.member_id for s in result] == ["a", "b"]  # tie on everything: by name


# Outcome: the mentee's change on the focus standards.


def test_focus_changes_in_focus_order_with_words():
    changes = focus_changes(
        ["DATA-1", "GOV-2", "REL-1", "DATA-1"],
        before={"GOV-2": 2.5, "DATA-1": 2.0, "REL-1": 4.5},
        after={"GOV-2": 3.75, "DATA-1": 2.0, "REL-1": 3.5},
        targets=TARGETS,
    )
    assert [c.standard_id for c in changes] == ["DATA-1", "GOV-2", "REL-1"]
    data, gov, rel = changes
    assert gov.change == 1.25 and gov.met_before is False and gov.met_after is True
    assert gov.describe() == "up 1.25, now meets target 3"
    assert data.describe() == "no change, still below target 3"
    assert rel.describe() == "down 1.00, now below target 4"


def test_focus_change_without_a_score_on_either_side():
    missing_after = FocusChange("GOV-2", 3.0, 2.0, None)
    assert missing_after.change is None and missing_after.met_after is None
    assert missing_after.describe() == "no score to compare"
    assert FocusChange("XYZ-9", None, 2.0, 4.0).describe() == "up 2.00"
    assert FocusChange("GOV-2", 3.0, 3.0, 3.5).describe() == "up 0.50, meets target 3"
