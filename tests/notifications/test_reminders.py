"""Deadline reminders: 14, 7 and 1 days before closing, to trusts not yet submitted, each once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import (
    Answer,
    Assessment,
    Cycle,
    DeadlineReminder,
    FrameworkSnapshot,
    Notification,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
)
from selfassess.notifications.reminders import send_due_reminders

CLOSES = date(2027, 3, 31)


def _cycle(people, *, states: dict[str, str]) -> dict[str, Assessment]:
    snapshot = FrameworkSnapshot(
        framework_key="remind", version="1", title="Reminders", content_hash="r" * 64, scale=[]
    )
    db.session.add(snapshot)
    db.session.flush()
    domain = SnapshotDomain(
        snapshot_id=snapshot.id,
        code="REL",
        name="Relationships",
        description="",
        weight=1,
        position=1,
    )
    standard = SnapshotStandard(
        snapshot_id=snapshot.id,
        code="REL-1",
        statement="S",
        core=True,
        target=3,
        weight=1,
        guidance="",
        position=1,
    )
    standard.questions = [
        SnapshotQuestion(
            snapshot_id=snapshot.id,
            code=f"REL-1.{n}",
            kind="yes_no",
            text="Q?",
            guidance="",
            required=True,
            weight=1,
            position=n,
            options={"yes_level": 5},
        )
        for n in (1, 2, 3, 4)
    ]
    domain.standards.append(standard)
    db.session.add(domain)
    cycle = Cycle(
        alliance_id=people.x.id,
        name="2026/27",
        snapshot_id=snapshot.id,
        state="open",
        opens_on=date(2026, 4, 1),
        closes_on=CLOSES,
    )
    db.session.add(cycle)
    db.session.flush()
    found = {}
    for key, state in states.items():
        found[key] = Assessment(
            cycle_id=cycle.id, membership_id=people.members[key].id, state=state
        )
        db.session.add(found[key])
    db.session.flush()
    first = standard.questions[0]
    db.session.add(Answer(assessment_id=found["xa"].id, question_id=first.id, value="yes"))
    db.session.commit()
    return found


def _reminders() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Notification.user_id, Notification.title)
        .where(Notification.category == "reminder")
        .order_by(Notification.id)
    )
    return [(user_id, title) for user_id, title in rows]


def test_each_threshold_reminds_unsubmitted_trusts_once(app, people, sink):
    _cycle(people, states={"xa": "in_progress", "xb": "submitted"})
    user_a = people.users["user_a"]
    assert send_due_reminders(CLOSES - timedelta(days=15)) == 0
    assert send_due_reminders(CLOSES - timedelta(days=14)) == 1
    assert send_due_reminders(CLOSES - timedelta(days=14)) == 0  # the same day, run again
    assert send_due_reminders(CLOSES - timedelta(days=10)) == 0
    assert send_due_reminders(CLOSES - timedelta(days=7)) == 1
    assert send_due_reminders(CLOSES - timedelta(days=7)) == 0
    assert send_due_reminders(CLOSES - timedelta(days=1)) == 1
    assert send_due_reminders(CLOSES - timedelta(days=1)) == 0
    assert send_due_reminders(CLOSES) == 0
    assert _reminders() == [
        (user_a.id, "14 days left to submit your 2026/27 assessment"),
        (user_a.id, "7 days left to submit your 2026/27 assessment"),
        (user_a.id, "1 day left to submit your 2026/27 assessment"),
    ]  # Trust Bravo submitted; Alliance Yankee's users hear nothing
    text = sink.to(user_a.email)[-1].get_content()
    assert "closes tomorrow (31 March 2027)" in text
    assert "So far 1 of 4 questions are answered." in text
    assert "you are a user for Trust Alpha in Alliance Xray" in text


def test_a_late_run_sends_only_the_most_urgent_reminder(app, people, sink):
    assessments = _cycle(people, states={"xa": "returned", "xb": "not_started"})
    assert send_due_reminders(CLOSES - timedelta(days=5)) == 2
    assert [t for _, t in _reminders()] == ["5 days left to submit your 2026/27 assessment"] * 2
    assert (
        db.session.scalar(
            select(func.count(DeadlineReminder.id)).where(
                DeadlineReminder.assessment_id == assessments["xa"].id
            )
        )
        == 2
    )  # 14 and 7: dealt with
    assert "returned for revision" in sink.to(people.users["user_a"].email)[0].get_content()
    assert send_due_reminders(CLOSES - timedelta(days=4)) == 0


def test_a_reminder_already_claimed_elsewhere_is_not_sent_again(app, people, sink):
    assessments = _cycle(people, states={"xa": "in_progress"})
    # Another consumer got there first (its row is committed).
    db.session.add(DeadlineReminder(assessment_id=assessments["xa"].id, days_before=7))
    db.session.commit()
    assert send_due_reminders(CLOSES - timedelta(days=7)) == 0
    assert _reminders() == []
