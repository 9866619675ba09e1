"""The command-line commands: question-bank check and demo load."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from selfassess.demo.data import ALLIANCES, DEMO_PASSWORD, TRUSTS, demo_users
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    Membership,
    SnapshotQuestion,
    Trust,
    User,
)
from selfassess.questionbank import check_files, load_framework
from selfassess.questionnaire.fields import canonical
from tests.conftest import csrf_token

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"
BANK = QUESTIONS / "alliance-maturity-1.0"


def test_questions_check_passes_on_the_shipped_bank(runner):
    result = runner.invoke(args=["questions", "check"])
    assert result.exit_code == 0, result.output
    assert "OK alliance-maturity 1.0: 5 domains" in result.output


def test_questions_check_names_file_line_and_field_of_a_broken_copy(runner, tmp_path):
    broken = tmp_path / "alliance-maturity-1.0"
    shutil.copytree(BANK, broken)
    path = broken / "governance.yaml"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("target:"))
    lines[index] = lines[index].split("target:")[0] + "target: 7"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(args=["questions", "check", str(broken)])
    assert result.exit_code == 1
    assert f"governance.yaml:{index + 1}: standards[0].target:" in result.output, result.output
    assert not any(line.startswith("OK ") for line in result.output.splitlines())


def test_questions_check_and_the_in_app_checker_give_the_same_problems(app, runner, tmp_path):
    # issue #22: one checker, so a draft checked in the app reads like `flask questions check`
    root = tmp_path / "questions"
    for name in ("alliance-maturity-1.0", "alliance-maturity-2.0"):
        shutil.copytree(QUESTIONS / name, root / name)
    broken = root / "alliance-maturity-2.0"
    governance = broken / "governance.yaml"
    text = governance.read_text().replace("id: GOV-1.2", "id: GOV-1.1")
    governance.write_text(text.replace("  target: 3\n", "  target: 9\n", 1))
    result = runner.invoke(args=["questions", "check", str(broken)])
    assert result.exit_code == 1
    files = {path.name: path.read_text() for path in broken.glob("*.yaml")}
    _, problems = check_files(
        files,
        label_root=broken.as_posix(),
        documents_dir=Path(app.config["SOURCES_DIR"]),
        previous={"alliance-maturity-1.0": load_framework(root / "alliance-maturity-1.0")},
    )
    assert result.output.splitlines() == [str(problem) for problem in problems]
    assert len(problems) == 2, result.output


def test_demo_load_creates_the_seed_alliances_once(runner):
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo loaded" in result.output
    assert db.session.scalar(select(func.count()).select_from(Alliance)) == len(ALLIANCES)
    assert db.session.scalar(select(func.count()).select_from(Trust)) == len(TRUSTS)
    # Five South Yorkshire trusts belong to both the Working Together Partnership and the
    # Acute Federation, as in the seeds.
    both = db.session.scalar(
        select(func.count()).select_from(
            select(Membership.trust_id)
            .group_by(Membership.trust_id)
            .having(func.count() > 1)
            .subquery()
        )
    )
    assert both == 5
    # Three cycles per alliance, an assessment per member per cycle.
    members = sum(len(a.members) for a in ALLIANCES)
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 3 * members
    statuses = set(db.session.scalars(select(Assessment.status)))
    assert {"Meets standards", "Improvement required", "At risk", "Not submitted"} <= statuses
    # Every answer is stored as the section form would store it ("100", never "100.0"), so an
    # unchanged page or workbook saves nothing (issue #13, finding 9).
    answers = db.session.execute(
        select(SnapshotQuestion, Answer.value).join(
            Answer, Answer.question_id == SnapshotQuestion.id
        )
    ).all()
    assert {q.kind for q, _value in answers} >= {"metric", "maturity"}
    assert [(q.code, v) for q, v in answers if canonical(q, v) != v] == []
    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "already has data" in again.output
    assert db.session.scalar(select(func.count()).select_from(Alliance)) == len(ALLIANCES)


def test_every_demo_user_signs_in_to_their_role_home(runner, app):
    runner.invoke(args=["demo", "load"])
    landed = {}
    for spec in demo_users():
        client = app.test_client()
        page = client.get("/auth/sign-in")
        response = client.post(
            "/auth/sign-in",
            data={
                "email": spec.email,
                "password": DEMO_PASSWORD,
                "csrf_token": csrf_token(page.text),
            },
            follow_redirects=True,
        )
        assert response.status_code == 200, spec.email
        landed[spec.email] = response.request.path
    expected = {}
    for spec in demo_users():
        role, scope = spec.grants[0]
        expected[spec.email] = {
            "site_admin": "/admin/",
            "coordinator": f"/alliances/{scope}/",
            "buddying_lead": f"/alliances/{scope}/buddying/",
            "trust_user": f"/trusts/{scope}/",
        }[role]
    assert landed == expected
    assert db.session.scalar(select(func.count()).select_from(User)) == len(expected)
