"""The one gate every peer figure of a member's dashboard or report goes through.

Who sees what:

- **Coordinators and buddying leads**, and trust users of an alliance that chose **named
  benchmarking**, see every view; only a group of fewer than ``MIN_PEERS`` peers is hidden.
- **Trust users of an anonymous alliance** see peer figures of a cycle only once it is
  *settled*: closed, with no submitted self-assessment still awaiting review. Before that the
  figures change as each member submits (or is returned), and comparing them before and after
  would give that member's scores; once settled, nothing can change them (a closed cycle takes
  no submissions, only a submitted assessment can be returned, and validating changes no score).
  Then a filtered group is shown only if ``selfassess.scoring.disclosure`` publishes it for the
  members holding that figure, the same decision on every page, report and cycle.

Statistics, percentiles, quartiles, ranks, the "members meeting it" counts, the anonymous dots
and the trend's medians all ask ``reason`` first; none is computed for a withheld group.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ..models import AssessmentState, CollaborationType, Cycle, CycleState
from ..scoring import MIN_PEERS, PeerFilter
from ..scoring.disclosure import DisclosurePlan, candidate_filters
from ..scoring.peers import suppression_reason
from .queries import MemberRow
from .services import AllianceData


def settled(data: AllianceData, cycle: Cycle) -> bool:
    """True when the cycle's scores can no longer change: closed, nothing awaiting review."""
    return cycle.state == CycleState.CLOSED and not any(
        a.state == AssessmentState.SUBMITTED for a in data.in_cycle(cycle.id).values())


def unsettled_reason(data: AllianceData, cycle: Cycle) -> str:
    """Why a cycle's peer figures are not shown yet, and when they will be."""
    if cycle.state != CycleState.CLOSED:
        return (f"Figures about other members for {cycle.name} appear once the cycle has closed "
                f"(closing date {cycle.closes_on.day} {cycle.closes_on:%B %Y}) and every "
                "submitted self-assessment has been reviewed. Until then they would change "
                "each time a member submits, and comparing them before and after would reveal "
                "that member's scores.")
    return (f"Figures about other members for {cycle.name} appear once the alliance has reviewed "
            "every submitted self-assessment (validated or returned it). Until then a return "
            "could change them and reveal that member's scores.")


@dataclass
class Visibility:
    """Which peer figures the viewer of one member's dashboard or report may see."""

    data: AllianceData
    member: MemberRow
    restricted: bool
    _plans: dict[tuple[int, frozenset[int]], DisclosurePlan] = field(
        default_factory=dict, repr=False)

    def cycle_reason(self, cycle: Cycle) -> str | None:
        """Why no peer figure of ``cycle`` is shown at all, or None."""
        if self.restricted and not settled(self.data, cycle):
            return unsettled_reason(self.data, cycle)
        return None

    def peers(self, holders: Collection[int], peer_filter: PeerFilter) -> set[int]:
        """The member's peers among ``holders`` (membership ids): the filter's, itself left out."""
        wanted = self.data.peers(peer_filter)
        return {m for m in holders if m in wanted and m != self.member.membership_id}

    def reason(self, cycle: Cycle, holders: frozenset[int], peer_filter: PeerFilter) -> str | None:
        """None when figures over the filter's group of ``holders`` may be shown; else why not.

        ``holders`` are the membership ids with a value for the figure (in ``cycle``): the
        decision depends on them and on the filter, never on the values.
        """
        if not self.restricted:
            n = len(self.peers(holders, peer_filter))
            return None if n >= MIN_PEERS else suppression_reason(n)
        why = self.cycle_reason(cycle)
        if why is not None:
            return why
        key = (cycle.id, holders)
        if key not in self._plans:
            self._plans[key] = DisclosurePlan(
                [m.as_peer() for m in self.data.members], {str(m) for m in holders},
                candidate_filters([t.value for t in CollaborationType], self.data.regions,
                                  self.data.trust_types))
        withheld = self._plans[key].decision(peer_filter)
        return None if withheld is None else withheld.reason
