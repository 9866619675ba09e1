"""A spreadsheet world: the real framework imported as a snapshot, one alliance with one member
trust, an open cycle with that trust's assessment, two of its users and the coordinator.

``xw`` downloads workbooks as openpyxl objects and uploads them back through the real page,
CSRF token included.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
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
    SnapshotQuestion,
    Trust,
    User,
)
from selfassess.questionbank import FrameworkDocument, load_framework
from tests.conftest import TEST_PASSWORD, csrf_token

FRAMEWORK = "alliance-maturity-1.0"
SECTIONS = ["REL", "VIS", "GOV", "DATA", "MET"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@functools.cache
def _framework(folder: Path) -> FrameworkDocument:
    return load_framework(folder)


@dataclass
class World:
    app: Flask
    alliance: Alliance
    trust: Trust
    membership: Membership
    cycle: Cycle
    assessment: Assessment
    user: User
    colleague: User
    coordinator: User

    @property
    def base(self) -> str:
        return f"/trusts/{self.trust.code}/assessments/{self.assessment.id}"

    def sign_in(self, client: FlaskClient, user: User) -> None:
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

    def download(self, client: FlaskClient, path: str | None = None) -> Workbook:
        response = client.get(path or f"{self.base}/workbook.xlsx")
        assert response.status_code == 200, response.text
        assert response.mimetype == XLSX
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        return load_workbook(io.BytesIO(response.data))

    @staticmethod
    def to_bytes(book: Workbook) -> bytes:
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def upload(
        self,
        client: FlaskClient,
        data: bytes,
        filename: str = "answers.xlsx",
        base: str | None = None,
    ) -> TestResponse:
        url = f"{base or self.base}/workbook"
        page = client.get(url)
        assert page.status_code == 200, page.text
        return client.post(
            url,
            data={
                "csrf_token": csrf_token(page.text),
                "workbook": (io.BytesIO(data), filename),
            },
            content_type="multipart/form-data",
        )

    def question(self, code: str) -> SnapshotQuestion:
        return db.session.execute(
            select(SnapshotQuestion).where(
                SnapshotQuestion.snapshot_id == self.cycle.snapshot_id,
                SnapshotQuestion.code == code,
            )
        ).scalar_one()

    def questions(self) -> list[SnapshotQuestion]:
        return list(
            db.session.scalars(
                select(SnapshotQuestion)
                .where(SnapshotQuestion.snapshot_id == self.cycle.snapshot_id)
                .order_by(SnapshotQuestion.id)
            )
        )

    def stored(self, assessment: Assessment | None = None) -> dict[str, tuple[Any, Any]]:
        """Stored (value, comment) by question code, read fresh."""
        db.session.expire_all()
        rows = db.session.execute(
            select(SnapshotQuestion.code, Answer.value, Answer.comment)
            .join(Answer, Answer.question_id == SnapshotQuestion.id)
            .where(Answer.assessment_id == (assessment or self.assessment).id)
        ).all()
        return {code: (value, comment) for code, value, comment in rows}

    def audit(self, action: str = "assessment.workbook_uploaded") -> list[AuditEvent]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )

    @staticmethod
    def messages(response: TestResponse, css: str) -> list[str]:
        page = BeautifulSoup(response.text, "html.parser")
        return [li.get_text(" ", strip=True) for li in page.select(f"{css} li")]

    @staticmethod
    def refusal(response: TestResponse) -> str:
        found = BeautifulSoup(response.text, "html.parser").select_one(".workbook-refused")
        assert found is not None, response.text
        return found.get_text(" ", strip=True)

    @staticmethod
    def row_of(sheet: Any, code: str) -> int:
        for row in range(5, sheet.max_row + 1):
            if sheet[f"A{row}"].value == code:
                return row
        raise AssertionError(f"{code} not on sheet {sheet.title}")

    def set_answer(self, book: Workbook, code: str, value: Any = None, comment: Any = None) -> str:
        """Type into the workbook like a person would; returns the answer cell's reference."""
        sheet = book[code.split("-")[0]]
        row = self.row_of(sheet, code)
        sheet[f"C{row}"] = value
        if comment is not None:
            sheet[f"D{row}"] = comment
        return f"C{row}"


def build_world(
    app: Flask,
    make_alliance,
    make_trust,
    make_membership,
    make_user,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    framework: str = FRAMEWORK,
) -> World:
    """One alliance, one member, an open cycle on ``framework``, two trust users, a coordinator."""
    monkeypatch.setattr(snapshots, "load_framework", _framework)
    snapshot = snapshots.import_framework(Path(app.config["QUESTIONS_DIR"]) / framework)
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
    return World(
        app,
        alliance,
        trust,
        membership,
        cycle,
        assessment,
        make_user(("trust_user", trust), name="Alice Adams"),
        make_user(("trust_user", trust), name="Bob Brown"),
        make_user(("coordinator", alliance), name="Carol Coordinator"),
    )


@pytest.fixture
def xw(
    app: Flask,
    make_alliance,
    make_trust,
    make_membership,
    make_user,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    return build_world(app, make_alliance, make_trust, make_membership, make_user, monkeypatch)


@pytest.fixture
def xw2(
    app: Flask,
    make_alliance,
    make_trust,
    make_membership,
    make_user,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    """The same world on framework 2.0 (criteria, alliance facts, defined metrics)."""
    return build_world(
        app,
        make_alliance,
        make_trust,
        make_membership,
        make_user,
        monkeypatch,
        "alliance-maturity-2.0",
    )
