"""Use cases of signing in and managing one's password; each writes its audit record."""

from __future__ import annotations

import time
from typing import Any

from flask import g, session, url_for
from sqlalchemy import select

from .. import after_response, audit, sessions
from ..extensions import db
from ..mail import send_email
from ..models import User
from ..models._types import utcnow
from . import tokens, two_factor
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

    ``draft`` is a form kept from a session that ended (``kept_input.open_draft``), handed to
    the new session so the page it belongs to can show it again.
    """
    found = find_user(email)
    account = (found.id, found.password_hash, found.active) if found is not None else None
    # Checking a password takes a few hundred milliseconds by design. End the transaction
    # first, so no database lock is held meanwhile (on SQLite, POSTs take the write lock up
    # front; holding it through the hash made every other sign-in and save wait).
    db.session.rollback()
    if account is None:
        verify_password(_dummy_hash(), password)
        throttle().failed(email, client_address())
        audit.record("auth.sign_in_failed", "user", None, after={"reason": "unknown"})
        db.session.commit()
        return None
    user_id, password_hash, active = account
    if not verify_password(password_hash, password) or not active:
        throttle().failed(email, client_address())
        audit.record("auth.sign_in_failed", "user", user_id, actor_id=user_id)
        db.session.commit()
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.password_hash != password_hash:
        return None  # changed while the password was being checked: try again
    throttle().succeeded(email)
    if user.totp_secret:
        # The password was right; the session starts only once the code is right too.
        session.clear()
        g.pop("csrf_token", None)  # Flask-WTF caches the old token per request: make a new one
        session[PENDING_KEY] = {"uid": user.id, "at": int(time.time())}
        audit.record("auth.password_accepted", "user", user.id, actor_id=user.id)
        db.session.commit()
        raise SecondFactorNeeded
    _start(user, draft)
    return user


def _start(user: User, draft: dict[str, Any] | None) -> None:
    sessions.start_session(user, draft)
    user.last_login_at = utcnow()
    audit.record("auth.sign_in", "user", user.id, actor_id=user.id)
    db.session.commit()


class SecondFactorNeeded(Exception):
    """The password was right and the account has a second factor: ask for its code."""


#: Where a half-finished sign-in waits for its code (the cookie session, signed).
PENDING_KEY = "pending_second_factor"
PENDING_SECONDS = 300


def pending_second_factor() -> User | None:
    """The user whose password was accepted in this browser in the last five minutes."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("uid"))
    return user if user is not None and user.active and user.totp_secret else None


def complete_second_factor(code: str, draft: dict[str, Any] | None = None) -> User | None:
    """Check the code of the pending sign-in; start the session if it is right. Failures count
    against the account like wrong passwords (a separate count, so a known password cannot be
    used to guess codes quickly)."""
    user = pending_second_factor()
    if user is None or user.totp_secret is None:
        return None
    key = f"totp:{user.email}"
    if not throttle().allowed(key, client_address()):
        raise TooManyAttempts
    step = two_factor.accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        throttle().failed(key, client_address())
        audit.record("auth.second_factor_failed", "user", user.id, actor_id=user.id)
        db.session.commit()
        return None
    throttle().succeeded(key)
    user.totp_last_step = step
    _start(user, draft)
    return user


class TooManyAttempts(Exception):
    """Too many wrong codes for this account: wait before trying again."""


def enable_second_factor(user: User, secret: str, code: str) -> bool:
    """Turn on the second factor once the user proves their app shows the right codes."""
    step = two_factor.accepted_step(secret, code, None)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = secret, step
    audit.record("auth.second_factor_enabled", "user", user.id, actor_id=user.id)
    db.session.commit()
    return True


def disable_second_factor(user: User, code: str) -> bool:
    """Turn the second factor off; a current code is needed, so a left-open session is not
    enough to remove it."""
    if user.totp_secret is None:
        return True
    step = two_factor.accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = None, None
    audit.record("auth.second_factor_disabled", "user", user.id, actor_id=user.id)
    db.session.commit()
    return True


def sign_out() -> None:
    """End the current session on the server and in the cookie."""
    sessions.end_session()
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way (no enumeration).

    The request does the same for every email: the account is looked up, counted and emailed
    only after the answer has gone (``after_response``), so its timing reveals nothing.
    """
    after_response.defer(_send_reset_link, normalise_email(email))


def _send_reset_link(email: str) -> None:
    """Send the link, unless the account has had its share of reset emails this hour."""
    user = find_user(email)
    if user is None or not user.active or not user.password_hash:
        return
    if not throttle().reset_email_allowed(email):
        audit.record("auth.reset_limited", "user", user.id, actor_id=user.id)
        db.session.commit()
        return
    link = url_for(
        "auth.reset_password", token=tokens.make_token(user, tokens.RESET), _external=True
    )
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
    """Set a new password, end every other session and sign the user in afresh (unless the
    account has a second factor: then they sign in with the new password and a code)."""
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise PasswordRejected(problem)
    user_id = user.id
    db.session.rollback()  # no lock held while hashing (see ``sign_in``)
    hashed = hash_password(password)
    user = db.session.get(User, user_id)  # type: ignore[assignment]
    user.password_hash = hashed
    sessions.end_all_sessions(user.id)
    if not user.totp_secret:  # with a second factor, a reset link alone never signs anyone in
        sessions.start_session(user)
    audit.record(action, "user", user.id, actor_id=user.id)
    db.session.commit()


def _dummy_hash() -> str:
    from flask import current_app

    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = hash_password("not-a-real-password-x")
    return _DUMMY_HASH[method]
