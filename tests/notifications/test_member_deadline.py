"""One member's own deadline (#17 point 3): a coordinator gives a trust longer than the cycle.

The member's pages, "what needs doing", reminders and the rule for closing the cycle all count to
the member's date; other members keep the cycle's. Bad dates are refused with the typed date and
reason shown again; another alliance's coordinator cannot reach the page at all (404).
"""

from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, CycleState, DeadlineReminder
from selfassess.notifications.reminders import send_due_reminders
from tests.notifications.conftest import TODAY, assessment_of
from tests.notifications.test_notification_triggers import _open_cycle, _post, _signed_in
from tests.stable_page import cell_text


def _deadline_url(people, assessment) -> str:
    return f"/alliances/{people.x.slug}/assessments/{assessment.id}/deadline"


def test_a_coordinator_gives_one_member_longer_and_only_that_member_counts_to_it(app, people, sink):
    cycle = _open_cycle(app, people)
    alpha, bravo = assessment_of(people.members["xa"]), assessment_of(people.members["xb"])
    coordinator = _signed_in(app, people.users["coord_x"])
    url = _deadline_url(people, alpha)
    later = cycle.closes_on + timedelta(days=21)
    response = _post(
        coordinator, url, url, {"extended_until": later.isoformat(), "reason": "New lead"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert alpha.extended_until == later and bravo.extended_until is None
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assessment.deadline_extended")
    ).one()
    assert (event.before, event.after) == (
        {"deadline": cycle.closes_on.isoformat(), "cycle_closes_on": cycle.closes_on.isoformat()},
        {"deadline": later.isoformat(), "reason": "New lead"},
    )
    assert event.entity_id == alpha.id and event.actor_id == people.users["coord_x"].id
    title = f"You have until {later:%-d %B %Y} to submit your 2026/27 assessment"
    assert people.told("cycle")["user_a"][-1] == title
    assert people.told("cycle")["user_b"] == ["The 2026/27 assessment cycle is open"]

    # The coordinator's cycle page says who has an extension.
    page = BeautifulSoup(
        coordinator.get(f"/alliances/{people.x.slug}/cycles/{cycle.id}/").text, "html.parser"
    )
    cells = [cell_text(td) for td in page.select("td.member-deadline")]
    assert sorted(cells) == sorted(
        [f"Extended to {later:%-d %B %Y}", f"{cycle.closes_on:%-d %B %Y}"]
    )
    assert "1 with an extension" in page.text
    history = coordinator.get(f"/alliances/{people.x.slug}/assessments/{alpha.id}/history").text
    assert (
        f"Deadline {cycle.closes_on.isoformat()} → {later.isoformat()}. Reason: New lead" in history
    )

    # Trust A's pages count to its own date; trust B's to the cycle's.
    days = (later - TODAY).days
    trust_a = _signed_in(app, people.users["user_a"])
    home = trust_a.get(f"/trusts/{people.a.code}/").text
    assert f"({days} days left)." in home and f"{later:%-d %B %Y} (extended)" in home
    mine = trust_a.get(f"/trusts/{people.a.code}/assessments/{alpha.id}/").text
    assert f"Closes {later:%-d %B %Y} (your coordinator extended your deadline" in mine
    trust_b = _signed_in(app, people.users["user_b"])
    assert (
        f"({(cycle.closes_on - TODAY).days} days left)."
        in trust_b.get(f"/trusts/{people.b.code}/").text
    )


def test_bad_dates_are_refused_and_what_was_typed_is_kept(app, people, sink):
    cycle = _open_cycle(app, people)
    alpha = assessment_of(people.members["xa"])
    coordinator = _signed_in(app, people.users["coord_x"])
    url = _deadline_url(people, alpha)
    cases = {
        cycle.closes_on.isoformat(): "must be after the cycle",
        (cycle.closes_on - timedelta(days=3)).isoformat(): "must be after the cycle",
        "next Friday": "New deadline for this member must be a real date",
        "": "Enter the new deadline for this member",
    }
    for typed, message in cases.items():
        response = _post(coordinator, url, url, {"extended_until": typed, "reason": "Kept reason"})
        assert response.status_code == 400, typed
        assert message in response.text
        assert "Kept reason" in response.text  # the reason typed is shown again
        if typed[:1].isdigit():  # a date in the wrong place: shown again in its three boxes
            day = date.fromisoformat(typed)
            page = BeautifulSoup(response.text, "html.parser")
            shown = [page.find(id=f"extended_until-{p}")["value"] for p in ("day", "month", "year")]
            assert shown == [str(day.day), str(day.month), str(day.year)]
    too_long = _post(
        coordinator,
        url,
        url,
        {"extended_until": (cycle.closes_on + timedelta(days=1)).isoformat(), "reason": "x" * 501},
    )
    assert too_long.status_code == 400 and "Keep the reason to 500 characters" in too_long.text
    db.session.expire_all()
    assert alpha.extended_until is None
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("%extended"))).all()
        == []
    )


def test_a_date_in_the_past_is_refused_even_after_the_cycles_date(app, people, sink):
    cycle = _open_cycle(app, people)
    cycle.opens_on = TODAY - timedelta(days=60)
    cycle.closes_on = TODAY - timedelta(days=10)  # overdue: the cycle is still open
    db.session.commit()
    alpha = assessment_of(people.members["xa"])
    coordinator = _signed_in(app, people.users["coord_x"])
    url = _deadline_url(people, alpha)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    response = _post(coordinator, url, url, {"extended_until": yesterday})
    assert response.status_code == 400 and "or later" in response.text
    assert _post(coordinator, url, url, {"extended_until": TODAY.isoformat()}).status_code == 302


