"""Two alliances on framework 2.0 for the alliance profile: X (member trust A, its coordinator,
buddying lead and a trust user) and Y (member trust B, its coordinator and a trust user), each
with an open cycle and the member's assessment."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from selfassess.assessments import snapshots
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    AllianceFactAnswer,
    Assessment,
    AuditEvent,
    Cycle,
    CycleState,
    FrameworkSnapshot,
    SnapshotQuestion,
    Trust,
    User,
)
from selfassess.questionbank import FrameworkDocument, load_framework
from tests.conftest import TEST_PASSWORD, csrf_token

FRAMEWORK = "alliance-maturity-2.0"


@functools.cache
def _framework(folder: Path) -> FrameworkDocument:
    return load_framework(folder)


@dataclass
class Side:
    """One alliance with one member trust, an open cycle and the member's assessment."""

    alliance: Alliance
    trust: Trust
    cycle: Cycle
    assessment: Assessment
    coordinator: User
    trust_user: User

    @property
    def profile_url(self) -> str:
        return f"/alliances/{self.alliance.slug}/cycles/{self.cycle.id}/profile"

    @property
    def member_url(self) -> str:
        return f"/trusts/{self.trust.code}/assessments/{self.assessment.id}/alliance-profile"


@dataclass
class World:
    app: Flask
    snapshot: FrameworkSnapshot
    x: Side
    y: Side
    lead_x: User
    make_user: Any

    def fact(self, code: str) -> SnapshotQuestion:
        return db.session.execute(
            select(SnapshotQuestion).where(
                SnapshotQuestion.snapshot_id == self.snapshot.id, SnapshotQuestion.code == code
            )
        ).scalar_one()

    @staticmethod
    def sign_in(client: FlaskClient, user: User) -> None:
        page = client.get("/auth/sign-in")
        response = client.post(
            "/auth/sign-in",
            data={
                "email": user.email,
                "password": TEST_PASSWORD,
                "csrf_token": csrf_token(page.text),
            },
        )
        assert response.status_code == 302, response.text

    @staticmethod
    def form_data(html: str) -> dict[str, str]:
        """The profile form's fields as a browser would send them."""
        form = BeautifulSoup(html, "html.parser").find("form", class_="section-form")
        assert form is not None, "page has no profile form"
        data: dict[str, str] = {}
        for tag in form.find_all(["input", "textarea"]):
            name = tag.get("name")
            if not name:
                continue
            if tag.name == "textarea":
                data[name] = tag.get_text().removeprefix("\r\n").removeprefix("\n")
            elif tag.get("type") == "radio":
                if tag.has_attr("checked"):
                    data[name] = str(tag["value"])
            else:
                data[name] = str(tag.get("value", ""))
        return data

    def load(self, client: FlaskClient, side: Side | None = None) -> dict[str, str]:
        response = client.get((side or self.x).profile_url)
        assert response.status_code == 200, response.text
        return self.form_data(response.text)

    @staticmethod
    def stored(cycle: Cycle) -> dict[str, AllianceFactAnswer]:
        db.session.expire_all()
        rows = db.session.execute(
            select(SnapshotQuestion.code, AllianceFactAnswer)
            .join(AllianceFactAnswer, AllianceFactAnswer.question_id == SnapshotQuestion.id)
            .where(AllianceFactAnswer.cycle_id == cycle.id)
        ).all()
        return {code: row for code, row in rows}

    @staticmethod
    def audit(action: str = "alliance_profile.saved") -> list[AuditEvent]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


@pytest.fixture
def fw(
    app: Flask,
    make_alliance,
    make_trust,
    make_membership,
    make_user,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    monkeypatch.setattr(snapshots, "load_framework", _framework)
    snapshot = snapshots.import_framework(Path(app.config["QUESTIONS_DIR"]) / FRAMEWORK)
    db.session.commit()

    def side(name: str) -> Side:
        alliance = make_alliance(name=f"Alliance {name}")
        trust = make_trust(name=f"{name} Hospitals NHS Trust")
        membership = make_membership(alliance, trust)
        cycle = Cycle(
            alliance_id=alliance.id,
            name="2027/28",
            snapshot_id=snapshot.id,
            opens_on=date(2027, 4, 1),
            closes_on=date(2027, 9, 30),
            state=CycleState.OPEN,
        )
        db.session.add(cycle)
        db.session.flush()
        assessment = Assessment(cycle_id=cycle.id, membership_id=membership.id)
        db.session.add(assessment)
        db.session.commit()
        return Side(
            alliance,
            trust,
            cycle,
            assessment,
            make_user(("coordinator", alliance), name=f"{name} Coordinator"),
            make_user(("trust_user", trust), name=f"{name} Member User"),
        )

    x, y = side("Xray"), side("Yankee")
    lead = make_user(("buddying_lead", x.alliance), name="Xray Lead")
    return World(app, snapshot, x, y, lead, make_user)
