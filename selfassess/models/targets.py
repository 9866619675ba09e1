"""A trust's own targets: the level it wants to reach on each standard of an alliance."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class TrustTarget(Model):
    """One standard's desired level, set by the trust's users for its membership of one
    alliance (a trust in two alliances answers two sets of standards, so sets two sets of
    targets). Keyed by standard code, so a target carries on from cycle to cycle; the alliance's
    own benchmark target, which decides "met", is a different thing and is never changed here.
    """

    __tablename__ = "trust_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True
    )
    standard_code: Mapped[str] = mapped_column(String(20))
    level: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("membership_id", "standard_code"),
        CheckConstraint("level >= 1 AND level <= 5", name="level_on_scale"),
    )
