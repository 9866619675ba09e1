"""Personal API tokens: made and revoked by their owner, checked on every API request.

A token is shown once, when made; only its SHA-256 digest is kept. It reaches at most what its
owner's grants reach at the moment of each request, narrowed to one alliance when the owner
chose so. Every creation and revocation is audited in the same transaction, and use is audited
as a summary (requests since the last summary, at most one event per token an hour), so the
trail shows which tokens are used without one row per request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import audit
from ..access import RecordMissing
from ..extensions import db
from ..models import Alliance, ApiToken, User
from ..models._types import utcnow

#: Tokens start with this, so secret scanners and people can recognise one.
TOKEN_PREFIX = "sa_"  # noqa: S105  # nosec B105 (a public marker, not a secret)
#: Lifetimes offered on the settings page, in days; nothing lives longer than a year.
LIFETIMES = (7, 30, 90, 365)
#: How often a token's use is summarised in the audit trail.
SUMMARY_EVERY = timedelta(hours=1)


class TokenRefused(ValueError):
    """A token cannot be made as asked (an alliance outside the user's grants, a bad lifetime)."""


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the secret to show once."""

    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def scope_choices(user: User) -> list[Alliance]:
    """The alliances the user holds any grant in: the narrower scopes a token may take."""
    ids = {g.alliance_id for g in user.grants if g.alliance_id is not None}
    if not ids:
        return []
    return list(
        db.session.scalars(select(Alliance).where(Alliance.id.in_(ids)).order_by(Alliance.name))
    )


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, marked as such)."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def create_token(user: User, name: str, alliance_id: int | None, days: int) -> NewToken:
    """Make a token for ``user`` and audit it; the secret is returned once and never stored."""
    if days not in LIFETIMES:
        raise TokenRefused("Choose how long the token lasts.")
    if alliance_id is not None and alliance_id not in {a.id for a in scope_choices(user)}:
        # Never more than the user holds: a posted id of another alliance is refused.
        raise TokenRefused("Choose one of your alliances.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=name.strip()[:80],
        digest=digest(secret),
        prefix=secret[:10],
        alliance_id=alliance_id,
        created_at=now,
        expires_at=now + timedelta(days=days),
        unaudited_uses=0,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token.created",
        "api_token",
        token.id,
        after={
            "name": token.name,
            "prefix": token.prefix,
            "alliance_id": alliance_id,
            "expires_at": token.expires_at.isoformat(),
        },
        alliance_id=alliance_id,
        actor_id=user.id,
    )
    db.session.commit()
    return NewToken(token, secret)


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; anyone else's is as good as missing."""
    token = db.session.execute(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    ).scalar_one_or_none()
    if token is None:
        raise RecordMissing("no such token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        _summarise(token, token.revoked_at)
        audit.record(
            "api_token.revoked",
            "api_token",
            token.id,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at.isoformat()},
            alliance_id=token.alliance_id,
            actor_id=user.id,
        )
        db.session.commit()
    return token


def live_token(secret: str) -> ApiToken | None:
    """The token with this secret if it may be used now: not revoked, not expired, and its
    owner's account active. Anything else is None, so every refusal looks the same."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.execute(
        select(ApiToken).where(ApiToken.digest == digest(secret))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    if not token.user.active:
        return None
    return token


def note_use(token: ApiToken, now: datetime | None = None) -> None:
    """Count one request; write the use summary when the last one is an hour old.

    Joins the caller's transaction (the request's rate-limit hit commits with it).
    """
    now = now or utcnow()
    token.last_used_at = now
    token.unaudited_uses += 1
    if token.summarised_at is None or now - token.summarised_at >= SUMMARY_EVERY:
        _summarise(token, now)


def _summarise(token: ApiToken, now: datetime) -> None:
    if not token.unaudited_uses:
        return
    audit.record(
        "api_token.used",
        "api_token",
        token.id,
        after={
            "requests": token.unaudited_uses,
            "since": (token.summarised_at or token.created_at).isoformat(),
            "until": now.isoformat(),
        },
        alliance_id=token.alliance_id,
        actor_id=token.user_id,
    )
    token.unaudited_uses = 0
    token.summarised_at = now
