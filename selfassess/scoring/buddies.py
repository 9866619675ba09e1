"""Suggest buddies for a member below target: strong peers on exactly its weak standards, with room.

Issue 6 and PRODUCT.md: a candidate must be at or above target AND in the top quartile on at least
one of the mentee's unmet standards, must not be the mentee, and must have fewer active pairs than
the alliance's maximum. Ranking: standards covered (more first), then similarity of context
(same collaboration type, region, trust type: more first), then current load (lighter first), then
name and id so the order never depends on the order candidates were loaded in.

A suggestion also carries its *cautions*: a candidate that is itself At risk, or itself below
target on some standard, is still suggested on the standards where it is strong, but the lead is
told (issue #19: such mentors were offered without a word). ``mutual_pairs`` finds two members
each strong where the other is weak, so one pairing helps both ways.

Also here, because it is the same pure arithmetic over stored scores: ``rank_candidates``
(quartiles within the cycle's peer group). A pair's outcome is ``pair_outcomes``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from selfassess.scoring.peers import PeerMember, PeerPosition, peer_position

#: Quartile band 1 is the top quarter of the peer group (percentile rank >= 75).
TOP_QUARTILE = 1
#: The membership status that earns a caution (``status.MembershipStatus.AT_RISK``'s label).
AT_RISK = "At risk"

_CONTEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("collaboration_type", "same collaboration type"),
    ("region", "same region"),
    ("trust_type", "same trust type"),
)


@dataclass(frozen=True)
class BuddyCandidate:
    """A possible buddy, with its scores in the cycle and its current buddying load.

    ``scores``, ``targets`` and ``quartiles`` are keyed by standard id; ``quartiles`` holds the
    quartile band (1 = top) within the peer group. A standard missing from any of them cannot be
    covered by this candidate. ``active_pairs`` is the load counted against the alliance's
    maximum (the app counts proposed and active pairs: both hold a place).
    """

    id: str
    name: str
    collaboration_type: str | None
    region: str | None
    trust_type: str | None
    scores: Mapping[str, float | None] = field(default_factory=dict, hash=False)
    targets: Mapping[str, float] = field(default_factory=dict, hash=False)
    quartiles: Mapping[str, int | None] = field(default_factory=dict, hash=False)
    active_pairs: int = 0
    status: str | None = None

    @property
    def below_target(self) -> tuple[str, ...]:
        """Standards this member scored below target, in the order of ``targets``."""
        return tuple(
            standard_id
            for standard_id, target in self.targets.items()
            if (score := self.scores.get(standard_id)) is not None and score < target
        )

    @property
    def cautions(self) -> tuple[str, ...]:
        """What a lead should know before asking this member to mentor: its own weaknesses."""
        found = []
        if self.status == AT_RISK:
            found.append("itself At risk")
        if below := self.below_target:
            found.append(f"itself below target on {_join(below)}")
        return tuple(found)

    def is_strong_on(self, standard_id: str) -> bool:
        """Say whether this candidate meets the target and is in the top quartile on a standard."""
        score = self.scores.get(standard_id)
        target = self.targets.get(standard_id)
        if score is None or target is None:
            return False
        return score >= target and self.quartiles.get(standard_id) == TOP_QUARTILE


@dataclass(frozen=True)
class Suggestion:
    """A ranked buddy suggestion and the reasons it was made."""

    member_id: str
    name: str
    covers: tuple[str, ...]
    similarity: tuple[str, ...]
    load: int
    capacity: int
    explanation: str
    cautions: tuple[str, ...] = ()


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def similarity_reasons(
    mentee: PeerMember | BuddyCandidate | MemberScores, candidate: BuddyCandidate
) -> tuple[str, ...]:
    """List what the candidate shares with the mentee; an unknown (None) value matches nothing."""
    reasons = []
    for attribute, reason in _CONTEXT_FIELDS:
        mine = getattr(mentee, attribute)
        if mine is not None and mine == getattr(candidate, attribute):
            reasons.append(reason)
    return tuple(reasons)


def explain(covers: Sequence[str], similarity: Sequence[str], load: int, capacity: int) -> str:
    """Write the one-line explanation shown beside a suggestion."""
    parts = [f"covers {_join(covers)}", *similarity, f"{load} of {capacity} places used"]
    return "; ".join(parts)


def suggest_buddies(
    mentee: PeerMember | BuddyCandidate | MemberScores,
    unmet_standard_ids: Iterable[str],
    candidates: Iterable[BuddyCandidate],
    max_active_pairs: int,
) -> list[Suggestion]:
    """Rank the candidates who could help the mentee on its unmet standards (best first).

    Returns an empty list when nobody qualifies or nothing is unmet. ``covers`` keeps the order
    of ``unmet_standard_ids``.
    """
    if max_active_pairs < 0:
        raise ValueError(f"max_active_pairs cannot be negative, got {max_active_pairs}")
    unmet = tuple(dict.fromkeys(unmet_standard_ids))
    ranked: list[tuple[tuple[int, int, int, str, str], Suggestion]] = []
    for candidate in candidates:
        if candidate.id == mentee.id or candidate.active_pairs >= max_active_pairs:
            continue
        covers = tuple(s for s in unmet if candidate.is_strong_on(s))
        if not covers:
            continue
        similarity = similarity_reasons(mentee, candidate)
        suggestion = Suggestion(
            member_id=candidate.id,
            name=candidate.name,
            covers=covers,
            similarity=similarity,
            load=candidate.active_pairs,
            capacity=max_active_pairs,
            explanation=explain(covers, similarity, candidate.active_pairs, max_active_pairs),
            cautions=candidate.cautions,
        )
        key = (-len(covers), -len(similarity), candidate.active_pairs, candidate.name, candidate.id)
        ranked.append((key, suggestion))
    ranked.sort(key=lambda pair: pair[0])
    return [suggestion for _, suggestion in ranked]


@dataclass(frozen=True)
class MemberScores:
    """A member's standard scores in one cycle, and its context for similarity."""

    id: str
    name: str
    collaboration_type: str | None
    region: str | None
    trust_type: str | None
    scores: Mapping[str, float | None] = field(default_factory=dict, hash=False)
    status: str | None = None


