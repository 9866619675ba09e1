"""Sign-in throttling per account and per address, with no account enumeration."""

from __future__ import annotations

import time
import uuid

from sqlalchemy import func, select

from selfassess.auth import database_limiter
from selfassess.extensions import db
from selfassess.models import ThrottleHit, UserSession
from tests.conftest import TEST_PASSWORD, build_app, csrf_token


def _attempt(client, email: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    page = client.get("/auth/sign-in")
    return client.post(
        "/auth/sign-in",
        headers=headers,
        data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
    )


def test_account_locks_after_five_failures_even_with_the_right_password(client, make_user):
    user = make_user()
    for _ in range(5):
        assert _attempt(client, user.email, "wrong password!").status_code == 200
    locked = _attempt(client, user.email, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.text
    assert db.session.scalar(select(UserSession.id)) is None


def test_unknown_and_known_accounts_lock_the_same_way(client, make_user):
    user = make_user()
    answers = []
    for email in (user.email, "nobody@example.nhs.uk"):
        for _ in range(5):
            _attempt(client, email, "wrong password!")
        response = _attempt(client, email, "wrong password!")
        answers.append((response.status_code, "Too many sign-in attempts" in response.text))
    assert answers == [(429, True), (429, True)]


def test_a_correct_password_clears_the_account_count(client, make_user):
    user = make_user()
    for _ in range(4):
        _attempt(client, user.email, "wrong password!")
    assert _attempt(client, user.email, TEST_PASSWORD).status_code == 302
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client.get("/home").text)})
    for _ in range(4):
        _attempt(client, user.email, "wrong password!")
    assert _attempt(client, user.email, TEST_PASSWORD).status_code == 302


def test_address_limit_holds_across_accounts_and_ignores_spoofed_forwarding(app, make_user):
    app.extensions["sign_in_throttle"].__init__(
        "memory://", app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], "3/15minutes"
    )
    client = app.test_client()
    user = make_user()
    for n in range(3):
        _attempt(
            client,
            f"guess{n}@example.nhs.uk",
            "wrong password!",
            **{"X-Forwarded-For": f"10.0.0.{n}"},
        )
    blocked = _attempt(client, user.email, TEST_PASSWORD, **{"X-Forwarded-For": "10.9.9.9"})
    assert blocked.status_code == 429


def test_redis_storage_shares_counts_between_app_servers(app, make_user):
    """Two app servers (two apps) on one Redis see each other's failed attempts."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    redis = {
        "SIGN_IN_LIMIT_STORAGE": "redis://127.0.0.1:6379",
        "SIGN_IN_LIMIT_PER_ACCOUNT": "2/15minutes",
    }
    first, second = build_app(url, **redis), build_app(url, **redis)
    email = f"shared-{uuid.uuid4().hex}@example.nhs.uk"
    with first.app_context():
        a = first.test_client()
        _attempt(a, email, "wrong password!")
    with second.app_context():
        b = second.test_client()
        _attempt(b, email, "wrong password!")
        assert _attempt(b, email, "wrong password!").status_code == 429
    for other in (first, second):
        with other.app_context():
            db.engine.dispose()


def test_counts_are_kept_in_the_database_by_default_under_digests_only(app, client, make_user):
    """The default store is the app's database (every worker shares it); a key is a digest, so
    neither the email nor the address is stored."""
    assert app.config["SIGN_IN_LIMIT_STORAGE"] == "database"
    user = make_user()
    for _ in range(2):
        _attempt(client, user.email, "wrong password!")
    keys = db.session.scalars(select(ThrottleHit.key)).all()
    assert len(keys) == 4  # two attempts, each against the account and the address
    assert all(len(key) == 64 and user.email not in key and "127.0.0.1" not in key for key in keys)


def test_two_app_servers_on_one_database_share_counts(app, make_user):
    """Two apps (two workers, two servers) on the same database see each other's failures."""
    email = make_user().email
    db.session.rollback()  # outside a request, SQLite would hold the write lock meanwhile
    second = build_app(app.config["SQLALCHEMY_DATABASE_URI"])
    a = app.test_client()
    for _ in range(3):
        _attempt(a, email, "wrong password!")
    with second.app_context():
        b = second.test_client()
        for _ in range(2):
            assert _attempt(b, email, "wrong password!").status_code == 200
        assert _attempt(b, email, TEST_PASSWORD).status_code == 429
        db.session.remove()
        db.engine.dispose()
    assert _attempt(a, email, TEST_PASSWORD).status_code == 429


def test_the_window_moves_and_old_attempts_are_deleted(app, client, make_user, monkeypatch):
    email = make_user().email
    for _ in range(5):
        _attempt(client, email, "wrong password!")
    assert _attempt(client, email, TEST_PASSWORD).status_code == 429
    now = time.time()
    monkeypatch.setattr(database_limiter.time, "time", lambda: now + 16 * 60)  # 5 per 15 min
    assert _attempt(client, email, TEST_PASSWORD).status_code == 302
    # Rows older than the longest window (an hour, for reset emails) go as new ones arrive.
    monkeypatch.setattr(database_limiter.time, "time", lambda: now + 61 * 60)
    assert _attempt(app.test_client(), "someone@example.nhs.uk", "wrong").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(ThrottleHit)) == 2
