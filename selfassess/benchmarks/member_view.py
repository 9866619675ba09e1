"""The member dashboard: one member's results in a cycle, against its peers.

Peers are the members with a submitted or validated assessment in the cycle that match the
peer filter, the member itself always included (the statistics are "where do I stand among
members like these"). Other members are named only when ``named`` is true: coordinators and
buddying leads, or trust users of an alliance that chose named benchmarking.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from ..models import Cycle, ScoreScope
from ..scoring import MIN_PEERS, PeerFilter, PeerPosition, PeerStats, Suppressed
from ..scoring.peers import suppression_reason
from . import queries
from .improvement import Improvement, improvements
from .member_charts import member_charts
from .peers import PeerGroup
from .queries import AssessmentRow, MemberRow, StandardRow
from .services import ANONYMOUS_PEER, AllianceData, cycle_group

OVERALL = (ScoreScope.OVERALL.value, "overall")

STATUS_MEANING = {
    "Meets standards": "every core standard is met in this cycle.",
    "Improvement required": "at least one core standard is not met in this cycle.",
    "At risk": "a core standard is not met in this cycle, and one was not met in the previous "
               "validated cycle either. Membership is at risk.",
    "Not submitted": "the cycle closed without a submitted assessment.",
    "Awaiting submission": "nothing has been submitted for this cycle yet.",
}


@dataclass(frozen=True)
class DomainLine:
    """A domain's index for the member, the peer statistics and the member's place in them."""

    code: str
    name: str
    value: float | None
    stats: PeerStats | Suppressed
    position: PeerPosition | Suppressed | None


@dataclass(frozen=True)
class StandardLine:
    """A standard's stored result for the member."""

    standard: StandardRow
    score: float | None
    met: bool | None
    peers_met: int
    peers_scored: int

    @property
    def result(self) -> str:
        return "No answers" if self.met is None else ("Met" if self.met else "Not met")


@dataclass(frozen=True)
class TrendPoint:
    """The member's overall index in one cycle, with the peer median then."""

    cycle: Cycle
    value: float | None
    median: float | None
    status: str | None


@dataclass
class MemberView:
    """Everything the member dashboard shows."""

    member: MemberRow
    cycle: Cycle
    assessment: AssessmentRow | None
    named: bool
    peer_filter: PeerFilter
    group_size: int
    overall: float | None = None
    overall_stats: PeerStats | Suppressed | None = None
    overall_position: PeerPosition | Suppressed | None = None
    domains: list[DomainLine] = field(default_factory=list)
    standards: list[StandardLine] = field(default_factory=list)
    to_improve: list[Improvement] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    positions: list[dict[str, Any]] = field(default_factory=list)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def scored(self) -> bool:
        return self.overall is not None

    @property
    def status(self) -> str | None:
        return self.assessment.status if self.assessment else None

    @property
    def status_meaning(self) -> str:
        return STATUS_MEANING.get(self.status or "", "")

    @property
    def suppressed(self) -> Suppressed | None:
        """Why the peer figures are hidden, when the group is too small."""
        if self.group_size >= MIN_PEERS:
            return None
        return Suppressed(n=self.group_size, reason=suppression_reason(self.group_size))

    @property
    def suppression_message(self) -> str:
        return suppression_reason(self.group_size)

    @property
    def met_count(self) -> int:
        return sum(1 for s in self.standards if s.met)

    @property
    def core_not_met(self) -> list[StandardLine]:
        return [s for s in self.standards if s.standard.core and not s.met]


def member_view(data: AllianceData, member: MemberRow, cycle: Cycle, peer_filter: PeerFilter,
                *, named: bool, member_label: str) -> MemberView:
    """Build the dashboard of ``member`` in ``cycle`` (two to three more queries)."""
    assessment = data.in_cycle(cycle.id).get(member.membership_id)
    scored = data.scored_in(cycle.id)
    peer_ids = data.peers(peer_filter) | {member.membership_id}
    group_assessments = {m: a.id for m, a in scored.items() if m in peer_ids}
    view = MemberView(member=member, cycle=cycle, assessment=assessment, named=named,
                      peer_filter=peer_filter, group_size=len(group_assessments))
    view.trend = _trend(data, member, peer_ids)
    own = scored.get(member.membership_id)
    if own is None:
        view.charts = member_charts(view, member_label)
        return view
    standards = queries.standards(cycle.snapshot_id)
    scores = queries.member_scores(cycle.id, own.id)
    group = cycle_group(scores, group_assessments.values())
    view.overall = group.value(OVERALL, own.id)
    view.overall_stats = group.stats(OVERALL)
    view.overall_position = group.position(OVERALL, own.id)
    view.domains = _domains(standards, group, own.id)
    view.standards = _standards(standards, scores, own.id,
                                queries.standards_met(group_assessments.values()))
    view.positions = _positions(data, group_assessments, group, view, named, member_label)
    view.to_improve = improvements(cycle.snapshot_id, own.id, view.standards)
    view.charts = member_charts(view, member_label)
    return view


