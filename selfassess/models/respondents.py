"""Several respondents: colleagues answering one assessment independently, and its lead."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow
from .users import User


class RespondentsSetting(Model):
    """Several respondents is on for one assessment (no row: off), and who settles the answers.

    A row of its own, not columns on ``assessment``: switching it on or off never touches the
    assessment's version, so it cannot collide with anyone's section save.
    """

    __tablename__ = "respondents_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), unique=True
    )
    lead_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    switched_on_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    switched_on_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[User] = relationship(foreign_keys=[lead_id])


class RespondentAnswer(Model):
    """One respondent's own answer to one question: never scored; the lead may settle the
    assessment's real answer from it (``assessments.respondents.settle``)."""

    __tablename__ = "respondent_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("snapshot_question.id", ondelete="RESTRICT"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("assessment_id", "question_id", "user_id"),)
