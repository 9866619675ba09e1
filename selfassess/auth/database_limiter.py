"""A moving-window rate limiter kept in the app's database, so every worker shares its counts.

``limits`` (behind Flask-Limiter) keeps counts in memory, Redis, memcached or MongoDB; in memory
each gunicorn worker counts alone, so two workers let ten wrong passwords through a limit of
five (issue #13, finding 7). This offers the same three calls as ``limits``' limiters (``test``,
``hit``, ``clear``) over one table, on SQLite and PostgreSQL alike, with no server to run.

Writes join the caller's transaction: the services that count an attempt commit it together
with its audit event.
"""

from __future__ import annotations

import hashlib
import time

from limits import RateLimitItem
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import ThrottleHit


class DatabaseLimiter:
    """Counts hits per key over a moving window in the ``throttle_hit`` table."""

    def __init__(self, horizon_seconds: int) -> None:
        #: Hits older than this count for no limit and are deleted as new ones arrive.
        self.horizon = horizon_seconds

    def test(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Whether one more hit would still be within ``item``."""
        return self._count(item, _key(identifiers)) < item.amount

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count a hit if it is within ``item``; False (and nothing counted) if it is not."""
        key = _key(identifiers)
        if self._count(item, key) >= item.amount:
            return False
        now = time.time()
        db.session.execute(delete(ThrottleHit).where(ThrottleHit.at < now - self.horizon))
        db.session.add(ThrottleHit(key=key, at=now))
        db.session.flush()
        return True

    def clear(self, item: RateLimitItem, *identifiers: str) -> None:
        """Forget every hit of this key."""
        db.session.execute(delete(ThrottleHit).where(ThrottleHit.key == _key(identifiers)))

    @staticmethod
    def _count(item: RateLimitItem, key: str) -> int:
        since = time.time() - item.get_expiry()
        return (
            db.session.scalar(
                select(func.count())
                .select_from(ThrottleHit)
                .where(ThrottleHit.key == key, ThrottleHit.at > since)
            )
            or 0
        )


def _key(identifiers: tuple[str, ...]) -> str:
    # Addresses are personal data too: only digests are stored.
    return hashlib.sha256("/".join(identifiers).encode()).hexdigest()
