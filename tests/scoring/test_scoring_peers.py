"""Peer statistics: quartiles by linear interpolation, percentile ranks with ties, suppression."""

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfassess.scoring import (
    MIN_PEERS,
    PeerFilter,
    PeerMember,
    PeerPosition,
    PeerStats,
    Suppressed,
    filter_peers,
    peer_position,
    peer_stats,
    percentile_rank,
    position_among,
    quartile,
)


@pytest.mark.parametrize("values", [[], [3.0], [2.0, 4.0]])
def test_fewer_than_three_values_are_suppressed_with_a_reason(values):
    result = peer_stats(values)
    assert isinstance(result, Suppressed)
    assert result.n == len(values)
    assert result.reason.startswith("fewer than 3 peers")
    assert f"({len(values)} in this group)" in result.reason


def test_group_of_two_reason_text():
    assert peer_stats([2.0, 4.0]) == Suppressed(
        n=2,
        reason="fewer than 3 peers (2 in this group), "
        "so figures are hidden to keep each member's scores private",
    )
    assert MIN_PEERS == 3


def test_group_of_three_is_shown():
    # sorted 2, 3, 4.5 at ranks 0, 1, 2; the p-quantile sits at rank (n - 1) x p:
    # q1 at 0.5 -> 2 + 0.5 x (3 - 2) = 2.5; median at 1 -> 3; q3 at 1.5 -> 3 + 0.5 x 1.5 = 3.75
    assert peer_stats([4.5, 2.0, 3.0]) == PeerStats(
        n=3, min=2.0, q1=2.5, median=3.0, q3=3.75, max=4.5
    )


def test_group_of_four_matches_numpy_default():
    # ranks 0..3: q1 at 0.75 -> 1 + 0.75 x 1 = 1.75; median at 1.5 -> 2.5; q3 at 2.25 -> 3.25
    # (numpy.percentile([1, 2, 3, 4], [25, 50, 75]) == [1.75, 2.5, 3.25])
    assert peer_stats([1, 2, 3, 4]) == PeerStats(
        n=4, min=1.0, q1=1.75, median=2.5, q3=3.25, max=4.0
    )


@pytest.mark.parametrize(
    "values",
    [[4.5, 2.0, 3.0], [1, 2, 3, 4], [5, 1, 4, 2, 3], [2.5, 2.5, 3.75, 4.0, 4.0, 4.9], [0.1] * 7],
)
def test_quartiles_equal_statistics_inclusive(values):
    stats = peer_stats(values)
    assert isinstance(stats, PeerStats)
    assert [stats.q1, stats.median, stats.q3] == statistics.quantiles(
        values, n=4, method="inclusive"
    )
    assert stats.median == statistics.median(values)


def test_non_finite_values_are_refused():
    with pytest.raises(ValueError, match="finite"):
        peer_stats([1.0, 2.0, float("nan")])


def test_percentile_rank_with_ties_shares_the_midpoint():
    values = [2.0, 3.0, 3.0, 4.0]
    # member 2: 0 below, 1 equal (itself)  -> 100 x (0 + 0.5) / 4 = 12.5
    assert percentile_rank(2.0, values) == 12.5
    # member 3: 1 below, 2 equal           -> 100 x (1 + 1) / 4 = 50
    assert percentile_rank(3.0, values) == 50.0
    # member 4: 3 below, 1 equal           -> 100 x (3 + 0.5) / 4 = 87.5
    assert percentile_rank(4.0, values) == 87.5


def test_everyone_equal_is_the_fiftieth_percentile():
    assert percentile_rank(3.0, [3.0, 3.0, 3.0]) == 50.0


def test_group_of_three_percentiles():
    # 100 x (0 + 0.5) / 3 = 16.67; 100 x 1.5 / 3 = 50; 100 x 2.5 / 3 = 83.33
    values = [1.0, 2.0, 3.0]
    assert [percentile_rank(v, values) for v in values] == pytest.approx([50 / 3, 50, 250 / 3])


