"""What the dashboards show: the figures of a member's and of the alliance's dashboard.

Plain records, built by ``member.py`` and ``alliance.py`` and read by the templates, the chart
rows (``chart_rows.py``) and the PDF reports. They hold figures already computed (``scoring``
does the arithmetic) and already through the visibility gate, so a template only prints them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..models import AssessmentState, Cycle
from ..scoring import PeerFilter, PeerPosition, PeerStats, Suppressed
from ..scoring.comparison import Comparison
from ..scoring.formatting import fmt_score
from .queries import AssessmentRow, MemberRow, ScoreRow, StandardRow

#: A heatmap cell below its target, in words as well as the chart's cross.
NOT_MET = Markup('{} <span class="not-met">not met</span>')

if TYPE_CHECKING:
    from .listing import Page

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
    #: A moderation panel set ``score``; ``self_assessed`` is the member's own (None: no score).
    moderated: bool = False
    self_assessed: float | None = None

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
    version: str = ""  # the cycle's framework version
    #: The cycle before this one was assessed on another framework version: this point and
    #: the one before are compared across versions.
    crossed_from: TrendPoint | None = None

    @property
    def crossing(self) -> str | None:
        """Say in words that the line from the previous cycle crosses framework versions."""
        before = self.crossed_from
        if before is None:
            return None
        return (
            f"{before.cycle.name} was assessed on framework {before.version} and "
            f"{self.cycle.name} on framework {self.version}: the overall index is compared "
            "across versions, which score differently (see what changed between them)."
        )


@dataclass(frozen=True)
class ChangeLine:
    """A standard's or domain's figure now against the earlier cycle's, and what it is
    compared with in words (the same standard, or its lineage across versions)."""

    code: str
    name: str
    comparison: Comparison
    compared_with: str
    target: float | None = None
    core: bool = False

    @property
    def result_then(self) -> str:
        return _result(self.comparison.met_then)

    @property
    def result_now(self) -> str:
        return _result(self.comparison.met_now)


def _result(met: bool | None) -> str:
    return "No result" if met is None else ("Met" if met else "Not met")


@dataclass
class CycleChange:
    """The member's change since the previous cycle: overall, per domain and per standard.

    Only the member's own figures: nothing here is about a peer, so no visibility gate is
    involved.
    """

    previous: Cycle
    version_then: str
    version_now: str
    crossing: str | None  # the sentence saying the comparison crosses versions, if it does
    overall: Comparison | None = None
    domains: list[ChangeLine] = field(default_factory=list)
    standards: list[ChangeLine] = field(default_factory=list)
    missing: str | None = None  # why there is nothing to compare, when there is not


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
    #: Names of the recommended peers, most similar first; only where members are named.
    recommended_names: list[str] = field(default_factory=list)
    overall: float | None = None
    overall_stats: PeerStats | Suppressed | None = None
    overall_position: PeerPosition | Suppressed | None = None
    domains: list[DomainLine] = field(default_factory=list)
    standards: list[StandardLine] = field(default_factory=list)
    to_improve: list[Improvement] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    change: CycleChange | None = None
    positions: list[dict[str, Any]] = field(default_factory=list)
    spreads: list[PositionSpread] = field(default_factory=list)
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
    def trend_crossings(self) -> list[str]:
        """Each place the trend crosses from one framework version to another, in words."""
        return [p.crossing for p in self.trend if p.crossing]

    @property
    def core_not_met(self) -> list[StandardLine]:
        return [s for s in self.standards if s.standard.core and not s.met]


@dataclass(frozen=True)
class AnswerLine:
    """One question of an unmet standard: what was answered and the level it reached."""

    code: str
    text: str
    kind: str
    answer: str
    level: int | None
    guidance: str
    comment: str | None


@dataclass(frozen=True)
class Improvement:
    """An unmet standard with its answers, in the order to work on them."""

    line: StandardLine
    answers: list[AnswerLine]


@dataclass(frozen=True)
class PositionSpread:
    """A domain's spread of the peers' indices, and where the member sits among them: the
    positions chart's table, one row per domain however many members there are."""

    domain: str
    peers: PeerStats  # the member not counted
    value: float | None
    rank: int | None  # 1 is the highest index, among the peers and the member

    @property
    def out_of(self) -> int:
        """How many are ranked: the peers and the member."""
        return self.peers.n + (self.value is not None)


