"""A member's improvement plan: started from an unmet standard on the trust's dashboard
(prefilled from its guidance), kept up to date by the trust's users (audited), read by the
alliance's coordinators (with the overdue list), the mentor of an open buddying pair, and in
the member's report.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import (
    AuditEvent,
    BuddyPair,
    ImprovementAction,
    Membership,
    SnapshotStandard,
    User,
)
from tests.conftest import csrf_token


def _text(html: str, selector: str = "main") -> str:
    found = BeautifulSoup(html, "html.parser").select_one(selector) or BeautifulSoup(
        html, "html.parser"
    )
    return " ".join(found.get_text(" ").split())


def _start_link(client, world) -> str:
    dashboard = f"/trusts/{world.trusts[2].code}/alliances/{world.alliance.slug}/dashboard"
    page = BeautifulSoup(client.get(dashboard).text, "html.parser")
    [link] = page.find_all("a", string="Start an action on GOV-1")
    return link["href"]


def _seen(client, url: str) -> str:
    """The edit page's record of when the action was last saved."""
    return BeautifulSoup(client.get(url).text, "html.parser").find(id="seen")["value"]


def _actions() -> list[ImprovementAction]:
    db.session.expire_all()
    return list(db.session.scalars(select(ImprovementAction).order_by(ImprovementAction.id)))


def test_start_an_action_from_an_unmet_standard_and_others_see_it(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    client = sign_in_as("trust_user", world.trusts[2])
    me = db.session.scalars(select(User).order_by(User.id.desc())).first()
    url = _start_link(client, world)
    assert f"/plan/cycles/{world.cycles[-1].id}/standards/GOV-1/new" in url
    form = BeautifulSoup(client.get(url).text, "html.parser")
    guidance = db.session.scalar(
        select(SnapshotStandard.guidance).where(
            SnapshotStandard.snapshot_id == world.cycles[-1].snapshot_id,
            SnapshotStandard.code == "GOV-1",
        )
    )
    assert form.find("textarea", id="description").get_text().strip() == guidance
    assert form.find("input", id="title")["value"].startswith("Meet GOV-1: ")
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(str(form)),
            "title": "Board signs the MoU",
            "description": "Paper to the March board",
            "owner": str(me.id),
            "due_on": "2027-03-31",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    [action] = _actions()
    assert (action.standard_code, action.cycle_id, action.owner_id, action.due_on) == (
        "GOV-1",
        world.cycles[-1].id,
        me.id,
        date(2027, 3, 31),
    )
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "improvement_action.started")
    ).all()
    assert (event.entity_id, event.trust_id, event.actor_id) == (
        action.id,
        world.trusts[2].id,
        me.id,
    )
    assert event.after["status"] == "in_progress" and event.after["due_on"] == "2027-03-31"
    assert "Board signs the MoU" in _text(client.get(response.headers["Location"]).text)

    coordinator = sign_in_as("coordinator", world.alliance)
    code, slug = world.trusts[2].code, world.alliance.slug
    plan = _text(coordinator.get(f"/alliances/{slug}/members/{code}/plan").text)
    assert "Board signs the MoU" in plan and "In progress" in plan
    report = coordinator.get(
        f"/alliances/{slug}/cycles/{world.cycles[-1].id}/members/{code}/report"
    )
    assert report.status_code == 200
    assert "Board signs the MoU" in _text(report.text, ".report-section:has(.plan-table)")


