"""Buddy suggestions: who qualifies, in what order, and how each suggestion explains itself."""

import pytest

from selfassess.scoring import BuddyCandidate, PeerMember, suggest_buddies
from selfassess.scoring.buddies import MemberScores, mutual_pairs, rank_candidates

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


# Cautions: a candidate weak itself is still suggested where it is strong, but flagged.


def test_a_candidate_at_risk_or_below_target_itself_is_suggested_with_cautions():
    weak = BuddyCandidate(
        id="w",
        name="Whisky Trust",
        collaboration_type=None,
        region=None,
        trust_type=None,
        scores={"GOV-2": 4.5, "DATA-1": 2.0, "REL-1": 3.5},
        targets=TARGETS,
        quartiles={"GOV-2": 1, "DATA-1": 4, "REL-1": 3},
        status="At risk",
    )
    [suggestion] = suggest_buddies(MENTEE, ["GOV-2"], [weak], max_active_pairs=2)
    assert suggestion.covers == ("GOV-2",)
    # Below target on DATA-1 (2 < 3) and REL-1 (3.5 < 4), in the targets' order.
    assert suggestion.cautions == ("itself At risk", "itself below target on DATA-1 and REL-1")
    assert suggestion.explanation == "covers GOV-2; 0 of 2 places used"  # unchanged


def test_a_strong_candidate_has_no_cautions():
    [suggestion] = suggest_buddies(MENTEE, UNMET, [A], max_active_pairs=2)
    assert suggestion.cautions == ()
    assert A.below_target == ()


def test_rank_candidates_carries_the_status_through():
    members = [
        MemberScores("a", "A Trust", None, None, None, {"GOV-2": 4.0}, status="At risk"),
        MemberScores("b", "B Trust", None, None, None, {"GOV-2": 1.0}),
        MemberScores("c", "C Trust", None, None, None, {"GOV-2": 2.0}),
    ]
    candidates = {c.id: c for c in rank_candidates(members, {"GOV-2": 3.0}, {})}
    assert candidates["a"].cautions == ("itself At risk",)
    assert candidates["b"].cautions == ("itself below target on GOV-2",)


# Mutual pairs: each strong where the other is below target.


def _mutual(member_id, scores, load=0, region="North"):
    return candidate(
        member_id, f"{member_id.upper()} Trust", scores=scores, load=load, region=region
    )


def test_mutual_pairs_worked_example():
    # Targets GOV-2 3, DATA-1 3, REL-1 4; everyone top quartile where they score (see candidate).
    # P: GOV-2 4.5 (strong), DATA-1 2 (below).  Q: GOV-2 2 (below), DATA-1 4 (strong).
    # R: GOV-2 4 (strong), DATA-1 3.5 (strong), REL-1 3 (below). S: REL-1 5 (strong), GOV-2 2.5.
    p = _mutual("p", {"GOV-2": 4.5, "DATA-1": 2.0})
    q = _mutual("q", {"GOV-2": 2.0, "DATA-1": 4.0})
    r = _mutual("r", {"GOV-2": 4.0, "DATA-1": 3.5, "REL-1": 3.0}, region="South")
    s = _mutual("s", {"GOV-2": 2.5, "REL-1": 5.0})
    pairs = mutual_pairs([s, r, q, p], max_active_pairs=2)
    found = [(m.first_id, m.second_id, m.first_helps_on, m.second_helps_on) for m in pairs]
    # P/Q: P helps Q on GOV-2, Q helps P on DATA-1 (2 covered, same region).
    # R/S: R helps S on GOV-2, S helps R on REL-1 (2 covered, different regions).
    # P/R, Q/R: R is strong where P and Q are weak, but neither is strong where R is weak.
    # P/S: P helps S on GOV-2, but S is not strong on DATA-1 (no score): not mutual.
    assert found == [
        ("p", "q", ("GOV-2",), ("DATA-1",)),
        ("r", "s", ("GOV-2",), ("REL-1",)),
    ]
    assert pairs[0].explanation == (
        "P Trust could help with GOV-2; Q Trust with DATA-1; same collaboration type; "
        "same region; same trust type"
    )


def test_mutual_pairs_need_a_place_free_on_both_sides_and_top_quartile():
    p = _mutual("p", {"GOV-2": 4.5, "DATA-1": 2.0})
    q = _mutual("q", {"GOV-2": 2.0, "DATA-1": 4.0}, load=2)
    assert mutual_pairs([p, q], max_active_pairs=2) == []
    not_top = candidate(
        "q", "Q Trust", scores={"GOV-2": 2.0, "DATA-1": 4.0}, quartiles={"DATA-1": 2}
    )
    assert mutual_pairs([p, not_top], max_active_pairs=2) == []


def test_members_already_paired_are_not_suggested_again():
    p = _mutual("p", {"GOV-2": 4.5, "DATA-1": 2.0})
    q = _mutual("q", {"GOV-2": 2.0, "DATA-1": 4.0})
    assert len(mutual_pairs([p, q], max_active_pairs=2)) == 1
    assert mutual_pairs([p, q], max_active_pairs=2, paired={frozenset(("q", "p"))}) == []
