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

NEW_PASSWORD = "purple kettle marching slowly"
LINK = re.compile(r"https?://[^/\s]+(/auth/(?:accept-invitation|reset-password)/\S+)")
USED_OR_EXPIRED = "This link has expired or was already used"


def _sign_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> Any:
    page = client.get("/auth/sign-in")
    return client.post("/auth/sign-in", data={
        "email": email, "password": password, "csrf_token": csrf_token(page.text)})


def _emails_to(recipient: str) -> list[OutboxEmail]:
    return list(db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.recipient == recipient).order_by(OutboxEmail.id)))


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
        select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id))


def _events(action: str, entity_id: int | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def _choose(client: FlaskClient, path: str, password: str, confirm: str | None = None) -> Any:
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return client.post(path, data={
        "password": password, "confirm": password if confirm is None else confirm,
        "csrf_token": csrf_token(page.text)})


def _invite(client: FlaskClient, email: str, name: str, role: str, *, alliance: Any = None,
            trust: Any = None) -> Any:
    """Send an invitation through the admin form, as the signed-in site admin."""
    page = client.get("/admin/")
    assert page.status_code == 200
    return client.post("/admin/users/invite", data={
        "email": email, "name": name, "role": role,
        "alliance": str(alliance.id) if alliance else "",
        "trust": str(trust.id) if trust else "",
        "csrf_token": csrf_token(page.text),
    })


@pytest.fixture
def admin(client, make_user) -> User:
    user = make_user(("site_admin", None))
    assert _sign_in(client, user.email).status_code == 302
    return user


# Invitations


def test_invitation_from_email_to_signed_in(app, client, admin, make_trust):
    trust = make_trust(code="RINV")
    response = _invite(client, "New.Person@Example.NHS.uk", "Nia Person", "trust_user",
                       trust=trust)
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith("/admin/")

    invitee = _user("new.person@example.nhs.uk")
    assert invitee.password_hash is None
    assert invitee.has_role("trust_user", trust_id=trust.id)
    [email] = _emails_to(invitee.email)
    assert email.subject == "You have been invited to selfassess"
    link = _link_in_last_email(invitee.email)
    assert link.startswith("/auth/accept-invitation/")

    invited = _events("user.invited", invitee.id)
    assert len(invited) == 1 and invited[0].actor_id == admin.id
    assert invited[0].request_id
    granted = _events("user.role_granted", invitee.id)
    assert len(granted) == 1 and granted[0].actor_id == admin.id
    assert granted[0].after == {"role": "trust_user", "alliance_id": None, "trust_id": trust.id}
    assert granted[0].trust_id == trust.id

    browser = app.test_client()
    page = browser.get(link)
    assert page.status_code == 200
    assert "Welcome, Nia Person: choose your password" in page.text

    response = _choose(browser, link, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    home = browser.get("/home")
    assert home.status_code == 302
    assert home.headers["Location"].endswith("/trusts/RINV/")
    assert browser.get("/trusts/RINV/").status_code == 200

    invitee = _user(invitee.email)
    assert invitee.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    assert _sessions_of(invitee.id) == 1
    accepted = _events("auth.invitation_accepted", invitee.id)
    assert len(accepted) == 1 and accepted[0].actor_id == invitee.id

    # The same link again, from anyone: refused with a page that says why.
    for someone in (browser, app.test_client()):
        again = someone.get(link)
        assert again.status_code == 400
        assert USED_OR_EXPIRED in again.text
        assert "Ask your alliance coordinator to send you a new invitation" in again.text
    before = invitee.password_hash
    replayer = app.test_client()
    token = csrf_token(replayer.get("/auth/sign-in").text)
    replay = replayer.post(link, data={"password": "another fine password",
                                       "confirm": "another fine password", "csrf_token": token})
    assert replay.status_code == 400
    assert USED_OR_EXPIRED in replay.text
    assert _user(invitee.email).password_hash == before


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("short one", None, "Password must be 10 characters or more"),
    ("password123", None, "This password is too common"),
    ("aaaaaaaaaaaaaaaa", None, "This password is too common"),
    ("x" * 201, None, "Password must be 200 characters or fewer"),
    ("my pass is nia.person!", None, "Password must not contain your email address"),
    ("purple kettle marching", "purple kettle marchin", "The passwords do not match"),
])
def test_bad_password_is_explained_and_nothing_is_set(app, client, admin, make_trust, password,
                                                      confirm, message):
    trust = make_trust()
    _invite(client, "nia.person@example.nhs.uk", "Nia Person", "trust_user", trust=trust)
    link = _link_in_last_email("nia.person@example.nhs.uk")
    browser = app.test_client()
    response = _choose(browser, link, password, confirm)
    assert response.status_code == 200
    assert message in response.text
    assert "Error: Choose your password" in response.text  # the title says so too
    user = _user("nia.person@example.nhs.uk")
    assert user.password_hash is None
    assert _sessions_of(user.id) == 0
    assert browser.get("/home").status_code == 302  # not signed in
    assert not _events("auth.invitation_accepted", user.id)
    assert browser.get(link).status_code == 200  # the link still works for a second try


def _token_made_ago(user: User, purpose: str, seconds: int, monkeypatch) -> str:
    """A genuine token for ``user``, signed as if ``seconds`` ago."""
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - seconds)
        return tokens.make_token(user, purpose)


