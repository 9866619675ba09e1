"""Two alliances side by side, for attacks that carry another tenant's ids in the request body.

Alliance A ("Alliance Alpha") has members A1 (needs support), A2 (a possible mentor) and A3 (has
left); alliance B ("Alliance Bravo") has B1 and B2. Each alliance has a closed cycle with
validated, scored assessments and an open cycle with drafts; both use the same framework
snapshot, so question and standard ids are the same on both sides, as they are in production.
Everything of B carries "Bravo" in its name, so a page that shows any of it is easy to catch.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from selfassess.assessments import snapshots
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentScore,
    BuddyPair,
    Cycle,
    CycleState,
    Membership,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
    User,
)
from selfassess.questionbank import FrameworkDocument, load_framework
from tests.conftest import TEST_PASSWORD, csrf_token

FRAMEWORK = "alliance-maturity-1.0"
#: A valid answer for each kind of question.
ANSWER_BY_KIND = {"maturity": "3", "yes_no": "yes", "metric": "50", "text": "Evidence"}
#: Tables whose rows change just because someone signs in or moves between pages.
VOLATILE = {"user_session"}


@functools.cache
def _framework(folder: Path) -> FrameworkDocument:
    return load_framework(folder)


@dataclass
class Tenant:
    """One alliance with its members, cycles, assessments, a buddying pair and its people."""

    alliance: Alliance
    trusts: dict[str, Trust]
    members: dict[str, Membership]
    old: Cycle  # closed, with validated and scored assessments
    now: Cycle  # open, with drafts
    assessments: dict[tuple[str, str], Assessment]  # (trust key, "old" | "now")
    pair: BuddyPair
    users: dict[str, User] = field(default_factory=dict)

    def assessment(self, key: str, cycle: str = "now") -> Assessment:
        return self.assessments[(key, cycle)]


@dataclass
class World:
    app: Flask
    a: Tenant
    b: Tenant
    unmet: str  # the standard A1 (and B1) did not meet in the old cycle
    met: str  # a standard everyone met
    sections: dict[str, list[SnapshotQuestion]]

    def user(self, role: str) -> User:
        """``coord_a``, ``lead_a``, ``user_a1``, ``coord_b``, ``lead_b``, ``user_b1``..."""
        tenant = self.a if role.endswith(("_a", "_a1", "_a2")) else self.b
        return tenant.users[role]

    def sign_in(self, client: FlaskClient, role: str) -> str:
        """Sign in through the real form; return a CSRF token from the user's own home."""
        user = self.user(role)
        page = client.get("/auth/sign-in")
        response = client.post(
            "/auth/sign-in",
            data={
                "email": user.email,
                "password": TEST_PASSWORD,
                "csrf_token": csrf_token(page.text),
            },
        )
        assert response.status_code == 302, f"sign-in as {role} failed"
        home = client.get("/home", follow_redirects=True)
        assert home.status_code == 200
        return csrf_token(home.text)

    def question(self, section: str, index: int = 0) -> SnapshotQuestion:
        return self.sections[section][index]


def state() -> dict[str, list[str]]:
    """Every row of every table but the volatile ones, to show a request changed nothing."""
    db.session.expire_all()
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
        if table.name not in VOLATILE
    }


def _scores(assessment: Assessment, standards: list[SnapshotStandard], unmet: set[str]) -> None:
    for standard in standards:
        score = 1.0 if standard.code in unmet else 5.0
        db.session.add(
            AssessmentScore(
                assessment_id=assessment.id,
                scope="standard",
                code=standard.code,
                score=score,
                score_index=(score - 1) / 4 * 100,
                met=score >= standard.target,
            )
        )


