"""Counted attempts behind the sign-in and password-reset limits, shared by every app process."""

from __future__ import annotations

from sqlalchemy import Double, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model


class ThrottleHit(Model):
    """One counted attempt (a failed sign-in or code, a reset email) under a hashed key.

    The key is a SHA-256 digest of what is limited (an account, an address), never the email
    itself. ``at`` is seconds since the epoch, so windows compare the same on every database.
    """

    __tablename__ = "throttle_hit"
    __table_args__ = (Index("ix_throttle_hit_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[float] = mapped_column(Double, index=True)
