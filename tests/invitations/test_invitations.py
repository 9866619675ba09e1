"""Invitations from email to role: offered, then taken up only by the invitee.

Emails are read back from the outbox table, as a person would follow the link in them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import AuditEvent, OutboxEmail, RoleGrant, RoleInvitation, User, UserSession
from tests.conftest import TEST_PASSWORD, csrf_token

NEW_PASSWORD = "purple kettle marching slowly"
LINK = re.compile(r"https?://[^/\s]+(/invitations/\S+)")
USED_OR_EXPIRED = "This link has expired or was already used"


def _sign_in(client: FlaskClient, email: str) -> Any:
    page = client.get("/auth/sign-in")
    return client.post(
        "/auth/sign-in",
        data={"email": email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )


def _invite(
    client: FlaskClient,
    email: str,
    name: str,
    role: str,
    *,
    alliance: Any = None,
    trust: Any = None,
) -> Any:
    page = client.get("/admin/")
    assert page.status_code == 200
    return client.post(
        "/admin/users/invite",
        data={
            "email": email,
            "name": name,
            "role": role,
            "alliance": str(alliance.id) if alliance else "",
            "trust": str(trust.id) if trust else "",
            "csrf_token": csrf_token(page.text),
        },
    )


def _link(recipient: str) -> str:
    db.session.expire_all()
    bodies = db.session.scalars(
        select(OutboxEmail.body).where(OutboxEmail.recipient == recipient).order_by(OutboxEmail.id)
    ).all()
    assert bodies, f"no email to {recipient}"
    match = LINK.search(bodies[-1])
    assert match, bodies[-1]
    return match.group(1)


def _grants(email: str) -> list[tuple[str, int | None, int | None]]:
    db.session.expire_all()
    return sorted(
        (g.role, g.alliance_id, g.trust_id)
        for g in db.session.scalars(
            select(RoleGrant).join(User, RoleGrant.user_id == User.id).where(User.email == email)
        )
    )


@pytest.fixture
def member(make_alliance, make_trust, make_membership):
    alliance, trust = make_alliance(), make_trust(code="RINV")
    make_membership(alliance, trust)
    return alliance, trust


@pytest.fixture
def admin(client, make_user) -> User:
    user = make_user(("site_admin", None))
    assert _sign_in(client, user.email).status_code == 302
    return user


def test_a_new_person_accepts_by_choosing_a_password(app, client, admin, member):
    alliance, trust = member
    response = _invite(
        client,
        "New.Person@Example.NHS.uk",
        "Nia Person",
        "trust_user",
        alliance=alliance,
        trust=trust,
    )
    assert response.status_code == 302, response.text
    assert db.session.scalar(select(User).where(User.email == "new.person@example.nhs.uk")) is None
    offer = db.session.scalars(select(RoleInvitation)).one()
    assert (offer.email, offer.alliance_id, offer.trust_id, offer.outcome) == (
        "new.person@example.nhs.uk",
        alliance.id,
        trust.id,
        None,
    )
    [offered] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "role.offered"))
    assert offered.actor_id == admin.id

    link = _link("new.person@example.nhs.uk")
    browser = app.test_client()
    page = browser.get(link)
    assert page.status_code == 200 and "Trust user for" in page.text
    short = browser.post(
        link,
        data={
            "name": "Nia Person",
            "password": "short",
            "confirm": "short",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert short.status_code == 200 and "Password must be 10 characters or more" in short.text
    assert db.session.scalar(select(User).where(User.email == "new.person@example.nhs.uk")) is None
    done = browser.post(
        link,
        data={
            "name": "Nia Person",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert done.status_code == 302
    assert _grants("new.person@example.nhs.uk") == [("trust_user", alliance.id, trust.id)]
    assert browser.get("/trusts/RINV/").status_code == 200  # signed in
    again = app.test_client().get(link)
    assert again.status_code == 400 and USED_OR_EXPIRED in again.text


def test_an_existing_account_is_untouched_until_its_holder_accepts(
    app, client, admin, member, make_user
):
    alliance, trust = member
    existing = make_user(("coordinator", alliance), email="known@example.nhs.uk")
    elsewhere = app.test_client()
    assert _sign_in(elsewhere, existing.email).status_code == 302
    before = _grants(existing.email)
    assert (
        _invite(
            client,
            "KNOWN@example.nhs.uk",
            "Other Name",
            "trust_user",
            alliance=alliance,
            trust=trust,
        ).status_code
        == 302
    )
    assert _grants(existing.email) == before
    assert (
        db.session.scalar(
            select(func.count(UserSession.id)).where(UserSession.user_id == existing.id)
        )
        == 1
    )  # nobody was signed out
    link = _link(existing.email)

    stranger = app.test_client()  # the link alone, not signed in: asked to sign in first
    assert "Sign in to answer your invitation" in stranger.get(link).text
    someone_else = app.test_client()  # signed in as another account: refused
    _sign_in(someone_else, admin.email)
    page = someone_else.get(link)
    refused = someone_else.post(
        link, data={"csrf_token": csrf_token(page.text), "answer": "accept"}
    )
    assert refused.status_code == 403 and "for another account" in refused.text
    assert _grants(existing.email) == before

    page = elsewhere.get(link)
    accepted = elsewhere.post(link, data={"csrf_token": csrf_token(page.text), "answer": "accept"})
    assert accepted.status_code == 302
    assert ("trust_user", alliance.id, trust.id) in _grants(existing.email)
    assert db.session.get(User, existing.id).name != "Other Name"


def test_declining_gives_nothing(app, client, admin, member, make_user):
    alliance, _trust = member
    existing = make_user(email="decliner@example.nhs.uk")
    _invite(client, existing.email, "D", "buddying_lead", alliance=alliance)
    browser = app.test_client()
    _sign_in(browser, existing.email)
    link = _link(existing.email)
    page = browser.get(link)
    assert (
        browser.post(
            link, data={"csrf_token": csrf_token(page.text), "answer": "decline"}
        ).status_code
        == 302
    )
    assert _grants(existing.email) == []
    assert db.session.scalars(select(RoleInvitation.outcome)).one() == "declined"
    assert browser.get(link).status_code == 400  # answered: the link is spent


def test_an_expired_link_is_refused(app, client, admin, member, monkeypatch):
    alliance, trust = member
    _invite(client, "late@example.nhs.uk", "Late", "trust_user", alliance=alliance, trust=trust)
    link = _link("late@example.nhs.uk")
    monkeypatch.setitem(app.config, "TOKEN_MAX_AGE_INVITE", -1)
    response = app.test_client().get(link)
    assert response.status_code == 400 and USED_OR_EXPIRED in response.text


def test_a_trust_user_offer_must_name_a_member_of_the_alliance(
    client, admin, member, make_alliance
):
    _alliance, trust = member
    other = make_alliance()
    response = _invite(client, "x@example.nhs.uk", "X", "trust_user", alliance=other, trust=trust)
    assert response.status_code == 400
    assert "not an active member of the alliance" in response.text
    assert db.session.scalar(select(func.count(RoleInvitation.id))) == 0


@pytest.mark.parametrize("token", ["", "garbage", "eyJpIjoxfQ.tampered.signature"])
def test_malformed_links_are_refused(app, token):
    response = app.test_client().get(f"/invitations/{token}")
    assert response.status_code in (400, 404)
    assert "Traceback" not in response.text


def test_an_offer_is_answered_once_even_from_two_tabs(app, member, make_user):
    """Two requests that loaded the offer before either answered: the second is refused."""
    from selfassess.invitations import services
    from selfassess.invitations.rules import Scope

    alliance, _trust = member
    giver = make_user(("coordinator", alliance))
    holder = make_user(email="two.tabs@example.nhs.uk")
    offer = services.invite(giver, holder.email, "Two Tabs", Scope("buddying_lead", alliance.id))
    db.session.commit()
    first_tab = second_tab = db.session.get(RoleInvitation, offer.id)
    services.accept(first_tab, holder)
    with pytest.raises(services.InvitationRefused, match="already answered"):
        services.decline(second_tab, holder)
    assert db.session.get(RoleInvitation, offer.id).outcome == "accepted"
    assert _grants(holder.email) == [("buddying_lead", alliance.id, None)]
