"""Use cases of signing in and managing one's password; each writes its audit record."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from .. import audit, sessions
from ..extensions import db
from ..mail import send_email
from ..models import User
from ..models._types import utcnow
from . import tokens
from .passwords import hash_password, password_problem, verify_password
from .throttle import client_address, throttle

# Checking a password against this when the account does not exist keeps the time taken the
# same, so response times do not reveal which emails have accounts.
_DUMMY_HASH: dict[str, str] = {}


class PasswordRejected(ValueError):
    """The new password breaks the password policy; the message says how."""


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """Return the user with this email, if any."""
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def sign_in_allowed(email: str) -> bool:
    """Whether this email, from this address, may try again now (same answer for any email)."""
    return throttle().allowed(email, client_address())


def sign_in(email: str, password: str, draft: dict[str, Any] | None = None) -> User | None:
    """Check credentials and start a session; None (and the same message) whatever failed.

    ``draft`` is a form kept from a session that ended (``sessions.parse_draft``), handed to
    the new session so the page it belongs to can show it again.
    """
    user = find_user(email)
    if user is None:
        verify_password(_dummy_hash(), password)
        throttle().failed(email, client_address())
        audit.record("auth.sign_in_failed", "user", None, after={"reason": "unknown"})
        db.session.commit()
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        throttle().failed(email, client_address())
        audit.record("auth.sign_in_failed", "user", user.id, actor_id=user.id)
        db.session.commit()
        return None
    throttle().succeeded(email)
    sessions.start_session(user, draft)
    user.last_login_at = utcnow()
    audit.record("auth.sign_in", "user", user.id, actor_id=user.id)
    db.session.commit()
    return user


def sign_out() -> None:
    """End the current session on the server and in the cookie."""
    sessions.end_session()
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way (no enumeration)."""
    user = find_user(email)
    if user is None or not user.active or not user.password_hash:
        return
    link = url_for("auth.reset_password", token=tokens.make_token(user, tokens.RESET),
                   _external=True)
    send_email(
        user.email,
        "Reset your selfassess password",
        f"Hello {user.name},\n\nUse this link within 1 hour to choose a new password:\n{link}\n\n"
        "If you did not ask for this, you can ignore this email.",
    )
    audit.record("auth.reset_requested", "user", user.id, actor_id=user.id)
    db.session.commit()


def user_for_token(token: str, purpose: str) -> User | None:
    """Return the user a valid, unused link belongs to, else None."""
    data = tokens.read_token(token, purpose)
    if data is None:
        return None
    user = db.session.get(User, data[0])
    if user is None or not user.active or not tokens.token_matches(user, data[1]):
        return None
    if purpose == tokens.INVITE and user.password_hash:
        return None
    return user


def set_password(user: User, password: str, *, action: str) -> None:
    """Set a new password, end every other session and sign the user in afresh."""
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise PasswordRejected(problem)
    user.password_hash = hash_password(password)
    sessions.end_all_sessions(user.id)
    sessions.start_session(user)
    audit.record(action, "user", user.id, actor_id=user.id)
    db.session.commit()


def send_invitation(user: User) -> None:
    """Email an invited user a link to choose their password."""
    link = url_for("auth.accept_invitation", token=tokens.make_token(user, tokens.INVITE),
                   _external=True)
    send_email(
        user.email,
        "You have been invited to selfassess",
        f"Hello {user.name},\n\nYou have been given access to selfassess. Use this link within "
        f"7 days to choose your password and sign in:\n{link}\n",
    )




def _dummy_hash() -> str:
    from flask import current_app

    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = hash_password("not-a-real-password-x")
    return _DUMMY_HASH[method]
