"""The rows each dashboard chart is drawn from: the same figures its tables show.

The chart specs themselves are ``selfassess.charts`` (pure: rows in, Vega-Lite out); this module
only picks a dashboard's figures and rounds them for the chart.
"""

from __future__ import annotations

from typing import Any

from .. import charts
from ..scoring import PeerStats
from .figures import AllianceView, MemberView

PEER_MEDIAN = "Peer median"


def _r(value: float) -> float:
    return round(value, 2)


def member_charts(view: MemberView, member_label: str) -> dict[str, dict[str, Any]]:
    """Specs for the charts the member's figures support; a chart with nothing honest to show
    (no scores, or too few peers for a distribution) is left out and the page says why."""
    specs: dict[str, dict[str, Any]] = {}
    if view.scored:
        specs["profile"] = charts.domain_profile(
            [{"domain": d.name, "value": _r(d.value)} for d in view.domains if d.value is not None],
            [
                {
                    "domain": d.name,
                    "q1": _r(d.stats.q1),
                    "median": _r(d.stats.median),
                    "q3": _r(d.stats.q3),
                }
                for d in view.domains
                if isinstance(d.stats, PeerStats) and not view.suppressed
            ],
            member_label,
        )
        specs["standards"] = charts.standards_met(
            [
                {
                    "standard": s.standard.code,
                    "label": f"{s.standard.code}{' (core)' if s.standard.core else ''}: {s.result}",
                    "score": None if s.score is None else _r(s.score),
                    "target": s.standard.target,
                    "result": s.result,
                }
                for s in view.standards
            ]
        )
        if view.positions:
            specs["positions"] = charts.domain_positions(view.positions, member_label)
    trend_rows = []
    for order, point in enumerate(view.trend):
        if point.value is not None:
            trend_rows.append(
                {
                    "cycle": point.cycle.name,
                    "order": order,
                    "framework": point.version,
                    "series": member_label,
                    "value": _r(point.value),
                }
            )
        if point.median is not None:
            trend_rows.append(
                {
                    "cycle": point.cycle.name,
                    "order": order,
                    "framework": point.version,
                    "series": PEER_MEDIAN,
                    "value": _r(point.median),
                }
            )
    if any(row["series"] == member_label for row in trend_rows):
        specs["trend"] = charts.trend(
            trend_rows,
            [member_label, PEER_MEDIAN]
            if any(row["series"] == PEER_MEDIAN for row in trend_rows)
            else [member_label],
        )
    return specs


def alliance_charts(view: AllianceView) -> dict[str, dict[str, Any]]:
    """Specs for the heatmap (any number of members), and for the spread and weakest-standards
    charts when enough members are compared for their statistics to be shown."""
    specs: dict[str, dict[str, Any]] = {}
    rows = view.scored_rows
    if not rows:
        return specs
    targets = {s.code: s.target for s in view.standards}
    members = [r.member.name for r in rows]
    cells = []
    for r in rows:
        for standard in view.standards:
            cell = view.cells.get((r.member.membership_id, standard.code))
            if cell is None or cell.score is None:
                continue
            cells.append(
                {
                    "member": r.member.name,
                    "standard": standard.code,
                    "score": round(cell.score, 2),
                    "target": targets[standard.code],
                    "result": "Met" if cell.met else "Not met",
                }
            )
    specs["heatmap"] = charts.heatmap(cells, members, [s.code for s in view.standards])
    if view.suppressed:
        return specs
    specs["spread"] = charts.domain_spread(
        [
            {
                "domain": d.name,
                "q1": round(d.stats.q1, 2),
                "median": round(d.stats.median, 2),
                "q3": round(d.stats.q3, 2),
            }
            for d in view.domains
            if isinstance(d.stats, PeerStats)
        ],
        view.dots,
    )
    specs["weakest"] = charts.weakest_standards(
        [
            {
                "standard": w.standard.code,
                "label": f"{w.standard.code}: {w.met} of {w.scored} met",
                "share": round(w.share, 1),
                "met": w.met,
                "n": w.scored,
            }
            for w in view.weakest
        ]
    )
    return specs
