"""Buddying pairs: a stronger member supporting a member below target on some standards."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, utcnow
from .tenancy import Alliance, Membership


class PairStatus(StrEnum):
    """Pair lifecycle: proposed -> active -> completed (or ended early)."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED = "ended"


class BuddyPair(db.Model):
    """A mentor member paired with a mentee member on some focus standards."""

    __tablename__ = "buddy_pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(
        ForeignKey("alliance.id", ondelete="RESTRICT"), index=True
    )
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="RESTRICT"), index=True
    )
    mentee_membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="RESTRICT"), index=True
    )
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"))
    focus_standards: Mapped[list[Any]] = mapped_column(JSON, default=list)
    start_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default=PairStatus.PROPOSED)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    mentor: Mapped[Membership] = relationship(foreign_keys=[mentor_membership_id])
    mentee: Mapped[Membership] = relationship(foreign_keys=[mentee_membership_id])

    __table_args__ = (
        CheckConstraint("mentor_membership_id <> mentee_membership_id", name="not_self"),
        CheckConstraint(
            "status IN ('proposed', 'active', 'completed', 'ended')", name="status_known"
        ),
    )
