"""Turn the alliance dashboard's figures into chart specs (the same rows its tables show)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import charts
from ..scoring import PeerStats

if TYPE_CHECKING:
    from .alliance_view import AllianceView

NOT_MET_MARK = "\N{BALLOT X}"


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
            cells.append({"member": r.member.name, "standard": standard.code,
                          "score": round(cell.score, 2), "target": targets[standard.code],
                          "result": "Met" if cell.met else "Not met",
                          "mark": "" if cell.met else NOT_MET_MARK})
    specs["heatmap"] = charts.heatmap(cells, members, [s.code for s in view.standards])
    if view.suppressed:
        return specs
    specs["spread"] = charts.domain_spread(
        [{"domain": d.name, "q1": round(d.stats.q1, 2), "median": round(d.stats.median, 2),
          "q3": round(d.stats.q3, 2)} for d in view.domains if isinstance(d.stats, PeerStats)],
        view.dots)
    specs["weakest"] = charts.weakest_standards([
        {"standard": w.standard.code,
         "label": f"{w.standard.code}: {w.met} of {w.scored} met",
         "share": round(w.share, 1), "met": w.met, "n": w.scored}
        for w in view.weakest])
    return specs