def _tenant(
    letter: str,
    name: str,
    snapshot_id: int,
    standards: list[SnapshotStandard],
    unmet: str,
    make_user: Any,
) -> Tenant:
    alliance = Alliance(
        slug=f"alliance-{name.lower()}", name=f"Alliance {name}", collaboration_type="multi_service"
    )
    db.session.add(alliance)
    db.session.flush()
    keys = [f"{letter}1", f"{letter}2"] + ([f"{letter}3"] if letter == "a" else [])
    trusts = {
        k: Trust(
            code=f"R{k.upper()}X",
            name=f"{name} {k.upper()} NHS Trust",
            trust_type="Acute",
            region=f"{name} Region",
        )
        for k in keys
    }
    db.session.add_all(trusts.values())
    db.session.flush()
    members = {
        k: Membership(
            alliance_id=alliance.id,
            trust_id=t.id,
            active=k[1] != "3",
            collaboration_type="multi_service",
            joined_on=date(2024, 4, 1),
        )
        for k, t in trusts.items()
    }
    db.session.add_all(members.values())
    old = Cycle(
        alliance_id=alliance.id,
        name=f"{name} 2025/26",
        snapshot_id=snapshot_id,
        opens_on=date(2025, 4, 1),
        closes_on=date(2025, 9, 30),
        state=CycleState.CLOSED,
    )
    now = Cycle(
        alliance_id=alliance.id,
        name=f"{name} 2026/27",
        snapshot_id=snapshot_id,
        opens_on=date(2026, 4, 1),
        closes_on=date(2026, 9, 30),
        state=CycleState.OPEN,
    )
    db.session.add_all([old, now])
    db.session.flush()
    assessments: dict[tuple[str, str], Assessment] = {}
    for k in keys:
        done = Assessment(
            cycle_id=old.id,
            membership_id=members[k].id,
            state="validated",
            status="Improvement required" if k.endswith("1") else "Meets standards",
        )
        draft = Assessment(cycle_id=now.id, membership_id=members[k].id, state="not_started")
        db.session.add_all([done, draft])
        db.session.flush()
        _scores(done, standards, {unmet} if k.endswith("1") else set())
        assessments[(k, "old")], assessments[(k, "now")] = done, draft
    # X1 mentors X2, so a lead may still propose X2 as X1's mentor.
    pair = BuddyPair(
        alliance_id=alliance.id,
        mentor_membership_id=members[f"{letter}1"].id,
        mentee_membership_id=members[f"{letter}2"].id,
        cycle_id=old.id,
        focus_standards=[unmet],
        start_date=date(2025, 11, 1),
        status="proposed",
    )
    db.session.add(pair)
    db.session.commit()
    tenant = Tenant(alliance, trusts, members, old, now, assessments, pair)
    tenant.users = {
        f"coord_{letter}": make_user(("coordinator", alliance), name=f"{name} Coordinator"),
        f"lead_{letter}": make_user(("buddying_lead", alliance), name=f"{name} Lead"),
        f"user_{letter}1": make_user(("trust_user", trusts[f"{letter}1"]), name=f"{name} One User"),
        f"user_{letter}2": make_user(("trust_user", trusts[f"{letter}2"]), name=f"{name} Two User"),
    }
    return tenant


@pytest.fixture
def tw(app: Flask, make_user: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setattr(snapshots, "load_framework", _framework)
    snapshot = snapshots.import_framework(Path(app.config["QUESTIONS_DIR"]) / FRAMEWORK)
    db.session.commit()
    standards = list(
        db.session.scalars(
            select(SnapshotStandard)
            .where(SnapshotStandard.snapshot_id == snapshot.id)
            .order_by(SnapshotStandard.id)
        )
    )
    unmet, met = standards[0].code, standards[1].code
    a = _tenant("a", "Alpha", snapshot.id, standards, unmet, make_user)
    b = _tenant("b", "Bravo", snapshot.id, standards, unmet, make_user)
    # Something of B's to lose: an answer in B1's draft and a submitted assessment to review.
    question = db.session.scalars(
        select(SnapshotQuestion)
        .where(SnapshotQuestion.snapshot_id == snapshot.id)
        .order_by(SnapshotQuestion.id)
    ).first()
    assert question is not None
    db.session.add(
        Answer(
            assessment_id=b.assessment("b1").id,
            question_id=question.id,
            value=ANSWER_BY_KIND[question.kind],
            comment="Bravo evidence",
        )
    )
    b.assessment("b1").state = "in_progress"
    b.assessment("b2").state = "submitted"
    db.session.commit()
    sections = {
        domain.code: [q for s in domain.standards for q in s.questions]
        for domain in db.session.scalars(
            select(SnapshotDomain)
            .where(SnapshotDomain.snapshot_id == snapshot.id)
            .order_by(SnapshotDomain.position)
        )
    }
    yield World(app, a, b, unmet, met, sections)