def test_a_bad_date_or_owner_is_refused_beside_the_field_keeping_what_was_typed(
    scored_alliance, sign_in_as, make_user
):
    world = scored_alliance(4)
    client = sign_in_as("trust_user", world.trusts[2])
    elsewhere = make_user(("trust_user", world.trusts[3]))  # same alliance, another trust
    url = _start_link(client, world)
    token = csrf_token(client.get(url).text)
    typed = {"csrf_token": token, "title": "Typed title", "description": "Typed details"}
    response = client.post(
        url,
        data={
            **typed,
            "owner": str(elsewhere.id),
            "due_on-day": "31",
            "due_on-month": "2",
            "due_on-year": "2027",
            "status": "done",
        },
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert "Due date must be a real date" in page.find(id="due_on-error").get_text()
    assert "Choose an owner from the list" in page.find(id="owner-error").get_text()
    assert page.find("input", id="title")["value"] == "Typed title"
    assert page.find("textarea", id="description").get_text().strip() == "Typed details"
    assert [page.find("input", id=f"due_on-{p}")["value"] for p in ("day", "month", "year")] == [
        "31",
        "2",
        "2027",
    ]
    assert _actions() == []


def test_changes_are_audited_and_overdue_actions_reach_the_coordinator(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    client = sign_in_as("trust_user", world.trusts[2])
    me = db.session.scalars(select(User).order_by(User.id.desc())).first()
    slug, code = world.alliance.slug, world.trusts[2].code
    # Started from the older cycle's results: the plan shows the standard's score since.
    url = f"/trusts/{code}/alliances/{slug}/plan/cycles/{world.cycles[0].id}/standards/GOV-1/new"
    body = {
        "title": "Draft the MoU",
        "description": "",
        "owner": str(me.id),
        "status": "in_progress",
    }
    late = (date.today() - timedelta(days=3)).isoformat()
    token = csrf_token(client.get(url).text)
    assert (
        client.post(url, data={**body, "csrf_token": token, "due_on": "2099-01-31"}).status_code
        == 302
    )
    [action] = _actions()
    edit = f"/trusts/{code}/alliances/{slug}/plan/actions/{action.id}"
    stale = _seen(client, edit)
    response = client.post(edit, data={**body, "csrf_token": token, "due_on": late, "seen": stale})
    assert response.status_code == 302
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "improvement_action.changed")
    ).all()
    assert (event.before, event.after) == ({"due_on": "2099-01-31"}, {"due_on": late})
    plan = _text(client.get(f"/trusts/{code}/alliances/{slug}/plan/").text)
    assert "Overdue" in plan
    assert "2.00 in 2024/25; 2.25 in 2025/26 (+0.25)" in plan

    coordinator = sign_in_as("coordinator", world.alliance)
    home = _text(coordinator.get(f"/alliances/{slug}/").text, ".overdue-actions")
    assert "Draft the MoU" in home and world.trusts[2].name in home and " 3 " in f" {home} "
    # A page loaded before that save is refused, keeping what was typed; nothing changes.
    refused = client.post(
        edit, data={**body, "csrf_token": token, "due_on": "2030-01-01", "seen": stale}
    )
    assert refused.status_code == 409
    assert "A colleague changed this action after you opened the page" in refused.text
    kept = BeautifulSoup(refused.text, "html.parser")
    assert [kept.find(id=f"due_on-{p}")["value"] for p in ("day", "month", "year")] == [
        "1",
        "1",
        "2030",
    ]
    assert _actions()[0].due_on.isoformat() == late
    done = {**body, "csrf_token": token, "due_on": late, "status": "done"}
    assert client.post(edit, data={**done, "seen": _seen(client, edit)}).status_code == 302
    assert "No member's improvement action is past its due date." in _text(
        coordinator.get(f"/alliances/{slug}/").text
    )


def test_the_mentor_sees_its_mentees_plan_while_the_pair_is_open(
    scored_alliance, sign_in_as, make_user
):
    world = scored_alliance(4)
    mentee, mentor = (
        db.session.scalars(
            select(Membership).where(
                Membership.alliance_id == world.alliance.id,
                Membership.trust_id == world.trusts[i].id,
            )
        ).one()
        for i in (2, 0)
    )
    owner = make_user(("trust_user", mentee), name="Mentee Owner")
    pair = BuddyPair(
        alliance_id=world.alliance.id,
        mentor_membership_id=mentor.id,
        mentee_membership_id=mentee.id,
        cycle_id=world.cycles[-1].id,
        focus_standards=["GOV-1"],
        start_date=date(2026, 1, 5),
        status="active",
    )
    db.session.add_all(
        [
            pair,
            ImprovementAction(
                membership_id=mentee.id,
                cycle_id=world.cycles[-1].id,
                standard_code="GOV-1",
                title="Board signs the MoU",
                owner_id=owner.id,
                due_on=date(2027, 3, 31),
            ),
        ]
    )
    db.session.commit()
    client = sign_in_as("trust_user", world.trusts[0])
    url = f"/trusts/{world.trusts[0].code}/buddying/"
    page = _text(client.get(url).text)
    assert f"{world.trusts[2].name}'s improvement plan" in page
    assert "Board signs the MoU" in page and "Mentee Owner" in page
    pair.status, pair.closed_at = "completed", datetime.now(UTC)
    db.session.commit()
    assert "Board signs the MoU" not in _text(client.get(url).text)
