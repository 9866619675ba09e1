"""Read models for the coordinator's pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Alliance, Assessment, AssessmentState, Cycle, Membership, Trust


@dataclass(frozen=True)
class CycleSummary:
    """A cycle and how far its members have got."""

    cycle: Cycle
    total: int
    submitted: int
    validated: int


def alliance_members(alliance: Alliance) -> list[tuple[Membership, Trust]]:
    """Every membership of the alliance with its trust, active first, by trust name."""
    rows = db.session.execute(
        select(Membership, Trust)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(Membership.alliance_id == alliance.id)
        .order_by(Membership.active.desc(), Trust.name)
    ).all()
    return [(m, t) for m, t in rows]


def cycle_summaries(alliance: Alliance) -> list[CycleSummary]:
    """The alliance's cycles, newest first, with submission counts (one query)."""
    done = (AssessmentState.SUBMITTED, AssessmentState.VALIDATED)
    rows = db.session.execute(
        select(
            Cycle,
            func.count(Assessment.id),
            func.count(case((Assessment.state.in_(done), 1))),
            func.count(case((Assessment.state == AssessmentState.VALIDATED, 1))),
        )
        .outerjoin(Assessment, Assessment.cycle_id == Cycle.id)
        .where(Cycle.alliance_id == alliance.id)
        .group_by(Cycle.id)
        .order_by(Cycle.opens_on.desc())
    ).all()
    return [CycleSummary(c, total, submitted, validated) for c, total, submitted, validated in rows]
