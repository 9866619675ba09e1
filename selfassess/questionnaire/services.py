"""Read models for trust users' pages."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Alliance, Assessment, Cycle, Membership, Trust


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
