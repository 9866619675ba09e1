"""Roles given in one alliance must never reach another (STYLE.md habit 15).

The chain below was found while poisoning import files with alliance B's trust codes: each step
was allowed on its own, and together they gave a coordinator of A a trust user of B1 who could
read and change B1's self-assessment in alliance B. Now every step is closed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from selfassess.extensions import db
from selfassess.models import Membership, Role, RoleInvitation, User
from tests.conftest import FAST_HASH, TEST_PASSWORD, csrf_token, grants_for
from tests.cross_tenant.conftest import ANSWER_BY_KIND, state


def test_a_coordinator_cannot_reach_another_alliances_assessment_through_imports(app, client, tw):
    b1 = tw.b.trusts["b1"]
    token = tw.sign_in(client, "coord_a")
    # 1. B1 is asked to join alliance A: only a site administrator can say yes.
    client.post(
        f"/alliances/{tw.a.alliance.slug}/members/import/confirm",
        data={
            "csrf_token": token,
            "csv_text": "trust code,name,type,region,collaboration type\n"
            f"{b1.code},{b1.name},{b1.trust_type},{b1.region},Multi-service network\n",
        },
    )
    assert (
        db.session.scalar(
            select(Membership.id).where(
                Membership.alliance_id == tw.a.alliance.id, Membership.trust_id == b1.id
            )
        )
        is None
    )
    # 2. Until then B1 is no member of A, so no role for it can be offered in A.
    client.post(
        f"/alliances/{tw.a.alliance.slug}/users/import/confirm",
        data={
            "csrf_token": token,
            "csv_text": (
                f"email,name,role,trust code\nmole@example.nhs.uk,Mole,trust user,{b1.code}\n"
            ),
        },
    )
    assert db.session.scalars(select(RoleInvitation)).all() == []
    # 3. Even once an administrator adds B1 to A and the mole accepts a trust-user role there,
    #    the grant is for B1's membership of A: B1's self-assessment in B stays out of reach.
    db.session.add(
        Membership(
            alliance_id=tw.a.alliance.id,
            trust_id=b1.id,
            collaboration_type="multi_service",
            joined_on=date(2025, 4, 1),
        )
    )
    mole = User(
        email="mole@example.nhs.uk",
        name="Mole",
        password_hash=generate_password_hash(TEST_PASSWORD, method=FAST_HASH),
    )
    mole.grants.extend(
        grants_for(Role.TRUST_USER, Membership(alliance_id=tw.a.alliance.id, trust_id=b1.id))
    )
    db.session.add(mole)
    db.session.commit()
    spy = app.test_client()
    page = spy.get("/auth/sign-in")
    spy.post(
        "/auth/sign-in",
        data={"email": mole.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert spy.get(f"/trusts/{b1.code}/").status_code == 200  # the grant in A works
    section = f"/trusts/{b1.code}/assessments/{tw.b.assessment('b1').id}/sections/REL"
    shown = spy.get(section)
    before = state()
    q = tw.question("REL", 1)
    spy.post(
        section,
        data={
            "csrf_token": csrf_token(page.text),
            "seen": "{}",
            f"a_{q.id}": ANSWER_BY_KIND[q.kind],
        },
    )
    assert shown.status_code == 404, "a trust user made in A reads B1's answers in B"
    assert state() == before, "a trust user made in A changed B1's answers in B"
    assert spy.get(f"/trusts/{b1.code}/alliances/{tw.b.alliance.slug}/dashboard").status_code == 404
