"""Which filtered groups may be published: every cell of the family keeps MIN_PEERS + 1 members."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.scoring import MIN_PEERS, PeerFilter, PeerMember
from selfassess.scoring.disclosure import (
    COMPARABLE,
    MIN_CELL,
    DisclosurePlan,
    Withheld,
    atoms,
    candidate_filters,
)

ALL = PeerFilter()


def _members(*rows: tuple[str, str, str]) -> list[PeerMember]:
    return [
        PeerMember(id=str(i), collaboration_type=ct, region=region, trust_type=kind)
        for i, (ct, region, kind) in enumerate(rows)
    ]


def _plan(members: list[PeerMember], holders: list[str] | None = None) -> DisclosurePlan:
    cts = sorted({m.collaboration_type for m in members if m.collaboration_type})
    regions = sorted({m.region for m in members if m.region})
    kinds = sorted({m.trust_type for m in members if m.trust_type})
    return DisclosurePlan(
        members,
        [m.id for m in members] if holders is None else holders,
        candidate_filters(cts, regions, kinds),
    )


def test_candidates_go_from_coarse_to_fine_in_a_fixed_order():
    order = [
        (f.collaboration_type, f.region, f.trust_type)
        for f in candidate_filters(["a"], ["N", "S"], ["x"])
    ]
    assert order == [
        (None, None, None),
        ("a", None, None),
        (None, "N", None),
        (None, "S", None),
        (None, None, "x"),
        ("a", "N", None),
        ("a", "S", None),
        ("a", None, "x"),
        (None, "N", "x"),
        (None, "S", "x"),
        ("a", "N", "x"),
        ("a", "S", "x"),
    ]


def test_the_partition_attack_all_minus_north_minus_south_is_refused():
    # North 4, South 4, Midlands 1: "all" and "North" are fine (cells of 4 and 5), but adding
    # "South" would leave the Midlands member alone in its cell: all - North - South.
    members = _members(
        *[("m", "North", "t")] * 4, *[("m", "South", "t")] * 4, ("m", "Midlands", "t")
    )
    plan = _plan(members)
    assert plan.decision(ALL) is None
    assert plan.decision(PeerFilter(region="North")) is None
    assert plan.decision(PeerFilter(region="South")) == Withheld(COMPARABLE)
    assert isinstance(plan.decision(PeerFilter(region="Midlands")), Withheld)


def test_the_orthopaedic_alliance_shows_only_everyone():
    # The red team's example: five members; "Specialist orthopaedic" (3) and "Midlands" (2)
    # would each isolate a member named by elimination, so only the whole alliance is shown.
    members = _members(
        ("s", "Midlands", "Specialist orthopaedic"),
        ("s", "London", "Specialist orthopaedic"),
        ("s", "Midlands", "Specialist orthopaedic"),
        ("s", "South East", "Acute teaching"),
        ("s", "North West", "Acute teaching"),
    )
    assert _plan(members).published() == [ALL, PeerFilter(collaboration_type="s")]


def test_a_group_needs_min_peers_others_whoever_looks():
    members = _members(*[("m", "r", "t")] * MIN_PEERS)
    reason = _plan(members).decision(ALL)
    assert isinstance(reason, Withheld) and "fewer than 4 members" in reason.reason
    assert _plan(_members(*[("m", "r", "t")] * MIN_CELL)).decision(ALL) is None


def test_only_holders_count():
    # Eight members, but only four hold this figure (an optional metric): North's two holders
    # would be a cell of two.
    members = _members(*[("m", "North", "t")] * 4, *[("m", "South", "t")] * 4)
    plan = _plan(members, holders=["0", "1", "4", "5"])
    assert plan.decision(ALL) is None
    assert isinstance(plan.decision(PeerFilter(region="North")), Withheld)
    assert _plan(members).decision(PeerFilter(region="North")) is None


def test_a_filter_no_form_offers_is_withheld():
    plan = _plan(_members(*[("m", "r", "t")] * 8))
    assert isinstance(plan.decision(PeerFilter(region="Atlantis")), Withheld)


MEMBER_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]),
        st.sampled_from(["N", "S", "M"]),
        st.sampled_from(["x", "y", "z"]),
    ),
    min_size=0,
    max_size=24,
)


@settings(max_examples=150, deadline=None)
@given(MEMBER_ROWS, st.data())
def test_no_viewer_can_isolate_a_member_by_combining_published_groups(rows, data):
    members = _members(*rows)
    holders = data.draw(
        st.sets(st.sampled_from([m.id for m in members])) if members else st.just(set())
    )
    plan = _plan(members, sorted(holders))
    published = plan.published()
    groups = [
        frozenset(m.id for m in members if m.id in holders and f.matches(m)) for f in published
    ]
    for cell in atoms(groups):
        assert len(cell) >= MIN_CELL
    for viewer in holders:  # a member never counts among its own peers
        for cell in atoms([g - {viewer} for g in groups]):
            assert len(cell) >= MIN_PEERS
    for viewer, other in itertools.permutations(sorted(holders), 2):  # two members pooling
        for cell in atoms([g - {viewer} for g in groups] + [g - {other} for g in groups]):
            assert len(cell - {viewer, other}) != 1


@settings(max_examples=60, deadline=None)
@given(MEMBER_ROWS, st.randoms(use_true_random=False))
def test_decisions_do_not_depend_on_which_view_is_asked_first(rows, rng):
    members = _members(*rows)
    filters = candidate_filters(["a", "b"], ["M", "N", "S"], ["x", "y", "z"])
    expected = {
        f: DisclosurePlan(members, [m.id for m in members], filters).decision(f) for f in filters
    }
    shuffled = list(filters)
    rng.shuffle(shuffled)
    plan = DisclosurePlan(members, [m.id for m in members], filters)
    assert {f: plan.decision(f) for f in shuffled} == expected
