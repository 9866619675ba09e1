"""The coordinator's alliance dashboard: every member's status and scores in one cycle.

Reads the cycle's framework and the stored scores of this cycle and the one before (two
queries on top of ``load_alliance``'s three), whatever the number of members.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..models import Cycle, ScoreScope
from ..scoring import PeerFilter, PeerStats, Suppressed
from ..scoring.formatting import fmt_index
from ..scoring.peers import summary
from . import queries
from .change import version_of
from .chart_rows import alliance_charts
from .figures import STATUS_ORDER, AllianceView, DomainStats, StatusRow, WeakStandard
from .listing import Listing, paginate
from .queries import MemberRow, ScoreRow
from .services import AllianceData, cycle_group

#: Worst first: the order a coordinator works through members in.
SORTS = ("name", "status", "index", "change", "met")
NO_SCORES = "no compared member has a score here"
WEAKEST = 8


def sort_rows(rows: list[StatusRow], sort: str) -> tuple[list[StatusRow], str]:
    """Sort by ``sort`` ("index", "-index"...: a leading "-" means descending); members
    without a value go last either way. An unknown column sorts by status."""
    name = sort.lstrip("-") if sort.lstrip("-") in SORTS else "status"
    descending = sort.startswith("-") and name == sort.lstrip("-")
    by_name = sorted(rows, key=lambda r: r.member.name.lower())
    if name in ("name", "status"):

        def key(r: StatusRow) -> Any:
            if name == "name":
                return r.member.name.lower()
            return STATUS_ORDER.index(r.status) if r.status in STATUS_ORDER else len(STATUS_ORDER)

        return sorted(by_name, key=key, reverse=descending), ("-" if descending else "") + name
    value = {"index": lambda r: r.overall, "change": lambda r: r.change, "met": lambda r: r.met}[
        name
    ]
    present = sorted((r for r in by_name if value(r) is not None), key=value, reverse=descending)
    return present + [r for r in by_name if value(r) is None], ("-" if descending else "") + name


def alliance_view(
    data: AllianceData,
    cycle: Cycle,
    peer_filter: PeerFilter,
    sort: str,
    listing: Listing | None = None,
) -> AllianceView:
    """Build the dashboard of the alliance's members matching ``peer_filter`` in ``cycle``.

    With a ``listing`` the member table, the heatmap and the members' dots list one page of
    the members it keeps; every other figure is over all members matching ``peer_filter``.
    Without one (the printed report) every member is listed."""
    previous = data.previous(cycle)
    members = [m for m in data.members if peer_filter.matches(m.as_peer())]
    in_cycle = data.in_cycle(cycle.id)
    members = [m for m in members if m.membership_id in in_cycle or m.active]
    scored = data.scored_in(cycle.id)
    before = data.scored_in(previous.id) if previous else {}
    standards = queries.standards(cycle.snapshot_id)
    # The previous cycle only gives each member's count of standards met (one GROUP BY row per
    # assessment instead of ~25 score rows).
    scores = queries.scores([cycle.id])
    met = {**(queries.met_per_assessment(previous.id) if previous else {}), **_met_counts(scores)}
    core = {s.code for s in standards if s.core}
    unmet_core: dict[int, list[str]] = {}
    for s in scores:
        if s.scope == ScoreScope.STANDARD and s.code in core and not s.met:
            unmet_core.setdefault(s.assessment_id, []).append(s.code)
    rows = []
    for m in members:
        now, then = scored.get(m.membership_id), before.get(m.membership_id)
        rows.append(
            StatusRow(
                member=m,
                assessment=in_cycle.get(m.membership_id),
                overall=now.overall_index if now else None,
                previous_overall=then.overall_index if then else None,
                previous_status=then.status if then else None,
                met=met.get(now.id) if now else None,
                previous_met=met.get(then.id) if then else None,
                core_not_met=tuple(sorted(unmet_core.get(now.id, []))) if now else (),
            )
        )
    rows, sort = sort_rows(rows, sort)
    listed, page = rows, None
    if listing is not None:
        listed = [r for r in rows if listing.keeps(r)]
        page = paginate(len(listed), listing.page)
    compared = {
        m.membership_id: scored[m.membership_id].id for m in members if m.membership_id in scored
    }
    view = AllianceView(
        cycle=cycle,
        previous=previous,
        peer_filter=peer_filter,
        sort=sort,
        rows=rows,
        standards=standards,
        scored_ids=compared,
        crossing=_crossing(cycle, previous),
        listed=listed,
        page=page,
    )
    _add_figures(view, scores, {m.membership_id: m for m in members})
    view.charts = alliance_charts(view)
    return view


def _crossing(cycle: Cycle, previous: Cycle | None) -> str | None:
    """Say that this cycle's changes compare two framework versions, when they do.

    The overall index has no lineage to follow (domains and their number differ), so its change
    is shown flagged rather than hidden: a coordinator still wants to see who moved most.
    """
    if previous is None or version_of(previous) == version_of(cycle):
        return None
    return (
        f"{previous.name} was assessed on framework {version_of(previous)} and "
        f"{cycle.name} on framework {version_of(cycle)}: each change in overall index "
        "compares indices across versions, which score differently, and statuses and "
        "standards met were decided on each cycle's own standards. Read the changes with "
        "care."
    )


def _met_counts(scores: list[ScoreRow]) -> dict[int, int]:
    counts: Counter[int] = Counter()
    for s in scores:
        if s.scope == ScoreScope.STANDARD and s.met:
            counts[s.assessment_id] += 1
    return {a: counts[a] for a in {s.assessment_id for s in scores}}


def _add_figures(view: AllianceView, scores: list[ScoreRow], members: dict[int, MemberRow]) -> None:
    """Heatmap cells, domain spreads, weakest standards and dots over the compared members."""
    ids = set(view.scored_ids.values())
    by_assessment = {a: m for m, a in view.scored_ids.items()}
    view.cells = {
        (by_assessment[s.assessment_id], s.code): s
        for s in scores
        if s.assessment_id in ids and s.scope == ScoreScope.STANDARD
    }
    group = cycle_group(scores, ids)

    def stats(key: tuple[str, str]) -> PeerStats | Suppressed:
        # Not suppressed below MIN_PEERS: the heatmap beside these names every compared
        # member's score, so a median or quartile of them keeps nothing private.
        values = list(group.values.get(key, {}).values())
        return summary(values) if values else Suppressed(n=0, reason=NO_SCORES)

    domains = dict.fromkeys((s.domain_code, s.domain_name) for s in view.standards)
    view.domains = [
        DomainStats(code, name, stats((ScoreScope.DOMAIN.value, code))) for code, name in domains
    ]
    # Each member's own domain indices are drawn for the members listed on this page only;
    # the bands and medians above are over every compared member.
    shown = {view.scored_ids[r.member.membership_id] for r in view.scored_rows}
    for code, name in domains:
        for assessment_id, value in group.values.get((ScoreScope.DOMAIN.value, code), {}).items():
            if assessment_id in shown:
                member = members[by_assessment[assessment_id]]
                view.dots.append(
                    {
                        "domain": name,
                        "value": round(value, 2),
                        "value_text": fmt_index(value),
                        "member": member.name,
                    }
                )
    results: dict[str, list[bool]] = {}
    for (_member, code), cell in view.cells.items():  # one pass, not one per standard
        if cell.met is not None:
            results.setdefault(code, []).append(cell.met)
    weak = []
    for standard in view.standards:
        figures = stats((ScoreScope.STANDARD.value, standard.code))
        met = results.get(standard.code, [])
        weak.append(
            WeakStandard(
                standard=standard,
                met=sum(met),
                scored=len(met),
                median=figures.median if isinstance(figures, PeerStats) else None,
            )
        )
    view.standard_results = list(weak)  # framework order: the all-standards summary
    weak.sort(key=lambda w: (w.share, w.median if w.median is not None else 0.0))
    view.weakest = [w for w in weak if w.scored][:WEAKEST]
