"""Section owners (#17 point 7): a trust user gives a section to a colleague; the task list
shows owners and progress per owner; reminders go to owners of unfinished sections first.

A colleague is someone with a trust-user grant for the same trust in the same alliance. The
attacks: a section given to another trust's user (same alliance), to the same trust's user in
another alliance, to a coordinator, to an id that does not exist, or set from another trust.
"""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, Notification, SectionOwner
from selfassess.notifications import services as notifications
from selfassess.notifications.reminders import send_due_reminders
from tests.notifications.conftest import answer_everything, assessment_of
from tests.notifications.test_notification_triggers import _open_cycle, _post, _signed_in


def _owner_url(people, assessment, section="REL") -> str:
    return f"/trusts/{people.a.code}/assessments/{assessment.id}/sections/{section}/owner"


def _colleague(people, make_user):
    people.users["user_a2"] = make_user(("trust_user", people.members["xa"]), name="Alex Colleague")
    return people.users["user_a2"]


def _assign(client, people, assessment, owner, section="REL"):
    url = _owner_url(people, assessment, section)
    return _post(client, url, url, {"owner": "" if owner is None else str(owner)})


def test_a_section_given_to_a_colleague_shows_on_the_task_list_and_tells_them(
    app, people, sink, make_user
):
    _open_cycle(app, people)
    colleague = _colleague(people, make_user)
    alpha = assessment_of(people.members["xa"])
    me = _signed_in(app, people.users["user_a"])
    form = me.get(_owner_url(people, alpha)).text
    assert "Alex Colleague" in form and people.users["user_b"].name not in form
    assert _assign(me, people, alpha, colleague.id).status_code == 302
    row = db.session.scalars(select(SectionOwner)).one()
    assert (row.assessment_id, row.section, row.user_id) == (alpha.id, "REL", colleague.id)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "section.owner_changed")
    ).one()
    assert (event.before, event.after) == (
        {"section": "REL", "owner_id": None, "owner": None},
        {"section": "REL", "owner_id": colleague.id, "owner": "Alex Colleague"},
    )
    assert event.actor_id == people.users["user_a"].id and event.entity_id == alpha.id
    told = people.told("section")
    assert told == {"user_a2": ["You own the Relationships section of the 2026/27 assessment"]}
    email = sink.to(colleague.email)[-1].get_content()
    assert f"/trusts/{people.a.code}/assessments/{alpha.id}/sections/REL" in email

    page = BeautifulSoup(
        me.get(f"/trusts/{people.a.code}/assessments/{alpha.id}/").text, "html.parser"
    )
    owners = [o.get_text(" ", strip=True) for o in page.select(".task-owner")]
    assert owners[0].startswith("Owner: Alex Colleague")
    assert all(o.startswith("No owner") for o in owners[1:])
    progress = [li.get_text(" ", strip=True) for li in page.select(".owner-progress li")]
    assert progress == [
        "Alex Colleague: 0 of 1 section completed",
        f"No owner: 0 of {len(owners) - 1} sections completed",
    ]

    # Nobody again: audited, nobody told.
    assert _assign(me, people, alpha, None).status_code == 302
    assert db.session.scalars(select(SectionOwner)).all() == []
    assert len(people.told("section")["user_a2"]) == 1

    # The coordinator's history of the assessment says who owned what, in words.
    coordinator = _signed_in(app, people.users["coord_x"])
    history = coordinator.get(f"/alliances/{people.x.slug}/assessments/{alpha.id}/history").text
    assert "Section owner changed: REL" in history
    assert "Owner nobody → Alex Colleague" in history and "Owner Alex Colleague → nobody" in history


def test_only_a_colleague_of_the_same_trust_and_alliance_can_be_owner(app, people, sink, make_user):
    """The attack: a forged choice naming someone who may not see this assessment."""
    _open_cycle(app, people)
    alpha = assessment_of(people.members["xa"])
    me = _signed_in(app, people.users["user_a"])
    for outsider in (
        people.users["user_b"].id,  # another trust in the same alliance
        people.users["user_ay"].id,  # the same trust, but its grant is for another alliance
        people.users["coord_x"].id,  # the alliance's coordinator: not a trust user
        999999,  # no such account
        "1 OR 1=1",
        "-5",
    ):
        response = _assign(me, people, alpha, outsider)
        assert response.status_code == 400, outsider
        assert "Choose a colleague from the list, or nobody" in response.text
    assert db.session.scalars(select(SectionOwner)).all() == []
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("section.%"))).all()
        == []
    )
    assert (
        db.session.scalars(select(Notification).where(Notification.category == "section")).all()
        == []
    )


