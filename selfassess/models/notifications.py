"""Notifications shown in the app (and emailed), each user's email choices, and the deadline
reminders already sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class Category(StrEnum):
    """Kinds of notification a user may stop being emailed about (security mail is none)."""

    REVIEW = "review"
    OUTCOME = "outcome"
    CYCLE = "cycle"
    REMINDER = "reminder"
    BUDDYING = "buddying"
    ROLES = "roles"
    SECTION = "section"

    @property
    def label(self) -> str:
        return {
            "review": "Assessments submitted for your review",
            "outcome": "Your trust's assessment returned or validated",
            "cycle": "Assessment cycles opening",
            "reminder": "Deadline reminders",
            "buddying": "Buddying pairs proposed, started or completed",
            "roles": "Roles given to you",
            "section": "Sections of your trust's assessment assigned to you",
        }[self.value]


class Notification(Model):
    """Something a user was told: shown in their list until read, and emailed unless turned
    off. Only ever created for a user whose grants let them see what it links to."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: A path inside the app (built by the app, never taken from a request).
    link: Mapped[str] = mapped_column(String(500))
    alliance_id: Mapped[int | None] = mapped_column(
        ForeignKey("alliance.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_email.id", ondelete="SET NULL")
    )


class NotificationPreference(Model):
    """One user's choice about emails of one category (no row: emails are sent)."""

    __tablename__ = "notification_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(20))
    email: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("user_id", "category"),)


class DeadlineReminder(Model):
    """A deadline reminder threshold already dealt with for an assessment: the unique key makes
    the periodic task send each reminder once, however many consumers run it."""

    __tablename__ = "deadline_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    days_before: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("assessment_id", "days_before"),)
