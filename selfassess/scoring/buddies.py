"""Suggest buddies for a member below target: strong peers on exactly its weak standards, with room.

Issue 6 and PRODUCT.md: a candidate must be at or above target AND in the top quartile on at least
one of the mentee's unmet standards, must not be the mentee, and must have fewer active pairs than
the alliance's maximum. Ranking: standards covered (more first), then similarity of context
(same collaboration type, region, trust type: more first), then current load (lighter first), then
name and id so the order never depends on the order candidates were loaded in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from selfassess.scoring.peers import PeerMember

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
    covered by this candidate.
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
    mentee: PeerMember | BuddyCandidate, candidate: BuddyCandidate
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
    mentee: PeerMember | BuddyCandidate,
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