@pytest.mark.parametrize(("purpose", "path", "max_age"), [
    (tokens.INVITE, "/auth/accept-invitation/", 7 * 24 * 3600),
    (tokens.RESET, "/auth/reset-password/", 3600),
])
def test_links_expire_after_their_configured_age(app, make_user, monkeypatch, purpose, path,
                                                  max_age):
    assert app.config[f"TOKEN_MAX_AGE_{purpose.upper()}"] == max_age
    user = make_user(password_hash=None) if purpose == tokens.INVITE else make_user()
    browser = app.test_client()

    fresh_enough = path + _token_made_ago(user, purpose, max_age - 60, monkeypatch)
    assert browser.get(fresh_enough).status_code == 200

    expired = path + _token_made_ago(user, purpose, max_age + 60, monkeypatch)
    response = browser.get(expired)
    assert response.status_code == 400
    assert USED_OR_EXPIRED in response.text
    refused = browser.post(expired, data={
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": csrf_token(browser.get(fresh_enough).text)})
    assert refused.status_code == 400
    assert _user(user.email).password_hash == user.password_hash


def test_configured_max_age_is_what_counts(app, client, admin, make_trust, monkeypatch):
    _invite(client, "late@example.nhs.uk", "Late Person", "trust_user", trust=make_trust())
    link = _link_in_last_email("late@example.nhs.uk")
    monkeypatch.setitem(app.config, "TOKEN_MAX_AGE_INVITE", -1)
    response = app.test_client().get(link)
    assert response.status_code == 400
    assert USED_OR_EXPIRED in response.text


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


def test_inviting_an_existing_user_grants_the_role_and_ends_their_sessions(
        app, client, admin, make_user, make_alliance, make_trust):
    alliance, trust = make_alliance(), make_trust()
    existing = make_user(("coordinator", alliance))
    elsewhere = app.test_client()
    assert _sign_in(elsewhere, existing.email).status_code == 302

    response = _invite(client, existing.email.upper(), "Ignored Name", "trust_user", trust=trust)
    assert response.status_code == 302
    assert not _emails_to(existing.email)  # already has a password: no invitation needed
    assert not _events("user.invited", existing.id)
    [granted] = _events("user.role_granted", existing.id)
    assert granted.after == {"role": "trust_user", "alliance_id": None, "trust_id": trust.id}
    assert _sessions_of(existing.id) == 0
    assert elsewhere.get("/home").status_code == 302
    assert "/auth/sign-in" in elsewhere.get("/home").headers["Location"]
    assert _user(existing.email).name != "Ignored Name"


def test_non_admin_cannot_invite(app, client, make_user, make_alliance, make_trust):
    alliance, trust = make_alliance(), make_trust()
    coordinator = make_user(("coordinator", alliance))
    _sign_in(client, coordinator.email)
    page = client.get(f"/alliances/{alliance.slug}/")
    response = client.post("/admin/users/invite", data={
        "email": "sneaky@example.nhs.uk", "name": "Sneaky", "role": "site_admin",
        "alliance": "", "trust": str(trust.id), "csrf_token": csrf_token(page.text)})
    assert response.status_code == 403
    assert db.session.scalar(select(User).where(User.email == "sneaky@example.nhs.uk")) is None
    assert not _emails_to("sneaky@example.nhs.uk")


# Password reset


def _forgot(client: FlaskClient, email: str) -> Any:
    page = client.get("/auth/forgot-password")
    return client.post("/auth/forgot-password", data={
        "email": email, "csrf_token": csrf_token(page.text)})


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
    assert (known_response.text.replace(known.email, "EMAIL")
            == other_response.text.replace(other_email, "EMAIL"))
    assert set(known_response.headers.keys()) == set(other_response.headers.keys())
    assert len(_emails_to(known.email)) == 1
    assert _emails_to(other_email) == []
    [requested] = _events("auth.reset_requested")
    assert requested.entity_id == known.id


def test_password_reset_sets_the_password_and_ends_every_other_session(
        app, make_user, make_alliance):
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


def test_links_sent_before_a_deactivation_stay_dead_after_reactivation(app, client, admin,
                                                                      make_user):
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


def test_reset_stores_a_hash_made_with_the_default_method(app, make_user, tmp_path,
                                                          monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    method = build_config(tmp_path)["PASSWORD_HASH_METHOD"]
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", method)
    user = make_user()
    _forgot(app.test_client(), user.email)
    assert _choose(app.test_client(), _link_in_last_email(user.email), NEW_PASSWORD).status_code \
        == 302
    assert _user(user.email).password_hash.startswith("scrypt:131072:8:1$")


# Deactivation


def test_deactivating_a_user_ends_their_sessions(app, client, admin, make_user, make_trust):
    trust = make_trust(code="RDEA")
    user = make_user(("trust_user", trust))
    victim = app.test_client()
    assert _sign_in(victim, user.email).status_code == 302
    assert victim.get("/trusts/RDEA/").status_code == 200

    page = client.get("/admin/")
    response = client.post(f"/admin/users/{user.id}/active",
                           data={"csrf_token": csrf_token(page.text)})
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
    response = client.post(f"/admin/users/{admin.id}/active",
                           data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "You cannot deactivate your own account" in response.text
    _db.session.refresh(admin)
    assert admin.active is True
