"""Peer statistics for benchmarking: quartiles, percentile rank, quartile band, peer groups.

One method everywhere (issue 3): quantiles by linear interpolation between closest ranks, the
default of numpy and ``statistics.quantiles(data, n=4, method="inclusive")``. The arithmetic below
is written the way ``statistics`` does it, so the numbers agree to the last bit (a test checks).
Groups with fewer than ``MIN_PEERS`` values are suppressed: with two members each could work out
the other's score from the minimum and maximum. A member's peers are the *other* members: its own
value is never among them (``position_among``). Which filtered groups a trust may see at all, so
that views cannot be combined to isolate one member, is ``selfassess.scoring.disclosure``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: The smallest group whose statistics are shown (K); a member never counts among its own peers.
MIN_PEERS = 3


@dataclass(frozen=True)
class PeerStats:
    """Five-number summary of a peer group's values, with the group size."""

    n: int
    min: float
    q1: float
    median: float
    q3: float
    max: float


@dataclass(frozen=True)
class Suppressed:
    """A statistic withheld because the group is too small, with the reason to show instead."""

    n: int
    reason: str


def suppression_reason(n: int) -> str:
    """Explain why a group of ``n`` gets no statistics."""
    return (
        f"fewer than {MIN_PEERS} peers ({n} in this group), "
        "so figures are hidden to keep each member's scores private"
    )


def _sorted_finite(values: Iterable[float]) -> list[float]:
    data = sorted(float(v) for v in values)
    if any(not math.isfinite(v) for v in data):
        raise ValueError("peer values must be finite numbers")
    return data


def _quantile(data: Sequence[float], i: int, parts: int) -> float:
    """The i-th of ``parts``-quantiles of sorted data, by linear interpolation between ranks.

    Position (n - 1) x i / parts, split into a whole rank ``j`` and a remainder ``delta`` in integer
    arithmetic; the result lies between data[j] and data[j + 1] in proportion to ``delta``.
    """
    j, delta = divmod(i * (len(data) - 1), parts)
    if delta == 0:
        return data[j]
    return (data[j] * (parts - delta) + data[j + 1] * delta) / parts


def peer_stats(values: Sequence[float]) -> PeerStats | Suppressed:
    """Summarise a group's values, or suppress it below MIN_PEERS."""
    n = len(values)
    if n < MIN_PEERS:
        _sorted_finite(values)  # refused the same way, whatever the group's size
        return Suppressed(n=n, reason=suppression_reason(n))
    return summary(values)


def summary(values: Sequence[float]) -> PeerStats:
    """The five-number summary of a non-empty group, by the one quantile method, unsuppressed.

    For groups whose disclosure was decided already (the positions chart's table summarises
    exactly the dots the chart shows); ``peer_stats`` is the suppressing form.
    """
    data = _sorted_finite(values)
    if not data:
        raise ValueError("a summary needs at least one value")
    n = len(data)
    return PeerStats(
        n=n,
        min=data[0],
        q1=_quantile(data, 1, 4),
        median=_quantile(data, 2, 4),
        q3=_quantile(data, 3, 4),
        max=data[-1],
    )


def percentile_rank(value: float, values: Sequence[float]) -> float:
    """Return 100 x (values below + 0.5 x values equal) / n; ``values`` includes the member.

    Ties share the midpoint, so two members with the same score always get the same rank.
    """
    data = _sorted_finite(values)
    if value not in data:
        raise ValueError("the member's own value must be among the peer values")
    below = sum(1 for v in data if v < value)
    equal = sum(1 for v in data if v == value)
    # (2 x below + equal) / (2 x n) in integers first, so the only rounding is the final division.
    return 100 * (2 * below + equal) / (2 * len(data))


def percentile_ranks(values: Sequence[float]) -> dict[float, float]:
    """``percentile_rank`` of every value at once: sorted once, each rank found by bisection.

    The same numbers as calling ``percentile_rank`` per member (the same integer arithmetic),
    in O(n log n) rather than O(n^2): an export ranks hundreds of members on every score.
    """
    data = _sorted_finite(values)
    n = len(data)
    ranks = {}
    for value in set(data):
        below = bisect.bisect_left(data, value)
        equal = bisect.bisect_right(data, value) - below
        ranks[value] = 100 * (2 * below + equal) / (2 * n)
    return ranks


