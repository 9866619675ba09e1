"""Sign-in throttling per account and per address, with no account enumeration."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import UserSession
from tests.conftest import TEST_PASSWORD, build_app, csrf_token


def _attempt(client, email: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    page = client.get("/auth/sign-in")
    return client.post("/auth/sign-in", headers=headers, data={
        "email": email, "password": password, "csrf_token": csrf_token(page.text)})


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
        "memory://", app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], "3/15minutes")
    client = app.test_client()
    user = make_user()
    for n in range(3):
        _attempt(client, f"guess{n}@example.nhs.uk", "wrong password!",
                 **{"X-Forwarded-For": f"10.0.0.{n}"})
    blocked = _attempt(client, user.email, TEST_PASSWORD, **{"X-Forwarded-For": "10.9.9.9"})
    assert blocked.status_code == 429


def test_redis_storage_shares_counts_between_app_servers(app, make_user):
    """Two app servers (two apps) on one Redis see each other's failed attempts."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    redis = {"SIGN_IN_LIMIT_STORAGE": "redis://127.0.0.1:6379",
             "SIGN_IN_LIMIT_PER_ACCOUNT": "2/15minutes"}
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
