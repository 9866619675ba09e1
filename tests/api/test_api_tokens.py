"""Personal API tokens: made on the settings page and shown once, stored as digests, narrowed,
expiring, revocable, audited and rate-limited. Each attack is tried for real."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.api import tokens
from selfassess.auth import database_limiter
from selfassess.extensions import db
from selfassess.models import ApiToken, AuditEvent, ThrottleHit
from selfassess.models._types import utcnow
from tests.conftest import TEST_PASSWORD, build_app, csrf_token

SECRET = re.compile(r"sa_[A-Za-z0-9_-]{40,}")


def _make_on_page(client, name="BI tool", alliance="", days="30"):
    page = client.get("/settings/api-tokens/")
    assert page.status_code == 200
    return client.post(
        "/settings/api-tokens/",
        data={
            "name": name,
            "alliance": alliance,
            "days": days,
            "csrf_token": csrf_token(page.text),
        },
    )


def test_a_token_is_shown_once_and_stored_only_as_a_digest(
    client, login, make_user, make_alliance, api_get
):
    user = make_user(("coordinator", make_alliance()))
    login(user)
    made = _make_on_page(client)
    assert made.status_code == 200
    secret = SECRET.search(made.text).group(0)
    row = db.session.scalars(select(ApiToken)).one()
    assert row.digest == tokens.digest(secret) and secret not in (row.digest, row.prefix)
    assert secret.startswith(row.prefix) and len(row.prefix) < 16
    again = client.get("/settings/api-tokens/")
    assert secret not in again.text and row.prefix in again.text
    assert api_get("/api/v1/me", secret).json["token"]["prefix"] == row.prefix
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.created"))
    event = created.one()
    assert event.actor_id == user.id and secret not in str(event.after)


def test_a_token_cannot_be_narrowed_to_an_alliance_outside_the_users_grants(
    client, login, make_user, make_alliance
):
    mine, theirs = make_alliance(), make_alliance()
    login(make_user(("coordinator", mine)))
    refused = _make_on_page(client, alliance=str(theirs.id))
    assert refused.status_code == 200
    assert "There is a problem" in refused.text and not SECRET.search(refused.text)
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    with_grant = _make_on_page(client, alliance=str(mine.id))
    assert SECRET.search(with_grant.text)
    assert db.session.scalars(select(ApiToken.alliance_id)).one() == mine.id
    # The service refuses it too, whatever form sent it, and any lifetime not offered.
    user = db.session.scalars(select(ApiToken)).one().user
    for alliance_id, days in ((theirs.id, 30), (mine.id, 3650)):
        try:
            tokens.create_token(user, "forged", alliance_id, days)
        except tokens.TokenRefused:
            continue
        raise AssertionError("a token beyond the user's grants or lifetimes was made")


def test_a_revoked_token_stops_at_once_and_only_its_owner_can_revoke_it(
    app, client, login, make_user, make_alliance, make_token, api_get
):
    alliance = make_alliance()
    owner, other = make_user(("coordinator", alliance)), make_user(("coordinator", alliance))
    secret = make_token(owner)
    token_id = db.session.scalars(select(ApiToken.id)).one()
    assert api_get("/api/v1/alliances", secret).status_code == 200
    login(other)  # another user of the same alliance: as good as missing
    page = client.get("/settings/api-tokens/")
    refused = client.post(
        f"/settings/api-tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page.text)}
    )
    assert refused.status_code == 404
    assert api_get("/api/v1/alliances", secret).status_code == 200
    owner_client = app.test_client()
    page = owner_client.get("/auth/sign-in")
    owner_client.post(
        "/auth/sign-in",
        data={"email": owner.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    page = owner_client.get("/settings/api-tokens/")
    form = BeautifulSoup(page.text, "html.parser").find(
        "form", action=f"/settings/api-tokens/{token_id}/revoke"
    )
    assert form is not None
    done = owner_client.post(form["action"], data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 302
    answer = api_get("/api/v1/alliances", secret)
    assert answer.status_code == 401
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-1] == "api_token.revoked" and "api_token.used" in actions


def test_expired_tokens_and_deactivated_owners_are_refused_like_unknown_tokens(
    make_user, make_alliance, make_token, api_get
):
    user = make_user(("coordinator", make_alliance()))
    secret = make_token(user, days=7)
    assert api_get("/api/v1/me", secret).status_code == 200
    token = db.session.scalars(select(ApiToken)).one()
    token.created_at = utcnow() - timedelta(days=9)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = api_get("/api/v1/me", secret)
    unknown = api_get("/api/v1/me", "sa_" + "x" * 43)
    assert expired.status_code == unknown.status_code == 401
    assert expired.json["detail"] == unknown.json["detail"]
    fresh = make_token(user)
    user.active = False
    db.session.commit()
    assert api_get("/api/v1/me", fresh).status_code == 401


def test_a_session_cookie_never_opens_the_api(client, login, make_user, make_alliance):
    login(make_user(("coordinator", make_alliance())))
    assert client.get("/home").status_code in (200, 302)
    answer = client.get("/api/v1/alliances")
    assert answer.status_code == 401
    assert answer.json["status"] == 401


def test_use_is_audited_as_an_hourly_summary(make_user, make_alliance, make_token, api_get):
    secret = make_token(make_user(("coordinator", make_alliance())))
    for _ in range(3):
        assert api_get("/api/v1/me", secret).status_code == 200
    token = db.session.scalars(select(ApiToken)).one()
    used = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.used")).all()
    assert [e.after["requests"] for e in used] == [1]  # the first use; the rest wait an hour
    assert token.unaudited_uses == 2 and token.last_used_at is not None
    tokens.note_use(token, utcnow() + timedelta(hours=1, minutes=1))
    db.session.commit()
    used = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.used")).all()
    assert [e.after["requests"] for e in used] == [1, 3]


def test_requests_are_limited_per_token_in_the_shared_database_storage(
    app, make_user, make_alliance
):
    other = build_app(app.config["SQLALCHEMY_DATABASE_URI"], API_RATE_LIMIT="3/minute")
    user = make_user(("coordinator", make_alliance()))
    secret = tokens.create_token(user, "busy", None, 30).secret
    db.session.rollback()
    with other.app_context():
        client = other.test_client()
        headers = {"Authorization": f"Bearer {secret}"}
        assert [client.get("/api/v1/me", headers=headers).status_code for _ in range(4)] == [
            200,
            200,
            200,
            429,
        ]
        limited = client.get("/api/v1/me", headers=headers)
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert limited.headers["Content-Type"] == "application/problem+json"
        # A second app server on the same database shares the count.
        second = build_app(app.config["SQLALCHEMY_DATABASE_URI"], API_RATE_LIMIT="3/minute")
        with second.app_context():
            assert second.test_client().get("/api/v1/me", headers=headers).status_code == 429
            db.session.remove()
            db.engine.dispose()
        keys = db.session.scalars(select(ThrottleHit.key)).all()
        assert len(keys) == 3 and all(secret not in k and len(k) == 64 for k in keys)
        db.session.remove()
        db.engine.dispose()


def test_guessing_tokens_is_limited_per_address(app, make_user, make_alliance):
    other = build_app(app.config["SQLALCHEMY_DATABASE_URI"], API_BAD_TOKEN_LIMIT="3/15minutes")
    secret = tokens.create_token(make_user(("coordinator", make_alliance())), "t", None, 30).secret
    db.session.rollback()
    with other.app_context():
        client = other.test_client()
        guesses = [
            client.get("/api/v1/me", headers={"Authorization": f"Bearer sa_guess{i}"}).status_code
            for i in range(4)
        ]
        assert guesses == [401, 401, 401, 429]
        # From that address even the right token waits: guessing cannot continue alongside.
        right = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        assert right.status_code == 429
        db.session.remove()
        db.engine.dispose()


def test_api_traffic_keeps_sign_in_failures_counted(client, make_user, make_token, monkeypatch):
    """One table holds every limit: the API's short windows must not delete sign-in failures
    still inside their own 15-minute window."""
    user = make_user()
    page = client.get("/auth/sign-in")
    for _ in range(5):
        client.post(
            "/auth/sign-in",
            data={"email": user.email, "password": "wrong!", "csrf_token": csrf_token(page.text)},
        )
    now = time.time()
    monkeypatch.setattr(database_limiter.time, "time", lambda: now + 10 * 60)
    secret = make_token(user)
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )
    page = client.get("/auth/sign-in")
    locked = client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert locked.status_code == 429


def test_concurrent_requests_never_fail_on_the_write_they_start_with(app, make_user, make_alliance):
    """Each request writes its limiter hit and use count before reading; on SQLite a read that
    upgrades to a write fails at once under concurrency, so that write starts IMMEDIATE."""
    import threading

    secret = tokens.create_token(make_user(("coordinator", make_alliance())), "t", None, 30).secret
    db.session.rollback()
    server = build_app(app.config["SQLALCHEMY_DATABASE_URI"])
    statuses: list[int] = []

    def worker() -> None:
        with server.app_context():
            client = server.test_client()
            for _ in range(8):
                answer = client.get(
                    "/api/v1/alliances", headers={"Authorization": f"Bearer {secret}"}
                )
                statuses.append(answer.status_code)
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with server.app_context():
        db.engine.dispose()
    assert statuses == [200] * 32
