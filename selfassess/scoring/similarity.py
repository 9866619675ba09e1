"""Recommended peers: the members most like a member, by weighted similarity of what it is.

After NHS Model Hospital's "recommended peers": besides narrowing by filters, a member may
compare itself with the ``RECOMMENDED_PEERS`` members most like it. Similarity looks only at
what a member *is*, never at its scores, so the set (and whether it may be shown) depends only on
who has results and on their attributes:

- collaboration type the same: ``WEIGHTS["collaboration_type"]`` (3) - how the members work
  together matters most for what good looks like;
- region the same: 2; trust type the same: 2;
- size, where both sizes are known: up to 1, the smaller divided by the larger (a trust half the
  size scores 0.5). An unknown size adds nothing, for anyone, so it never favours a member.

The most similar come first; ties go by the order the members are given in (the alliance's
stable order), so the same inputs always give the same set. A member is never among its own
recommended peers. Whether the set's figures may be shown is decided exactly as a filter's are
(``selfassess.scoring.disclosure``): ``recommended_groups`` gives every member's set so the
decision covers the whole family, the same whoever looks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from selfassess.scoring.peers import PeerMember

#: How many members a recommended peer set holds (fewer when the alliance has fewer others).
RECOMMENDED_PEERS = 5

#: Points for each attribute two members share; size scores up to its weight by ratio.
WEIGHTS: Mapping[str, float] = {
    "collaboration_type": 3.0,
    "region": 2.0,
    "trust_type": 2.0,
    "size": 1.0,
}


def similarity(a: PeerMember, b: PeerMember, sizes: Mapping[str, float] | None = None) -> float:
    """How alike two members are: the weights of the attributes they share, plus size by ratio."""
    score = sum(
        WEIGHTS[name]
        for name in ("collaboration_type", "region", "trust_type")
        if getattr(a, name) is not None and getattr(a, name) == getattr(b, name)
    )
    size_a = (sizes or {}).get(a.id)
    size_b = (sizes or {}).get(b.id)
    if size_a and size_b and size_a > 0 and size_b > 0:
        score += WEIGHTS["size"] * min(size_a, size_b) / max(size_a, size_b)
    return score


def ranked(
    member: PeerMember,
    members: Sequence[PeerMember],
    sizes: Mapping[str, float] | None = None,
) -> list[tuple[PeerMember, float]]:
    """The other members with their similarity to ``member``, most similar first (stable)."""
    others = [(m, similarity(member, m, sizes)) for m in members if m.id != member.id]
    return sorted(others, key=lambda pair: -pair[1])  # sorted() is stable: ties keep order


def recommended_peers(
    member: PeerMember,
    members: Sequence[PeerMember],
    among: Collection[str],
    n: int = RECOMMENDED_PEERS,
    sizes: Mapping[str, float] | None = None,
) -> frozenset[str]:
    """Ids of the ``n`` members most like ``member`` among the ids ``among`` (itself left out)."""
    if n < 1:
        raise ValueError("a recommended peer set holds at least one member")
    eligible = [m for m in members if m.id in among]
    return frozenset(m.id for m, _ in ranked(member, eligible, sizes)[:n])


def recommended_groups(
    members: Sequence[PeerMember],
    among: Collection[str],
    n: int = RECOMMENDED_PEERS,
    sizes: Mapping[str, float] | None = None,
) -> list[frozenset[str]]:
    """Every member's recommended set *with the member itself*, in member order.

    The group a member's view is drawn from, as a filter's group holds the viewer: publishing it
    is what the disclosure rule decides, for every member at once (those without results too,
    since they may look), so the family is the same whoever looks.
    """
    return [recommended_peers(m, members, among, n, sizes) | {m.id} for m in members]
