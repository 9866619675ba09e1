"""The rows each dashboard chart is drawn from: the same figures its tables show.

The chart specs themselves are ``selfassess.charts`` (pure: rows in, Vega-Lite out); this module
only picks a dashboard's figures, rounds them for the chart, and writes each as the page writes
it (``*_text``, for tooltips: one formatter, so a tooltip never reads differently from a table).
"""

from __future__ import annotations

from typing import Any

from .. import charts
from ..charts.base import short_title
from ..scoring import PeerStats
from ..scoring.formatting import fmt_index, fmt_level, fmt_percent, fmt_score
from .figures import AllianceView, MemberView
from .queries import StandardRow

PEER_MEDIAN = "Peer median"


def _r(value: float) -> float:
    return round(value, 2)


def _quartiles(stats: PeerStats) -> dict[str, Any]:
    """A distribution's lower quartile, median and upper quartile, as numbers and as text."""
    return {
        "q1": _r(stats.q1),
        "median": _r(stats.median),
        "q3": _r(stats.q3),
        "q1_text": fmt_index(stats.q1),
        "median_text": fmt_index(stats.median),
        "q3_text": fmt_index(stats.q3),
    }


def titled(standard: StandardRow) -> str:
    """A standard's code and its whole title, as tooltips show it."""
    return f"{standard.code} {' '.join(standard.statement.split())}"


def member_charts(view: MemberView, member_label: str) -> dict[str, dict[str, Any]]:
    """Specs for the charts the member's figures support; a chart with nothing honest to show
    (no scores, or too few peers for a distribution) is left out and the page says why."""
    specs: dict[str, dict[str, Any]] = {}
    if view.scored:
        specs["profile"] = charts.domain_profile(
            [
                {"domain": d.name, "value": _r(d.value), "value_text": fmt_index(d.value)}
                for d in view.domains
                if d.value is not None
            ],
            [
                {"domain": d.name, **_quartiles(d.stats)}
                for d in view.domains
                if isinstance(d.stats, PeerStats) and not view.suppressed
            ],
            member_label,
        )
        specs["standards"] = charts.standards_met(
            [
                {
                    "standard": titled(s.standard),
                    "label": f"{s.standard.code}{' (core)' if s.standard.core else ''}: "
                    f"{s.result} \N{MIDDLE DOT} {short_title(s.standard.statement)}",
                    "score": None if s.score is None else _r(s.score),
                    "score_text": fmt_score(s.score),
                    "target": s.standard.target,
                    "target_text": fmt_level(s.standard.target),
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
                    "value_text": fmt_index(point.value),
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
                    "value_text": fmt_index(point.median),
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
                    "score_text": fmt_score(cell.score),
                    "target": standard.target,
                    "result": "Met" if cell.met else "Not met",
                }
            )
    columns = [
        {
            "standard": s.code,
            "column": f"{s.code} {short_title(s.statement, 24)}",
            "title": titled(s),
            "target_text": fmt_level(s.target),
        }
        for s in view.standards
    ]
    specs["heatmap"] = charts.heatmap(cells, members, columns)
    specs["spread"] = charts.domain_spread(
        [
            {"domain": d.name, **_quartiles(d.stats)}
            for d in view.domains
            if isinstance(d.stats, PeerStats)
        ],
        view.dots,
    )
    specs["weakest"] = charts.weakest_standards(
        [
            {
                "standard": titled(w.standard),
                "label": f"{w.standard.code}: {w.met} of {w.scored} met \N{MIDDLE DOT} "
                f"{short_title(w.standard.statement)}",
                "share": round(w.share, 1),
                "share_text": fmt_percent(w.share),
                "met": w.met,
                "n": w.scored,
            }
            for w in view.weakest
        ]
    )
    return specs
