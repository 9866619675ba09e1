"""Submitting, returning and validating recompute stored scores and are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from selfassess.assessments.transitions import (
    SubmissionBlocked,
    TransitionRefused,
    return_assessment,
    submit_assessment,
    validate_assessment,
)
from selfassess.extensions import db
from selfassess.models import (
    Answer,
    Assessment,
    AssessmentScore,
    AuditEvent,
    Cycle,
    Membership,
    SnapshotQuestion,
    Trust,
    User,
)


def _open_assessment(code: str, slug: str = "working-together-partnership") -> Assessment:
    return db.session.scalar(
        select(Assessment)
        .join(Cycle)
        .join(Membership)
        .join(Trust)
        .where(Trust.code == code, Cycle.state == "open", Cycle.alliance.has(slug=slug))
    )


def _score_count(assessment: Assessment) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AssessmentScore)
        .where(AssessmentScore.assessment_id == assessment.id)
    )


def test_submit_is_blocked_until_required_questions_are_answered(runner):
    runner.invoke(args=["demo", "load"])
    user = db.session.scalar(select(User).limit(1))
    draft = _open_assessment("RP5")  # in progress, about half answered
    assert draft.state == "in_progress"
    with pytest.raises(SubmissionBlocked) as blocked:
        submit_assessment(draft, user)
    missing = blocked.value.missing
    assert missing
    assert draft.state == "in_progress"
    questions = db.session.scalars(
        select(SnapshotQuestion).where(
            SnapshotQuestion.code.in_(missing),
            SnapshotQuestion.snapshot_id == draft.cycle.snapshot_id,
        )
    ).all()
    for question in questions:
        value = {"maturity": "3", "yes_no": "yes", "text": "Evidence", "metric": "50"}[
            question.kind
        ]
        db.session.add(Answer(assessment_id=draft.id, question_id=question.id, value=value))
    db.session.commit()
    version = draft.version
    submit_assessment(draft, user)
    assert draft.state == "submitted"
    assert draft.version == version + 1
    assert draft.status in {"Meets standards", "Improvement required", "At risk"}
    assert _score_count(draft) > 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.submit"))
    assert event.before == {"state": "in_progress"}
    assert event.after["state"] == "submitted"
    assert event.actor_id is None or event.actor_id == user.id


def test_return_clears_scores_and_validate_restores_them(runner):
    runner.invoke(args=["demo", "load"])
    submitted = _open_assessment("RHQ")
    assert submitted.state == "submitted"
    scored = _score_count(submitted)
    assert scored > 0
    with pytest.raises(ValueError, match="Enter a comment"):
        return_assessment(submitted, "   ")
    return_assessment(submitted, "Please add the MoU evidence")
    assert submitted.state == "returned"
    assert submitted.status == "Awaiting submission"
    assert _score_count(submitted) == 0
    with pytest.raises(TransitionRefused):
        validate_assessment(submitted)
    user = db.session.scalar(select(User).limit(1))
    submit_assessment(submitted, user)
    validate_assessment(submitted)
    assert submitted.state == "validated"
    assert _score_count(submitted) == scored
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_id == submitted.id, AuditEvent.entity_type == "assessment")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["assessment.return", "assessment.submit", "assessment.validate"]


def test_validated_and_closed_cycle_assessments_cannot_be_submitted_again(runner):
    runner.invoke(args=["demo", "load"])
    user = db.session.scalar(select(User).limit(1))
    closed = db.session.scalar(
        select(Assessment)
        .join(Cycle)
        .where(Cycle.state == "closed", Assessment.state == "validated")
        .limit(1)
    )
    with pytest.raises(TransitionRefused):
        submit_assessment(closed, user)
    with pytest.raises(TransitionRefused):
        return_assessment(closed, "no")
