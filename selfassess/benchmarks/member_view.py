"""The member dashboard: one member's results in a cycle, against its peers.

Peers are the *other* members with a submitted or validated assessment in the cycle that match
the peer filter: the member is never among its own peers ("where do I stand among members like
these"). Every peer figure goes through ``Visibility`` first (``visibility.py``), which hides
small groups and, for trust users of an anonymous alliance, any view that could be combined with
others to reveal one member. Other members are named only when ``named`` is true: coordinators
and buddying leads, or trust users of an alliance that chose named benchmarking.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from ..models import Cycle, ScoreScope
from ..scoring import PeerFilter, PeerPosition, PeerStats, Suppressed, peer_stats
from ..scoring.peers import position_among
from . import queries
from .improvement import Improvement, improvements
from .member_charts import member_charts
from .peers import PeerGroup, PeerKey
from .queries import AssessmentRow, MemberRow, StandardRow
from .services import ANONYMOUS_PEER, AllianceData, cycle_group
from .visibility import Visibility

OVERALL = (ScoreScope.OVERALL.value, "overall")

STATUS_MEANING = {
    "Meets standards": "every core standard is met in this cycle.",
    "Improvement required": "at least one core standard is not met in this cycle.",
    "At risk": "a core standard is not met in this cycle, and one was not met in the previous "
               "validated cycle either. Membership is at risk.",
    "Not submitted": "the cycle closed without a submitted assessment.",
    "Awaiting submission": "nothing has been submitted for this cycle yet.",
}


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


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
    """A standard's stored result for the member, and how many peers meet it (when shown)."""

    standard: StandardRow
    score: float | None
    met: bool | None
    peers_met: int
    peers_scored: int
    peers_hidden: str | None = None  # why the count is not shown

    @property
    def result(self) -> str:
        return "No answers" if self.met is None else ("Met" if self.met else "Not met")


@dataclass(frozen=True)
class TrendPoint:
    """The member's overall index in one cycle, with the peer median then (None when hidden)."""

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
    restricted: bool = False
    withheld: str | None = None  # why the group's figures are hidden, when they are
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
        """Why the peer figures are hidden, when the group's are."""
        if self.withheld is None:
            return None
        return Suppressed(n=self.group_size, reason=self.withheld)

    @property
    def suppression_message(self) -> str:
        return self.withheld or ""

    @property
    def suppression_sentence(self) -> str:
        """The reason as a sentence of its own."""
        return sentence(self.withheld or "")

    @property
    def shows_group_size(self) -> bool:
        """The number of peers is itself a figure: hidden with the rest for a trust that may not
        see this group."""
        return not (self.restricted and self.withheld)

    @property
    def met_count(self) -> int:
        return sum(1 for s in self.standards if s.met)

    @property
    def core_not_met(self) -> list[StandardLine]:
        return [s for s in self.standards if s.standard.core and not s.met]


def member_view(data: AllianceData, member: MemberRow, cycle: Cycle, peer_filter: PeerFilter,
                *, named: bool, restricted: bool, member_label: str) -> MemberView:
    """Build the dashboard of ``member`` in ``cycle`` (two to three more queries).

    ``restricted`` is true for a trust user of an anonymous alliance: see ``visibility.py``.
    """
    assessment = data.in_cycle(cycle.id).get(member.membership_id)
    scored = data.scored_in(cycle.id)
    gate = Visibility(data, member, restricted)
    everyone = frozenset(scored)
    peer_ids = gate.peers(everyone, peer_filter)
    view = MemberView(member=member, cycle=cycle, assessment=assessment, named=named,
                      peer_filter=peer_filter, group_size=len(peer_ids), restricted=restricted,
                      withheld=gate.reason(cycle, everyone, peer_filter))
    view.trend = _trend(data, gate, peer_filter)
    own = scored.get(member.membership_id)
    if own is None:
        view.charts = member_charts(view, member_label)
        return view
    standards = queries.standards(cycle.snapshot_id)
    scores = queries.member_scores(cycle.id, own.id)
    figures = _Figures(gate, cycle, peer_filter, scored, peer_ids,
                       cycle_group(scores, [a.id for a in scored.values()]), own.id)
    view.overall = figures.group.value(OVERALL, own.id)
    view.overall_stats, view.overall_position = figures.stats(OVERALL)
    view.domains = _domains(standards, figures)
    view.standards = _standards(standards, scores, figures,
                                queries.standards_met(figures.peer_assessments))
    view.positions = _positions(data, figures, view, named, member_label)
    view.to_improve = improvements(cycle.snapshot_id, own.id, view.standards)
    view.charts = member_charts(view, member_label)
    return view


@dataclass
class _Figures:
    """A cycle's stored values for every scored member, and the gate that decides what of them
    this view may show."""

    gate: Visibility
    cycle: Cycle
    peer_filter: PeerFilter
    scored: dict[int, AssessmentRow]
    peer_ids: set[int]
    group: PeerGroup
    own_id: int
    peer_assessments: set[int] = field(init=False)
    _members: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.peer_assessments = {self.scored[m].id for m in self.peer_ids}
        self._members = {a.id: m for m, a in self.scored.items()}

    def holders(self, assessment_ids: Collection[int]) -> frozenset[int]:
        """Membership ids of the given scored assessments."""
        return frozenset(self._members[a] for a in assessment_ids if a in self._members)

    def hidden(self, holders: frozenset[int]) -> str | None:
        return self.gate.reason(self.cycle, holders, self.peer_filter)

    def peer_values(self, key: PeerKey) -> list[float]:
        """The peers' values of one score (the member's own left out)."""
        wanted = self.peer_assessments
        return [v for a, v in self.group.values.get(key, {}).items() if a in wanted]

    def stats(self, key: PeerKey) -> tuple[PeerStats | Suppressed,
                                           PeerPosition | Suppressed | None]:
        """The peers' statistics of one score and the member's position among them, or the
        reason both are hidden."""
        by_member = self.group.values.get(key, {})
        own = by_member.get(self.own_id)
        why = self.hidden(self.holders(by_member))
        if why is not None:
            hidden = Suppressed(n=len(self.peer_values(key)), reason=why)
            return hidden, (None if own is None else hidden)
        values = self.peer_values(key)
        return peer_stats(values), (None if own is None else position_among(own, values))


