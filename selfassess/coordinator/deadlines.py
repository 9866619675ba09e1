"""One member's own deadline: a coordinator gives a trust longer than the rest of the cycle.

The date is stored on the assessment (``extended_until``) and read everywhere through
``selfassess.deadlines.deadline_for``; this module only decides whether an extension may be
given, writes it with its audit record, and says which running extensions stop the cycle from
closing (closing would take away time a coordinator granted).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, or_, select

from .. import audit, events
from ..deadlines import deadline_for
from ..extensions import db
from ..models import (
    Assessment,
    AssessmentState,
    Cycle,
    CycleState,
    DeadlineReminder,
    Membership,
    Trust,
    User,
)

#: States in which a member still has something to submit, so an extension matters.
STILL_TO_SUBMIT = (
    AssessmentState.NOT_STARTED,
    AssessmentState.IN_PROGRESS,
    AssessmentState.RETURNED,
)


class ExtensionRefused(ValueError):
    """The extension cannot be given: the message says why, in words for the coordinator."""


def extension_refusal(assessment: Assessment) -> str | None:
    """Why no extension can be given to this assessment now, or None: the cycle page offers the
    link only when this is None."""
    cycle = assessment.cycle
    if cycle.state != CycleState.OPEN:
        return f"The {cycle.name} cycle is not open, so no deadline can change."
    if assessment.state == AssessmentState.VALIDATED:
        return "This self-assessment is validated: it is final, so it needs no more time."
    return None


def date_refusal(assessment: Assessment, until: date, today: date) -> str | None:
    """Why ``until`` cannot be this member's deadline, or None: later than the cycle's closing
    date (an earlier one would take time away) and not in the past."""
    closes_on = assessment.cycle.closes_on
    if until <= closes_on:
        return f"The new deadline must be after the cycle's closing date, {closes_on:%-d %B %Y}."
    if until < today:
        return f"The new deadline must be today, {today:%-d %B %Y}, or later."
    return None


def extend_member(
    assessment: Assessment, until: date, reason: str | None, user: User, today: date
) -> None:
    """Give this member until ``until`` to submit; audited with the deadline before and after
    and the reason. Reminders already sent start again from the new date, so the member is
    reminded before the deadline that now applies."""
    refusal = extension_refusal(assessment) or date_refusal(assessment, until, today)
    if refusal is not None:
        raise ExtensionRefused(refusal)
    before = deadline_for(assessment)
    assessment.extended_until = until
    db.session.execute(
        delete(DeadlineReminder).where(DeadlineReminder.assessment_id == assessment.id)
    )
    membership = assessment.membership
    audit.record(
        "assessment.deadline_extended",
        "assessment",
        assessment.id,
        before={
            "deadline": before.isoformat(),
            "cycle_closes_on": assessment.cycle.closes_on.isoformat(),
        },
        after={"deadline": until.isoformat(), "reason": (reason or "").strip() or None},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
        actor_id=user.id,
    )
    events.publish(events.DeadlineExtended(assessment.id))
    db.session.commit()


def forget_sent_reminders(cycle: Cycle) -> None:
    """After the whole cycle's closing date moved later (already set on ``cycle``), reminders
    start again from the new date for every member whose deadline moved with it; a member
    whose own extension is later still keeps its count (the caller audits and commits)."""
    ids = select(Assessment.id).where(
        Assessment.cycle_id == cycle.id,
        or_(Assessment.extended_until.is_(None), Assessment.extended_until < cycle.closes_on),
    )
    db.session.execute(delete(DeadlineReminder).where(DeadlineReminder.assessment_id.in_(ids)))


def running_extensions(cycle: Cycle, today: date) -> list[tuple[str, date]]:
    """(trust name, its deadline) of each member with an extension still running and nothing
    submitted: the cycle cannot close before the last of these dates."""
    rows = db.session.execute(
        select(Trust.name, Assessment.extended_until)
        .join(Membership, Assessment.membership_id == Membership.id)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(
            Assessment.cycle_id == cycle.id,
            Assessment.extended_until > today,
            Assessment.state.in_(STILL_TO_SUBMIT),
        )
        .order_by(Assessment.extended_until.desc(), Trust.name)
    ).all()
    return [(name, until) for name, until in rows if until is not None]
