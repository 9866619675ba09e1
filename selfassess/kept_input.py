"""Typed input kept across an ended session, offered back only to the person who typed it.

A form posted after its session ended is shown again once its author signs in
(``access.keeps_typed_input``). A cross-site form arrives the same way, without the SameSite=Lax
cookie, so "no session" alone must never be enough to keep a draft (issue #13). A draft is
kept only when the POST proves it came from a page of the session that ended:

* the browser's own cookie still names the ended session's user and holds its CSRF secret
  (``sessions.ended_session``), and the form's CSRF token verifies against that secret, which
  a page of another site cannot know;
* ``Sec-Fetch-Site`` and ``Origin``, when the browser sends them, say same-origin.

The draft then travels through the sign-in page as plain JSON (the person's own typing), sealed
with the app's secret to that user; ``sessions.start_session`` keeps it only for them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import current_app, request
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import ValidationError

from . import sessions

_SALT = "selfassess.kept-input"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)  # type: ignore[arg-type]


def _digest(path: str, fields: dict[str, Any]) -> str:
    text = json.dumps([path, fields], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draft_from_ended_session() -> str | None:
    """The sealed draft of this POST's fields, or None unless it proves where it came from."""
    owner = _proven_owner()
    if owner is None:
        return None
    fields = {name: request.form.getlist(name) for name in request.form if name != _csrf_field()}
    return seal(request.path, fields, owner)


def _proven_owner() -> int | None:
    """The user whose ended session this POST's form was a page of, if it proves it."""
    if not _same_origin():
        return None
    ended = sessions.ended_session()
    if ended is None:
        return None
    try:
        validate_csrf(request.form.get(_csrf_field()), token_key=sessions.ENDED_CSRF_KEY)
    except ValidationError:
        return None
    return ended


def _same_origin() -> bool:
    # Browsers that send fetch metadata say where a form came from; older ones send neither
    # header and rely on the CSRF check alone. Under our ``Referrer-Policy: no-referrer``
    # Chromium sends ``Origin: null`` even for our own forms, so "null" says nothing either way.
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    return origin in (None, "null") or origin == request.host_url.rstrip("/")


def _csrf_field() -> str:
    return str(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))


def seal(path: str, fields: dict[str, list[str]], owner: int) -> str:
    """The hidden ``draft`` value: the fields as JSON, with a seal binding them to ``owner``."""
    stamp = _serializer().dumps({"owner": owner, "digest": _digest(path, fields)})
    return json.dumps({"path": path, "fields": fields, "seal": stamp})


def open_draft(text: str | None) -> dict[str, Any] | None:
    """Read a kept form back from the sign-in page: ``{"path", "fields", "owner"}``.

    Anything unsealed, changed since sealing, older than a session may last or malformed is
    dropped. The page that restores it still checks access and validates every value.
    """
    try:
        data = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    path, fields, stamp = data.get("path"), data.get("fields"), data.get("seal")
    if (
        not isinstance(path, str)
        or not path.startswith("/")
        or not isinstance(fields, dict)
        or not isinstance(stamp, str)
    ):
        return None
    # Whole seconds, like the seal's timestamp (so the cut-off falls where it did with a float).
    max_age = int(current_app.permanent_session_lifetime.total_seconds())
    try:
        sealed = _serializer().loads(stamp, max_age=max_age)
    except BadData:
        return None
    if (
        not isinstance(sealed, dict)
        or sealed.get("digest") != _digest(path, fields)
        or not isinstance(sealed.get("owner"), int)
    ):
        return None
    clean = {
        name: [v for v in values if isinstance(v, str)]
        for name, values in fields.items()
        if isinstance(name, str) and isinstance(values, list) and name != _csrf_field()
    }
    clean = {name: values for name, values in clean.items() if values}
    if not clean:  # nothing usable: show the page as stored, not an empty "kept" form
        return None
    return {"path": path, "fields": clean, "owner": sealed["owner"]}
