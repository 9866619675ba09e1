"""Signed-in sessions kept on the server, so that signing out (or revocation) really ends them.

The Flask cookie carries the user id, a random session id and the time of the last request. The
session id must match a ``user_session`` row: deleting the row ends the session even for someone
holding a copy of the cookie. Idle time is checked from the signed cookie, so reading a page never
writes to the database.
"""

from __future__ import annotations

import functools
import secrets
import time
from typing import Any

from flask import Flask, Response, current_app, request, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import contains_eager

from .extensions import db, login_manager
from .models import User, UserSession
from .security import LONG_CACHED_ENDPOINTS


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left out of public, long-cached asset responses.

    A shared cache may keep such a response and hand it to someone else, so it must carry no
    ``Set-Cookie``; varying on ``Cookie`` would also defeat its cache lifetime. Flask refreshes
    a permanent session's cookie on every response unless told otherwise.
    """

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if is_asset_request():
            return
        super().save_session(app, session, response)


def is_asset_request() -> bool:
    """Whether this request fetches a public asset (the session plays no part in it)."""
    return request.endpoint in LONG_CACHED_ENDPOINTS


def init_app(app: Flask) -> None:
    """Configure Flask-Login to load users through their server-side session."""
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # our own session rows do this job
    login_manager.user_loader(_load_user)
    app.session_interface = _SessionInterface()

    @app.after_request
    def _touch(response: Response) -> Response:
        # Fetching a script or a style sheet is not activity: only pages keep a session alive.
        if not is_asset_request() and "sid" in session:
            session["seen"] = int(time.time())
        return response


def _load_user(user_id: str) -> User | None:
    sid = session.get("sid")
    seen = session.get("seen", 0)
    if not sid or not user_id.isdigit():
        return None
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    if time.time() - seen > idle:
        _clear_remembering_end(int(user_id))
        return None
    row = (
        db.session.execute(_session_query(), {"sid": sid, "user_id": int(user_id)})
        .unique()
        .scalar_one_or_none()
    )
    if row is None:
        _clear_remembering_end(int(user_id))
        return None
    return row.user


@functools.cache
def _session_query() -> Any:
    """One query for the session, its user and the user's grants, which every request runs:
    built once per process (building it costs more CPU than running it)."""
    return (
        select(UserSession)
        .join(User)
        .where(
            UserSession.id == bindparam("sid"),
            UserSession.user_id == bindparam("user_id"),
            User.active.is_(True),
        )
        .options(contains_eager(UserSession.user).joinedload(User.grants))
    )


#: Where the cookie keeps the user and the CSRF secret of a session that ended (``kept_input``).
ENDED_USER_KEY = "ended_user"
ENDED_CSRF_KEY = "ended_csrf"


def _clear_remembering_end(user_id: int) -> None:
    """Clear the cookie session, keeping which user's session ended and its CSRF secret.

    A form that a page of the ended session still shows carries a token made from that secret;
    a form from another site cannot (``kept_input``). Signing in clears both.
    """
    secret = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    session.clear()
    if isinstance(secret, str):
        session[ENDED_USER_KEY] = user_id
        session[ENDED_CSRF_KEY] = secret


def ended_session() -> int | None:
    """The user whose session ended in this browser, if the cookie remembers one."""
    user_id = session.get(ENDED_USER_KEY)
    if not isinstance(user_id, int) or not isinstance(session.get(ENDED_CSRF_KEY), str):
        return None
    return user_id


def start_session(user: User, draft: dict[str, Any] | None = None) -> None:
    """Sign ``user`` in with a fresh session id (the old cookie session is discarded).

    ``draft`` is a form someone was sending when their previous session ended
    (``kept_input.open_draft``); it is kept with the new session until the page it belongs to
    shows it, and only if it was sealed for this very user.
    """
    session.clear()
    sid = secrets.token_urlsafe(32)
    kept = None
    if draft is not None and draft.get("owner") == user.id:
        kept = {"path": draft["path"], "fields": draft["fields"]}
    db.session.add(UserSession(id=sid, user_id=user.id, draft=kept))
    session.permanent = True
    session["sid"] = sid
    session["seen"] = int(time.time())
    login_user(user)


def end_session() -> None:
    """Sign out: delete the server-side row, then clear the cookie session."""
    sid = session.get("sid")
    if sid:
        db.session.execute(delete(UserSession).where(UserSession.id == sid))
    user_id = current_user.id if current_user.is_authenticated else None
    logout_user()
    if user_id is None:
        session.clear()
    else:
        _clear_remembering_end(user_id)  # a form still open in another tab can be kept


def end_all_sessions(user_id: int) -> None:
    """Revoke every session of a user (after a password reset, deactivation or role change)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def pop_draft(path: str) -> dict[str, list[str]] | None:
    """The form kept for ``path`` when the user signed in again, removed once shown."""
    sid = session.get("sid")
    if not sid:
        return None
    row = db.session.get(UserSession, sid)
    if row is None or not row.draft or row.draft.get("path") != path:
        return None
    fields: dict[str, list[str]] = row.draft["fields"]
    row.draft = None
    db.session.commit()
    return fields
