"""The outbox: every email the app writes, and how far its delivery has got."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class OutboxState(StrEnum):
    """Where an email is on its way out."""

    PENDING = "pending"  # waiting for a delivery job (first try or a retry)
    SENDING = "sending"  # claimed by one job, which is talking to the mail server
    SENT = "sent"  # the mail server accepted it
    FAILED = "failed"  # refused for good, or out of retries: shown to site administrators
    LOGGED = "logged"  # no mail server configured: written to the log (development)


class OutboxEmail(Model):
    """An email the app wrote: the record of what was sent, and the delivery job's work item.

    A job claims the row (state ``sending`` with its own ``claim_token``) before talking to the
    mail server, so two jobs never send it at once; ``message_id`` stays the same on every
    attempt, so a receiver can drop a copy resent after a crash.
    """

    __tablename__ = "outbox_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(
        String(10), default=OutboxState.PENDING, server_default=OutboxState.PENDING, index=True
    )
    message_id: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'failed', 'logged')", name="state"
        ),
    )