STATUS_ORDER = (
    "At risk",
    "Improvement required",
    "Not submitted",
    "Awaiting submission",
    "Meets standards",
)
#: The status of a member with no assessment in the cycle (joined after it opened).
NO_ASSESSMENT = "No assessment"


@dataclass(frozen=True)
class StatusRow:
    """One member's line in the status table."""

    member: MemberRow
    assessment: AssessmentRow | None
    overall: float | None
    previous_overall: float | None
    previous_status: str | None
    met: int | None
    previous_met: int | None
    core_not_met: tuple[str, ...]

    @property
    def status(self) -> str:
        return (self.assessment.status if self.assessment else None) or NO_ASSESSMENT

    @property
    def state_label(self) -> str:
        if self.assessment is None:
            return "No assessment"
        return AssessmentState(self.assessment.state).label

    @property
    def change(self) -> float | None:
        if self.overall is None or self.previous_overall is None:
            return None
        return self.overall - self.previous_overall


@dataclass(frozen=True)
class WeakStandard:
    """A standard and how many of the compared members meet it."""

    standard: StandardRow
    met: int
    scored: int
    median: float | None

    @property
    def share(self) -> float:
        return 100 * self.met / self.scored if self.scored else 0.0


@dataclass(frozen=True)
class DomainStats:
    """A domain's statistics over the compared members."""

    code: str
    name: str
    stats: PeerStats | Suppressed


@dataclass
class AllianceView:
    """Everything the alliance dashboard shows."""

    cycle: Cycle
    previous: Cycle | None
    peer_filter: PeerFilter
    sort: str
    rows: list[StatusRow]
    standards: list[StandardRow]
    scored_ids: dict[int, int]  # membership id -> assessment id, compared members only
    #: Why the changes since ``previous`` cross framework versions, in words (None if not).
    crossing: str | None = None
    cells: dict[tuple[int, str], ScoreRow] = field(default_factory=dict)
    domains: list[DomainStats] = field(default_factory=list)
    weakest: list[WeakStandard] = field(default_factory=list)
    #: Every standard's results over the compared members, in the framework's order.
    standard_results: list[WeakStandard] = field(default_factory=list)
    dots: list[dict[str, Any]] = field(default_factory=list)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The rows the status and name filter keep (all ``rows`` without a listing), and the page
    #: of them shown (None: every one is shown, as in the printed report).
    listed: list[StatusRow] = field(default_factory=list)
    page: Page | None = None

    @property
    def shown(self) -> list[StatusRow]:
        """The member rows on the page shown (every listed row when there are no pages)."""
        return self.page.slice(self.listed) if self.page is not None else self.listed

    @property
    def status_counts(self) -> list[tuple[str, int, int]]:
        """(status, members now, members in the previous cycle), worst first."""
        now = Counter(r.status for r in self.rows)
        before = Counter(r.previous_status for r in self.rows if r.previous_status)
        return [(s, now[s], before[s]) for s in STATUS_ORDER if now[s] or before[s]]

    @property
    def scored_rows(self) -> list[StatusRow]:
        """The compared members among those shown: the heatmap's rows."""
        return [r for r in self.shown if r.member.membership_id in self.scored_ids]

    @property
    def heatmap_table(self) -> list[list[Any]]:
        """The heatmap's data table as the table component's rows: per compared member its
        name, then each standard's score (with "not met" below target; a dash when unscored).

        Built here rather than in the template: a cell lookup, a filter call and a cell mapping
        per cell in Jinja were the largest part of a 500-member dashboard (15,500 cells).
        """
        codes = [s.code for s in self.standards]
        dash = {"text": "\N{EN DASH}", "classes": "num"}
        # One cell per (score, result) shown, shared: a column holds a handful of scores.
        made: dict[tuple[float, bool], dict[str, Any]] = {}
        table: list[list[Any]] = []
        for row in self.scored_rows:
            line: list[Any] = [row.member.name]
            for code in codes:
                cell = self.cells.get((row.member.membership_id, code))
                if cell is None or cell.score is None:
                    line.append(dash)
                    continue
                key = (cell.score, bool(cell.met))
                if key not in made:
                    text = fmt_score(cell.score)
                    made[key] = (
                        {"text": text, "classes": "num"}
                        if cell.met
                        else {"html": NOT_MET.format(text), "classes": "num"}
                    )
                line.append(made[key])
            table.append(line)
        return table

    #: No ``suppressed``: this view names every compared member's scores (the heatmap), so its
    #: medians and quartiles are shown at any group size and no figure is withheld.
