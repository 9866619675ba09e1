"""Importing member trusts from CSV: every problem by line and column, a preview that saves
nothing, and an import that saves all of it as one audited change or nothing."""

from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.imports.members_csv import COLLABORATION_TYPES, MAX_ROWS, parse_members
from selfassess.models import (
    AuditEvent,
    CollaborationType,
    Membership,
    MembershipRequest,
    OutboxEmail,
    Trust,
)
from tests.conftest import TEST_PASSWORD, csrf_token

HEADER = "trust code,name,type,region,collaboration type\n"


def test_collaboration_types_match_the_model():
    assert {t.value: t.label for t in CollaborationType} == COLLABORATION_TYPES


def test_a_good_file_is_read():
    members, problems = parse_members(
        HEADER + "rff,Barnsley Hospital,Acute,North East and Yorkshire,Multi-service\n"
        "RCU, Sheffield Children's ,Acute - Specialist,North East and Yorkshire,hospital_group\n"
        ",,,,\n"
    )
    assert problems == []
    assert [(m.line, m.code, m.name, m.collaboration_type) for m in members] == [
        (2, "RFF", "Barnsley Hospital", "multi_service"),
        (3, "RCU", "Sheffield Children's", "hospital_group"),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "The file is empty."),
        (
            "code,name\nRFF,Barnsley\n",
            "Line 1: the columns must be, in this order: trust code, "
            "name, type, region, collaboration type",
        ),
        (HEADER, "The file has no members below its column names"),
        (HEADER + "RFF,Barnsley,Acute\n", "Line 2: expected 5 values, found 3"),
        (
            HEADER + "R!,Barnsley,Acute,North,Hospital group\n",
            "Line 2, trust code: enter the trust's ODS code, 3 to 10 letters and digits, like RFF",
        ),
        (HEADER + "RFF,,Acute,North,Hospital group\n", "Line 2, name: enter the trust's name"),
        (
            HEADER + "RFF,Barnsley,Acute,North,Federation\n",
            "Line 2, collaboration type: enter one of Hospital group, Multi-service network, "
            "Single-service network",
        ),
        (
            HEADER + "RFF,B,Acute,North,Hospital group\nrff,B,Acute,North,Hospital group\n",
            "Line 3, trust code: RFF is also on line 2",
        ),
        (
            HEADER + f"RFF,{'x' * 201},Acute,North,Hospital group\n",
            "Line 2, name: keep it to 200 characters",
        ),
        (
            HEADER + "RFF,B,Acute,North,Hospital group\n" * (MAX_ROWS + 1),
            f"The file has {MAX_ROWS + 1} members; import at most {MAX_ROWS} at once",
        ),
    ],
)
def test_each_problem_is_named_by_line_and_column(text, problem):
    _members, problems = parse_members(text)
    assert any(p.startswith(problem) for p in problems), problems


@pytest.fixture
def coordinator(client, login, make_alliance, make_trust, make_membership, make_user):
    alliance = make_alliance(slug="imports-x")
    member = make_trust(
        code="RFF", name="Barnsley Hospital", trust_type="Acute", region="North East and Yorkshire"
    )
    make_membership(alliance, member)
    make_trust(
        code="RHQ", name="Sheffield Teaching", trust_type="Acute", region="North East and Yorkshire"
    )
    user = make_user(("coordinator", alliance))
    assert login(user).status_code == 302
    return alliance


def _preview(client, text: bytes | str):
    page = client.get("/alliances/imports-x/members/import")
    assert page.status_code == 200
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/alliances/imports-x/members/import",
        data={"csrf_token": csrf_token(page.text), "members": (io.BytesIO(data), "members.csv")},
        content_type="multipart/form-data",
    )


def _counts():
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(Trust.id))),
        db.session.scalar(select(func.count(Membership.id))),
        db.session.scalar(select(func.count(MembershipRequest.id))),
    )


