"""Buddying pairs: a stronger member supporting a member below target on some standards."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow
from .tenancy import Alliance, Membership
from .users import User

#: Open pairs hold one of the mentor's places; the database lets only one be open per couple.
OPEN_STATUSES_SQL = "status IN ('proposed', 'active')"


class PairStatus(StrEnum):
    """Pair lifecycle: proposed -> active -> completed (or ended early)."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_open(self) -> bool:
        """Open pairs (proposed or active) count towards the mentor's capacity."""
        return self in (PairStatus.PROPOSED, PairStatus.ACTIVE)


class BuddyPair(Model):
    """A mentor member paired with a mentee member on some focus standards.

    ``cycle_id`` is the cycle whose results the pair was made from: the baseline of its outcome.
    ``closed_at`` is set exactly when the pair is completed or ended.
    """

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
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    mentor: Mapped[Membership] = relationship(foreign_keys=[mentor_membership_id])
    mentee: Mapped[Membership] = relationship(foreign_keys=[mentee_membership_id])
    notes: Mapped[list[BuddyPairNote]] = relationship(
        back_populates="pair", order_by="BuddyPairNote.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("mentor_membership_id <> mentee_membership_id", name="not_self"),
        CheckConstraint(
            "status IN ('proposed', 'active', 'completed', 'ended')", name="status_known"
        ),
        CheckConstraint(
            f"({OPEN_STATUSES_SQL} AND closed_at IS NULL)"
            " OR (status IN ('completed', 'ended') AND closed_at IS NOT NULL)",
            name="closed_when_finished",
        ),
        Index(
            "uq_buddy_pair_open_couple",
            "mentor_membership_id",
            "mentee_membership_id",
            unique=True,
            sqlite_where=text(OPEN_STATUSES_SQL),
            postgresql_where=text(OPEN_STATUSES_SQL),
        ),
    )


class BuddyPairNote(Model):
    """One dated note on a pair, written by the buddying lead; notes are only ever added."""

    __tablename__ = "buddy_pair_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(
        ForeignKey("buddy_pair.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pair: Mapped[BuddyPair] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()

    __table_args__ = (CheckConstraint("length(body) > 0", name="body_not_empty"),)
