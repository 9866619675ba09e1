"""The alliance profile: the coordinator's answers to a cycle's alliance-level facts.

A fact (``SnapshotQuestion.answered_by == "alliance"``: is the MoU signed, is there a decision
forum) is true or false of the alliance as a whole, so it is answered once per cycle rather than
by each member, and it lives beside the cycle, never in an assessment: no member's answers, and so
no member's scores, can include it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow
from .assessments import Cycle
from .framework import SnapshotQuestion


class AllianceFactAnswer(Model):
    """One alliance-level fact answered for a cycle: its value, evidence, who saved it, when."""

    __tablename__ = "alliance_fact_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("snapshot_question.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    #: Copied from the previous cycle's profile and not yet confirmed by a save of the profile.
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle: Mapped[Cycle] = relationship()
    question: Mapped[SnapshotQuestion] = relationship()

    __table_args__ = (UniqueConstraint("cycle_id", "question_id"),)
