"""Read models for the benchmarking dashboards, built from stored scores in a few queries.

``load_alliance`` reads the alliance's cycles and members, and its assessments' results per cycle
as they are asked for;
``member_view`` and ``alliance_view`` add the chosen cycle's framework and scores. Nothing here
recomputes a score: pages read what ``selfassess.assessments.scores`` stored, so they match the
exports.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from ..access import RecordMissing
from ..assessments.scores import SCORED_STATES
from ..models import Alliance, Cycle, CycleState
from ..scoring import MIN_PEERS, PeerFilter
from . import queries
from .peer_groups import DASHBOARD_INDEX_SCOPES, PeerGroup, peer_group
from .queries import AssessmentRow, MemberRow, ScoreRow

#: How a trust user sees the other members when the alliance benchmarks anonymously.
ANONYMOUS_PEER = "Another member"


@dataclass
class AllianceData:
    """An alliance's cycles and members, and its assessments' stored results by cycle.

    Assessments are read when a cycle is first asked for, with the cycle before it (what a
    dashboard compares with) in the same query; ``load_every_cycle`` reads all of them at once
    (a member's trend). A coordinator's dashboard at 500 members and 10 cycles read every
    cycle's 5,000 assessments for the two cycles it shows.
    """

    alliance: Alliance
    cycles: list[Cycle]
    members: list[MemberRow]
    _by_cycle: dict[int, dict[int, AssessmentRow]] = field(default_factory=dict, repr=False)

    def _load(self, cycle_ids: list[int]) -> None:
        wanted = [c for c in cycle_ids if c not in self._by_cycle]
        if not wanted:
            return
        for cycle_id in wanted:
            self._by_cycle[cycle_id] = {}
        for row in queries.assessments(self.alliance, wanted):
            self._by_cycle[row.cycle_id][row.membership_id] = row

    def load_every_cycle(self) -> None:
        """Read the assessments of every cycle not read yet, in one query."""
        self._load([c.id for c in self.cycles])

    def in_cycle(self, cycle_id: int) -> dict[int, AssessmentRow]:
        """The cycle's assessments by membership id."""
        if cycle_id not in self._by_cycle:
            ids = [c.id for c in self.cycles]
            if cycle_id not in ids:
                return {}
            at = ids.index(cycle_id)
            self._load(ids[max(at - 1, 0) : at + 1])
        return self._by_cycle[cycle_id]

    def scored_in(self, cycle_id: int) -> dict[int, AssessmentRow]:
        """The cycle's submitted and validated assessments by membership id."""
        return {m: a for m, a in self.in_cycle(cycle_id).items() if a.state in SCORED_STATES}

    def member(self, code: str) -> MemberRow:
        """The member with trust code ``code``; a trust outside the alliance is 404."""
        for member in self.members:
            if member.code == code:
                return member
        raise RecordMissing("no such member")

    @cached_property
    def regions(self) -> list[str]:
        return sorted({m.region for m in self.members})

    @cached_property
    def trust_types(self) -> list[str]:
        return sorted({m.trust_type for m in self.members})

    def default_cycle(self, membership_id: int | None = None) -> Cycle | None:
        """The latest cycle with scores (the member's own, when given); else the latest cycle.

        Reads every cycle's assessments unless the latest cycle has scores and no member is
        given (the coordinator's usual case), so the search is one query, not one per cycle."""
        if membership_id is not None or (self.cycles and not self.scored_in(self.cycles[-1].id)):
            self.load_every_cycle()
        for cycle in reversed(self.cycles):
            scored = self.scored_in(cycle.id)
            if (membership_id in scored) if membership_id is not None else scored:
                return cycle
        if membership_id is not None:
            return self.default_cycle()
        return self.cycles[-1] if self.cycles else None

    def previous(self, cycle: Cycle) -> Cycle | None:
        """The cycle before ``cycle``, if any."""
        index = self.cycles.index(cycle)
        return self.cycles[index - 1] if index > 0 else None

    def peers(self, peer_filter: PeerFilter) -> set[int]:
        """Membership ids matching the filter."""
        return {m.membership_id for m in self.members if peer_filter.matches(m.as_peer())}


def load_alliance(alliance: Alliance) -> AllianceData:
    """Read the alliance's cycles and members (two queries); assessments follow per cycle."""
    return AllianceData(
        alliance=alliance, cycles=queries.cycles(alliance), members=queries.members(alliance)
    )


def cycle_group(scores: list[ScoreRow], assessment_ids: Collection[int]) -> PeerGroup:
    """The peer group over some assessments of a cycle: domain and overall as indices."""
    keep = set(assessment_ids)
    return peer_group((s for s in scores if s.assessment_id in keep), DASHBOARD_INDEX_SCOPES)


def is_closed(cycle: Cycle) -> bool:
    """True when the cycle no longer takes submissions."""
    return cycle.state == CycleState.CLOSED


__all__ = [
    "ANONYMOUS_PEER",
    "MIN_PEERS",
    "AllianceData",
    "cycle_group",
    "is_closed",
    "load_alliance",
]
