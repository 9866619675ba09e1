"""The trust's what-if page: its own stored standard scores, with levels it chooses, rescored.

Reads only the member's own results (its assessment in the cycle and its previous validated
one) and the cycle's snapshot, which holds the alliance's own targets, core flags and switched-off
standards; the arithmetic is ``scoring.what_if``. Nothing is written, and no other member's
figure is read, so a what-if cannot reveal more about peers than the dashboard does (it shows
none).
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from ..assessments.snapshots import framework_spec, load_snapshot
from ..models import AssessmentState, Cycle, ScoreScope
from ..scoring import AssessmentScore, FrameworkSpec
from ..scoring.specs import MAX_LEVEL, MIN_LEVEL
from ..scoring.what_if import WhatIf, check_levels, choosable, rescore, what_if
from . import queries
from .queries import MemberRow
from .services import AllianceData, is_closed

#: The query-string prefix of a standard's chosen level: ``level-GOV-2=4``.
PREFIX = "level-"


@dataclass(frozen=True)
class Choice:
    """A standard the member can choose a level for, as the form lists it."""

    code: str
    statement: str
    domain: str
    core: bool
    target: float
    current: float | None
    typed: str  # what the form sent ("" keeps the current score)


@dataclass(frozen=True)
class WhatIfPage:
    """The page: the choices, any problems with them, and the result once levels are valid."""

    cycle: Cycle
    choices: list[Choice]
    errors: dict[str, str]
    result: WhatIf | None
    submitted: bool  # the member has a submitted or validated assessment in the cycle
    domains: dict[str, str]  # domain names by code, in the framework's order

    @property
    def levels(self) -> range:
        return range(MIN_LEVEL, MAX_LEVEL + 1)


def parse_levels(
    args: MultiDict[str, str], codes: list[str]
) -> tuple[dict[str, int], dict[str, str]]:
    """The levels chosen in the query string, and why any cannot be used (by standard code).

    Blank keeps the current score; parameters naming no offered standard are ignored (a stale
    link from another cycle loses nothing that could be scored).
    """
    chosen: dict[str, int] = {}
    errors: dict[str, str] = {}
    for code in codes:
        typed = args.get(PREFIX + code, "").strip()
        if not typed:
            continue
        if typed.isdigit() and len(typed) < 3:
            chosen[code] = int(typed)
        else:
            errors[code] = f"Choose a level from {MIN_LEVEL} to {MAX_LEVEL} for {code}"
    return chosen, errors


def _previous_validated(
    data: AllianceData, member: MemberRow, cycle: Cycle, specs: dict[int, FrameworkSpec]
) -> AssessmentScore | None:
    """The member's validated result in the most recent earlier cycle that has one."""
    earlier = data.cycles[: data.cycles.index(cycle)]
    for before in reversed(earlier):
        row = data.in_cycle(before.id).get(member.membership_id)
        if row is not None and row.state == AssessmentState.VALIDATED:
            spec = specs.setdefault(
                before.snapshot_id, framework_spec(load_snapshot(before.snapshot_id))
            )
            return rescore(spec, _standard_scores(row.id))
    return None


def _standard_scores(assessment_id: int) -> dict[str, float | None]:
    return {
        row.code: row.score
        for row in queries.own_scores(assessment_id)
        if row.scope == ScoreScope.STANDARD
    }


def what_if_page(
    data: AllianceData, member: MemberRow, cycle: Cycle, args: MultiDict[str, str]
) -> WhatIfPage:
    """Build the what-if page for one member's own results in ``cycle`` of ``data``'s alliance."""
    snapshot = load_snapshot(cycle.snapshot_id)
    spec = framework_spec(snapshot)
    offered = {s.id for s in spec.standards if choosable(s)}
    row = data.scored_in(cycle.id).get(member.membership_id)
    current = _standard_scores(row.id) if row is not None else None
    choices = [
        Choice(
            code=standard.code,
            statement=standard.statement,
            domain=domain.name,
            core=standard.core,
            target=standard.target,
            current=(current or {}).get(standard.code),
            typed=args.get(PREFIX + standard.code, "").strip(),
        )
        for domain in snapshot.domains
        for standard in domain.standards
        if standard.code in offered
    ]
    chosen, errors = parse_levels(args, [c.code for c in choices])
    errors.update(
        {code: f"{message} for {code}" for code, message in check_levels(spec, chosen).items()}
    )
    result = None
    if not errors:
        previous = _previous_validated(data, member, cycle, {cycle.snapshot_id: spec})
        result = what_if(spec, current, chosen, previous, is_closed(cycle))
    return WhatIfPage(
        cycle,
        choices,
        errors,
        result,
        submitted=current is not None,
        domains={d.code: d.name for d in snapshot.domains},
    )
