"""Signed, expiring links for invitations and password resets.

Each token names the user and a fingerprint of the current password hash and security stamp, so
it stops working as soon as it has been used (the hash changes), cannot be replayed, and dies
with a deactivation even if the account is reactivated before it would expire (the stamp changes).
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..models import User

INVITE = "invite"
RESET = "reset"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"selfassess-{purpose}")


def _fingerprint(user: User) -> str:
    secret = user.password_hash or ""
    if user.security_stamp:
        secret += "|" + user.security_stamp
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def new_security_stamp() -> str:
    """A fresh random stamp: every link issued before it stops working."""
    return secrets.token_hex(16)


def make_token(user: User, purpose: str) -> str:
    """Sign a token for ``user`` for one purpose (invite or reset)."""
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read_token(token: str, purpose: str) -> tuple[int, str] | None:
    """Return (user id, fingerprint) from a valid, unexpired token, else None."""
    max_age = current_app.config[f"TOKEN_MAX_AGE_{purpose.upper()}"]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("f", ""))


def token_matches(user: User, fingerprint: str) -> bool:
    """Say whether a token's fingerprint still matches the user's password state."""
    return fingerprint == _fingerprint(user)