def _domains(standards: list[StandardRow], group: PeerGroup,
             assessment_id: int) -> list[DomainLine]:
    names = dict.fromkeys((s.domain_code, s.domain_name) for s in standards)
    lines = []
    for code, name in names:
        key = (ScoreScope.DOMAIN.value, code)
        lines.append(DomainLine(code=code, name=name, value=group.value(key, assessment_id),
                                stats=group.stats(key),
                                position=group.position(key, assessment_id)))
    return lines


def _standards(standards: list[StandardRow], scores: list[queries.ScoreRow], assessment_id: int,
               counts: dict[str, tuple[int, int]]) -> list[StandardLine]:
    own = {s.code: s for s in scores
           if s.assessment_id == assessment_id and s.scope == ScoreScope.STANDARD}
    return [
        StandardLine(standard=st, score=own[st.code].score if st.code in own else None,
                     met=own[st.code].met if st.code in own else None,
                     peers_met=counts.get(st.code, (0, 0))[1],
                     peers_scored=counts.get(st.code, (0, 0))[0])
        for st in standards
    ]


def _positions(data: AllianceData, group_assessments: dict[int, int], group: PeerGroup,
               view: MemberView, named: bool, member_label: str) -> list[dict[str, Any]]:
    """One dot per member and domain; peers named only when allowed, in value order."""
    if view.suppressed:
        return []
    names = {m.membership_id: m.name for m in data.members}
    rows = []
    for domain in view.domains:
        key = (ScoreScope.DOMAIN.value, domain.code)
        for membership_id, assessment_id in group_assessments.items():
            value = group.value(key, assessment_id)
            if value is None:
                continue
            is_member = membership_id == view.member.membership_id
            who = member_label if is_member else (
                names[membership_id] if named else ANONYMOUS_PEER)
            rows.append({"domain": domain.name, "value": round(value, 2), "who": who,
                         "is_member": is_member})
    # Sorted by value, so row order never hints at who is who.
    order = {d.name: i for i, d in enumerate(view.domains)}
    rows.sort(key=lambda r: (order[r["domain"]], r["value"], not r["is_member"]))
    return rows


@dataclass(frozen=True)
class DomainSpread:
    """A domain's spread of member indices, and where the member sits in it: the positions
    chart's table, one row per domain however many members there are."""

    domain: str
    members: int
    lowest: float
    lower_quartile: float
    median: float
    upper_quartile: float
    highest: float
    value: float | None
    rank: int | None  # 1 is the highest index


def position_spread(positions: list[dict[str, Any]]) -> list[DomainSpread]:
    """Summarise the positions (already in domain order, then by value) per domain."""
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for row in positions:
        by_domain.setdefault(row["domain"], []).append(row)
    spreads = []
    for domain, rows in by_domain.items():
        values = [r["value"] for r in rows]
        own = next((r["value"] for r in rows if r["is_member"]), None)
        quartiles = statistics.quantiles(values, n=4, method="inclusive") \
            if len(values) > 1 else [values[0]] * 3
        spreads.append(DomainSpread(
            domain=domain, members=len(values), lowest=values[0],
            lower_quartile=quartiles[0], median=quartiles[1], upper_quartile=quartiles[2],
            highest=values[-1], value=own,
            rank=None if own is None else 1 + sum(1 for v in values if v > own)))
    return spreads


def _trend(data: AllianceData, member: MemberRow, peer_ids: set[int]) -> list[TrendPoint]:
    medians = data.median_by_cycle(peer_ids)
    points = []
    for cycle in data.cycles:
        own = data.in_cycle(cycle.id).get(member.membership_id)
        scored = data.scored_in(cycle.id).get(member.membership_id)
        points.append(TrendPoint(cycle=cycle, value=scored.overall_index if scored else None,
                                 median=medians[cycle.id], status=own.status if own else None))
    return points
