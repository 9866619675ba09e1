"""Stored results: compute an assessment's scores and membership status and keep them.

Dashboards and exports read these rows instead of recomputing; ``flask scores rebuild`` calls
the same functions, so it reproduces the stored numbers exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import (
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentState,
    Cycle,
    CycleState,
    ScoreScope,
    SnapshotQuestion,
)
from .questionbank.kinds import QuestionKind
from .scoring import Answers, FrameworkSpec, membership_status, score_assessment
from .scoring import AssessmentScore as ScoreResult
from .snapshots import framework_spec, load_snapshot

SCORED_STATES = (AssessmentState.SUBMITTED, AssessmentState.VALIDATED)


def answers_for(assessment_id: int) -> Answers:
    """The assessment's answers keyed by question code, values typed for the scoring rules."""
    rows = db.session.execute(
        select(SnapshotQuestion.code, SnapshotQuestion.kind, Answer.value)
        .join(Answer, Answer.question_id == SnapshotQuestion.id)
        .where(Answer.assessment_id == assessment_id)
    ).all()
    answers: dict[str, str | float | None] = {}
    for code, kind, value in rows:
        if value is None or value == "":
            continue
        answers[code] = typed_value(kind, value)
    return answers


def typed_value(kind: str, value: str) -> str | float:
    """A stored answer as the scoring rules take it: metrics are numbers, the rest text."""
    return float(value) if kind == QuestionKind.METRIC else value


class SpecCache:
    """Framework specs by snapshot id, built once per rebuild or export."""

    def __init__(self) -> None:
        self._specs: dict[int, FrameworkSpec] = {}

    def get(self, snapshot_id: int) -> FrameworkSpec:
        if snapshot_id not in self._specs:
            self._specs[snapshot_id] = framework_spec(load_snapshot(snapshot_id))
        return self._specs[snapshot_id]


def _previous_validated(assessment: Assessment) -> Assessment | None:
    """The member's validated assessment in the most recent earlier cycle that has one."""
    return db.session.execute(
        select(Assessment)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(
            Assessment.membership_id == assessment.membership_id,
            Assessment.state == AssessmentState.VALIDATED,
            Cycle.alliance_id == assessment.cycle.alliance_id,
            Cycle.opens_on < assessment.cycle.opens_on,
        )
        .order_by(Cycle.opens_on.desc())
        .limit(1)
    ).scalar_one_or_none()


def refresh_assessment(assessment: Assessment, specs: SpecCache | None = None) -> None:
    """Recompute and store one assessment's scores and status (caller commits)."""
    specs = specs or SpecCache()
    current: ScoreResult | None = None
    if assessment.state in SCORED_STATES:
        current = score_assessment(specs.get(assessment.cycle.snapshot_id),
                                   answers_for(assessment.id))
    previous: ScoreResult | None = None
    if current is not None and current.core_not_met:
        earlier = _previous_validated(assessment)
        if earlier is not None:
            previous = score_assessment(specs.get(earlier.cycle.snapshot_id),
                                        answers_for(earlier.id))
    status = membership_status(current, previous, assessment.cycle.state == CycleState.CLOSED)
    _store(assessment, current)
    assessment.status = status.status.value
    assessment.overall_index = current.index if current else None


def _store(assessment: Assessment, result: ScoreResult | None) -> None:
    db.session.execute(
        delete(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id)
    )
    if result is None:
        return
    rows = [
        AssessmentScore(assessment_id=assessment.id, scope=ScoreScope.STANDARD, code=s.id,
                        score=s.score, met=s.met)
        for s in result.standards
    ]
    rows += [
        AssessmentScore(assessment_id=assessment.id, scope=ScoreScope.DOMAIN, code=d.id,
                        score=d.score, score_index=d.index)
        for d in result.domains
    ]
    rows.append(AssessmentScore(assessment_id=assessment.id, scope=ScoreScope.OVERALL,
                                code="overall", score_index=result.index))
    db.session.add_all(rows)


def refresh_many(assessments: Iterable[Assessment]) -> int:
    """Refresh several assessments, oldest cycle first so "At risk" sees earlier results."""
    specs = SpecCache()
    ordered = sorted(assessments, key=lambda a: (a.cycle.opens_on, a.id))
    for assessment in ordered:
        refresh_assessment(assessment, specs)
    return len(ordered)


def rebuild_all() -> int:
    """Recompute every stored result in the instance; returns how many assessments."""
    assessments = db.session.scalars(
        select(Assessment).options(selectinload(Assessment.cycle))
    ).all()
    count = refresh_many(assessments)
    db.session.commit()
    return count
