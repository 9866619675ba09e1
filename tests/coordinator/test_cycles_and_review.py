"""The coordinator opens and closes cycles and reviews submitted self-assessments."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.assessments.snapshots import import_framework
from selfassess.extensions import db
from selfassess.models import (
    Answer,
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    CycleState,
    FrameworkSnapshot,
    SnapshotQuestion,
)
from tests.conftest import count_queries, csrf_token

FRAMEWORK = "alliance-maturity-1.0"


@pytest.fixture
def alliance_world(app, make_alliance, make_trust, make_membership, make_user, login):
    alliance = make_alliance()
    trusts = [make_trust() for _ in range(3)]
    for trust in trusts[:2]:
        make_membership(alliance, trust)
    make_membership(alliance, trusts[2], active=False, left_on=date(2025, 3, 31))
    coordinator = make_user(("coordinator", alliance))
    login(coordinator)
    return alliance, trusts, coordinator


def _open(client, alliance, name="2027/28", closes_on=None, framework=FRAMEWORK):
    page = client.get(f"/alliances/{alliance.slug}/cycles/new")
    assert page.status_code == 200
    return client.post(
        f"/alliances/{alliance.slug}/cycles/new",
        data={
            "csrf_token": csrf_token(page.text),
            "name": name,
            "framework": framework,
            "closes_on": (closes_on or date.today() + timedelta(days=60)).isoformat(),
        },
    )


def test_opening_a_cycle_snapshots_the_framework_and_creates_assessments(client, alliance_world):
    alliance, trusts, coordinator = alliance_world
    response = _open(client, alliance)
    assert response.status_code == 302
    cycle = db.session.scalar(select(Cycle).where(Cycle.alliance_id == alliance.id))
    assert response.headers["Location"] == f"/alliances/{alliance.slug}/cycles/{cycle.id}/"
    assert cycle.state == CycleState.OPEN and cycle.opens_on == date.today()
    snapshot = db.session.get(FrameworkSnapshot, cycle.snapshot_id)
    assert (snapshot.framework_key, snapshot.version) == ("alliance-maturity", "1.0")
    assessments = db.session.scalars(select(Assessment).where(Assessment.cycle_id == cycle.id))
    members = {a.membership.trust_id for a in assessments}
    assert members == {trusts[0].id, trusts[1].id}, "only active members get an assessment"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cycle.opened"))
    assert event.actor_id == coordinator.id and event.after["assessments"] == 2
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    for trust in trusts[:2]:
        assert trust.name in page.text
    assert trusts[2].name not in page.text


def test_a_second_open_cycle_and_a_taken_name_are_refused(client, alliance_world):
    alliance, _, _ = alliance_world
    assert _open(client, alliance).status_code == 302
    again = _open(client, alliance, name="2028/29")
    assert again.status_code == 400
    assert "Close the 2027/28 cycle before opening another" in again.text
    assert 'value="2028/29"' in again.text, "the typed name is kept"
    cycle = db.session.scalar(select(Cycle))
    cycle.state = CycleState.CLOSED
    db.session.commit()
    same_name = _open(client, alliance, name="2027/28")
    assert same_name.status_code == 400
    assert "There is already a cycle called 2027/28" in same_name.text
    assert db.session.scalar(select(Cycle).where(Cycle.name == "2028/29")) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter a name for the cycle"),
        ("framework", "", "Choose the framework version"),
        ("framework", "../../etc", "Not a valid choice"),
        ("closes_on", "31/03/2027", "Closing date must be a real date"),
        ("closes_on-year", "", "Closing date must include a year"),
        ("closes_on", "2020-01-01", "The closing date must be today or in the future"),
    ],
)
def test_open_cycle_form_errors_keep_input(client, alliance_world, field, value, message):
    alliance, _, _ = alliance_world
    page = client.get(f"/alliances/{alliance.slug}/cycles/new")
    data = {
        "csrf_token": csrf_token(page.text),
        "name": "2027/28",
        "framework": FRAMEWORK,
        "closes_on": "2099-03-31",
        field: value,
    }
    if field == "closes_on-year":  # typed in the three boxes, the year left out
        data.pop("closes_on")
        data.update({"closes_on-day": "31", "closes_on-month": "3"})
    response = client.post(f"/alliances/{alliance.slug}/cycles/new", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert "There is a problem" in response.text
    if field != "name":
        assert 'value="2027/28"' in response.text
    assert db.session.scalar(select(Cycle)) is None


def test_closing_waits_for_the_closing_date(client, alliance_world):
    alliance, _, _ = alliance_world
    _open(client, alliance)
    cycle = db.session.scalar(select(Cycle))
    page = client.get(f"/alliances/{alliance.slug}/cycles/{cycle.id}/")
    token = csrf_token(page.text)
    assert f"/cycles/{cycle.id}/close/check" not in page.text  # not offered before the date
    assert "60 days left: you can close 2027/28 from" in page.text
    check = client.get(f"/alliances/{alliance.slug}/cycles/{cycle.id}/close/check")
    assert "can be closed on or after that date" in check.text
    assert 'action="/alliances/' not in check.text.split("<h1")[1]  # no close form
    early = client.post(
        f"/alliances/{alliance.slug}/cycles/{cycle.id}/close",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "can be closed on or after that date" in early.text
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).state == CycleState.OPEN
    cycle.closes_on = date.today()
    db.session.commit()
    page = client.get(f"/alliances/{alliance.slug}/cycles/{cycle.id}/")
    assert f"/cycles/{cycle.id}/close/check" in page.text
    check = client.get(f"/alliances/{alliance.slug}/cycles/{cycle.id}/close/check").text
    assert "will be recorded as <strong>Not submitted</strong>" in check
    assert "a closed cycle cannot be opened again" in check
    client.post(f"/alliances/{alliance.slug}/cycles/{cycle.id}/close", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).state == CycleState.CLOSED
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "cycle.closed"))
        == "cycle.closed"
    )


def _submitted(app, alliance, trust, cycle_name="2026/27", answered=True) -> Assessment:
    """A submitted assessment of ``trust`` in a new open cycle of ``alliance``."""
    snapshot = import_framework(Path(app.config["QUESTIONS_DIR"]) / FRAMEWORK)
    cycle = Cycle(
        alliance_id=alliance.id,
        name=cycle_name,
        snapshot=snapshot,
        state="open",
        opens_on=date(2026, 4, 1),
        closes_on=date(2099, 3, 31),
    )
    db.session.add(cycle)
    db.session.flush()
    membership = next(m for m in alliance.memberships if m.trust_id == trust.id)
    assessment = Assessment(
        cycle_id=cycle.id, membership_id=membership.id, state=AssessmentState.SUBMITTED
    )
    db.session.add(assessment)
    db.session.flush()
    questions = (
        db.session.scalars(
            select(SnapshotQuestion).where(SnapshotQuestion.snapshot_id == snapshot.id)
        )
        if answered
        else []
    )
    for q in questions:
        value = {"maturity": "3", "yes_no": "yes", "metric": "50", "text": "Notes"}[q.kind]
        db.session.add(Answer(assessment_id=assessment.id, question_id=q.id, value=value))
    db.session.commit()
    return assessment


def test_review_return_and_validate(
    app, client, alliance_world, make_alliance, make_trust, make_membership, make_user
):
    alliance, trusts, _ = alliance_world
    assessment = _submitted(app, alliance, trusts[0])
    base = f"/alliances/{alliance.slug}/assessments/{assessment.id}/"
    with count_queries() as queries:
        page = client.get(base)
    assert page.status_code == 200
    assert "Level 3:" in page.text and "Validate self-assessment" in page.text
    # 14, one for the evidence files every question cites, nine for the confidence flags, one
    # for the review threads, one for the latest return and one for the levels several
    # respondents chose (issue #18): a fixed number, whatever the framework's or the
    # alliance's size.
    assert len(queries) <= 27, "the review page reads the snapshot and answers in bulk"
    token = csrf_token(page.text)

    empty = client.post(base + "return", data={"csrf_token": token, "comment": "   "})
    assert empty.status_code == 400
    assert "Enter a comment saying what the trust needs to revise" in empty.text
    returned = client.post(base + "return", data={"csrf_token": token, "comment": "Add GOV-1"})
    assert returned.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).state == AssessmentState.RETURNED

    # A returned assessment cannot be validated until resubmitted.
    refused = client.post(base + "validate", data={"csrf_token": token})
    assert refused.status_code == 409
    assessment = db.session.get(Assessment, assessment.id)
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    assert client.post(base + "validate", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    final = db.session.get(Assessment, assessment.id)
    assert final.state == AssessmentState.VALIDATED and final.overall_index is not None

    history = client.get(base + "history")
    assert history.status_code == 200
    assert "Validated" in history.text and "Returned for revision" in history.text
    assert "Add GOV-1" in history.text

    # Another alliance's coordinator: 403 on the alliance; this alliance's URL with another
    # alliance's assessment id: 404.
    other = make_alliance()
    make_membership(other, trusts[0])
    other_assessment = _submitted(app, other, trusts[0], "Other", answered=False).id
    assert (
        client.get(f"/alliances/{alliance.slug}/assessments/{other_assessment}/").status_code == 404
    )
    assert client.get(f"/alliances/{other.slug}/assessments/{other_assessment}/").status_code == 403


def test_validating_goes_through_a_check_page(app, client, alliance_world):
    alliance, trusts, _ = alliance_world
    assessment = _submitted(app, alliance, trusts[0])
    base = f"/alliances/{alliance.slug}/assessments/{assessment.id}/"
    review = client.get(base).text
    assert f'href="{base}validate/check"' in review
    assert f'action="{base}validate"' not in review  # one click no longer validates
    check = client.get(base + "validate/check")
    assert check.status_code == 200
    assert "its answers become final" in check.text
    client.post(base + "validate", data={"csrf_token": csrf_token(check.text)})
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).state == AssessmentState.VALIDATED
    again = client.get(base + "validate/check")
    assert again.status_code == 302 and again.headers["Location"] == base
    assert "so it cannot be validated" in client.get(base).text


def test_the_home_says_what_needs_doing_and_offers_only_what_is_possible(
    app, client, alliance_world
):
    alliance, trusts, _ = alliance_world
    home = client.get(f"/alliances/{alliance.slug}/").text
    assert "Open a new cycle" in home
    _open(client, alliance)
    home = BeautifulSoup(client.get(f"/alliances/{alliance.slug}/").text, "html.parser")
    needs = [li.get_text(" ", strip=True) for li in home.select(".needs-doing li")]
    total = db.session.query(Assessment).count()
    assert any(
        f"{total} of {total} members have not started 2027/28" in n and "60 days left" in n
        for n in needs
    ), needs
    assert not [a for a in home.find_all("a") if a.get_text(strip=True) == "Open a new cycle"]
    assert "You can open a new cycle once 2027/28 is closed" in home.get_text(" ")
    form_page = client.get(f"/alliances/{alliance.slug}/cycles/new").text
    assert (
        "The 2027/28 cycle is still open" in form_page and "<form" not in form_page.split("<h1")[1]
    )
    _submitted(app, alliance, trusts[0], cycle_name="2027/28 extra")
    home = BeautifulSoup(client.get(f"/alliances/{alliance.slug}/").text, "html.parser")
    needs = [li.get_text(" ", strip=True) for li in home.select(".needs-doing li")]
    assert "1 self-assessment is waiting for your review in 2027/28 extra" in needs


def test_a_coordinator_extends_an_open_cycles_deadline_later_only(client, alliance_world):
    alliance, _, _ = alliance_world
    _open(client, alliance)
    cycle = db.session.scalar(select(Cycle))
    old = cycle.closes_on
    url = f"/alliances/{alliance.slug}/cycles/{cycle.id}/"
    token = csrf_token(client.get(url).text)
    earlier_day = old - timedelta(days=1)
    earlier = earlier_day.isoformat()
    refused = client.post(url + "deadline", data={"csrf_token": token, "closes_on": earlier})
    assert refused.status_code == 400
    assert "must be after the current one" in refused.text
    kept = BeautifulSoup(refused.text, "html.parser")  # what was typed is kept, in three boxes
    assert [kept.find(id=f"closes_on-{part}")["value"] for part in ("day", "month", "year")] == [
        str(earlier_day.day),
        str(earlier_day.month),
        str(earlier_day.year),
    ]
    later = old + timedelta(days=14)
    done = client.post(url + "deadline", data={"csrf_token": token, "closes_on": later.isoformat()})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).closes_on == later
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "cycle.deadline_extended")
    ).one()
    assert (event.before, event.after) == (
        {"closes_on": old.isoformat()},
        {"closes_on": later.isoformat()},
    )
    assert f"now closes on {later:%-d %B %Y}" in client.get(url).text
