"""Sign-in throttling per account and per network address, and a cap on reset emails.

Built on ``limits`` (the engine behind Flask-Limiter) rather than a route decorator, because only
*failed* attempts should count and the account key must be the typed email whether or not an
account exists (so a locked-out answer reveals nothing). Counts live in the app's database by
default (``SIGN_IN_LIMIT_STORAGE=database``), so every worker and app server shares them;
``redis://host:6379`` keeps them in Redis instead, and ``memory://`` in each process (a single
process only: two gunicorn workers would each allow the full limit).
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from .database_limiter import DatabaseLimiter

_KEY = "sign_in_throttle"
DATABASE = "database"


class Limiter(Protocol):
    """What the throttle needs of a limiter: ``limits``' own, or ``DatabaseLimiter``."""

    def test(self, item: RateLimitItem, *identifiers: str) -> bool: ...

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool: ...

    def clear(self, item: RateLimitItem, *identifiers: str) -> None: ...


class SignInThrottle:
    """Counts failed sign-ins and says when an account or address must wait."""

    def __init__(
        self,
        storage_uri: str,
        per_account: str,
        per_address: str,
        per_reset: str = "3/hour",
        also: tuple[str, ...] = (),
    ) -> None:
        self.per_account: RateLimitItem = parse(per_account)
        self.per_address: RateLimitItem = parse(per_address)
        self.per_reset: RateLimitItem = parse(per_reset)
        self._limiter: Limiter
        if storage_uri == DATABASE:
            # The database limiter forgets every key's hits older than its horizon, so the
            # horizon covers every limit kept in the table: sign-in's and those in ``also``
            # (the API's), or API traffic would wipe sign-in failures still being counted.
            items = (self.per_account, self.per_address, self.per_reset, *map(parse, also))
            self._limiter = DatabaseLimiter(max(i.get_expiry() for i in items))
        else:
            self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    @property
    def limiter(self) -> Limiter:
        """The shared limiter itself, for other limits kept in the same storage (API tokens)."""
        return self._limiter

    def allowed(self, email: str, address: str) -> bool:
        """Whether another attempt may be checked for this email from this address."""
        return self._limiter.test(
            self.per_account, "account", _digest(email)
        ) and self._limiter.test(self.per_address, "address", address)

    def failed(self, email: str, address: str) -> None:
        """Record a failed attempt against both the account and the address."""
        self._limiter.hit(self.per_account, "account", _digest(email))
        self._limiter.hit(self.per_address, "address", address)

    def succeeded(self, email: str) -> None:
        """A correct password clears the account's count (the address keeps its count)."""
        self._limiter.clear(self.per_account, "account", _digest(email))

    def reset_email_allowed(self, email: str) -> bool:
        """Count one reset email to this account; False once the account has had its share."""
        return self._limiter.hit(self.per_reset, "reset", _digest(email))


def _digest(email: str) -> str:
    # Keys never hold the email itself (it would sit in Redis or the database in clear).
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def init_app(app: Flask) -> None:
    """Create the app's throttle from its configuration."""
    app.extensions[_KEY] = SignInThrottle(
        app.config["SIGN_IN_LIMIT_STORAGE"],
        app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
        app.config["SIGN_IN_LIMIT_PER_ADDRESS"],
        app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"],
        also=(app.config["API_RATE_LIMIT"], app.config["API_BAD_TOKEN_LIMIT"]),
    )


def throttle() -> SignInThrottle:
    """The current app's throttle."""
    return current_app.extensions[_KEY]


def client_address() -> str:
    """The caller's address (behind a proxy, ProxyFix with PROXY_COUNT sets it correctly)."""
    return request.remote_addr or "unknown"
