"""Assessment cycles, each member's assessment in a cycle, its answers and stored scores."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow
from .framework import FrameworkSnapshot, SnapshotQuestion
from .tenancy import Alliance, Membership


class CycleState(StrEnum):
    """Cycle lifecycle: draft -> open -> closed."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class AssessmentState(StrEnum):
    """Assessment lifecycle; submitted and validated assessments are read-only."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VALIDATED = "validated"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def editable(self) -> bool:
        return self in {self.NOT_STARTED, self.IN_PROGRESS, self.RETURNED}


class Cycle(Model):
    """One round of self-assessment in an alliance, against one framework snapshot."""

    __tablename__ = "cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(100))
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("framework_snapshot.id", ondelete="RESTRICT"), index=True
    )
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(10), default=CycleState.DRAFT)

    alliance: Mapped[Alliance] = relationship()
    snapshot: Mapped[FrameworkSnapshot] = relationship()

    __table_args__ = (
        UniqueConstraint("alliance_id", "name"),
        CheckConstraint("closes_on >= opens_on", name="closes_after_opens"),
        CheckConstraint("state IN ('draft', 'open', 'closed')", name="state_known"),
    )


class Assessment(Model):
    """A member's self-assessment in a cycle. ``version`` counts saves, for conflict checks."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"))
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[str] = mapped_column(String(12), default=AssessmentState.NOT_STARTED)
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_comment: Mapped[str | None] = mapped_column(Text)
    #: This member's own closing date, when a coordinator gave it longer than the cycle's
    #: (``deadlines.deadline_for`` reads it; never earlier than the cycle's closing date).
    extended_until: Mapped[date | None]
    # Stored results, written when the assessment is submitted, returned or validated.
    overall_index: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(String(30))
    #: How many standards the stored result meets (None: no result). Kept beside the index so
    #: the coordinator's dashboard counts it per member without reading the standard scores.
    standards_met: Mapped[int | None] = mapped_column(Integer)

    cycle: Mapped[Cycle] = relationship()
    membership: Mapped[Membership] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("cycle_id", "membership_id"),
        CheckConstraint(
            "state IN ('not_started', 'in_progress', 'submitted', 'returned', 'validated')",
            name="state_known",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
    )


class Answer(Model):
    """One answer: the value as entered, the evidence comment, who saved it and when."""

    __tablename__ = "answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("snapshot_question.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    question: Mapped[SnapshotQuestion] = relationship()

    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)


class ScoreScope(StrEnum):
    """What a stored score row is about."""

    STANDARD = "standard"
    DOMAIN = "domain"
    OVERALL = "overall"


class AssessmentScore(Model):
    """A stored score, so dashboards read results instead of recomputing them."""

    __tablename__ = "assessment_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    score_index: Mapped[float | None] = mapped_column(Float)
    met: Mapped[bool | None] = mapped_column(Boolean)
    #: Whether a moderation panel set this standard's ``score``; ``self_assessed`` is then the
    #: member's own score (None: it had none).
    moderated: Mapped[bool] = mapped_column(Boolean, default=False)
    self_assessed: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        UniqueConstraint("assessment_id", "scope", "code"),
        CheckConstraint("scope IN ('standard', 'domain', 'overall')", name="scope_known"),
        CheckConstraint(
            "score_index IS NULL OR (score_index >= 0 AND score_index <= 100)",
            name="index_in_range",
        ),
    )
