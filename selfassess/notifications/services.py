"""Notify a user; read, open and count their notifications; their email choices.

Everything here is about the signed-in user's own notifications: another user's id is as good
as missing (``RecordMissing``, a 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update

from .. import audit
from ..access import RecordMissing
from ..extensions import db
from ..mail import send_email
from ..models import Category, Notification, NotificationPreference, User
from ..models._types import utcnow
from .links import absolute, path_for


@dataclass(frozen=True)
class Message:
    """What to tell a user, why, and which page it is about."""

    category: Category
    title: str
    body: str
    endpoint: str
    values: dict[str, Any]
    reason: str
    alliance_id: int | None = None


def notify(users: list[User], message: Message) -> list[Notification]:
    """Tell each user (in the caller's transaction): a notification in their list, and an
    email saying why it was sent, unless they turned emails of its category off."""
    link = path_for(message.endpoint, **message.values)
    silenced = _emails_off([u.id for u in users], message.category)
    made = []
    for user in users:
        note = Notification(
            user_id=user.id,
            category=message.category,
            title=message.title,
            body=message.body,
            link=link,
            alliance_id=message.alliance_id,
        )
        if user.id not in silenced:
            note.outbox_id = send_email(
                user.email, message.title, _email_text(user, message, link)
            ).id
        db.session.add(note)
        made.append(note)
    db.session.flush()
    return made


def _email_text(user: User, message: Message, link: str) -> str:
    preferences = absolute(path_for("notifications.preferences"))
    return (
        f"Hello {user.name},\n\n{message.body}\n\nOpen it here:\n{absolute(link)}\n\n"
        f"Why you got this email: {message.reason}.\n"
        f'To stop emails about "{message.category.label.lower()}", change your choices '
        f"here (they stay in your notifications list):\n{preferences}\n"
    )


def _emails_off(user_ids: list[int], category: Category) -> set[int]:
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(NotificationPreference.user_id).where(
                NotificationPreference.user_id.in_(user_ids),
                NotificationPreference.category == category,
                NotificationPreference.email.is_(False),
            )
        )
    )


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (for the header and the homes)."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def notifications_for(user: User, limit: int = 100) -> list[Notification]:
    """The user's own notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def load_notification(user: User, notification_id: int) -> Notification:
    """The user's own notification; anyone else's is missing."""
    note: Notification | None = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if note is None:
        raise RecordMissing(f"notification {notification_id}")
    return note


def open_notification(user: User, notification_id: int) -> str:
    """Mark the user's notification read and return the path it links to."""
    note = load_notification(user, notification_id)
    if note.read_at is None:
        note.read_at = utcnow()
    link = note.link
    db.session.commit()
    # Built by the app, but checked anyway: only ever a path on this site.
    return link if link.startswith("/") and not link.startswith("//") else "/home"


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    done = cast(
        CursorResult[tuple[()]],
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    db.session.commit()
    return int(done or 0)


def email_choices(user: User) -> dict[Category, bool]:
    """Whether the user wants emails of each category (yes unless turned off)."""
    off = set(
        db.session.scalars(
            select(NotificationPreference.category).where(
                NotificationPreference.user_id == user.id, NotificationPreference.email.is_(False)
            )
        )
    )
    return {category: category.value not in off for category in Category}


def set_email_choices(user: User, wanted: set[Category]) -> None:
    """Keep the user's choice of email categories (security emails are not among them)."""
    before = email_choices(user)
    rows = {
        row.category: row
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for category in Category:
        row = rows.get(category.value)
        if row is None:
            row = NotificationPreference(user_id=user.id, category=category.value)
            db.session.add(row)
        row.email = category in wanted
    after = {c.value: c in wanted for c in Category}
    if after != {c.value: on for c, on in before.items()}:
        audit.record(
            "user.email_choices",
            "user",
            user.id,
            before={c.value: on for c, on in before.items()},
            after=after,
            actor_id=user.id,
        )
    db.session.commit()
