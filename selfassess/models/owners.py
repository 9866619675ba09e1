"""Section owners: who at a trust looks after each section (domain) of its self-assessment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class SectionOwner(Model):
    """One section's owner, as DSPT has an owner per outcome: a colleague at the same trust
    (holding a trust-user grant for this membership), chosen by a trust user. Reminders go to
    the owners of unfinished sections first. One owner per section; none means the whole trust.
    """

    __tablename__ = "section_owner"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    #: The domain's code in the assessment's snapshot (the task list's section).
    section: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("assessment_id", "section"),)
