"""Every trigger tells the right people, and nobody else: each through its real use case.

The cycle, submit, return and validate steps go through the pages (signed in through the real
form, CSRF on); buddying and role grants through their services. Emails reach a local SMTP sink.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from selfassess.buddying import services as buddying
from selfassess.extensions import db
from selfassess.invitations import services as invitations
from selfassess.invitations.rules import Scope
from selfassess.models import (
    Cycle,
    Notification,
    OutboxState,
    PairStatus,
    Role,
    SnapshotStandard,
)
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.notifications.conftest import TODAY, answer_everything, assessment_of, emails_to

FRAMEWORK = "alliance-maturity-1.0"


def _signed_in(app: Any, user: Any) -> Any:
    client = app.test_client()
    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    return client


def _post(client: Any, page: str, url: str, data: dict[str, str]) -> Any:
    token = csrf_token(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token})


def _open_cycle(app: Any, people: Any) -> Cycle:
    coordinator = _signed_in(app, people.users["coord_x"])
    url = f"/alliances/{people.x.slug}/cycles/new"
    response = _post(
        coordinator,
        url,
        url,
        {
            "name": "2026/27",
            "framework": FRAMEWORK,
            "closes_on": (TODAY + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302, response.text
    cycle = db.session.scalar(select(Cycle).where(Cycle.alliance_id == people.x.id))
    assert cycle is not None
    return cycle


def test_opening_a_cycle_tells_the_member_trusts_users_only(app, people, sink):
    cycle = _open_cycle(app, people)
    told = people.told()
    assert told == {
        "user_a": ["The 2026/27 assessment cycle is open"],
        "user_b": ["The 2026/27 assessment cycle is open"],
    }
    email = sink.to(people.users["user_a"].email)
    assert len(email) == 1
    text = email[0].get_content()
    assert f"by {cycle.closes_on:%-d %B %Y}" in text
    # Says why it was sent and links to the page, absolutely, from BASE_URL.
    assert "Why you got this email: you are a user for Trust Alpha in Alliance Xray" in text
    assessment = assessment_of(people.members["xa"])
    assert f"http://127.0.0.1:5000/trusts/{people.a.code}/assessments/{assessment.id}/" in text
    assert "http://127.0.0.1:5000/notifications/preferences" in text


def test_submit_return_validate_tell_coordinators_then_the_trust(app, people, sink):
    _open_cycle(app, people)
    assessment = assessment_of(people.members["xa"])
    answer_everything(assessment)
    trust = _signed_in(app, people.users["user_a"])
    mine = f"/trusts/{people.a.code}/assessments/{assessment.id}/"
    assert _post(trust, mine, mine + "submit", {}).status_code == 302
    assert people.told("review") == {"coord_x": ["Trust Alpha submitted its 2026/27 assessment"]}
    review = f"/alliances/{people.x.slug}/assessments/{assessment.id}/"
    text = sink.to(people.users["coord_x"].email)[0].get_content()
    assert f"http://127.0.0.1:5000{review}" in text
    assert "you are a coordinator of Alliance Xray" in text

    coordinator = _signed_in(app, people.users["coord_x"])
    comment = "Please add the MoU evidence to GOV-1."
    assert _post(coordinator, review, review + "return", {"comment": comment}).status_code == 302
    assert people.told("outcome") == {
        "user_a": ["Your 2026/27 assessment was returned for revision"]
    }
    note = db.session.scalar(select(Notification).where(Notification.category == "outcome"))
    assert comment in note.body
    returned = [m for m in sink.to(people.users["user_a"].email) if "returned" in m["Subject"]]
    assert len(returned) == 1 and comment in returned[0].get_content()

    assert _post(trust, mine, mine + "submit", {}).status_code == 302
    assert _post(coordinator, review, review + "validate", {}).status_code == 302
    assert people.told("outcome")["user_a"][-1] == "Your 2026/27 assessment was validated"
    assert set(people.told("outcome")) == {"user_a"}
    assert len(people.told("review")["coord_x"]) == 2


def test_buddying_pairs_tell_both_trusts_users_at_each_step(app, people, sink):
    cycle = _open_cycle(app, people)
    lead = people.users["lead_x"]
    standard = db.session.scalar(
        select(SnapshotStandard.code)
        .where(SnapshotStandard.snapshot_id == cycle.snapshot_id)
        .order_by(SnapshotStandard.id)
    )
    pair = buddying.assign_pair(
        people.x,
        cycle,
        buddying.NewPair(
            mentor_id=people.members["xb"].id,
            mentee_id=people.members["xa"].id,
            focus=(standard,),
            start_date=TODAY,
            note="",
        ),
        lead,
    )
    buddying.change_status(pair, "active", "proposed", lead)
    buddying.change_status(pair, "completed", "active", lead, outcome="Forums agreed")
    told = people.told("buddying")
    assert set(told) == {"user_a", "user_b"}
    for key in ("user_a", "user_b"):
        assert [t.split(":")[0] for t in told[key]] == [
            "A buddying pair was proposed",
            "A buddying pair started",
            "A buddying pair was completed",
        ]
    assert (
        len([m for m in sink.to(people.users["user_b"].email) if "buddying" in m["Subject"]]) == 3
    )
    assert pair.status == PairStatus.COMPLETED
    text = sink.to(people.users["user_a"].email)[-1].get_content()
    assert f"Focus standards: {standard}" in text
    assert f"http://127.0.0.1:5000/trusts/{people.a.code}/buddying/" in text


def test_a_role_granted_tells_its_holder(app, people, sink):
    coordinator = people.users["coord_x"]
    newcomer = people.users["user_b"]
    offer = invitations.invite(
        coordinator, newcomer.email, newcomer.name, Scope(Role.BUDDYING_LEAD, people.x.id, None)
    )
    with app.test_request_context():
        invitations.send(offer)  # security mail: always sent, whatever the choices
    db.session.commit()
    invitations.accept(offer, newcomer)
    assert people.told("roles") == {"user_b": ["You are now buddying lead in Alliance Xray"]}
    subjects = [m["Subject"] for m in sink.to(newcomer.email)]
    assert subjects == [
        "You have been invited to selfassess",
        "You are now buddying lead in Alliance Xray",
    ]
    assert all(e.state == OutboxState.SENT for e in emails_to(newcomer))
