"""An alliance whose cycles cross a framework change: two cycles on 1.0, then one on 2.0.

Built from the real question bank (both versions snapshotted as a coordinator's cycles would
be), with synthetic answers scored by the real rules, so the dashboards' lineage comparisons are
tested end to end. Used by the dashboard tests and the browser test (the demo is not relied on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from selfassess.assessments.scores import refresh_many
from selfassess.assessments.snapshots import import_framework
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentState,
    Cycle,
    Membership,
    Role,
    RoleGrant,
    SnapshotQuestion,
    Trust,
    User,
)

#: (cycle name, framework folder, year it opened)
CYCLES = (
    ("2023/24", "alliance-maturity-1.0", 2023),
    ("2024/25", "alliance-maturity-1.0", 2024),
    ("2025/26", "alliance-maturity-2.0", 2025),
)
MEMBERS = 5
PASSWORD = "correct horse battery staple"


@dataclass
class LineageWorld:
    """The alliance, its trusts (the first is the one looked at), cycles oldest first, users."""

    alliance: Alliance
    trusts: list[Trust]
    cycles: list[Cycle]
    coordinator: str
    trust_user: str
    assessments: dict[tuple[int, int], Assessment] = field(default_factory=dict)


def maturity_level(member: int, cycle: int) -> int:
    """Member ``member``'s maturity answer in cycle ``cycle``: 2 to 4, varying by member."""
    return 2 + (member + cycle) % 3


def build_lineage_world(
    questions_dir: Path, n: int, *, password_method: str | None = None
) -> LineageWorld:
    """Build the alliance (``n`` keeps slugs, codes and emails unique) and store real scores."""
    alliance = Alliance(
        slug=f"lineage-{n}",
        name=f"Lineage Alliance {n}",
        collaboration_type="multi_service",
        named_benchmarking=False,
    )
    trusts = [
        Trust(code=f"L{n}T{i}", name=f"Lineage Trust {n}-{i}", trust_type="Acute", region="London")
        for i in range(MEMBERS)
    ]
    db.session.add_all([alliance, *trusts])
    db.session.flush()
    memberships = [
        Membership(
            alliance_id=alliance.id,
            trust_id=t.id,
            collaboration_type="multi_service",
            joined_on=date(2023, 4, 1),
        )
        for t in trusts
    ]
    cycles = [
        Cycle(
            alliance_id=alliance.id,
            name=name,
            snapshot=import_framework(questions_dir / folder),
            state="closed",
            opens_on=date(year, 4, 1),
            closes_on=date(year, 6, 30),
        )
        for name, folder, year in CYCLES
    ]
    db.session.add_all([*memberships, *cycles])
    db.session.flush()
    world = LineageWorld(
        alliance,
        trusts,
        cycles,
        coordinator=f"coord.lineage{n}@example.nhs.uk",
        trust_user=f"lead.lineage{n}@example.nhs.uk",
    )
    for k, cycle in enumerate(cycles):
        questions = db.session.scalars(
            select(SnapshotQuestion).where(
                SnapshotQuestion.snapshot_id == cycle.snapshot_id,
                SnapshotQuestion.answered_by == "member",
            )
        ).all()
        for i, membership in enumerate(memberships):
            assessment = Assessment(
                cycle_id=cycle.id, membership_id=membership.id, state=AssessmentState.VALIDATED
            )
            db.session.add(assessment)
            db.session.flush()
            db.session.add_all(
                [
                    Answer(
                        assessment_id=assessment.id,
                        question_id=q.id,
                        value=_answer(q, maturity_level(i, k)),
                    )
                    for q in questions
                ]
            )
            world.assessments[(k, i)] = assessment
    db.session.flush()
    refresh_many(world.assessments.values())
    hashed = generate_password_hash(
        PASSWORD, **({"method": password_method} if password_method else {})
    )
    db.session.add_all(
        [
            User(
                email=world.coordinator,
                name="Lineage Coordinator",
                password_hash=hashed,
                grants=[RoleGrant(role=Role.COORDINATOR, alliance_id=alliance.id)],
            ),
            User(
                email=world.trust_user,
                name="Lineage Trust Lead",
                password_hash=hashed,
                grants=[
                    RoleGrant(role=Role.TRUST_USER, alliance_id=alliance.id, trust_id=trusts[0].id)
                ],
            ),
        ]
    )
    db.session.commit()
    return world


def _answer(question: SnapshotQuestion, level: int) -> str:
    if question.kind == "maturity":
        return str(level)
    if question.kind == "yes_no":
        return "yes"
    if question.kind == "metric":
        return str(question.options["thresholds"][str(level)])
    return "Synthetic answer for a test"
