"""A small questionnaire world: the real framework imported as a snapshot, one alliance with one
member trust, an open cycle, that trust's assessment and two of its users.

Everything goes through ``qa`` (a :class:`World`): URLs, questions by code, signing in through
the real form, and reading a section form back the way a browser would submit it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from selfassess.assessments import snapshots
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    AuditEvent,
    Cycle,
    CycleState,
    Membership,
    SnapshotDomain,
    SnapshotQuestion,
    Trust,
    User,
)
from selfassess.questionbank import FrameworkDocument, load_framework

FRAMEWORK = "alliance-maturity-1.0"
SECTIONS = ["REL", "VIS", "GOV", "DATA", "MET"]
PASSWORD = "correct horse battery staple"  # tests/conftest.py TEST_PASSWORD

#: A valid answer for each kind of question.
ANSWER_BY_KIND = {"maturity": "3", "yes_no": "yes", "metric": "50", "text": "Evidence"}


def _textarea_text(tag: Any) -> str:
    # Browsers drop the newline WTForms puts right after <textarea>.
    text = tag.get_text()
    return text.removeprefix("\r\n").removeprefix("\n")


@dataclass
class World:
    SECTIONS = SECTIONS
    ANSWER_BY_KIND = ANSWER_BY_KIND

    app: Flask
    alliance: Alliance
    trust: Trust
    membership: Membership
    cycle: Cycle
    assessment: Assessment
    user: User
    colleague: User

    # URLs ---------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"/trusts/{self.trust.code}/assessments/{self.assessment.id}"

    def url(self, section: str | None = None, assessment: Assessment | None = None) -> str:
        base = (
            self.base
            if assessment is None
            else (f"/trusts/{self.trust.code}/assessments/{assessment.id}")
        )
        return f"{base}/sections/{section}" if section else f"{base}/"

    # Questions ----------------------------------------------------------------------------
    def question(self, code: str, assessment: Assessment | None = None) -> SnapshotQuestion:
        snapshot_id = (assessment or self.assessment).cycle.snapshot_id
        return db.session.execute(
            select(SnapshotQuestion).where(
                SnapshotQuestion.snapshot_id == snapshot_id, SnapshotQuestion.code == code
            )
        ).scalar_one()

    def section_questions(self, section: str) -> list[SnapshotQuestion]:
        domain = db.session.execute(
            select(SnapshotDomain).where(
                SnapshotDomain.snapshot_id == self.assessment.cycle.snapshot_id,
                SnapshotDomain.code == section,
            )
        ).scalar_one()
        return [q for s in domain.standards for q in s.questions]

    @staticmethod
    def a(question: SnapshotQuestion) -> str:
        return f"a_{question.id}"

    @staticmethod
    def c(question: SnapshotQuestion) -> str:
        return f"c_{question.id}"

    # Database reads (fresh, never from the identity map) ----------------------------------
    def stored(self, assessment: Assessment | None = None) -> dict[str, Answer]:
        """Stored answers by question code."""
        db.session.expire_all()
        assessment_id = (assessment or self.assessment).id
        rows = db.session.execute(
            select(SnapshotQuestion.code, Answer)
            .join(Answer, Answer.question_id == SnapshotQuestion.id)
            .where(Answer.assessment_id == assessment_id)
        ).all()
        return {code: answer for code, answer in rows}

    def fresh_assessment(self, assessment: Assessment | None = None) -> Assessment:
        db.session.expire_all()
        return db.session.get(Assessment, (assessment or self.assessment).id)

    def audit(self, action: str = "assessment.answers_saved") -> list[AuditEvent]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )

    def answer_count(self) -> int:
        return db.session.scalar(select(func.count(Answer.id))) or 0

    # Signing in ---------------------------------------------------------------------------
    @staticmethod
    def csrf_of(html: str) -> str:
        field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
        assert field is not None, "page has no CSRF token"
        return str(field["value"])

    def sign_in(self, client: FlaskClient, user: User) -> TestResponse:
        page = client.get("/auth/sign-in")
        response = client.post(
            "/auth/sign-in",
            data={"email": user.email, "password": PASSWORD, "csrf_token": self.csrf_of(page.text)},
        )
        assert response.status_code == 302, response.text
        return response

    # Forms --------------------------------------------------------------------------------
    @staticmethod
    def form_data(html: str) -> dict[str, str]:
        """The section form's fields as a browser would send them (no button)."""
        form = BeautifulSoup(html, "html.parser").find("form", class_="section-form")
        assert form is not None, "page has no section form"
        data: dict[str, str] = {}
        for tag in form.find_all(["input", "textarea"]):
            name = tag.get("name")
            if not name:
                continue
            if tag.name == "textarea":
                data[name] = _textarea_text(tag)
            elif tag.get("type") == "radio":
                if tag.has_attr("checked"):
                    data[name] = str(tag["value"])
            elif tag.get("type") != "submit":
                data[name] = str(tag.get("value", ""))
        return data

    def load(self, client: FlaskClient, section: str) -> dict[str, str]:
        response = client.get(self.url(section))
        assert response.status_code == 200, response.text
        return self.form_data(response.text)

    def post(
        self, client: FlaskClient, section: str, data: dict[str, str], action: str = "later"
    ) -> TestResponse:
        return client.post(self.url(section), data={**data, "action": action})

    def answer_all(
        self,
        client: FlaskClient,
        section: str,
        overrides: Callable[[SnapshotQuestion], str | None] | None = None,
    ) -> None:
        """Answer every question of a section with a valid value, through the page."""
        data = self.load(client, section)
        for q in self.section_questions(section):
            value = overrides(q) if overrides else None
            data[self.a(q)] = value if value is not None else ANSWER_BY_KIND[q.kind]
        response = self.post(client, section, data)
        assert response.status_code == 302, response.text


@functools.cache
def _framework(folder: Path) -> FrameworkDocument:
    return load_framework(folder)


@pytest.fixture
def qa(
    app: Flask,
    make_alliance,
    make_trust,
    make_membership,
    make_user,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    # The real import, with the YAML read and checked once per run rather than once per test.
    monkeypatch.setattr(snapshots, "load_framework", _framework)
    snapshot = snapshots.import_framework(Path(app.config["QUESTIONS_DIR"]) / FRAMEWORK)
    db.session.commit()
    alliance = make_alliance()
    trust = make_trust()
    membership = make_membership(alliance, trust)
    cycle = Cycle(
        alliance_id=alliance.id,
        name="2026/27",
        snapshot_id=snapshot.id,
        opens_on=date(2026, 4, 1),
        closes_on=date(2026, 9, 30),
        state=CycleState.OPEN,
    )
    db.session.add(cycle)
    db.session.flush()
    assessment = Assessment(cycle_id=cycle.id, membership_id=membership.id)
    db.session.add(assessment)
    db.session.commit()
    user = make_user(("trust_user", trust), name="Alice Adams")
    colleague = make_user(("trust_user", trust), name="Bob Brown")
    return World(app, alliance, trust, membership, cycle, assessment, user, colleague)
