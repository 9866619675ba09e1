"""The member dashboard: one member's results in a cycle, against its peers.

Peers are the *other* members with a submitted or validated assessment in the cycle that match
the peer filter: the member is never among its own peers ("where do I stand among members like
these"). Every peer figure goes through ``Visibility`` first (``visibility.py``), which hides
small groups and, for trust users of an anonymous alliance, any view that could be combined with
others to reveal one member. Other members are named only when ``named`` is true: coordinators
and buddying leads, or trust users of an alliance that chose named benchmarking.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from ..models import Cycle, ScoreScope
from ..scoring import PeerFilter, PeerPosition, PeerStats, Suppressed, peer_stats
from ..scoring.formatting import fmt_index
from ..scoring.peers import position_among, rank_among, summary
from ..scoring.similarity import ranked
from . import queries
from .change import member_change, version_of
from .chart_rows import member_charts
from .figures import DomainLine, MemberView, PositionSpread, StandardLine, TrendPoint
from .improvement import improvements
from .peer_groups import PeerGroup, PeerKey
from .queries import AssessmentRow, MemberRow, StandardRow
from .services import ANONYMOUS_PEER, AllianceData, cycle_group
from .visibility import Visibility

OVERALL = (ScoreScope.OVERALL.value, "overall")


def member_view(
    data: AllianceData,
    member: MemberRow,
    cycle: Cycle,
    peer_filter: PeerFilter,
    *,
    named: bool,
    restricted: bool,
    member_label: str,
) -> MemberView:
    """Build the dashboard of ``member`` in ``cycle`` (two to three more queries).

    ``restricted`` is true for a trust user of an anonymous alliance: see ``visibility.py``.
    """
    assessment = data.in_cycle(cycle.id).get(member.membership_id)
    scored = data.scored_in(cycle.id)
    gate = Visibility(data, member, restricted)
    everyone = frozenset(scored)
    peer_ids = gate.peers(everyone, peer_filter, cycle)
    view = MemberView(
        member=member,
        cycle=cycle,
        assessment=assessment,
        named=named,
        peer_filter=peer_filter,
        group_size=len(peer_ids),
        restricted=restricted,
        withheld=gate.reason(cycle, everyone, peer_filter),
    )
    if peer_filter.recommended and named:  # never for a trust of an anonymous alliance
        chosen = gate.recommended(cycle)
        names = {str(m.membership_id): m.name for m in data.members}
        peers = [m.as_peer() for m in data.members if m.membership_id in chosen]
        view.recommended_names = [names[p.id] for p, _ in ranked(member.as_peer(), peers)]
    view.trend = _trend(data, gate, peer_filter)
    own = scored.get(member.membership_id)
    if own is None:
        view.charts = member_charts(view, member_label)
        return view
    standards = queries.standards(cycle.snapshot_id)
    scores = queries.member_scores(cycle.id, own.id)
    figures = _Figures(
        gate,
        cycle,
        peer_filter,
        scored,
        peer_ids,
        cycle_group(scores, [a.id for a in scored.values()]),
        own.id,
    )
    view.overall = figures.group.value(OVERALL, own.id)
    view.overall_stats, view.overall_position = figures.stats(OVERALL)
    view.domains = _domains(standards, figures)
    view.standards = _standards(
        standards, scores, figures, queries.standards_met(figures.peer_assessments)
    )
    view.positions = _positions(data, figures, view, named, member_label)
    view.spreads = position_spreads(view.positions)
    view.to_improve = improvements(cycle.snapshot_id, own.id, view.standards)
    view.change = member_change(data, member, cycle, standards, scores)
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

    def stats(
        self, key: PeerKey
    ) -> tuple[PeerStats | Suppressed, PeerPosition | Suppressed | None]:
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
        lines.append(
            DomainLine(
                code=code,
                name=name,
                value=figures.group.value(key, figures.own_id),
                stats=stats,
                position=position,
            )
        )
    return lines


def _standards(
    standards: list[StandardRow],
    scores: list[queries.ScoreRow],
    figures: _Figures,
    counts: dict[str, tuple[int, int]],
) -> list[StandardLine]:
    own = {
        s.code: s
        for s in scores
        if s.assessment_id == figures.own_id and s.scope == ScoreScope.STANDARD
    }
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
        lines.append(
            StandardLine(
                standard=st,
                score=own[st.code].score if st.code in own else None,
                met=own[st.code].met if st.code in own else None,
                peers_met=0 if why else met,
                peers_scored=0 if why else scored,
                peers_hidden=why,
                moderated=own[st.code].moderated if st.code in own else False,
                self_assessed=own[st.code].self_assessed if st.code in own else None,
            )
        )
    return lines


def _positions(
    data: AllianceData, figures: _Figures, view: MemberView, named: bool, member_label: str
) -> list[dict[str, Any]]:
    """One dot per peer and domain whose figures are shown, and the member's own; peers named
    only when allowed, in value order."""
    names = {m.membership_id: m.name for m in data.members}
    rows: list[dict[str, Any]] = []
    for domain in view.domains:
        if not isinstance(domain.stats, PeerStats):
            continue
        key = (ScoreScope.DOMAIN.value, domain.code)
        if domain.value is not None:
            rows.append(
                {
                    "domain": domain.name,
                    "value": round(domain.value, 2),
                    "value_text": fmt_index(domain.value),
                    "who": member_label,
                    "is_member": True,
                }
            )
        for membership_id in figures.peer_ids:
            value = figures.group.value(key, figures.scored[membership_id].id)
            if value is not None:
                rows.append(
                    {
                        "domain": domain.name,
                        "value": round(value, 2),
                        "value_text": fmt_index(value),
                        "who": names[membership_id] if named else ANONYMOUS_PEER,
                        "is_member": False,
                    }
                )
    # Sorted by value, so row order never hints at who is who.
    order = {d.name: i for i, d in enumerate(view.domains)}
    rows.sort(key=lambda r: (order[r["domain"]], r["value"], not r["is_member"]))
    return rows


def position_spreads(positions: list[dict[str, Any]]) -> list[PositionSpread]:
    """Summarise the positions chart's dots per domain (in the order given): the peers' spread
    and the member's rank among them, so its table shows figures and computes none."""
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for row in positions:
        by_domain.setdefault(row["domain"], []).append(row)
    spreads = []
    for domain, rows in by_domain.items():
        values = [r["value"] for r in rows if not r["is_member"]]
        if not values:
            continue
        own = next((r["value"] for r in rows if r["is_member"]), None)
        spreads.append(
            PositionSpread(
                domain=domain,
                peers=summary(values),
                value=own,
                rank=None if own is None else rank_among(own, values),
            )
        )
    return spreads


def _trend(data: AllianceData, gate: Visibility, peer_filter: PeerFilter) -> list[TrendPoint]:
    """The member's overall index per cycle, and its peers' median where the gate allows it
    (each cycle decided as that cycle's own dashboard would be); a point whose cycle follows one
    on another framework version says so."""
    member = gate.member
    points: list[TrendPoint] = []
    data.load_every_cycle()
    for cycle in data.cycles:
        scored = data.scored_in(cycle.id)
        holders = frozenset(m for m, a in scored.items() if a.overall_index is not None)
        median = None
        if gate.reason(cycle, holders, peer_filter) is None:
            values = [scored[m].overall_index for m in gate.peers(holders, peer_filter, cycle)]
            stats = peer_stats([v for v in values if v is not None])
            median = stats.median if isinstance(stats, PeerStats) else None
        own = data.in_cycle(cycle.id).get(member.membership_id)
        mine = scored.get(member.membership_id)
        version = version_of(cycle)
        before = points[-1] if points else None
        points.append(
            TrendPoint(
                cycle=cycle,
                value=mine.overall_index if mine else None,
                median=median,
                status=own.status if own else None,
                version=version,
                crossed_from=before if before and before.version != version else None,
            )
        )
    return points
