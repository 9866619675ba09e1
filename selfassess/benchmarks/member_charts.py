"""Turn a member dashboard's figures into chart specs (the same rows its tables show)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import charts
from ..scoring import PeerStats

if TYPE_CHECKING:
    from .member_view import MemberView

PEER_MEDIAN = "Peer median"


def _r(value: float) -> float:
    return round(value, 2)


def member_charts(view: MemberView, member_label: str) -> dict[str, dict[str, Any]]:
    """Specs for the charts the member's figures support; a chart with nothing honest to show
    (no scores, or too few peers for a distribution) is left out and the page says why."""
    specs: dict[str, dict[str, Any]] = {}
    if view.scored:
        specs["profile"] = charts.domain_profile(
            [{"domain": d.name, "value": _r(d.value)} for d in view.domains
             if d.value is not None],
            [{"domain": d.name, "q1": _r(d.stats.q1), "median": _r(d.stats.median),
              "q3": _r(d.stats.q3)}
             for d in view.domains if isinstance(d.stats, PeerStats) and not view.suppressed],
            member_label)
        specs["standards"] = charts.standards_met([
            {"standard": s.standard.code,
             "label": f"{s.standard.code}{' (core)' if s.standard.core else ''}: {s.result}",
             "score": None if s.score is None else _r(s.score), "target": s.standard.target,
             "result": s.result}
            for s in view.standards])
        if view.positions:
            specs["positions"] = charts.domain_positions(view.positions, member_label)
    trend_rows = []
    for order, point in enumerate(view.trend):
        if point.value is not None:
            trend_rows.append({"cycle": point.cycle.name, "order": order,
                               "series": member_label, "value": _r(point.value)})
        if point.median is not None:
            trend_rows.append({"cycle": point.cycle.name, "order": order,
                               "series": PEER_MEDIAN, "value": _r(point.median)})
    if any(row["series"] == member_label for row in trend_rows):
        specs["trend"] = charts.trend(
            trend_rows, [member_label, PEER_MEDIAN] if any(
                row["series"] == PEER_MEDIAN for row in trend_rows) else [member_label])
    return specs