FILE = (
    HEADER + "RFF,Barnsley Hospital,Acute,North East and Yorkshire,Multi-service network\n"
    "RHQ,Sheffield Teaching,Acute,North East and Yorkshire,Multi-service network\n"
    "RP5,Doncaster and Bassetlaw,Acute,North East and Yorkshire,Hospital group\n"
)
ASKED = "Asked of a site administrator, who adds it"


def _actions(response) -> list[tuple[str, str]]:
    page = BeautifulSoup(response.text, "html.parser")
    rows = [
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in page.select(".import-preview tbody tr")
    ]
    return [(r[1], r[-1]) for r in rows]


def test_preview_then_request_then_an_administrator_adds(app, client, coordinator, make_user):
    admin = make_user(("site_admin", None))
    before = _counts()
    response = _preview(client, "\ufeff" + FILE)
    assert response.status_code == 200, response.text
    assert _counts() == before  # the preview saves nothing
    # A trust registered for another alliance (RHQ) and a new one (RP5) read alike.
    assert _actions(response) == [("RFF", "Already a member"), ("RHQ", ASKED), ("RP5", ASKED)]
    form = BeautifulSoup(response.text, "html.parser").find(
        "form", action="/alliances/imports-x/members/import/confirm"
    )
    assert form.button.get_text(strip=True) == "Ask for 2 members to be added"
    data = {tag["name"]: tag["value"] for tag in form.find_all("input")}
    done = client.post("/alliances/imports-x/members/import/confirm", data=data)
    assert done.status_code == 302
    assert _counts() == (before[0], before[1], 2)  # nothing joins until an administrator says
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "alliance.members_requested")
    ).one()
    assert event.after == {"codes": ["RHQ", "RP5"]}
    assert db.session.scalars(select(OutboxEmail.recipient)).all() == [admin.email]
    again = _preview(client, FILE)  # asking twice changes nothing
    assert "nothing to import" in again.text
    assert ("RHQ", "Already asked; waiting for a site administrator") in _actions(again)

    admin_client = app.test_client()
    page = admin_client.get("/auth/sign-in")
    admin_client.post(
        "/auth/sign-in",
        data={"email": admin.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    home = admin_client.get("/admin/")
    assert "Registered as Sheffield Teaching" in home.text and "New to this service" in home.text
    for request in db.session.scalars(select(MembershipRequest)).all():
        answer = admin_client.post(
            f"/admin/membership-requests/{request.id}",
            data={"csrf_token": csrf_token(home.text), "answer": "approve"},
        )
        assert answer.status_code == 302
    assert _counts() == (before[0] + 1, before[1] + 2, 2)
    joined = client.get("/alliances/imports-x/").text
    assert "Doncaster and Bassetlaw" in joined and "Sheffield Teaching" in joined


def test_the_import_is_no_oracle_for_trusts_outside_the_alliance(client, coordinator):
    """Red team finding 3: a wrong name for RHQ used to answer with its registered name, type
    and region. Now a registered code outside the alliance reads exactly like an unknown one."""
    before = _counts()
    registered = _preview(client, HEADER + "RHQ,Guessed Name,Mental health,London,Hospital group\n")
    unknown = _preview(client, HEADER + "RZZ,Guessed Name,Mental health,London,Hospital group\n")
    assert registered.status_code == unknown.status_code == 200
    assert _actions(registered) == [("RHQ", ASKED)] and _actions(unknown) == [("RZZ", ASKED)]
    for leaked in ("Sheffield Teaching", "North East and Yorkshire", "already known"):
        assert leaked not in registered.text
    assert _without_tokens(registered.text).replace("RHQ", "RZZ") == _without_tokens(
        unknown.text
    ).replace("RHQ", "RZZ")
    assert _counts() == before


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which carry a timestamp: two previews a second apart
    differ there and only there; nor its script nonce, fresh on every response."""
    html = re.sub(r'(<input[^>]*name="csrf_token"[^>]*value=")[^"]*', r"\1", html)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)


def test_a_member_that_differs_is_refused(client, coordinator):
    before = _counts()
    response = _preview(client, HEADER + "RFF,Barnsley Hospitals,Acute,London,Hospital group\n")
    assert response.status_code == 400
    (problem,) = [
        li.get_text(" ", strip=True)
        for li in BeautifulSoup(response.text, "html.parser").select(
            ".nhsuk-error-summary__list li"
        )
    ]
    assert problem.startswith(
        'Line 2: member RFF is "Barnsley Hospital" '
        "(Acute, North East and Yorkshire); its name, region in the file "
        "differ"
    )
    assert _counts() == before


def test_a_tampered_confirmation_is_checked_again(client, coordinator):
    page = client.get("/alliances/imports-x/members/import")
    before = _counts()
    response = client.post(
        "/alliances/imports-x/members/import/confirm",
        data={
            "csrf_token": csrf_token(page.text),
            "csv_text": HEADER + "RP5,Doncaster,Acute,North,Hospital group\nBAD!,x,y,z,w\n",
        },
    )
    assert response.status_code == 400
    assert "Line 3, trust code" in response.text
    assert _counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe t\x00r\x00", "The file is not UTF-8 text"),
        (b"x" * 200_001, "The file is too large"),
    ],
)
def test_unreadable_files_are_refused(client, coordinator, data, message):
    before = _counts()
    response = _preview(client, data)
    assert response.status_code == 400
    assert message in response.text
    assert _counts() == before


def test_no_file_and_no_token_are_refused(client, coordinator):
    page = client.get("/alliances/imports-x/members/import")
    response = client.post(
        "/alliances/imports-x/members/import",
        data={"csrf_token": csrf_token(page.text)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "Choose the CSV file to preview" in response.text
    response = client.post("/alliances/imports-x/members/import/confirm", data={"csv_text": FILE})
    assert response.status_code == 400
    assert _counts()[1] == 1


def test_a_lone_carriage_return_ends_a_line():
    """Older Mac spreadsheets end lines with a carriage return alone (issue #13, finding 8)."""
    members, problems = parse_members(FILE.replace("\n", "\r"))
    assert problems == []
    assert [m.code for m in members] == ["RFF", "RHQ", "RP5"]


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        (
            HEADER + "RFF,Barnsley\rHospital,Acute,North East and Yorkshire,Hospital group\n",
            400,
            "Line 2: expected 5 values, found 2",
        ),
        (
            HEADER + "RHQ,Sheffield Teaching,Acute,North East and Yorkshire,Hospital group\n"
            "RP5,Doncaster\x00,Acute,North,Hospital group\n",
            400,
            "Line 3: the file contains a NUL character",
        ),
        (
            HEADER.replace("\n", "\r") + "RHQ,Sheffield,Acute,North,x\r\x00\r",
            400,
            "Line 3: the file contains a NUL character",
        ),
        (
            HEADER + f'RFF,"{"x" * 140_000}",Acute,North,Hospital group\n',
            400,
            "Line 2: the file cannot be read as CSV",
        ),
        (
            HEADER + "RFF,Barnsley\x0bHospital,Acute,North,Hospital group\n",
            400,
            "Line 2: the file contains a control character (U+000B)",
        ),
    ],
    ids=["carriage-return-in-a-line", "nul", "nul-after-carriage-returns", "huge-field", "control"],
)
def test_text_the_reader_cannot_take_is_refused_at_the_preview(
    client, coordinator, text, status, message
):
    before = _counts()
    response = _preview(client, text)
    assert response.status_code == status, response.text
    problems = [
        li.get_text(" ", strip=True)
        for li in BeautifulSoup(response.text, "html.parser").select(
            ".nhsuk-error-summary__list li"
        )
    ]
    assert any(p.startswith(message) for p in problems), problems
    assert not BeautifulSoup(response.text, "html.parser").find(
        "form", action="/alliances/imports-x/members/import/confirm"
    )
    assert _counts() == before