def test_another_alliances_coordinator_and_trust_users_cannot_extend(app, people, sink):
    """The attack: a coordinator of alliance Y (or a trust user) names X's assessment."""
    cycle = _open_cycle(app, people)
    alpha = assessment_of(people.members["xa"])
    url = _deadline_url(people, alpha)
    data = {"extended_until": (cycle.closes_on + timedelta(days=5)).isoformat()}
    other = _signed_in(app, people.users["coord_y"])
    token_page = f"/alliances/{people.y.slug}/"
    assert _post(other, token_page, url, data).status_code == 403  # not X's coordinator
    own_slug = f"/alliances/{people.y.slug}/assessments/{alpha.id}/deadline"
    assert _post(other, token_page, own_slug, data).status_code == 404  # not Y's assessment
    trust = _signed_in(app, people.users["user_a"])
    assert _post(trust, f"/trusts/{people.a.code}/", url, data).status_code == 403
    db.session.expire_all()
    assert alpha.extended_until is None


def test_a_running_extension_stops_the_cycle_closing_until_its_date(app, people, sink):
    cycle = _open_cycle(app, people)
    alpha, bravo = assessment_of(people.members["xa"]), assessment_of(people.members["xb"])
    coordinator = _signed_in(app, people.users["coord_x"])
    url = _deadline_url(people, alpha)
    _post(coordinator, url, url, {"extended_until": (TODAY + timedelta(days=90)).isoformat()})
    cycle.closes_on = TODAY  # the cycle's own date has come
    db.session.commit()
    cycle_page = f"/alliances/{people.x.slug}/cycles/{cycle.id}/"
    check = coordinator.get(cycle_page + "close/check").text
    assert "has an extension until" in check and "Close 2026/27</button>" not in check
    assert _post(coordinator, cycle_page, cycle_page + "close", {}).status_code == 302
    assert "has an extension until" in coordinator.get(cycle_page).text  # the refusal, flashed
    db.session.expire_all()
    assert cycle.state == CycleState.OPEN
    # Once the member has submitted, its extension no longer holds the cycle open.
    alpha.state = "submitted"
    db.session.commit()
    assert "has an extension" not in coordinator.get(cycle_page + "close/check").text
    assert bravo.extended_until is None


def test_reminders_count_to_the_members_own_deadline(app, people, sink):
    cycle = _open_cycle(app, people)
    alpha = assessment_of(people.members["xa"])
    coordinator = _signed_in(app, people.users["coord_x"])
    url = _deadline_url(people, alpha)
    later = cycle.closes_on + timedelta(days=30)
    assert _post(coordinator, url, url, {"extended_until": later.isoformat()}).status_code == 302
    # The cycle's last day: trust B is reminded, trust A (30 more days) is not.
    assert send_due_reminders(cycle.closes_on - timedelta(days=1)) == 1
    assert "user_a" not in people.told("reminder")
    assert send_due_reminders(later - timedelta(days=7)) == 1
    assert people.told("reminder")["user_a"] == ["7 days left to submit your 2026/27 assessment"]
    text = sink.to(people.users["user_a"].email)[-1].get_content()
    assert f"({later:%-d %B %Y}) for your trust, which has an extension" in text


def test_extending_again_restarts_reminders_from_the_new_date(app, people, sink):
    cycle = _open_cycle(app, people)
    alpha = assessment_of(people.members["xa"])
    coordinator = _signed_in(app, people.users["coord_x"])
    url = _deadline_url(people, alpha)
    first = cycle.closes_on + timedelta(days=10)
    _post(coordinator, url, url, {"extended_until": first.isoformat()})
    assert send_due_reminders(first - timedelta(days=1)) == 1  # every threshold now passed
    second = first + timedelta(days=20)
    _post(coordinator, url, url, {"extended_until": second.isoformat()})
    remaining = db.session.scalars(
        select(DeadlineReminder).where(DeadlineReminder.assessment_id == alpha.id)
    ).all()
    assert remaining == []
    assert send_due_reminders(second - timedelta(days=14)) == 1
    assert people.told("reminder")["user_a"][-1] == "14 days left to submit your 2026/27 assessment"


def test_extending_the_cycle_restarts_reminders_only_where_the_deadline_moved(app, people, sink):
    cycle = _open_cycle(app, people)
    alpha, bravo = assessment_of(people.members["xa"]), assessment_of(people.members["xb"])
    coordinator = _signed_in(app, people.users["coord_x"])
    far = cycle.closes_on + timedelta(days=60)
    url = _deadline_url(people, alpha)
    assert _post(coordinator, url, url, {"extended_until": far.isoformat()}).status_code == 302
    assert send_due_reminders(cycle.closes_on - timedelta(days=14)) == 1  # B only
    assert send_due_reminders(far - timedelta(days=14)) == 1  # A, at its own 14 days
    page = f"/alliances/{people.x.slug}/cycles/{cycle.id}/"
    later = cycle.closes_on + timedelta(days=30)
    response = _post(coordinator, page, page + "deadline", {"closes_on": later.isoformat()})
    assert response.status_code == 302

    def kept(assessment):
        return db.session.scalars(
            select(DeadlineReminder.days_before).where(
                DeadlineReminder.assessment_id == assessment.id
            )
        ).all()

    assert kept(bravo) == []  # its deadline moved: reminded again from the new date
    assert kept(alpha) == [14]  # its own later date did not move
