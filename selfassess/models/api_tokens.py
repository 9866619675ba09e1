"""Personal API tokens: what a user hands a BI tool instead of their password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow
from .users import User


class ApiToken(Model):
    """One personal token: stored as a SHA-256 digest, never in clear.

    The secret is 256 random bits, so a fast digest is enough (nothing to guess from it) and
    lets a request find its token with one indexed lookup. ``alliance_id`` narrows the token to
    one alliance; without it the token reaches what the user's grants reach, as they are at
    each request (a grant taken away stops working through every token at once).
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: The token's first characters, shown on the settings page so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    alliance_id: Mapped[int | None] = mapped_column(
        ForeignKey("alliance.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Requests since the last audited use summary, and when that summary was written.
    unaudited_uses: Mapped[int] = mapped_column(Integer, default=0)
    summarised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        CheckConstraint("unaudited_uses >= 0", name="uses_nonnegative"),
    )