def _domains(standards: list[StandardRow], figures: _Figures) -> list[DomainLine]:
    names = dict.fromkeys((s.domain_code, s.domain_name) for s in standards)
    lines = []
    for code, name in names:
        key = (ScoreScope.DOMAIN.value, code)
        stats, position = figures.stats(key)
        lines.append(DomainLine(code=code, name=name,
                                value=figures.group.value(key, figures.own_id),
                                stats=stats, position=position))
    return lines


def _standards(standards: list[StandardRow], scores: list[queries.ScoreRow],
               figures: _Figures, counts: dict[str, tuple[int, int]]) -> list[StandardLine]:
    own = {s.code: s for s in scores
           if s.assessment_id == figures.own_id and s.scope == ScoreScope.STANDARD}
    # Who has no result on a standard (``member_scores`` reads those rows for every member).
    no_result: dict[str, set[int]] = {}
    for row in scores:
        if row.scope == ScoreScope.STANDARD and row.met is None:
            no_result.setdefault(row.code, set()).add(row.assessment_id)
    everyone = frozenset(figures.scored)
    lines = []
    for st in standards:
        missing = no_result.get(st.code)
        holders = everyone - figures.holders(missing) if missing else everyone
        scored, met = counts.get(st.code, (0, 0))
        why = figures.hidden(holders)
        if why is None and scored != len(holders & figures.peer_ids):
            why = "the count of peers meeting it is not available"  # a missing stored row
        lines.append(StandardLine(
            standard=st, score=own[st.code].score if st.code in own else None,
            met=own[st.code].met if st.code in own else None,
            peers_met=0 if why else met, peers_scored=0 if why else scored, peers_hidden=why))
    return lines


def _positions(data: AllianceData, figures: _Figures, view: MemberView, named: bool,
               member_label: str) -> list[dict[str, Any]]:
    """One dot per peer and domain whose figures are shown, and the member's own; peers named
    only when allowed, in value order."""
    names = {m.membership_id: m.name for m in data.members}
    rows = []
    for domain in view.domains:
        if not isinstance(domain.stats, PeerStats):
            continue
        key = (ScoreScope.DOMAIN.value, domain.code)
        if domain.value is not None:
            rows.append({"domain": domain.name, "value": round(domain.value, 2),
                         "who": member_label, "is_member": True})
        for membership_id in figures.peer_ids:
            value = figures.group.value(key, figures.scored[membership_id].id)
            if value is not None:
                rows.append({"domain": domain.name, "value": round(value, 2),
                             "who": names[membership_id] if named else ANONYMOUS_PEER,
                             "is_member": False})
    # Sorted by value, so row order never hints at who is who.
    order = {d.name: i for i, d in enumerate(view.domains)}
    rows.sort(key=lambda r: (order[r["domain"]], r["value"], not r["is_member"]))
    return rows


@dataclass(frozen=True)
class DomainSpread:
    """A domain's spread of the peers' indices, and where the member sits among them: the
    positions chart's table, one row per domain however many members there are."""

    domain: str
    members: int  # peers, the member not counted
    lowest: float
    lower_quartile: float
    median: float
    upper_quartile: float
    highest: float
    value: float | None
    rank: int | None  # 1 is the highest index, among the peers and the member

    @property
    def out_of(self) -> int:
        """How many are ranked: the peers and the member."""
        return self.members + (self.value is not None)


def position_spread(positions: list[dict[str, Any]]) -> list[DomainSpread]:
    """Summarise the positions (already in domain order, then by value) per domain."""
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for row in positions:
        by_domain.setdefault(row["domain"], []).append(row)
    spreads = []
    for domain, rows in by_domain.items():
        values = [r["value"] for r in rows if not r["is_member"]]
        if not values:
            continue
        own = next((r["value"] for r in rows if r["is_member"]), None)
        quartiles = statistics.quantiles(values, n=4, method="inclusive") \
            if len(values) > 1 else [values[0]] * 3
        spreads.append(DomainSpread(
            domain=domain, members=len(values), lowest=values[0],
            lower_quartile=quartiles[0], median=quartiles[1], upper_quartile=quartiles[2],
            highest=values[-1], value=own,
            rank=None if own is None else 1 + sum(1 for v in values if v > own)))
    return spreads


def _trend(data: AllianceData, gate: Visibility, peer_filter: PeerFilter) -> list[TrendPoint]:
    """The member's overall index per cycle, and its peers' median where the gate allows it
    (each cycle decided as that cycle's own dashboard would be)."""
    member = gate.member
    points = []
    for cycle in data.cycles:
        scored = data.scored_in(cycle.id)
        holders = frozenset(m for m, a in scored.items() if a.overall_index is not None)
        median = None
        if gate.reason(cycle, holders, peer_filter) is None:
            values = [scored[m].overall_index for m in gate.peers(holders, peer_filter)]
            stats = peer_stats([v for v in values if v is not None])
            median = stats.median if isinstance(stats, PeerStats) else None
        own = data.in_cycle(cycle.id).get(member.membership_id)
        mine = scored.get(member.membership_id)
        points.append(TrendPoint(cycle=cycle, value=mine.overall_index if mine else None,
                                 median=median, status=own.status if own else None))
    return points
