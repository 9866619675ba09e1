"""A scored alliance built fast: a small framework, members, two cycles and stored scores.

Scores are written straight into ``assessment_score`` (bulk inserts), as ``results.py`` would
store them, so a 200-member alliance takes well under a second to build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import insert

from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentScore,
    Cycle,
    FrameworkSnapshot,
    Membership,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
)

# domain code, domain name, [(standard code, core, target)]
FRAMEWORK = (
    ("GOV", "Governance", (("GOV-1", True, 3.0), ("GOV-2", False, 4.0))),
    ("DATA", "Data", (("DATA-1", True, 3.0), ("DATA-2", False, 3.0))),
)
STANDARDS = [s for _, _, standards in FRAMEWORK for s in standards]
REGIONS = ("London", "Midlands", "South West")


def standard_score(i: int, code: str, cycle: int) -> float:
    """Member ``i``'s score on a standard: spread over 1-5, a little better each cycle."""
    base = 1 + ((i * 7 + sum(map(ord, code))) % 9) * 0.5
    return min(5.0, base + 0.25 * cycle)


@dataclass
class Scored:
    """The built alliance: its members (trusts in order) and cycles (oldest first)."""

    alliance: Alliance
    trusts: list[Trust]
    cycles: list[Cycle]
    assessments: dict[tuple[int, int], Assessment] = field(default_factory=dict)

    def index(self, i: int, cycle: int = 1) -> float:
        domains = []
        for _, _, standards in FRAMEWORK:
            scores = [standard_score(i, code, cycle) for code, _, _ in standards]
            domains.append((sum(scores) / len(scores) - 1) / 4 * 100)
        return sum(domains) / len(domains)


def _snapshot(n: int, version: str = "1") -> FrameworkSnapshot:
    """The bench framework; a version after "1" continues each standard of version 1."""
    snapshot = FrameworkSnapshot(
        framework_key=f"bench-{n}",
        version=version,
        title="Bench",
        content_hash=f"{version}-{n}".rjust(64, "0"),
        scale=[],
    )
    for d_pos, (code, name, standards) in enumerate(FRAMEWORK):
        domain = SnapshotDomain(
            code=code, name=name, description="", weight=1.0, position=d_pos, snapshot=snapshot
        )
        for s_pos, (s_code, core, target) in enumerate(standards):
            standard = SnapshotStandard(
                code=s_code,
                statement=f"Statement of {s_code}",
                core=core,
                target=target,
                weight=1.0,
                guidance=f"Guidance for {s_code}",
                position=s_pos,
                continues=None if version == "1" else [s_code],
                snapshot=snapshot,
            )
            standard.questions.append(
                SnapshotQuestion(
                    code=f"{s_code}.1",
                    kind="maturity",
                    text=f"How mature is {s_code}?",
                    guidance=f"Evidence for {s_code}",
                    required=True,
                    weight=1.0,
                    position=0,
                    options={"levels": {str(k): f"Descriptor {k}" for k in range(1, 6)}},
                    snapshot=snapshot,
                )
            )
            domain.standards.append(standard)
    return snapshot


_seq = iter(range(1, 10**6))