def test_member_must_be_in_its_own_group():
    with pytest.raises(ValueError, match="own value must be among"):
        percentile_rank(5.0, [1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("percentile", "band"),
    [
        (100, 1),
        (75, 1),  # exactly 75 is the top quartile
        (74.99, 2),
        (50, 2),  # exactly 50 -> 2
        (49.99, 3),
        (25, 3),  # exactly 25 -> 3
        (24.99, 4),
        (12.5, 4),
        (0, 4),
    ],
)
def test_quartile_boundaries(percentile, band):
    assert quartile(percentile) == band


@pytest.mark.parametrize("percentile", [-0.01, 100.01])
def test_quartile_needs_a_percentile(percentile):
    with pytest.raises(ValueError, match="within 0-100"):
        quartile(percentile)


def test_position_suppressed_for_two_shown_for_three():
    assert isinstance(peer_position(4.0, [2.0, 4.0]), Suppressed)
    # 4 in [2, 3, 4]: 100 x (2 + 0.5) / 3 = 83.33 -> top quartile
    position = peer_position(4.0, [2.0, 3.0, 4.0])
    assert isinstance(position, PeerPosition)
    assert position.percentile == pytest.approx(250 / 3)
    assert position.quartile == 1


def test_position_among_peers_leaves_the_member_out():
    # 3 among peers 2, 3, 4 (its own value not among them): 1 below, 1 equal ->
    # 100 x (1 + 0.5) / 3 = 50 -> quartile 2 (exactly 50)
    position = position_among(3.0, [4.0, 2.0, 3.0])
    assert position == PeerPosition(percentile=50.0, quartile=2)
    # above every peer: 100 x 3 / 3 = 100; below every peer: 0
    assert position_among(5.0, [2.0, 3.0, 4.0]) == PeerPosition(percentile=100.0, quartile=1)
    assert position_among(1.0, [2.0, 3.0, 4.0]) == PeerPosition(percentile=0.0, quartile=4)
    # 2.5 among 1, 2, 3, 4: 2 below -> 100 x 2 / 4 = 50
    assert position_among(2.5, [1.0, 2.0, 3.0, 4.0]).percentile == 50.0
    hidden = position_among(3.0, [2.0, 4.0])
    assert isinstance(hidden, Suppressed) and hidden.n == 2


MEMBERS = [
    PeerMember("a", "hospital group", "North East and Yorkshire", "acute"),
    PeerMember("b", "single-service network", "London", "specialist"),
    PeerMember("c", "hospital group", "London", "acute"),
    PeerMember("d", "hospital group", "North East and Yorkshire", "community"),
    PeerMember("e", None, None, None),
]


def _ids(members):
    return [m.id for m in members]


def test_empty_filter_keeps_everyone_in_order():
    assert _ids(filter_peers(MEMBERS, PeerFilter())) == ["a", "b", "c", "d", "e"]
    assert PeerFilter().describe() == "all members"


def test_filter_by_one_field():
    assert _ids(filter_peers(MEMBERS, PeerFilter(region="London"))) == ["b", "c"]
    assert _ids(filter_peers(MEMBERS, PeerFilter(collaboration_type="hospital group"))) == [
        "a",
        "c",
        "d",
    ]


def test_filter_fields_combine():
    narrowed = PeerFilter(
        collaboration_type="hospital group", region="North East and Yorkshire", trust_type="acute"
    )
    assert _ids(filter_peers(MEMBERS, narrowed)) == ["a"]
    assert narrowed.describe() == (
        "members with collaboration type hospital group, region North East and Yorkshire, "
        "trust type acute"
    )


@given(
    st.lists(
        st.floats(min_value=0, max_value=100, allow_nan=False)
        | st.sampled_from([1.0, 2.5, 3.0, 3.0, 5.0]),
        min_size=1,
        max_size=60,
    )
)
def test_percentile_ranks_match_percentile_rank_for_every_member(values):
    from selfassess.scoring.peers import percentile_ranks

    ranks = percentile_ranks(values)
    assert set(ranks) == set(values)
    for value in values:
        assert ranks[value] == percentile_rank(value, values)
