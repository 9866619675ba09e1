"""Suggest buddies for a member below target: strong peers on exactly its weak standards, with room.

Issue 6 and PRODUCT.md: a candidate must be at or above target AND in the top quartile on at least
one of the mentee's unmet standards, must not be the mentee, and must have fewer active pairs than
the alliance's maximum. Ranking: standards covered (more first), then similarity of context
(same collaboration type, region, trust type: more first), then current load (lighter first), then
name and id so the order never depends on the order candidates were loaded in.

Also here, because they are the same pure arithmetic over stored scores: ``rank_candidates``
(quartiles within the cycle's peer group) and ``focus_changes`` (a pair's outcome: the mentee's
change on its focus standards between two cycles).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from selfassess.scoring.peers import PeerMember, PeerPosition, peer_position

#: Quartile band 1 is the top quarter of the peer group (percentile rank >= 75).
TOP_QUARTILE = 1

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
            )
        )
    return candidates


@dataclass(frozen=True)
class FocusChange:
    """How a mentee moved on one focus standard between two cycles (None: no score there)."""

    standard_id: str
    target: float | None
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """After minus before; None unless both cycles have a score."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def met_before(self) -> bool | None:
        return _met(self.before, self.target)

    @property
    def met_after(self) -> bool | None:
        return _met(self.after, self.target)

    def describe(self) -> str:
        """Say the change in words, e.g. "up 1.25, now meets target 3"."""
        change = self.change
        if change is None:
            return "no score to compare"
        if change > 0:
            words = f"up {change:.2f}"
        elif change < 0:
            words = f"down {-change:.2f}"
        else:
            words = "no change"
        if self.target is not None:
            verdict = "meets" if self.met_after else "still below"
            if self.met_after and not self.met_before:
                verdict = "now meets"
            elif not self.met_after and self.met_before:
                verdict = "now below"
            words += f", {verdict} target {self.target:g}"
        return words


def _met(score: float | None, target: float | None) -> bool | None:
    if score is None or target is None:
        return None
    return score >= target


def focus_changes(
    focus: Iterable[str],
    before: Mapping[str, float | None],
    after: Mapping[str, float | None],
    targets: Mapping[str, float],
) -> tuple[FocusChange, ...]:
    """Compare the mentee's scores on each focus standard, in the order the pair lists them."""
    return tuple(
        FocusChange(s, targets.get(s), before.get(s), after.get(s)) for s in dict.fromkeys(focus)
    )


def scores_through_lineage(
    focus: Iterable[str],
    after: Mapping[str, float | None],
    continued_by: Mapping[str, tuple[str, ...]],
) -> dict[str, float | None]:
    """A later cycle's scores on the focus standards when that cycle is on a newer framework
    version: a focus standard's score then is the mean of the scores of the standards that
    continue it (``continued_by``: old id -> new ids), or None when nothing continues it or none
    of them was scored. The focus keeps its own id, so the pair's outcome still reads in the
    terms the pair was set up with."""
    result: dict[str, float | None] = {}
    for standard in dict.fromkeys(focus):
        values = [
            value
            for successor in continued_by.get(standard, ())
            if (value := after.get(successor)) is not None
        ]
        result[standard] = sum(values) / len(values) if values else None
    return result
