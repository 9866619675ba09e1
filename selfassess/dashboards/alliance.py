"""The coordinator's alliance dashboard: every member's status and scores in one cycle.

Reads the cycle's framework, each standard's scores counted in SQL, the compared members' domain
indices, and for the members on the page their standard scores and the core standards they do
not meet (the count of standards met is stored on each assessment): five queries on top of
``load_alliance``'s, whatever the number of members, none reading every standard row of the
cycle.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..models import Cycle, ScoreScope
from ..scoring import PeerFilter, PeerStats, Suppressed
from ..scoring.formatting import fmt_index
from ..scoring.peers import summary
from . import queries
from .change import version_of
from .chart_rows import alliance_charts
from .figures import STATUS_ORDER, AllianceView, DomainStats, StatusRow, WeakStandard
from .listing import Listing, Page, paginate
from .queries import AssessmentRow, MemberRow, StandardCount
from .services import AllianceData

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
    # Standards met are stored on each assessment, and the core standards not met are read for
    # the rows shown only (_name_core_not_met): no standard row of every member is read.
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
                met=now.standards_met if now else None,
                previous_met=then.standards_met if then else None,
                core_not_met=(),
            )
        )
    rows, sort = sort_rows(rows, sort)
    listed, page = rows, None
    if listing is not None:
        listed = [r for r in rows if listing.keeps(r)]
        page = paginate(len(listed), listing.page)
    _name_core_not_met(listed, page, scored, [s.code for s in standards if s.core])
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
    _add_figures(view, {m.membership_id: m for m in members})
    view.charts = alliance_charts(view)
    return view


def _name_core_not_met(
    listed: list[StatusRow],
    page: Page | None,
    scored: dict[int, AssessmentRow],
    core: list[str],
) -> None:
    """Fill in the core standards each row shown does not meet (one page of ``listed``, or
    all of it), in code order: nothing else on the page needs them."""
    start, stop = (page.first - 1, page.last) if page is not None else (0, len(listed))
    shown = {
        position: scored[row.member.membership_id].id
        for position, row in enumerate(listed[start:stop], start)
        if row.member.membership_id in scored
    }
    unmet = queries.standards_not_met(shown.values(), core)
    for position, assessment_id in shown.items():
        codes = unmet.get(assessment_id)
        if codes:
            listed[position] = replace(listed[position], core_not_met=tuple(sorted(codes)))


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


def _add_figures(view: AllianceView, members: dict[int, MemberRow]) -> None:
    """Heatmap cells, domain spreads, standards' results and dots over the compared members.

    Three reads whatever the alliance's size: the compared members' domain scores, each
    standard's scores and results counted in SQL, and the standard scores of the members
    listed on this page (the heatmap's cells; every member's without a listing).
    """
    by_assessment = {a: m for m, a in view.scored_ids.items()}
    shown = {view.scored_ids[r.member.membership_id] for r in view.scored_rows}
    view.cells = {
        (by_assessment[s.assessment_id], s.code): s
        for s in queries.scores_of(shown, ScoreScope.STANDARD)
    }
    indices = queries.domain_indices(view.scored_ids.values())

    def stats(values: list[float]) -> PeerStats | Suppressed:
        # Not suppressed below MIN_PEERS: the heatmap beside these names every compared
        # member's score, so a median or quartile of them keeps nothing private.
        return summary(values) if values else Suppressed(n=0, reason=NO_SCORES)

    domains = dict.fromkeys((s.domain_code, s.domain_name) for s in view.standards)
    view.domains = [
        DomainStats(
            code,
            name,
            stats(list(indices.get(code, {}).values())),
        )
        for code, name in domains
    ]
    # Each member's own domain indices are drawn for the members listed on this page only;
    # the bands and medians above are over every compared member.
    for code, name in domains:
        for assessment_id, value in indices.get(code, {}).items():
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
    counts = _standard_figures(queries.standard_counts(view.scored_ids.values()))
    weak = []
    for standard in view.standards:
        met, scored, values = counts.get(standard.code, (0, 0, []))
        figures = stats(values)
        weak.append(
            WeakStandard(
                standard=standard,
                met=met,
                scored=scored,
                median=figures.median if isinstance(figures, PeerStats) else None,
            )
        )
    view.standard_results = list(weak)  # framework order: the all-standards summary
    weak.sort(key=lambda w: (w.share, w.median if w.median is not None else 0.0))
    view.weakest = [w for w in weak if w.scored][:WEAKEST]


def _standard_figures(counts: list[StandardCount]) -> dict[str, tuple[int, int, list[float]]]:
    """Per standard: how many members meet it, how many have a result, and every score (each
    repeated as often as it was counted, so the median is the one over the members' rows)."""
    figures: dict[str, tuple[int, int, list[float]]] = {}
    for code, score, met, n in counts:
        meeting, scored, values = figures.get(code, (0, 0, []))
        if met is not None:
            scored += n
            meeting += n if met else 0
        if score is not None:
            values.extend([score] * n)
        figures[code] = (meeting, scored, values)
    return figures
