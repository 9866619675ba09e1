"""Invitations, password reset and deactivation: one-use expiring links, sessions that end.

Emails are read back from the outbox table, exactly as a person would follow the link in them.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from selfassess.auth import tokens
from selfassess.config import build_config
from selfassess.extensions import db
from selfassess.models import AuditEvent, OutboxEmail, User, UserSession
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.stable_page import stable

NEW_PASSWORD = "purple kettle marching slowly"
LINK = re.compile(r"https?://[^/\s]+(/auth/(?:accept-invitation|reset-password)/\S+)")
USED_OR_EXPIRED = "This link has expired or was already used"


def _sign_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> Any:
    page = client.get("/auth/sign-in")
    return client.post(
        "/auth/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
    )


def _emails_to(recipient: str) -> list[OutboxEmail]:
    return list(
        db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.recipient == recipient).order_by(OutboxEmail.id)
        )
    )


def _link_in_last_email(recipient: str) -> str:
    emails = _emails_to(recipient)
    assert emails, f"no email to {recipient}"
    match = LINK.search(emails[-1].body)
    assert match, emails[-1].body
    return match.group(1)


def _user(email: str) -> User:
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def _sessions_of(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id)
    )


def _events(action: str, entity_id: int | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def _choose(client: FlaskClient, path: str, password: str, confirm: str | None = None) -> Any:
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return client.post(
        path,
        data={
            "password": password,
            "confirm": password if confirm is None else confirm,
            "csrf_token": csrf_token(page.text),
        },
    )


@pytest.fixture
def admin(client, make_user) -> User:
    user = make_user(("site_admin", None))
    assert _sign_in(client, user.email).status_code == 302
    return user


# Links made before role invitations (accounts created without a password)


def _token_made_ago(user: User, purpose: str, seconds: int, monkeypatch) -> str:
    """A genuine token for ``user``, signed as if ``seconds`` ago."""
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - seconds)
        return tokens.make_token(user, purpose)


@pytest.mark.parametrize(
    ("purpose", "path", "max_age"),
    [
        (tokens.INVITE, "/auth/accept-invitation/", 7 * 24 * 3600),
        (tokens.RESET, "/auth/reset-password/", 3600),
    ],
)
def test_links_expire_after_their_configured_age(
    app, make_user, monkeypatch, purpose, path, max_age
):
    assert app.config[f"TOKEN_MAX_AGE_{purpose.upper()}"] == max_age
    user = make_user(password_hash=None) if purpose == tokens.INVITE else make_user()
    browser = app.test_client()

    fresh_enough = path + _token_made_ago(user, purpose, max_age - 60, monkeypatch)
    assert browser.get(fresh_enough).status_code == 200

    expired = path + _token_made_ago(user, purpose, max_age + 60, monkeypatch)
    response = browser.get(expired)
    assert response.status_code == 400
    assert USED_OR_EXPIRED in response.text
    refused = browser.post(
        expired,
        data={
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(browser.get(fresh_enough).text),
        },
    )
    assert refused.status_code == 400
    assert _user(user.email).password_hash == user.password_hash


@pytest.mark.parametrize("token", ["", "garbage", "eyJ1IjoxfQ.tampered.signature"])
def test_malformed_links_are_refused(app, token):
    browser = app.test_client()
    for path in (f"/auth/accept-invitation/{token}", f"/auth/reset-password/{token}"):
        response = browser.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert "Traceback" not in response.text


def test_invite_token_cannot_be_used_as_reset_token(app, make_user):
    user = make_user(password_hash=None)
    token = tokens.make_token(user, tokens.INVITE)
    assert app.test_client().get(f"/auth/reset-password/{token}").status_code == 400


# Password reset


def _forgot(client: FlaskClient, email: str) -> Any:
    page = client.get("/auth/forgot-password")
    return client.post(
        "/auth/forgot-password", data={"email": email, "csrf_token": csrf_token(page.text)}
    )


@pytest.mark.parametrize("other", ["unknown", "invited", "deactivated"])
def test_forgot_password_does_not_reveal_which_accounts_exist(app, make_user, other):
    known = make_user(email="known.person@example.nhs.uk")
    other_email = "other.person@example.nhs.uk"
    if other == "invited":
        make_user(email=other_email, password_hash=None)
    elif other == "deactivated":
        make_user(email=other_email, active=False)

    known_response = _forgot(app.test_client(), known.email)
    other_response = _forgot(app.test_client(), other_email)

    assert known_response.status_code == other_response.status_code == 200
    assert "Check your email" in known_response.text
    assert stable(known_response.text.replace(known.email, "EMAIL")) == stable(
        other_response.text.replace(other_email, "EMAIL")
    )
    assert set(known_response.headers.keys()) == set(other_response.headers.keys())
    assert len(_emails_to(known.email)) == 1
    assert _emails_to(other_email) == []
    [requested] = _events("auth.reset_requested")
    assert requested.entity_id == known.id


def test_password_reset_sets_the_password_and_ends_every_other_session(
    app, make_user, make_alliance
):
    alliance = make_alliance(slug="reset-x")
    user = make_user(("coordinator", alliance))
    other_device = app.test_client()
    assert _sign_in(other_device, user.email).status_code == 302
    assert other_device.get("/alliances/reset-x/").status_code == 200

    browser = app.test_client()
    assert _forgot(browser, user.email).status_code == 200
    [email] = _emails_to(user.email)
    assert email.subject == "Reset your selfassess password"
    link = _link_in_last_email(user.email)
    assert link.startswith("/auth/reset-password/")

    page = browser.get(link)
    assert page.status_code == 200
    assert "Choose a new password" in page.text
    response = _choose(browser, link, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")

    assert browser.get("/alliances/reset-x/").status_code == 200  # signed in afresh
    kicked = other_device.get("/alliances/reset-x/")
    assert kicked.status_code == 302
    assert "/auth/sign-in" in kicked.headers["Location"]
    assert _sessions_of(user.id) == 1

    stored = _user(user.email).password_hash
    assert stored.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    assert _sign_in(app.test_client(), user.email, TEST_PASSWORD).status_code == 200  # refused
    assert _sign_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302

    again = app.test_client().get(link)
    assert again.status_code == 400
    assert USED_OR_EXPIRED in again.text
    assert "Ask for a new password reset link" in again.text
    assert _user(user.email).password_hash == stored

    [requested] = _events("auth.reset_requested", user.id)
    assert requested.actor_id == user.id
    [reset] = _events("auth.password_reset", user.id)
    assert reset.actor_id == user.id and reset.request_id


def test_an_older_reset_link_dies_when_a_newer_one_is_used(app, make_user, monkeypatch):
    user = make_user()
    with monkeypatch.context() as m:  # asked for ten minutes ago, so the two links differ
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 600)
        _forgot(app.test_client(), user.email)
    first = _link_in_last_email(user.email)
    _forgot(app.test_client(), user.email)
    second = _link_in_last_email(user.email)
    assert first != second
    assert _choose(app.test_client(), second, NEW_PASSWORD).status_code == 302
    assert app.test_client().get(first).status_code == 400


def test_reset_link_stops_working_when_the_account_is_deactivated(app, make_user):
    user = make_user()
    _forgot(app.test_client(), user.email)
    link = _link_in_last_email(user.email)
    user.active = False
    db.session.commit()
    assert app.test_client().get(link).status_code == 400


def test_links_sent_before_a_deactivation_stay_dead_after_reactivation(
    app, client, admin, make_user
):
    """Deactivating through the admin page ends the links already sent, even when the account
    is reactivated before they would have expired."""
    user = make_user()
    _forgot(app.test_client(), user.email)
    link = _link_in_last_email(user.email)
    assert app.test_client().get(link).status_code == 200
    for _ in range(2):  # deactivate, then reactivate
        page = client.get("/admin/")
        client.post(f"/admin/users/{user.id}/active", data={"csrf_token": csrf_token(page.text)})
    assert _user(user.email).active is True
    assert app.test_client().get(link).status_code == 400
    _forgot(app.test_client(), user.email)
    assert app.test_client().get(_link_in_last_email(user.email)).status_code == 200


def test_default_hash_method_is_scrypt_at_asvs_strength(tmp_path, monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    monkeypatch.delenv("SELFASSESS_ENV", raising=False)
    assert build_config(tmp_path)["PASSWORD_HASH_METHOD"] == "scrypt:131072:8:1"


def test_reset_stores_a_hash_made_with_the_default_method(app, make_user, tmp_path, monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    method = build_config(tmp_path)["PASSWORD_HASH_METHOD"]
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", method)
    user = make_user()
    _forgot(app.test_client(), user.email)
    assert (
        _choose(app.test_client(), _link_in_last_email(user.email), NEW_PASSWORD).status_code == 302
    )
    assert _user(user.email).password_hash.startswith("scrypt:131072:8:1$")


# Deactivation


def test_deactivating_a_user_ends_their_sessions(
    app, client, admin, make_user, make_trust, make_alliance, make_membership
):
    trust = make_trust(code="RDEA")
    make_membership(make_alliance(), trust)
    user = make_user(("trust_user", trust))
    victim = app.test_client()
    assert _sign_in(victim, user.email).status_code == 302
    assert victim.get("/trusts/RDEA/").status_code == 200

    page = client.get("/admin/")
    response = client.post(
        f"/admin/users/{user.id}/active", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302

    kicked = victim.get("/trusts/RDEA/")
    assert kicked.status_code == 302
    assert "/auth/sign-in" in kicked.headers["Location"]
    assert _sessions_of(user.id) == 0
    assert _user(user.email).active is False
    assert _sign_in(app.test_client(), user.email).status_code == 200  # refused
    [changed] = _events("user.active_changed", user.id)
    assert changed.before == {"active": True} and changed.after == {"active": False}
    assert changed.actor_id == admin.id


def test_admin_toggle_without_csrf_token_changes_nothing(app: Flask, client, admin, make_user):
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/active", data={})
    assert response.status_code == 400
    assert _user(user.email).active is True
    assert not _events("user.active_changed", user.id)


def test_short_names_do_not_block_good_passwords():
    from selfassess.auth.passwords import password_problem

    assert password_problem("violin lime cliff", name="Li") is None
    assert password_problem("violin lime cliff", name="") is None
    assert password_problem("my name is Morgan ok", name="Sam Morgan") is not None


def test_admin_cannot_deactivate_themselves(app, client, login, make_user):
    from selfassess.extensions import db as _db

    admin = make_user(("site_admin", None))
    login(admin)
    page = client.get("/admin/")
    response = client.post(
        f"/admin/users/{admin.id}/active",
        data={"csrf_token": csrf_token(page.text)},
        follow_redirects=True,
    )
    assert "You cannot deactivate your own account" in response.text
    _db.session.refresh(admin)
    assert admin.active is True


def test_deactivating_goes_through_a_check_page(app: Flask, client, admin, make_user):
    user = make_user()
    home = client.get("/admin/").text
    assert f'href="/admin/users/{user.id}/active/check"' in home
    assert f'action="/admin/users/{user.id}/active"' not in home  # one click no longer does it
    check = client.get(f"/admin/users/{user.id}/active/check")
    assert check.status_code == 200
    assert "every session of theirs ends at once" in check.text
    client.post(f"/admin/users/{user.id}/active", data={"csrf_token": csrf_token(check.text)})
    assert _user(user.email).active is False
    # A deactivated account is reactivated with one click (nothing is lost by it).
    assert f'action="/admin/users/{user.id}/active"' in client.get("/admin/").text
    own = client.get(f"/admin/users/{admin.id}/active/check")
    assert own.status_code == 302  # never offered for one's own account
