"""What a member's report shows: the dashboard's figures for one cycle, its charts as SVG, and
the buddying pairs the member is in. Reads only; nothing here changes anything."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..assessments.evidence import files_by_question
from ..assessments.plans import ActionLine, plan_of
from ..buddying.pairs import PairRow, list_pairs
from ..charts.svg import svg_data_uri
from ..dashboards.member import MemberView, member_view
from ..dashboards.own_targets import TargetsView, targets_of, targets_view
from ..dashboards.services import load_alliance
from ..extensions import db
from ..models import Alliance, Assessment, Cycle
from ..scoring.formatting import fmt_index
from ..scoring.peers import PeerFilter


@dataclass
class MemberReport:
    """A member's report for one cycle."""

    alliance: Alliance
    cycle: Cycle
    name: str
    code: str
    own: bool
    view: MemberView
    charts: dict[str, str] = field(default_factory=dict)
    pairs: list[PairRow] = field(default_factory=list)
    #: The evidence files the member's self-assessment in the cycle cites, as (question, name).
    files: list[tuple[str, str]] = field(default_factory=list)
    #: The trust's own targets and its progress towards them (its own report only).
    targets: TargetsView | None = None
    #: The member's improvement plan: its actions and where each stands.
    plan: list[ActionLine] = field(default_factory=list)

    @property
    def summary(self) -> list[str]:
        """The results in plain words, for the first paragraph of the report."""
        view = self.view
        if not view.scored:
            return [
                f"{self.name} has no submitted or validated self-assessment in "
                f"{self.cycle.name}, so there are no results to report."
            ]
        overall = (
            "not available" if view.overall is None else f"{fmt_index(view.overall)} out of 100"
        )
        lines = [
            f"{self.name}'s overall index in {self.cycle.name} is {overall}; its "
            f"membership status is {view.status or 'not set'}."
        ]
        met, total = view.met_count, len(view.standards)
        core = view.core_not_met
        lines.append(
            f"It meets {met} of {total} standards; "
            + (
                f"{len(core)} core standard{'s are' if len(core) != 1 else ' is'} not met."
                if core
                else "every core standard is met."
            )
        )
        if view.domains:
            scored = [d for d in view.domains if d.value is not None]
            if scored:
                best = max(scored, key=lambda d: d.value or 0)
                worst = min(scored, key=lambda d: d.value or 0)
                lines.append(
                    f"Its strongest domain is {best.name} ({fmt_index(best.value)}) and its "
                    f"weakest {worst.name} ({fmt_index(worst.value)})."
                )
        return lines


def member_report(alliance: Alliance, cycle: Cycle, code: str, *, own: bool) -> MemberReport:
    """The report of member ``code`` (404 if not a member) in ``cycle``, peers unfiltered."""
    data = load_alliance(alliance)
    member = data.member(code)
    named = alliance.named_benchmarking or not own
    label = "Your trust" if own else member.name
    view = member_view(
        data, member, cycle, PeerFilter(), named=named, member_label=label, restricted=not named
    )
    report = MemberReport(alliance, cycle, member.name, member.code, own, view)
    report.charts = {name: svg_data_uri(spec) for name, spec in view.charts.items()}
    if own and view.scored:
        report.targets = targets_view(view, targets_of(member.membership_id))
    report.plan = plan_of(member.membership_id)
    report.pairs = [
        row
        for row in list_pairs(alliance)
        if member.membership_id in (row.pair.mentor_membership_id, row.pair.mentee_membership_id)
    ]
    assessment_id = db.session.scalar(
        select(Assessment.id).where(
            Assessment.cycle_id == cycle.id, Assessment.membership_id == member.membership_id
        )
    )
    if assessment_id is not None:
        report.files = [
            (code, f.filename)
            for code, files in sorted(files_by_question(assessment_id).items())
            for f in files
        ]
    return report
