"""Importing users from CSV: problems by line and column, a preview that saves nothing, then
new accounts invited and roles given in one transaction, or nothing."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.imports.users_csv import parse_users
from selfassess.models import AuditEvent, OutboxEmail, RoleGrant, RoleInvitation, User
from tests.conftest import csrf_token

HEADER = "email,name,role,trust code\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "The file is empty."),
        ("email,name\n", "Line 1: the columns must be"),
        (HEADER + "not-an-email,A,trust user,RFF\n", "Line 2, email: enter an email address"),
        (HEADER + "a@example.nhs.uk,,trust user,RFF\n", "Line 2, name: enter the person's name"),
        (
            HEADER + "a@example.nhs.uk,A,admin,\n",
            "Line 2, role: enter coordinator, buddying lead or trust user",
        ),
        (
            HEADER + "a@example.nhs.uk,A,trust user,\n",
            "Line 2, trust code: a trust user needs their trust's code",
        ),
        (
            HEADER + "a@example.nhs.uk,A,coordinator,RFF\n",
            "Line 2, trust code: leave it empty for a coordinator",
        ),
        (
            HEADER + "a@example.nhs.uk,A,coordinator,\nA@Example.nhs.uk,A,Coordinator,\n",
            "Line 3: the same person and role are on line 2",
        ),
    ],
)
def test_each_problem_is_named_by_line_and_column(text, problem):
    _users, problems = parse_users(text)
    assert any(p.startswith(problem) for p in problems), problems


@pytest.fixture
def world(client, login, make_alliance, make_trust, make_membership, make_user):
    alliance = make_alliance(slug="users-x")
    member = make_trust(code="RFF")
    make_membership(alliance, member)
    make_trust(code="RHQ")  # not a member
    existing = make_user(("trust_user", member), email="known@example.nhs.uk")
    coordinator = make_user(("coordinator", alliance))
    assert login(coordinator).status_code == 302
    return alliance, member, existing


def _preview(client, text: str):
    page = client.get("/alliances/users-x/users/import")
    assert page.status_code == 200
    return client.post(
        "/alliances/users-x/users/import",
        data={
            "csrf_token": csrf_token(page.text),
            "members": (io.BytesIO(text.encode()), "users.csv"),
        },
        content_type="multipart/form-data",
    )


def _counts():
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(RoleGrant.id))),
        db.session.scalar(select(func.count(OutboxEmail.id))),
    )


INVITED = "Invitation emailed; the role is given when they accept"


def test_preview_then_import(client, world):
    alliance, _member, existing = world
    before = _counts()
    text = (
        HEADER + "new.lead@example.nhs.uk,New Lead,buddying lead,\n"
        "known@example.nhs.uk,Known,trust user,rff\n"
        "known@example.nhs.uk,Known,coordinator,\n"
    )
    response = _preview(client, text)
    assert response.status_code == 200, response.text
    assert _counts() == before
    page = BeautifulSoup(response.text, "html.parser")
    actions = [
        [td.get_text(strip=True) for td in tr.select("td")][-1]
        for tr in page.select(".import-preview tbody tr")
    ]
    # A new address and an existing account read alike: the preview is no account oracle.
    assert actions == [INVITED, "Already has this role", INVITED]
    form = page.find("form", action="/alliances/users-x/users/import/confirm")
    data = {tag["name"]: tag["value"] for tag in form.find_all("input")}
    assert client.post("/alliances/users-x/users/import/confirm", data=data).status_code == 302
    users, grants, emails = _counts()
    # Nothing is given yet: two offers, two emails, no account and no grant.
    assert (users, grants, emails) == (before[0], before[1], before[2] + 2)
    assert not db.session.get(User, existing.id).has_role("coordinator", alliance_id=alliance.id)
    offers = db.session.scalars(select(RoleInvitation).order_by(RoleInvitation.id)).all()
    assert [(o.email, o.role, o.outcome) for o in offers] == [
        ("new.lead@example.nhs.uk", "buddying_lead", None),
        ("known@example.nhs.uk", "coordinator", None),
    ]
    assert sorted(e.recipient for e in db.session.scalars(select(OutboxEmail))) == [
        "known@example.nhs.uk",
        "new.lead@example.nhs.uk",
    ]
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "alliance.users_imported")
        )
        == 1
    )


def test_a_trust_outside_the_alliance_is_refused(client, world):
    before = _counts()
    response = _preview(client, HEADER + "x@example.nhs.uk,X,trust user,RHQ\n")
    assert response.status_code == 400
    assert "Line 2, trust code: RHQ is not an active member of" in response.text
    page = client.get("/alliances/users-x/users/import")
    confirm = client.post(
        "/alliances/users-x/users/import/confirm",
        data={
            "csrf_token": csrf_token(page.text),
            "csv_text": HEADER + "x@example.nhs.uk,X,trust user,RHQ\n",
        },
    )
    assert confirm.status_code == 400
    assert _counts() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "a@example.nhs.uk,A\rB,trust user,RFF\n", "Line 2: expected 4 values, found 2"),
        (
            HEADER + "a@example.nhs.uk,A\x00,trust user,RFF\n",
            "Line 2: the file contains a NUL character",
        ),
    ],
    ids=["carriage-return", "nul"],
)
def test_text_the_reader_cannot_take_is_refused_at_the_preview(client, world, text, message):
    """Issue #13, finding 8: a lone carriage return was a 500, a NUL passed the preview."""
    before = _counts()
    response = _preview(client, text)
    assert response.status_code == 400, response.text
    problems = [
        li.get_text(" ", strip=True)
        for li in BeautifulSoup(response.text, "html.parser").select(
            ".nhsuk-error-summary__list li"
        )
    ]
    assert any(p.startswith(message) for p in problems), problems
    assert _counts() == before
