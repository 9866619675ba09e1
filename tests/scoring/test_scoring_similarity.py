"""Recommended peers: weighted similarity worked by hand, and its place in the disclosure family."""

from __future__ import annotations

import pytest

from selfassess.scoring.disclosure import COMPARABLE, DisclosurePlan, candidate_filters
from selfassess.scoring.peers import PeerFilter, PeerMember
from selfassess.scoring.similarity import (
    recommended_groups,
    recommended_peers,
    similarity,
)

ME = PeerMember("me", "hospital_group", "North", "Acute")
A = PeerMember("a", "hospital_group", "North", "Acute")  # 3 + 2 + 2 = 7
B = PeerMember("b", "hospital_group", "South", "Acute")  # 3 + 2 = 5
C = PeerMember("c", "single_service", "North", "Acute")  # 2 + 2 = 4
D = PeerMember("d", "hospital_group", "South", "Specialist")  # 3
E = PeerMember("e", "single_service", "South", "Specialist")  # 0
MEMBERS = [E, D, C, B, A, ME]


def test_similarity_by_hand():
    assert [similarity(ME, m) for m in (A, B, C, D, E)] == [7, 5, 4, 3, 0]
    # Size where both are known: 400 beds against 800 adds 1 x 400 / 800 = 0.5.
    assert similarity(ME, D, {"me": 800, "d": 400}) == 3.5
    assert similarity(ME, D, {"me": 800}) == 3  # an unknown size adds nothing


def test_recommended_are_the_most_similar_never_itself_ties_in_member_order():
    everyone = {m.id for m in MEMBERS}
    assert recommended_peers(ME, MEMBERS, everyone, n=3) == {"a", "b", "c"}
    assert recommended_peers(ME, MEMBERS, everyone - {"a"}, n=3) == {"b", "c", "d"}
    twin = PeerMember("twin", "hospital_group", "North", "Acute")
    # A and the twin tie on 7: the one listed first is taken.
    assert recommended_peers(ME, [twin, *MEMBERS], everyone | {"twin"}, n=1) == {"twin"}
    with pytest.raises(ValueError):
        recommended_peers(ME, MEMBERS, everyone, n=0)


def test_a_recommended_set_one_short_of_a_published_group_is_withheld():
    """The attack: "all members" minus "my 5 most similar" is the one member left over."""
    members = [PeerMember(str(i), "multi_service", "North" if i < 4 else "South") for i in range(7)]
    everyone = {m.id for m in members}
    groups = recommended_groups(members, everyone)
    plan = DisclosurePlan(members, everyone, candidate_filters(["multi_service"], [], []), groups)
    assert plan.decision(PeerFilter()) is None  # all 7: shown
    mine = groups[0]  # member 0 with its 5 most similar: 6 of the 7
    assert len(everyone - mine) == 1  # differencing would give that member's figures
    withheld = plan.group_decision(mine)
    assert withheld is not None and withheld.reason == COMPARABLE
    # The same set as a published group adds nothing, so it is shown (5 members, 4 others each).
    five = members[:5]
    small = DisclosurePlan(
        five, {m.id for m in five}, [PeerFilter()], recommended_groups(five, {m.id for m in five})
    )
    assert small.group_decision({m.id for m in five}) is None
    # A set that no member's recommendation gives is never shown.
    assert plan.group_decision({"0", "1", "2", "3"}) is not None
