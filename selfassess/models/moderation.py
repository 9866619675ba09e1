"""Moderation: the panel that checks a member's self-assessment, and the levels it agreed.

An alliance that moderates (``Alliance.moderation``) has a panel look at each submitted
self-assessment before it is validated: the coordinator, and peer reviewers the coordinator
nominates from other member trusts (never the assessed trust itself). The panel agrees or
adjusts each standard's level with a reason; that level is what counts, the member's own score is
kept beside it, and every decision is audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow
from .tenancy import Trust
from .users import User


class ModerationPanelist(Model):
    """A peer reviewer from another member trust, nominated to moderate one assessment."""

    __tablename__ = "moderation_panelist"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: The member trust the reviewer works for (never the assessed trust).
    trust_id: Mapped[int] = mapped_column(ForeignKey("trust.id", ondelete="CASCADE"))
    nominated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    trust: Mapped[Trust] = relationship()

    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)


class ModeratedLevel(Model):
    """The panel's level for one standard of one submitted assessment, and why."""

    __tablename__ = "moderated_level"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    standard_code: Mapped[str] = mapped_column(String(20))
    #: The member's own score when the panel decided (None: the standard had no score).
    self_assessed: Mapped[float | None] = mapped_column(Float)
    level: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("assessment_id", "standard_code"),
        CheckConstraint("level >= 1 AND level <= 5", name="level_on_scale"),
    )