def quartile(percentile: float) -> int:
    """Return the quartile band of a percentile rank: 1 (top, >= 75), 2 (>= 50), 3 (>= 25), 4."""
    if not 0 <= percentile <= 100:
        raise ValueError(f"a percentile lies within 0-100, got {percentile!r}")
    if percentile >= 75:
        return 1
    if percentile >= 50:
        return 2
    if percentile >= 25:
        return 3
    return 4


@dataclass(frozen=True)
class PeerPosition:
    """Where a member stands in its peer group."""

    percentile: float
    quartile: int


def peer_position(value: float, values: Sequence[float]) -> PeerPosition | Suppressed:
    """Return the member's percentile rank and quartile, suppressed like the group statistics."""
    if len(values) < MIN_PEERS:
        return Suppressed(n=len(values), reason=suppression_reason(len(values)))
    percentile = percentile_rank(value, values)
    return PeerPosition(percentile=percentile, quartile=quartile(percentile))


def rank_among(value: float, peers: Sequence[float]) -> int:
    """1 for the highest: one more than the number of peers above ``value`` (ties share a rank)."""
    return 1 + sum(1 for v in peers if v > value)


def position_among(value: float, peers: Sequence[float]) -> PeerPosition | Suppressed:
    """Where a member's value stands among its peers' values (its own value not among them).

    Percentile = 100 x (peers below + 0.5 x peers equal) / number of peers: the share of the
    other members it is ahead of, a tie counting half. Suppressed below MIN_PEERS peers.
    """
    data = _sorted_finite(peers)
    n = len(data)
    if n < MIN_PEERS:
        return Suppressed(n=n, reason=suppression_reason(n))
    if not math.isfinite(value):
        raise ValueError("the member's value must be a finite number")
    below = bisect.bisect_left(data, value)
    equal = bisect.bisect_right(data, value) - below
    percentile = 100 * (2 * below + equal) / (2 * n)
    return PeerPosition(percentile=percentile, quartile=quartile(percentile))


@dataclass(frozen=True)
class PeerMember:
    """What peer grouping needs to know about a member."""

    id: str
    collaboration_type: str | None = None
    region: str | None = None
    trust_type: str | None = None


@dataclass(frozen=True)
class PeerFilter:
    """An optional narrowing of the peer group; None on a field means "any".

    ``recommended`` asks instead for the member's most similar members
    (``selfassess.scoring.similarity``): a set that depends on who is looking, so it is not
    decided by ``matches`` and is never combined with the fields.
    """

    collaboration_type: str | None = None
    region: str | None = None
    trust_type: str | None = None
    recommended: bool = False

    def matches(self, member: PeerMember) -> bool:
        """Say whether a member belongs in the narrowed group."""
        if self.recommended:
            raise ValueError("recommended peers depend on the member looking: see similarity")
        return all(
            wanted is None or wanted == actual
            for wanted, actual in (
                (self.collaboration_type, member.collaboration_type),
                (self.region, member.region),
                (self.trust_type, member.trust_type),
            )
        )

    def describe(self) -> str:
        """Say in words which peers are compared, for chart captions and exports."""
        if self.recommended:
            return "recommended peers (the most similar members)"
        parts = [
            f"{label} {value}"
            for label, value in (
                ("collaboration type", self.collaboration_type),
                ("region", self.region),
                ("trust type", self.trust_type),
            )
            if value is not None
        ]
        return "all members" if not parts else "members with " + ", ".join(parts)


def filter_peers(members: Iterable[PeerMember], peer_filter: PeerFilter) -> list[PeerMember]:
    """Keep the members that match the filter, in their original order.

    The member being benchmarked is not added or removed specially: pass it in ``members`` and it
    is kept only if it matches, like anyone else.
    """
    return [m for m in members if peer_filter.matches(m)]
