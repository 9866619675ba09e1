"""Alliance X with trusts A and B, alliance Y with trust C (and A again), and their people.

``user_ay`` is a trust A user whose grant covers only A's membership of Y: news about A in X
must never reach them. Mail goes to a local SMTP sink (``sink``), started for every test here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from selfassess import jobs
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    Membership,
    Notification,
    OutboxEmail,
    SnapshotQuestion,
    Trust,
    User,
)
from tests.smtp_sink import SmtpSink, free_port

ANSWER_BY_KIND = {"maturity": "3", "yes_no": "yes", "metric": "50", "text": "Evidence"}


@dataclass
class People:
    x: Alliance
    y: Alliance
    a: Trust
    b: Trust
    c: Trust
    members: dict[str, Membership]
    users: dict[str, User] = field(default_factory=dict)

    def told(self, category: str | None = None) -> dict[str, list[str]]:
        """Per user key, the titles of the notifications they hold (optionally one category)."""
        result: dict[str, list[str]] = {}
        for key, user in self.users.items():
            query = select(Notification.title).where(Notification.user_id == user.id)
            if category:
                query = query.where(Notification.category == category)
            titles = list(db.session.scalars(query.order_by(Notification.id)))
            if titles:
                result[key] = titles
        return result


@pytest.fixture
def sink(app: Any) -> Iterator[SmtpSink]:
    """Mail goes to a local SMTP server (no TLS) for the test; the queue starts empty."""
    server = SmtpSink(free_port())
    server.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_STARTTLS=False, MAIL_TIMEOUT=5
    )
    jobs.huey.flush()
    yield server
    server.stop()
    jobs.huey.flush()


@pytest.fixture
def people(make_alliance, make_trust, make_membership, make_user) -> People:
    x, y = make_alliance(name="Alliance Xray"), make_alliance(name="Alliance Yankee")
    a, b, c = (
        make_trust(name="Trust Alpha"),
        make_trust(name="Trust Bravo"),
        make_trust(name="Trust Charlie"),
    )
    members = {
        "xa": make_membership(x, a),
        "xb": make_membership(x, b),
        "yc": make_membership(y, c),
        "ya": make_membership(y, a),
    }
    users = {
        "coord_x": make_user(("coordinator", x)),
        "coord_y": make_user(("coordinator", y)),
        "lead_x": make_user(("buddying_lead", x)),
        "user_a": make_user(("trust_user", members["xa"])),
        "user_b": make_user(("trust_user", members["xb"])),
        "user_c": make_user(("trust_user", members["yc"])),
        "user_ay": make_user(("trust_user", members["ya"])),
        "admin": make_user(("site_admin", None)),
    }
    return People(x=x, y=y, a=a, b=b, c=c, members=members, users=users)


def answer_everything(assessment: Assessment) -> None:
    """Store a valid answer to every member question (so the assessment can be submitted)."""
    questions = db.session.scalars(
        select(SnapshotQuestion).where(
            SnapshotQuestion.snapshot_id == assessment.cycle.snapshot_id,
            SnapshotQuestion.answered_by == "member",
        )
    )
    for question in questions:
        db.session.add(
            Answer(
                assessment_id=assessment.id,
                question_id=question.id,
                value=ANSWER_BY_KIND[question.kind],
            )
        )
    db.session.commit()


def emails_to(user: User) -> list[OutboxEmail]:
    return list(
        db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.recipient == user.email).order_by(OutboxEmail.id)
        )
    )


def assessment_of(membership: Membership) -> Assessment:
    found = db.session.scalar(
        select(Assessment)
        .where(Assessment.membership_id == membership.id)
        .order_by(Assessment.id.desc())
    )
    assert found is not None
    return found


TODAY = date.today()
