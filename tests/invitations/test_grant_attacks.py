"""The red team's grant attacks (issue #13, findings 1 and 4), replayed on the demo.

1. A coordinator imported themselves as a trust user of a member trust and, after signing in
   again, reached that trust's data in *another* alliance (dashboard, assessment, section form)
   and stored an answer there.
4. A coordinator imported a site administrator's address as a trust user: the administrator was
   signed out everywhere and given a grant they never asked for.
"""

from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from selfassess.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from selfassess.demo.loader import load_demo
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    Cycle,
    Membership,
    OutboxEmail,
    RoleGrant,
    Trust,
    User,
    UserSession,
)
from tests.conftest import csrf_token

WTP, SYB = "working-together-partnership", "syb-acute-federation"
COORDINATOR = f"coordinator.working@{DEMO_EMAIL_DOMAIN}"
ADMIN = f"admin@{DEMO_EMAIL_DOMAIN}"
LINK = re.compile(r"https?://[^/\s]+(/invitations/\S+)")


@pytest.fixture
def demo(app: Flask) -> Flask:
    load_demo()
    db.session.commit()
    return app


def _sign_in(client: FlaskClient, email: str) -> None:
    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302, response.text


def _import_users(client: FlaskClient, slug: str, text: str) -> None:
    page = client.get(f"/alliances/{slug}/users/import")
    assert page.status_code == 200
    preview = client.post(
        f"/alliances/{slug}/users/import",
        data={
            "csrf_token": csrf_token(page.text),
            "members": (io.BytesIO(text.encode()), "users.csv"),
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.text
    form = BeautifulSoup(preview.text, "html.parser").find(
        "form", action=f"/alliances/{slug}/users/import/confirm"
    )
    data = {tag["name"]: tag["value"] for tag in form.find_all("input")}
    assert client.post(f"/alliances/{slug}/users/import/confirm", data=data).status_code == 302


def _last_link(email: str) -> str:
    db.session.expire_all()
    body = db.session.scalars(
        select(OutboxEmail.body)
        .where(OutboxEmail.recipient == email)
        .order_by(OutboxEmail.id.desc())
    ).first()
    assert body is not None, f"no email to {email}"
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def _accept(client: FlaskClient, link: str) -> None:
    page = client.get(link)
    assert page.status_code == 200, page.text
    response = client.post(link, data={"csrf_token": csrf_token(page.text), "answer": "accept"})
    assert response.status_code == 302, response.text


def _open_assessment(slug: str, code: str) -> Assessment:
    return db.session.scalars(
        select(Assessment)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .join(Membership, Assessment.membership_id == Membership.id)
        .join(Alliance, Membership.alliance_id == Alliance.id)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(Alliance.slug == slug, Trust.code == code, Cycle.state == "open")
    ).one()


def test_a_coordinator_cannot_reach_a_member_trusts_data_in_another_alliance(app, demo, client):
    _sign_in(client, COORDINATOR)
    _import_users(client, WTP, f"email,name,role,trust code\n{COORDINATOR},W,trust user,RHQ\n")
    _accept(client, _last_link(COORDINATOR))

    ours, theirs = _open_assessment(WTP, "RHQ"), _open_assessment(SYB, "RHQ")
    # In the coordinator's own alliance, the grant works as it should.
    assert client.get(f"/trusts/RHQ/alliances/{WTP}/dashboard").status_code == 200
    assert client.get(f"/trusts/RHQ/assessments/{ours.id}/").status_code == 200
    # In the other alliance, nothing: as good as missing.
    for path in (
        f"/trusts/RHQ/alliances/{SYB}/dashboard",
        f"/trusts/RHQ/assessments/{theirs.id}/",
        f"/trusts/RHQ/assessments/{theirs.id}/sections/REL",
        f"/trusts/RHQ/assessments/{theirs.id}/check",
        f"/trusts/RHQ/assessments/{theirs.id}/workbook.xlsx",
        f"/trusts/RHQ/alliances/{SYB}/cycles/{theirs.cycle_id}/report",
    ):
        assert client.get(path).status_code == 404, path
    home = client.get("/trusts/RHQ/").text
    assert "South Yorkshire and Bassetlaw" not in home
    buddying = client.get("/trusts/RHQ/buddying/").text
    assert "South Yorkshire and Bassetlaw" not in buddying

    before = db.session.scalar(
        select(func.count(Answer.id)).where(Answer.assessment_id == theirs.id)
    )
    section = client.get(f"/trusts/RHQ/assessments/{ours.id}/sections/REL")
    response = client.post(
        f"/trusts/RHQ/assessments/{theirs.id}/sections/REL",
        data={"csrf_token": csrf_token(section.text), "a_1": "5", "action": "save"},
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count(Answer.id)).where(Answer.assessment_id == theirs.id))
        == before
    )


def test_a_grant_names_one_membership_in_the_database(app, demo):
    trust = db.session.scalars(select(Trust).where(Trust.code == "RN3")).one()  # not in WTP
    wtp = db.session.scalars(select(Alliance).where(Alliance.slug == WTP)).one()
    user = db.session.scalars(select(User).where(User.email == COORDINATOR)).one()
    user.grants.append(RoleGrant(role="trust_user", alliance_id=wtp.id, trust_id=trust.id))
    with pytest.raises(Exception, match=r"(?i)foreign key|constraint"):
        db.session.flush()
    db.session.rollback()
    user = db.session.scalars(select(User).where(User.email == COORDINATOR)).one()
    user.grants.append(RoleGrant(role="trust_user", trust_id=trust.id))  # no alliance
    with pytest.raises(Exception, match=r"(?i)check|constraint"):
        db.session.flush()
    db.session.rollback()


def test_importing_an_administrator_changes_nothing_for_them(app, demo, client):
    admin = db.session.scalars(select(User).where(User.email == ADMIN)).one()
    grants_before = sorted((g.role, g.alliance_id, g.trust_id) for g in admin.grants)
    signed_in = app.test_client()
    _sign_in(signed_in, ADMIN)
    _sign_in(client, COORDINATOR)
    _import_users(client, WTP, f"email,name,role,trust code\n{ADMIN},A,trust user,RHQ\n")

    db.session.expire_all()
    admin = db.session.get(User, admin.id)
    assert sorted((g.role, g.alliance_id, g.trust_id) for g in admin.grants) == grants_before
    assert (
        db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == admin.id))
        == 1
    )
    assert signed_in.get("/admin/").status_code == 200  # still signed in

    # Even following the link, an administrator account cannot take an alliance role.
    link = _last_link(ADMIN)
    page = signed_in.get(link)
    assert page.status_code == 200
    refused = signed_in.post(link, data={"csrf_token": csrf_token(page.text), "answer": "accept"})
    assert refused.status_code == 403
    assert "Site administrator accounts cannot take alliance roles" in refused.text
    db.session.expire_all()
    admin = db.session.get(User, admin.id)
    assert sorted((g.role, g.alliance_id, g.trust_id) for g in admin.grants) == grants_before
