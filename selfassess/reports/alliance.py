"""What an alliance's report shows: the coordinator dashboard's figures for one cycle, its charts
as SVG, and the alliance's buddying pairs. Reads only."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..assessments.moderation import moderated_members
from ..buddying.pairs import PairRow, list_pairs
from ..charts.svg import svg_data_uri
from ..dashboards.alliance import AllianceView, alliance_view
from ..dashboards.services import load_alliance
from ..models import Alliance, Cycle
from ..scoring.peers import PeerFilter


@dataclass
class AllianceReport:
    """An alliance's report for one cycle."""

    alliance: Alliance
    cycle: Cycle
    view: AllianceView
    charts: dict[str, str] = field(default_factory=dict)
    pairs: list[PairRow] = field(default_factory=list)
    #: Members whose scores count the moderation panel's levels (membership ids).
    moderated: set[int] = field(default_factory=set)

    @property
    def summary(self) -> list[str]:
        """The results in plain words."""
        view = self.view
        lines = [
            f"{len(view.rows)} members; {len(view.scored_ids)} submitted or validated a "
            f"self-assessment in {self.cycle.name}."
        ]
        counts = [f"{now} {status.lower()}" for status, now, _before in view.status_counts if now]
        if counts:
            lines.append("Membership status: " + ", ".join(counts) + ".")
        if self.moderated:
            whose = "1 member's" if len(self.moderated) == 1 else f"{len(self.moderated)} members'"
            lines.append(
                f"{whose} scores are moderated: they count the levels the alliance's moderation "
                "panel agreed."
            )
        if view.weakest:
            weakest = view.weakest[0]
            lines.append(
                f"The standard fewest members meet is {weakest.standard.code} "
                f"({weakest.met} of {weakest.scored})."
            )
        return lines


def alliance_report(alliance: Alliance, cycle: Cycle) -> AllianceReport:
    """The alliance's report for ``cycle``, every member compared."""
    view = alliance_view(load_alliance(alliance), cycle, PeerFilter(), "status")
    report = AllianceReport(alliance, cycle, view)
    report.moderated = moderated_members(cycle.id)
    report.charts = {name: svg_data_uri(spec) for name, spec in view.charts.items()}
    report.pairs = [
        row
        for row in list_pairs(alliance)
        if row.pair.status in ("proposed", "active")
        or (row.cycle is not None and row.cycle.id == cycle.id)
    ]
    return report