def rank_candidates(
    members: Iterable[MemberScores],
    targets: Mapping[str, float],
    loads: Mapping[str, int],
) -> list[BuddyCandidate]:
    """Turn a cycle's members into candidates, with each one's quartile on every standard.

    The peer group of a standard is every member with a score on it, the member included (as in
    benchmarking); a group below ``MIN_PEERS`` is suppressed, so nobody is top quartile in it and
    nobody can be suggested on it. ``loads`` gives each member's current pairs (missing: 0).
    """
    members = list(members)
    values: dict[str, list[float]] = {}
    for member in members:
        for standard_id, score in member.scores.items():
            if score is not None:
                values.setdefault(standard_id, []).append(score)
    candidates = []
    for member in members:
        quartiles: dict[str, int | None] = {}
        for standard_id, score in member.scores.items():
            place = None if score is None else peer_position(score, values[standard_id])
            quartiles[standard_id] = place.quartile if isinstance(place, PeerPosition) else None
        candidates.append(
            BuddyCandidate(
                id=member.id,
                name=member.name,
                collaboration_type=member.collaboration_type,
                region=member.region,
                trust_type=member.trust_type,
                scores=dict(member.scores),
                targets=targets,
                quartiles=quartiles,
                active_pairs=loads.get(member.id, 0),
                status=member.status,
            )
        )
    return candidates


@dataclass(frozen=True)
class MutualPair:
    """Two members, each strong (at or above target, top quartile) where the other is below.

    ``first`` comes before ``second`` by name; ``first_helps_on`` are the standards where the
    first could mentor the second, ``second_helps_on`` the other way round.
    """

    first_id: str
    first_name: str
    second_id: str
    second_name: str
    first_helps_on: tuple[str, ...]
    second_helps_on: tuple[str, ...]
    similarity: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """E.g. "A Trust could help with GOV-2; B Trust with DATA-1; same region"."""
        parts = [
            f"{self.first_name} could help with {_join(self.first_helps_on)}",
            f"{self.second_name} with {_join(self.second_helps_on)}",
            *self.similarity,
        ]
        return "; ".join(parts)


def mutual_pairs(
    candidates: Iterable[BuddyCandidate],
    max_active_pairs: int,
    paired: Collection[frozenset[str]] = (),
) -> list[MutualPair]:
    """Find pairs of members who could each mentor the other on something (best first).

    Both must have a place free, as for any suggestion; two members already paired (``paired``:
    the ids of each open pair, either way round) are not suggested again. Ranked by how many
    standards the pairing covers in both directions (more first), then similarity, then names,
    so the order is stable.
    """
    pool = sorted(
        (c for c in candidates if c.active_pairs < max_active_pairs), key=lambda c: (c.name, c.id)
    )
    found: list[tuple[tuple[int, int, str, str], MutualPair]] = []
    for i, first in enumerate(pool):
        for second in pool[i + 1 :]:
            if frozenset((first.id, second.id)) in paired:
                continue
            first_helps = tuple(s for s in second.below_target if first.is_strong_on(s))
            second_helps = tuple(s for s in first.below_target if second.is_strong_on(s))
            if not first_helps or not second_helps:
                continue
            pair = MutualPair(
                first_id=first.id,
                first_name=first.name,
                second_id=second.id,
                second_name=second.name,
                first_helps_on=first_helps,
                second_helps_on=second_helps,
                similarity=similarity_reasons(first, second),
            )
            covered = len(first_helps) + len(second_helps)
            found.append(((-covered, -len(pair.similarity), first.name, second.name), pair))
    found.sort(key=lambda item: item[0])
    return [pair for _, pair in found]
