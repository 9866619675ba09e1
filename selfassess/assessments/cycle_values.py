"""A cycle's submitted values of the metrics its framework scores by quartile.

``scoring.quartiles`` places a member's value among these; this module reads them from the
database: every submitted or validated assessment of the cycle, the member's own included.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Assessment, AssessmentState, SnapshotQuestion
from ..questionbank.kinds import MetricScale
from ..scoring import FrameworkSpec
from ..scoring.quartiles import CycleValues


def peer_scored(spec: FrameworkSpec) -> frozenset[str]:
    """The ids of the framework's metrics scored by the cycle's quartiles."""
    return frozenset(q.id for q in spec.questions if q.scored_by is MetricScale.PEER_QUARTILES)


def cycle_values(
    cycle_id: int, spec: FrameworkSpec, states: Collection[AssessmentState]
) -> CycleValues | None:
    """Each peer-scored metric's values in the cycle (None when the framework has none)."""
    codes = peer_scored(spec)
    if not codes:
        return None
    rows = db.session.execute(
        select(SnapshotQuestion.code, Answer.value)
        .join(Answer, Answer.question_id == SnapshotQuestion.id)
        .join(Assessment, Assessment.id == Answer.assessment_id)
        .where(
            Assessment.cycle_id == cycle_id,
            Assessment.state.in_(list(states)),
            SnapshotQuestion.code.in_(sorted(codes)),
        )
    ).all()
    values: dict[str, list[float]] = {code: [] for code in codes}
    for code, value in rows:
        if value not in (None, ""):
            values[code].append(float(value))
    return values


class CycleValueCache:
    """Cycle values by cycle id, read once per refresh, rebuild or export."""

    def __init__(self, states: Collection[AssessmentState]) -> None:
        self._states = states
        self._values: dict[int, CycleValues | None] = {}

    def get(self, cycle_id: int, spec: FrameworkSpec) -> CycleValues | None:
        """The cycle's values of the spec's quartile-scored metrics (None: it has none)."""
        if cycle_id not in self._values:
            self._values[cycle_id] = cycle_values(cycle_id, spec, self._states)
        return self._values[cycle_id]


def with_cycle_peers(
    assessments: list[Assessment],
    spec_of: Callable[[int], FrameworkSpec],
    states: Iterable[AssessmentState],
) -> list[Assessment]:
    """The assessments, plus the scored others in each of their cycles that score by quartile."""
    chosen = {a.id: a for a in assessments}
    states = list(states)
    for cycle_id, snapshot_id in {(a.cycle_id, a.cycle.snapshot_id) for a in assessments}:
        if not peer_scored(spec_of(snapshot_id)):
            continue
        for other in db.session.scalars(
            select(Assessment).where(Assessment.cycle_id == cycle_id, Assessment.state.in_(states))
        ):
            chosen.setdefault(other.id, other)
    return list(chosen.values())
