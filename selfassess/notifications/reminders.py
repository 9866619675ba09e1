"""Deadline reminders: 14, 7 and 1 days before a member's deadline (the cycle's closing date, or
the member's own extension), to the users of each trust that has not yet submitted, with how far
it has got. Owners of unfinished sections are reminded first, of their own sections; the rest of
the trust only when some unfinished section has no owner (``questionnaire.owners``).

Each (assessment, threshold) is claimed by inserting a ``DeadlineReminder`` row, unique in the
database, in the same transaction as the notification: a second run (another consumer, a retry,
the next hour) finds the row and sends nothing. A run that starts late (consumer stopped for
days) sends only the most urgent reminder due and marks the earlier ones as passed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huey import crontab
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from .. import jobs
from ..deadlines import deadline_for, is_extended, member_deadline
from ..extensions import db
from ..models import (
    Answer,
    Assessment,
    AssessmentState,
    Category,
    Cycle,
    CycleState,
    DeadlineReminder,
    SnapshotQuestion,
)
from ..questionnaire.owners import reminder_shares
from .messages import trust_message
from .services import notify

THRESHOLDS = (14, 7, 1)
NOT_SUBMITTED = (AssessmentState.NOT_STARTED, AssessmentState.IN_PROGRESS, AssessmentState.RETURNED)


def _progress(assessment: Assessment) -> tuple[int, int]:
    """(questions answered, questions the member answers) in the assessment."""
    total = (
        db.session.scalar(
            select(func.count(SnapshotQuestion.id)).where(
                SnapshotQuestion.snapshot_id == assessment.cycle.snapshot_id,
                SnapshotQuestion.answered_by == "member",
            )
        )
        or 0
    )
    answered = (
        db.session.scalar(
            select(func.count(Answer.id)).where(Answer.assessment_id == assessment.id)
        )
        or 0
    )
    return min(answered, total), total


def _claim(assessment_id: int, thresholds: list[int]) -> bool:
    """Record these thresholds as dealt with; False if another run already had the first."""
    try:
        with db.session.begin_nested():
            for days in thresholds:
                db.session.add(DeadlineReminder(assessment_id=assessment_id, days_before=days))
    except IntegrityError:
        return False
    return True


def send_due_reminders(today: date) -> int:
    """Send each reminder due today that no run has sent; returns how many assessments."""
    sent = 0
    rows = db.session.execute(
        select(Assessment.id, Cycle.closes_on, Assessment.extended_until)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(
            Cycle.state == CycleState.OPEN,
            or_(Cycle.closes_on >= today, Assessment.extended_until >= today),
            Assessment.state.in_(NOT_SUBMITTED),
        )
        .order_by(Assessment.id)
    ).all()
    for assessment_id, closes_on, extended_until in rows:
        days_left = (member_deadline(closes_on, extended_until) - today).days
        due = [t for t in THRESHOLDS if days_left <= t]
        if not due:
            continue
        done = set(
            db.session.scalars(
                select(DeadlineReminder.days_before).where(
                    DeadlineReminder.assessment_id == assessment_id
                )
            )
        )
        if min(due) in done:
            continue
        if not _claim(assessment_id, [t for t in due if t not in done]):
            db.session.rollback()
            continue
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None:  # pragma: no cover - deleted since the query
            continue
        _remind(assessment, days_left)
        db.session.commit()
        sent += 1
    return sent


def _remind(assessment: Assessment, days_left: int) -> None:
    cycle = assessment.cycle
    answered, total = _progress(assessment)
    when = "tomorrow" if days_left == 1 else ("today" if days_left == 0 else f"in {days_left} days")
    extended = " for your trust, which has an extension" if is_extended(assessment) else ""
    returned = (
        " It was returned for revision: see the coordinator's comment."
        if assessment.state == AssessmentState.RETURNED
        else ""
    )
    users, message = trust_message(
        assessment,
        Category.REMINDER,
        f"{days_left} day{'s' if days_left != 1 else ''} left to submit your {cycle.name} "
        "assessment",
        f"The {cycle.name} cycle of {cycle.alliance.name} closes {when} "
        f"({deadline_for(assessment):%-d %B %Y}){extended} and your trust has not "
        "submitted yet. So far "
        f"{answered} of {total} questions are answered.{returned}",
    )
    # Owners of unfinished sections first, each told their own sections (see owners.py).
    for share in reminder_shares(assessment, users):
        notify(share.users, replace(message, body=message.body + share.note))


@jobs.periodic_task(crontab(minute="7"))
def deadline_reminders() -> None:
    """Hourly: send the reminders due (each once, however many consumers run this)."""
    send_due_reminders(date.today())
