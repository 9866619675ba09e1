"""Read models for trust users' pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import (
    Alliance,
    Answer,
    Assessment,
    Cycle,
    Membership,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
)


@dataclass(frozen=True)
class Section:
    """One task of the task list: a domain, and how far its questions are answered."""

    code: str
    name: str
    questions: int
    required: int
    answered: int
    required_answered: int

    @property
    def status(self) -> str:
        if self.answered == 0:
            return "Not started"
        if self.required_answered == self.required:
            return "Completed"
        return "In progress"


def trust_assessments(trust: Trust) -> list[tuple[Alliance, Cycle, Assessment]]:
    """Every assessment of the trust across its alliances, newest cycle first (one query)."""
    rows = db.session.execute(
        select(Alliance, Cycle, Assessment)
        .join(Membership, Membership.alliance_id == Alliance.id)
        .join(Assessment, Assessment.membership_id == Membership.id)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Membership.trust_id == trust.id)
        .order_by(Alliance.name, Cycle.opens_on.desc())
    ).all()
    return [(a, c, s) for a, c, s in rows]


def trust_alliances(trust: Trust) -> list[tuple[Alliance, Membership]]:
    """The alliances the trust belongs to."""
    rows = db.session.execute(
        select(Alliance, Membership)
        .join(Membership, Membership.alliance_id == Alliance.id)
        .where(Membership.trust_id == trust.id)
        .order_by(Alliance.name)
    ).all()
    return [(a, m) for a, m in rows]


def task_list(assessment: Assessment) -> list[Section]:
    """The assessment's sections (one per domain) with answer counts, in two queries."""
    answered_value = (Answer.value.is_not(None)) & (Answer.value != "")
    totals = db.session.execute(
        select(
            SnapshotDomain.code, SnapshotDomain.name,
            func.count(SnapshotQuestion.id),
            func.count(case((SnapshotQuestion.required.is_(True), 1))),
        )
        .join(SnapshotStandard, SnapshotStandard.domain_id == SnapshotDomain.id)
        .join(SnapshotQuestion, SnapshotQuestion.standard_id == SnapshotStandard.id)
        .where(SnapshotDomain.snapshot_id == assessment.cycle.snapshot_id)
        .group_by(SnapshotDomain.id, SnapshotDomain.code, SnapshotDomain.name,
                  SnapshotDomain.position)
        .order_by(SnapshotDomain.position)
    ).all()
    answered = {
        code: (n, n_required)
        for code, n, n_required in db.session.execute(
            select(
                SnapshotDomain.code,
                func.count(Answer.id),
                func.count(case((SnapshotQuestion.required.is_(True), 1))),
            )
            .join(SnapshotStandard, SnapshotStandard.domain_id == SnapshotDomain.id)
            .join(SnapshotQuestion, SnapshotQuestion.standard_id == SnapshotStandard.id)
            .join(Answer, Answer.question_id == SnapshotQuestion.id)
            .where(Answer.assessment_id == assessment.id, answered_value)
            .group_by(SnapshotDomain.code)
        )
    }
    return [
        Section(code, name, questions, required, *answered.get(code, (0, 0)))
        for code, name, questions, required in totals
    ]
