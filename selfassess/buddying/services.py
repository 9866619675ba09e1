"""Read models for the buddying lead's pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Alliance, Assessment, BuddyPair, Cycle, CycleState, Membership, Trust


@dataclass(frozen=True)
class MemberStatus:
    """A member and its membership status in the latest cycle with results."""

    trust: Trust
    membership: Membership
    status: str | None
    overall_index: float | None


def latest_results_cycle(alliance: Alliance) -> Cycle | None:
    """The newest cycle that is open or closed (drafts have no results)."""
    return db.session.execute(
        select(Cycle)
        .where(Cycle.alliance_id == alliance.id, Cycle.state != CycleState.DRAFT)
        .order_by(Cycle.opens_on.desc())
        .limit(1)
    ).scalar_one_or_none()


def member_statuses(alliance: Alliance, cycle: Cycle | None) -> list[MemberStatus]:
    """Every active member with its stored status in ``cycle`` (one query)."""
    query = (
        select(Membership, Trust, Assessment)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(Membership.alliance_id == alliance.id, Membership.active.is_(True))
        .order_by(Trust.name)
    )
    if cycle is not None:
        query = query.outerjoin(
            Assessment,
            (Assessment.membership_id == Membership.id) & (Assessment.cycle_id == cycle.id),
        )
    else:
        query = query.outerjoin(Assessment, Assessment.id.is_(None))
    return [
        MemberStatus(t, m, a.status if a else None, a.overall_index if a else None)
        for m, t, a in db.session.execute(query).all()
    ]


def alliance_pairs(alliance: Alliance) -> list[tuple[BuddyPair, Trust, Trust]]:
    """Every buddying pair in the alliance with mentor and mentee trusts (one query)."""
    mentor_m, mentee_m = aliased(Membership), aliased(Membership)
    mentor_t, mentee_t = aliased(Trust), aliased(Trust)
    rows = db.session.execute(
        select(BuddyPair, mentor_t, mentee_t)
        .join(mentor_m, BuddyPair.mentor_membership_id == mentor_m.id)
        .join(mentor_t, mentor_m.trust_id == mentor_t.id)
        .join(mentee_m, BuddyPair.mentee_membership_id == mentee_m.id)
        .join(mentee_t, mentee_m.trust_id == mentee_t.id)
        .where(BuddyPair.alliance_id == alliance.id)
        .order_by(BuddyPair.start_date.desc())
    ).all()
    return [(p, a, b) for p, a, b in rows]