def build_scored(
    members: int,
    *,
    named: bool = False,
    scored: int | None = None,
    names: Callable[[int], str] | None = None,
    latest: str = "closed",
    crossing: bool = False,
) -> Scored:
    """An alliance of ``members`` trusts; the first ``scored`` validated in both cycles.

    Both cycles are closed unless ``latest`` says otherwise ("open"): a trust in an anonymous
    alliance sees peer figures of a cycle only once it has closed and been reviewed. With
    ``crossing`` the latest cycle is on version "2" of the framework (continuing version 1).
    """
    n = next(_seq)
    scored = members if scored is None else scored
    alliance = Alliance(
        slug=f"bench-{n}",
        name=f"Bench Alliance {n}",
        collaboration_type="multi_service",
        named_benchmarking=named,
    )
    snapshot = _snapshot(n)
    latest_snapshot = _snapshot(n, "2") if crossing else snapshot
    trusts = [
        Trust(
            code=f"B{n}X{i:03d}",
            name=names(i) if names else f"Bench Trust {n}-{i:03d}",
            trust_type="Acute" if i % 2 else "Specialist",
            region=REGIONS[i % 3],
        )
        for i in range(members)
    ]
    db.session.add_all([alliance, snapshot, latest_snapshot, *trusts])
    db.session.flush()
    memberships = [
        Membership(
            alliance_id=alliance.id,
            trust_id=t.id,
            collaboration_type="multi_service",
            joined_on=date(2024, 4, 1),
        )
        for t in trusts
    ]
    cycles = [
        Cycle(
            alliance_id=alliance.id,
            name=name,
            snapshot_id=used.id,
            state=state,
            opens_on=date(year, 4, 1),
            closes_on=date(year, 6, 30),
        )
        for name, year, state, used in (
            ("2024/25", 2024, "closed", snapshot),
            ("2025/26", 2025, latest, latest_snapshot),
        )
    ]
    db.session.add_all([*memberships, *cycles])
    db.session.flush()
    world = Scored(alliance=alliance, trusts=trusts, cycles=cycles)
    for k, cycle in enumerate(cycles):
        for i, membership in enumerate(memberships):
            submitted = i < scored
            world.assessments[(k, i)] = Assessment(
                cycle_id=cycle.id,
                membership_id=membership.id,
                state="validated" if submitted else "in_progress",
                overall_index=world.index(i, k) if submitted else None,
                status=_status(i, k) if submitted else "Awaiting submission",
                standards_met=_met_count(i, k) if submitted else None,
            )
    db.session.add_all(world.assessments.values())
    db.session.flush()
    rows: list[dict[str, Any]] = []
    for (k, i), assessment in world.assessments.items():
        if i >= scored:
            continue
        for _, _, standards in FRAMEWORK:
            for code, _, target in standards:
                score = standard_score(i, code, k)
                rows.append(
                    {
                        "assessment_id": assessment.id,
                        "scope": "standard",
                        "code": code,
                        "score": score,
                        "score_index": None,
                        "met": score >= target,
                    }
                )
        for d_code, _, standards in FRAMEWORK:
            score = sum(standard_score(i, c, k) for c, _, _ in standards) / len(standards)
            rows.append(
                {
                    "assessment_id": assessment.id,
                    "scope": "domain",
                    "code": d_code,
                    "score": score,
                    "score_index": (score - 1) / 4 * 100,
                    "met": None,
                }
            )
        rows.append(
            {
                "assessment_id": assessment.id,
                "scope": "overall",
                "code": "overall",
                "score": None,
                "score_index": world.index(i, k),
                "met": None,
            }
        )
    db.session.execute(insert(AssessmentScore), rows)
    question = next(
        q
        for d in latest_snapshot.domains
        for s in d.standards
        for q in s.questions
        if q.code == "GOV-1.1"
    )
    if scored > 2:  # member 2 misses core standard GOV-1: its answer shows under "improve"
        db.session.add(
            Answer(
                assessment_id=world.assessments[(1, 2)].id,
                question_id=question.id,
                value="2",
                comment="Board paper pending",
            )
        )
    db.session.commit()
    return world


def _met_count(i: int, cycle: int) -> int:
    """What the scoring stores beside the score rows: how many standards member i meets."""
    return sum(standard_score(i, code, cycle) >= target for code, _, target in STANDARDS)


def _status(i: int, cycle: int) -> str:
    core_met = all(
        standard_score(i, code, cycle) >= target for code, core, target in STANDARDS if core
    )
    return "Meets standards" if core_met else "Improvement required"


@pytest.fixture
def scored_alliance(app: Any) -> Callable[..., Scored]:
    return build_scored


@pytest.fixture
def sign_in_as(app: Any, make_user: Any) -> Callable[..., Any]:
    """A fresh client signed in with one grant: ``sign_in_as("trust_user", trust)``."""
    from tests.conftest import TEST_PASSWORD, csrf_token

    def sign_in(role: str, scope: Any) -> Any:
        user = make_user((role, scope))
        client = app.test_client()
        token = csrf_token(client.get("/auth/sign-in").text)
        response = client.post(
            "/auth/sign-in",
            data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        return client

    return sign_in
