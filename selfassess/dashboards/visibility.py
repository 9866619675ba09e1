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

import itertools
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from ..models import AssessmentState, CollaborationType, Cycle, CycleState
from ..scoring import MIN_PEERS, PeerFilter, PeerMember
from ..scoring.disclosure import DisclosurePlan, Withheld, candidate_filters
from ..scoring.peers import suppression_reason
from ..scoring.similarity import recommended_groups, recommended_peers
from .queries import MemberRow
from .services import AllianceData

#: Plans kept between requests (in this process). A settled cycle's decisions are the same for
#: every viewer and every request, so a page's trend, which asks about every past cycle, need
#: not work them out again each time. Keyed by everything a decision depends on: the members'
#: attributes and the filters offered (interned as a token, so a 500-member tuple is hashed
#: once per request, not per lookup), and who holds the figure.
PLAN_CACHE_SIZE = 256
_contexts: dict[tuple[tuple[PeerMember, ...], tuple[PeerFilter, ...]], int] = {}
_plans: OrderedDict[tuple[int, frozenset[str], frozenset[str] | None], DisclosurePlan] = (
    OrderedDict()
)
_tokens = itertools.count()
# A plan decides lazily and remembers: two threads walking one plan at once could skip a
# candidate, and two processes must never reach different families.
_lock = threading.Lock()


def _context(members: tuple[PeerMember, ...], filters: tuple[PeerFilter, ...]) -> int:
    with _lock:
        if len(_contexts) > PLAN_CACHE_SIZE:
            _contexts.clear()
            _plans.clear()
        return _contexts.setdefault((members, filters), next(_tokens))


def _decision(
    context: int,
    members: tuple[PeerMember, ...],
    filters: tuple[PeerFilter, ...],
    holders: frozenset[str],
    peer_filter: PeerFilter | frozenset[str],
    among: frozenset[str] | None = None,
) -> Withheld | None:
    """The plan's decision on a filter, or on a recommended group (member ids) when ``among``
    (the cycle's members with results, whom recommended sets are drawn from) is given."""
    key = (context, holders, among)
    with _lock:
        plan = _plans.get(key)
        if plan is None:
            groups = recommended_groups(members, among) if among is not None else ()
            plan = _plans[key] = DisclosurePlan(members, holders, filters, groups)
            if len(_plans) > PLAN_CACHE_SIZE:
                _plans.popitem(last=False)
        else:
            _plans.move_to_end(key)
        if isinstance(peer_filter, PeerFilter):
            return plan.decision(peer_filter)
        return plan.group_decision(peer_filter)


def settled(data: AllianceData, cycle: Cycle) -> bool:
    """True when the cycle's scores can no longer change: closed, nothing awaiting review."""
    return cycle.state == CycleState.CLOSED and not any(
        a.state == AssessmentState.SUBMITTED for a in data.in_cycle(cycle.id).values()
    )


def unsettled_reason(data: AllianceData, cycle: Cycle) -> str:
    """Why a cycle's peer figures are not shown yet, and when they will be."""
    if cycle.state != CycleState.CLOSED:
        return (
            f"Figures about other members for {cycle.name} appear once the cycle has closed "
            f"(closing date {cycle.closes_on.day} {cycle.closes_on:%B %Y}) and every "
            "submitted self-assessment has been reviewed. Until then they would change "
            "each time a member submits, and comparing them before and after would reveal "
            "that member's scores."
        )
    return (
        f"Figures about other members for {cycle.name} appear once the alliance has reviewed "
        "every submitted self-assessment (validated or returned it). Until then a return "
        "could change them and reveal that member's scores."
    )


@dataclass
class Visibility:
    """Which peer figures the viewer of one member's dashboard or report may see."""

    data: AllianceData
    member: MemberRow
    restricted: bool
    _settled: dict[int, bool] = field(default_factory=dict, repr=False)
    _matching: dict[PeerFilter, set[int]] = field(default_factory=dict, repr=False)
    _ids: dict[frozenset[int], frozenset[str]] = field(default_factory=dict, repr=False)
    _recommended: dict[int, set[int]] = field(default_factory=dict, repr=False)

    @cached_property
    def _peer_members(self) -> tuple[PeerMember, ...]:
        return tuple(m.as_peer() for m in self.data.members)

    @cached_property
    def _filters(self) -> tuple[PeerFilter, ...]:
        """Every filter the form offers, in the order groups are decided."""
        return tuple(
            candidate_filters(
                [t.value for t in CollaborationType], self.data.regions, self.data.trust_types
            )
        )

    @cached_property
    def _context(self) -> int:
        return _context(self._peer_members, self._filters)

    def cycle_reason(self, cycle: Cycle) -> str | None:
        """Why no peer figure of ``cycle`` is shown at all, or None."""
        if not self.restricted:
            return None
        if cycle.id not in self._settled:
            self._settled[cycle.id] = settled(self.data, cycle)
        return None if self._settled[cycle.id] else unsettled_reason(self.data, cycle)

    def _scored(self, cycle: Cycle) -> frozenset[str]:
        """Ids of the cycle's members with results: whom recommended peers are drawn from."""
        return frozenset(str(m) for m in self.data.scored_in(cycle.id))

    def recommended(self, cycle: Cycle) -> set[int]:
        """The member's recommended peers in ``cycle`` (membership ids), never itself."""
        if cycle.id not in self._recommended:
            me = self.member.as_peer()
            chosen = recommended_peers(me, self._peer_members, self._scored(cycle))
            self._recommended[cycle.id] = {int(m) for m in chosen}
        return self._recommended[cycle.id]

    def peers(self, holders: Collection[int], peer_filter: PeerFilter, cycle: Cycle) -> set[int]:
        """The member's peers among ``holders`` (membership ids): the filter's, itself left out.

        For recommended peers, its most similar members with results in ``cycle``.
        """
        if peer_filter.recommended:
            return self.recommended(cycle).intersection(holders)
        if peer_filter not in self._matching:
            self._matching[peer_filter] = self.data.peers(peer_filter) - {self.member.membership_id}
        return self._matching[peer_filter].intersection(holders)

    def reason(self, cycle: Cycle, holders: frozenset[int], peer_filter: PeerFilter) -> str | None:
        """None when figures over the filter's group of ``holders`` may be shown; else why not.

        ``holders`` are the membership ids with a value for the figure (in ``cycle``): the
        decision depends on them and on the filter, never on the values.
        """
        if not self.restricted:
            n = len(self.peers(holders, peer_filter, cycle))
            return None if n >= MIN_PEERS else suppression_reason(n)
        why = self.cycle_reason(cycle)
        if why is not None:
            return why
        if holders not in self._ids:  # PeerMember ids are strings
            self._ids[holders] = frozenset(str(m) for m in holders)
        context, members, filters, ids = (
            self._context,
            self._peer_members,
            self._filters,
            self._ids[holders],
        )
        if peer_filter.recommended:  # the set with its member, as a filter's group holds it
            group = frozenset(str(m) for m in self.recommended(cycle)) | {
                str(self.member.membership_id)
            }
            withheld = _decision(context, members, filters, ids, group, self._scored(cycle))
        else:
            withheld = _decision(context, members, filters, ids, peer_filter)
        return None if withheld is None else withheld.reason