def test_another_trusts_user_cannot_reach_the_owner_page(app, people, sink):
    _open_cycle(app, people)
    alpha = assessment_of(people.members["xa"])
    bravo = assessment_of(people.members["xb"])
    other = _signed_in(app, people.users["user_b"])
    home = f"/trusts/{people.b.code}/"
    data = {"owner": str(people.users["user_b"].id)}
    assert _post(other, home, _owner_url(people, alpha), data).status_code == 403  # A's code
    own_code = f"/trusts/{people.b.code}/assessments/{alpha.id}/sections/REL/owner"
    assert _post(other, home, own_code, data).status_code == 404  # A's assessment, B's code
    me = _signed_in(app, people.users["user_a"])
    assert me.get(_owner_url(people, bravo)).status_code == 404
    assert me.get(_owner_url(people, alpha, "NOPE")).status_code == 404
    assert db.session.scalars(select(SectionOwner)).all() == []


def test_a_submitted_assessment_offers_no_owner_change(app, people, sink, make_user):
    _open_cycle(app, people)
    colleague = _colleague(people, make_user)
    alpha = assessment_of(people.members["xa"])
    answer_everything(alpha)
    me = _signed_in(app, people.users["user_a"])
    mine = f"/trusts/{people.a.code}/assessments/{alpha.id}/"
    assert _post(me, mine, mine + "submit", {}).status_code == 302
    assert "/owner" not in me.get(mine).text
    assert "can no longer change" in me.get(_owner_url(people, alpha)).text
    response = _assign(me, people, alpha, colleague.id)
    assert response.status_code == 400 and "can no longer change" in response.text
    assert db.session.scalars(select(SectionOwner)).all() == []


def test_choosing_yourself_tells_nobody_and_a_turned_off_category_sends_no_email(
    app, people, sink, make_user
):
    _open_cycle(app, people)
    colleague = _colleague(people, make_user)
    alpha = assessment_of(people.members["xa"])
    me = _signed_in(app, people.users["user_a"])
    assert _assign(me, people, alpha, people.users["user_a"].id).status_code == 302
    assert people.told("section") == {}
    notifications.set_email_choices(colleague, set())
    db.session.commit()
    assert _assign(me, people, alpha, colleague.id, section="VIS").status_code == 302
    assert len(people.told("section")["user_a2"]) == 1  # still in the list
    assert sink.to(colleague.email) == []


def test_reminders_go_to_owners_of_unfinished_sections_first(app, people, sink, make_user):
    cycle = _open_cycle(app, people)
    colleague = _colleague(people, make_user)
    alpha = assessment_of(people.members["xa"])
    me = _signed_in(app, people.users["user_a"])
    sections = [
        a["href"].split("/sections/")[1]
        for a in BeautifulSoup(
            me.get(f"/trusts/{people.a.code}/assessments/{alpha.id}/").text, "html.parser"
        ).select("a.task-name")
    ]
    # Only REL owned: the owner hears of REL, the others of the sections nobody owns.
    assert _assign(me, people, alpha, colleague.id).status_code == 302
    assert send_due_reminders(cycle.closes_on - timedelta(days=14)) == 2  # trusts A and B
    bodies = {
        n.user_id: n.body
        for n in db.session.scalars(select(Notification).where(Notification.category == "reminder"))
    }
    assert "Sections assigned to you still to finish: Relationships." in bodies[colleague.id]
    assert "Sections with no owner still to finish: " in bodies[people.users["user_a"].id]
    assert "Relationships" not in bodies[people.users["user_a"].id].split("no owner")[1]
    assert "Sections" not in bodies[people.users["user_b"].id]  # trust B: no owners, as before

    # Every section owned (by the colleague, or by me): each hears only of their own.
    for code in sections[1:]:
        owner = people.users["user_a"] if code == sections[-1] else colleague
        assert _assign(me, people, alpha, owner.id, section=code).status_code == 302
    before = db.session.scalar(select(Notification.id).order_by(Notification.id.desc()))
    assert send_due_reminders(cycle.closes_on - timedelta(days=7)) == 2
    new = db.session.scalars(
        select(Notification).where(Notification.category == "reminder", Notification.id > before)
    ).all()
    mine_a = {n.user_id: n.body for n in new if n.user_id != people.users["user_b"].id}
    assert set(mine_a) == {colleague.id, people.users["user_a"].id}
    assert "Sections with no owner" not in " ".join(mine_a.values())
    assert "Relationships" in mine_a[colleague.id]
    assert "Relationships" not in mine_a[people.users["user_a"].id]
