"""Per-question review threads: a reviewer's comments on single questions when returning a
self-assessment, and the trust's replies. They stay with the assessment's history and are shown
again on the review page of the next submission."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class ReviewComment(Model):
    """One message in the thread on one question of one assessment."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    question_code: Mapped[str] = mapped_column(String(30))
    #: "reviewer" (the coordinator returning it) or "trust" (a reply).
    author_role: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("author_role IN ('reviewer', 'trust')", name="author_role_known"),
    )
