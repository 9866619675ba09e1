"""Assessment state changes: create, start, submit, return for revision, validate.

Submit, return and validate each check that they are allowed from the current state, recompute
the stored scores and membership status (and those of the member's later cycles, whose "At risk"
depends on this one), and write the audit record in the same transaction. Creating (when a cycle
opens) and starting (with the first stored answer) are part of their caller's change and its
audit event.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from .. import audit, events
from ..extensions import db
from ..models import (
    Answer,
    Assessment,
    AssessmentState,
    Cycle,
    CycleState,
    SnapshotQuestion,
    User,
)
from ..models._types import utcnow
from ..scoring import missing_required
from .locking import lock_assessment
from .moderation import clear_decisions, moderates, outstanding
from .scores import answers_for, refresh_with_later
from .snapshots import framework_spec, load_snapshot

#: Which states each action may start from.
ALLOWED_FROM = {
    "submit": {AssessmentState.NOT_STARTED, AssessmentState.IN_PROGRESS, AssessmentState.RETURNED},
    "return": {AssessmentState.SUBMITTED},
    "validate": {AssessmentState.SUBMITTED},
}


class TransitionRefused(ValueError):
    """The assessment is not in a state this action can start from."""


class SubmissionBlocked(ValueError):
    """Required questions are unanswered (``missing``), or answers carried over from a previous
    cycle are not yet confirmed (``unconfirmed``); both list question ids in question order."""

    def __init__(self, missing: list[str], unconfirmed: list[str] | None = None) -> None:
        unconfirmed = unconfirmed or []
        super().__init__(
            f"{len(missing)} required questions are unanswered and "
            f"{len(unconfirmed)} carried-over answers are unconfirmed"
        )
        self.missing = missing
        self.unconfirmed = unconfirmed


def _check(assessment: Assessment, action: str) -> AssessmentState:
    # Lock the row and re-read it (into ``assessment`` itself, the session's copy), so a section
    # save or another review committed meanwhile is seen and waits for us instead of racing.
    lock_assessment(assessment.id)
    state = AssessmentState(assessment.state)
    if state not in ALLOWED_FROM[action]:
        raise TransitionRefused(f"A {state.label.lower()} assessment cannot be {action}ed.")
    if action == "submit" and assessment.cycle.state != CycleState.OPEN:
        raise TransitionRefused("The cycle is not open, so nothing can be submitted.")
    return state


def _change(
    assessment: Assessment,
    action: str,
    before: AssessmentState,
    event: events.Event,
    extra: dict[str, object] | None = None,
) -> None:
    assessment.version += 1
    refresh_with_later(assessment)
    membership = assessment.membership
    audit.record(
        f"assessment.{action}",
        "assessment",
        assessment.id,
        before={"state": before.value},
        after={"state": assessment.state, "status": assessment.status, **(extra or {})},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
    )
    # Listeners (notifications) write in this transaction: told exactly when it happened.
    events.publish(event)
    db.session.commit()


def create_assessments(cycle: Cycle, membership_ids: list[int]) -> None:
    """Give each member a not-started assessment in a cycle being opened (the caller audits
    the opening and commits)."""
    for membership_id in membership_ids:
        db.session.add(
            Assessment(
                cycle=cycle,
                membership_id=membership_id,
                state=AssessmentState.NOT_STARTED,
                version=1,
            )
        )


def start_assessment(assessment: Assessment) -> None:
    """Move a not-started assessment to in progress; any other state is left alone.

    Its first stored answer (saved, uploaded or copied forward) starts it. That write's own
    audit event records the state before and after, so this change adds none; the caller holds
    the row lock and commits.
    """
    if assessment.state == AssessmentState.NOT_STARTED:
        assessment.state = AssessmentState.IN_PROGRESS


def submit_assessment(assessment: Assessment, user: User) -> None:
    """Submit for review; refused while any required question is unanswered or any answer
    carried over from a previous cycle is unconfirmed (nobody has looked at it this cycle)."""
    before = _check(assessment, "submit")
    spec = framework_spec(load_snapshot(assessment.cycle.snapshot_id))
    missing = missing_required(spec, answers_for(assessment.id))
    unconfirmed = list(
        db.session.scalars(
            select(SnapshotQuestion.code)
            .join(Answer, Answer.question_id == SnapshotQuestion.id)
            .where(Answer.assessment_id == assessment.id, Answer.carried_over.is_(True))
            .order_by(SnapshotQuestion.id)
        )
    )
    if missing or unconfirmed:
        raise SubmissionBlocked(missing, unconfirmed)
    assessment.state = AssessmentState.SUBMITTED
    assessment.submitted_at = utcnow()
    assessment.submitted_by_id = user.id
    _change(assessment, "submit", before, events.AssessmentSubmitted(assessment.id, user.id))


def return_assessment(
    assessment: Assessment,
    comment: str,
    question_comments: Mapping[str, str] | None = None,
    reviewer_id: int | None = None,
) -> None:
    """Send a submitted assessment back to the trust for revision, with the reason and any
    comments on single questions (written in the same transaction as the return)."""
    before = _check(assessment, "return")
    comment = comment.strip()
    if not comment:
        raise ValueError("Enter a comment saying what the trust needs to revise")
    assessment.state = AssessmentState.RETURNED
    assessment.return_comment = comment
    from .review_threads import add_reviewer_comments  # it imports answers, which imports us

    commented = add_reviewer_comments(assessment, question_comments or {}, reviewer_id)
    cleared = clear_decisions(assessment)
    _change(
        assessment,
        "return",
        before,
        events.AssessmentReturned(assessment.id, comment),
        {"comment": comment, "question_comments": commented, "moderation_cleared": cleared},
    )


def validate_assessment(assessment: Assessment) -> None:
    """Accept a submitted assessment as final; it stays read-only. Where the alliance
    moderates, every scored standard needs the panel's level first."""
    before = _check(assessment, "validate")
    if moderates(assessment) and (waiting := outstanding(assessment)):
        raise TransitionRefused(
            f"Moderation is not finished: the panel has not agreed a level for "
            f"{len(waiting)} standard{'s' if len(waiting) != 1 else ''} ({', '.join(waiting)})."
        )
    assessment.state = AssessmentState.VALIDATED
    assessment.validated_at = utcnow()
    _change(assessment, "validate", before, events.AssessmentValidated(assessment.id))
