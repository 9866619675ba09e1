"""Publish and withdraw a cycle's summary (each audited), and read what the public page shows.

The rules (which cycles may be published, what a member's line says) are the pure
``selfassess.scoring.published``; here they meet the database and the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..models import (
    Assessment,
    AssessmentState,
    Cycle,
    CycleState,
    Membership,
    PublishedSummary,
    Trust,
    User,
)
from ..scoring.published import public_status, publish_refusal


class SummaryRefused(Exception):
    """The summary cannot be published or withdrawn now; the message says why."""


@dataclass(frozen=True)
class MemberLine:
    """One line of the public page: a member trust's name and its membership status."""

    name: str
    status: str


def published(cycle: Cycle) -> PublishedSummary | None:
    """The cycle's published summary, or None when it is not public."""
    return db.session.execute(
        select(PublishedSummary).where(PublishedSummary.cycle_id == cycle.id)
    ).scalar_one_or_none()


def refusal(cycle: Cycle) -> str | None:
    """Why ``cycle`` cannot be published now, or None."""
    waiting = db.session.scalar(
        select(func.count(Assessment.id)).where(
            Assessment.cycle_id == cycle.id, Assessment.state == AssessmentState.SUBMITTED
        )
    )
    return publish_refusal(cycle.state == CycleState.CLOSED, waiting or 0)


def publish(cycle: Cycle, user: User) -> None:
    """Make the cycle's summary public; refused when it is already public or not settled."""
    if published(cycle) is not None:
        raise SummaryRefused(f"The summary of {cycle.name} is already published.")
    why = refusal(cycle)
    if why is not None:
        raise SummaryRefused(why)
    db.session.add(PublishedSummary(cycle_id=cycle.id, published_by_id=user.id))
    audit.record(
        "summary.published",
        "cycle",
        cycle.id,
        before={"published": False},
        after={"published": True},
        alliance_id=cycle.alliance_id,
        actor_id=user.id,
    )
    db.session.commit()


def withdraw(cycle: Cycle, user: User) -> None:
    """Take the cycle's summary down: its page is then 404, as if never published."""
    found = published(cycle)
    if found is None:
        raise SummaryRefused(f"The summary of {cycle.name} is not published.")
    db.session.delete(found)
    audit.record(
        "summary.withdrawn",
        "cycle",
        cycle.id,
        before={"published": True},
        after={"published": False},
        alliance_id=cycle.alliance_id,
        actor_id=user.id,
    )
    db.session.commit()


def member_lines(cycle: Cycle) -> list[MemberLine]:
    """Every member with an assessment in the cycle, by name, with its public status (one
    query; only the name, the state and the status are read: no score leaves the database)."""
    rows = db.session.execute(
        select(Trust.name, Assessment.state, Assessment.status)
        .join(Membership, Assessment.membership_id == Membership.id)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(Assessment.cycle_id == cycle.id)
        .order_by(Trust.name, Trust.code)
    ).all()
    return [
        MemberLine(name, public_status(state == AssessmentState.VALIDATED, status))
        for name, state, status in rows
    ]
