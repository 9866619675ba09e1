"""A member's change since the previous cycle, per domain and standard, through lineage.

The arithmetic and the lineage rule are ``selfassess.scoring.comparison``; this module reads the
earlier cycle's framework and the member's own earlier scores (two queries, one when both cycles
share a snapshot) and names what each figure is compared with.
"""

from __future__ import annotations

from ..models import Cycle, ScoreScope
from ..scoring.comparison import (
    Comparison,
    CycleFramework,
    compare,
    crosses,
    crossing_sentence,
    domain_counterparts,
    standard_counterparts,
)
from . import queries
from .figures import ChangeLine, CycleChange
from .queries import MemberRow, ScoreRow, StandardRow
from .services import AllianceData


def cycle_framework(cycle: Cycle, standards: list[StandardRow]) -> CycleFramework:
    """The cycle's framework as the comparison rules see it."""
    return CycleFramework(
        cycle=cycle.name,
        version=cycle.snapshot.version,
        standards={s.code: s.domain_code for s in standards},
        continues={s.code: s.continues for s in standards},
    )


def version_of(cycle: Cycle) -> str:
    """The framework version a cycle was assessed on (its snapshot is loaded with the cycle)."""
    return cycle.snapshot.version


def member_change(
    data: AllianceData,
    member: MemberRow,
    cycle: Cycle,
    standards: list[StandardRow],
    scores: list[ScoreRow],
) -> CycleChange | None:
    """The member's change from the cycle before ``cycle`` (None in an alliance's first cycle).

    ``scores`` are the current cycle's rows holding the member's own standard, domain and
    overall scores (others' rows are ignored).
    """
    previous = data.previous(cycle)
    if previous is None:
        return None
    change = CycleChange(
        previous=previous,
        version_then=version_of(previous),
        version_now=version_of(cycle),
        crossing=None,
    )
    now = data.scored_in(cycle.id).get(member.membership_id)
    then = data.scored_in(previous.id).get(member.membership_id)
    if now is None or then is None:
        change.missing = (
            f"There is no submitted or validated self-assessment in "
            f"{(previous if then is None else cycle).name} to compare with."
        )
        return change
    earlier_standards = (
        standards
        if previous.snapshot_id == cycle.snapshot_id
        else queries.standards(previous.snapshot_id)
    )
    now_fw = cycle_framework(cycle, standards)
    then_fw = cycle_framework(previous, earlier_standards)
    crossing = crosses(now_fw, then_fw)
    change.crossing = crossing_sentence(now_fw, then_fw)
    mine = [s for s in scores if s.assessment_id == now.id]
    before = queries.own_scores(then.id)
    change.overall = Comparison(
        code="overall",
        earlier=("overall",),
        now=now.overall_index,
        then=then.overall_index,
        crosses=crossing,
    )
    domain_names = {s.domain_code: s.domain_name for s in earlier_standards}
    domain_names.update({s.domain_code: s.domain_name for s in standards})
    change.domains = [
        ChangeLine(
            code=c.code,
            name=domain_names[c.code],
            comparison=c,
            compared_with=_in_words(
                c, [domain_names[e] for e in c.earlier], change.version_then, change.version_now
            ),
        )
        for c in compare(
            _values(mine, ScoreScope.DOMAIN, index=True),
            _values(before, ScoreScope.DOMAIN, index=True),
            domain_counterparts(now_fw, then_fw),
            crossing=crossing,
        )
    ]
    by_code = {s.code: s for s in standards}
    change.standards = [
        ChangeLine(
            code=c.code,
            name=by_code[c.code].statement,
            comparison=c,
            compared_with=_in_words(c, list(c.earlier), change.version_then, change.version_now),
            target=by_code[c.code].target,
            core=by_code[c.code].core,
        )
        for c in compare(
            _values(mine, ScoreScope.STANDARD),
            _values(before, ScoreScope.STANDARD),
            standard_counterparts(now_fw, then_fw),
            crossing=crossing,
            met_now=_met(mine),
            met_then=_met(before),
        )
    ]
    return change


def _values(
    rows: list[ScoreRow], scope: ScoreScope, *, index: bool = False
) -> dict[str, float | None]:
    return {r.code: (r.score_index if index else r.score) for r in rows if r.scope == scope}


def _met(rows: list[ScoreRow]) -> dict[str, bool | None]:
    return {r.code: r.met for r in rows if r.scope == ScoreScope.STANDARD}


def _in_words(
    comparison: Comparison, earlier: list[str], version_then: str, version_now: str
) -> str:
    """What a line is compared with: the same, its lineage, or nothing (a new one)."""
    if not comparison.earlier:
        return (
            f"New in framework {version_now}: nothing to compare with"
            if comparison.crosses
            else "Not in the earlier cycle"
        )
    if not comparison.through_lineage:
        return "The same"
    joined = " and ".join(earlier)
    mean = " (their mean)" if len(earlier) > 1 else ""
    return f"{joined} in framework {version_then}{mean}"
