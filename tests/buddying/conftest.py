"""A small alliance with stored scores in two cycles, for the buddying tests.

Scores are written straight into ``assessment_score`` (as ``results.refresh_many`` would), so
each test states exactly the numbers the buddying pages read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Assessment,
    AssessmentScore,
    Cycle,
    FrameworkSnapshot,
    Membership,
    SnapshotDomain,
    SnapshotStandard,
    Trust,
    User,
)

TARGETS = {"GOV-2": 3.0, "DATA-1": 3.0, "REL-1": 4.0}
STATEMENTS = {
    "GOV-2": "Decision forums are agreed",
    "DATA-1": "Data are shared",
    "REL-1": "Leaders meet regularly",
}
CYCLES = (("2024/25", date(2024, 4, 1)), ("2025/26", date(2025, 4, 1)))
_seq = itertools.count(1)

#: Per trust code: region, trust type, and scores per cycle index (None: no assessment).
Scores = Mapping[str, Mapping[str, float | None] | None]


@dataclass
class Scenario:
    alliance: Alliance
    cycles: list[Cycle]
    trusts: dict[str, Trust]
    members: dict[str, Membership]
    lead: User
    coordinator: User
    users: dict[str, User] = field(default_factory=dict)

    def member_id(self, code: str) -> int:
        return self.members[code].id


def _snapshot() -> FrameworkSnapshot:
    n = next(_seq)
    snapshot = FrameworkSnapshot(
        framework_key=f"buddy-{n}",
        version="1",
        title="Buddy test",
        content_hash=f"b{n:063x}",
        scale=[],
    )
    domain = SnapshotDomain(
        snapshot=snapshot, code="ALL", name="All", description="", weight=1, position=0
    )
    for position, (code, target) in enumerate(TARGETS.items()):
        db.session.add(
            SnapshotStandard(
                snapshot=snapshot,
                domain=domain,
                code=code,
                statement=STATEMENTS[code],
                core=True,
                target=target,
                weight=1,
                guidance="",
                position=position,
            )
        )
    db.session.add_all([snapshot, domain])
    return snapshot


def _assess(
    cycle: Cycle, membership: Membership, scores: Mapping[str, float | None], state: str
) -> Assessment:
    assessment = Assessment(cycle=cycle, membership=membership, state=state)
    unmet = [c for c, s in scores.items() if s is not None and s < TARGETS[c]]
    assessment.status = "Improvement required" if unmet else "Meets standards"
    db.session.add(assessment)
    db.session.flush()
    for code, score in scores.items():
        db.session.add(
            AssessmentScore(
                assessment_id=assessment.id,
                scope="standard",
                code=code,
                score=score,
                score_index=None if score is None else (score - 1) / 4 * 100,
                met=None if score is None else score >= TARGETS[code],
            )
        )
    return assessment


@pytest.fixture
def make_scenario(app, make_user) -> Callable[..., Scenario]:  # type: ignore[no-untyped-def]
    """Build an alliance whose members have the given standard scores.

    ``members`` maps a trust code to (region, trust type, [scores in cycle 0, scores in cycle 1]);
    ``states`` optionally gives an assessment state per (code, cycle index), default validated.
    """

    def make(
        members: Mapping[str, tuple[str, str, list[Mapping[str, float | None] | None]]],
        *,
        max_pairs: int = 2,
        states: Mapping[tuple[str, int], str] | None = None,
        **alliance_kw: Any,
    ) -> Scenario:
        n = next(_seq)
        alliance = Alliance(
            slug=f"buddy-{n}",
            name=f"Buddy Alliance {n}",
            collaboration_type="multi_service",
            max_active_pairs_per_mentor=max_pairs,
            **alliance_kw,
        )
        snapshot = _snapshot()
        db.session.add(alliance)
        cycles = [
            Cycle(
                alliance=alliance,
                name=name,
                snapshot=snapshot,
                opens_on=opens,
                closes_on=opens.replace(month=6, day=30),
                state="closed",
            )
            for name, opens in CYCLES
        ]
        db.session.add_all(cycles)
        trusts, memberships = {}, {}
        for code, (region, trust_type, per_cycle) in members.items():
            trust = Trust(
                code=f"{code}{n}",
                name=f"{code} Hospitals NHS Trust",
                region=region,
                trust_type=trust_type,
            )
            membership = Membership(
                alliance=alliance,
                trust=trust,
                collaboration_type="multi_service",
                joined_on=date(2024, 4, 1),
            )
            db.session.add_all([trust, membership])
            trusts[code], memberships[code] = trust, membership
            db.session.flush()
            for k, scores in enumerate(per_cycle):
                if scores is not None:
                    state = (states or {}).get((code, k), "validated")
                    _assess(cycles[k], membership, scores, state)
        db.session.commit()
        lead = make_user(("buddying_lead", alliance))
        coordinator = make_user(("coordinator", alliance))
        users = {code: make_user(("trust_user", trust)) for code, trust in trusts.items()}
        return Scenario(alliance, cycles, trusts, memberships, lead, coordinator, users)

    return make


#: Five members: A and B are weak on GOV-2 and DATA-1; S is strong on both; T on GOV-2 only.
STANDARD_MEMBERS = {
    "A": (
        "North",
        "Acute",
        [{"GOV-2": 2.0, "DATA-1": 2.0, "REL-1": 4.5}, {"GOV-2": 3.5, "DATA-1": 2.5, "REL-1": 4.5}],
    ),
    "B": ("South", "Acute", [{"GOV-2": 2.5, "DATA-1": 2.0, "REL-1": 4.0}, None]),
    "S": (
        "South",
        "Specialist",
        [{"GOV-2": 4.8, "DATA-1": 4.9, "REL-1": 4.0}, {"GOV-2": 4.8, "DATA-1": 4.9, "REL-1": 4.0}],
    ),
    "T": (
        "North",
        "Acute",
        [{"GOV-2": 4.8, "DATA-1": 2.9, "REL-1": 4.0}, {"GOV-2": 4.5, "DATA-1": 3.0, "REL-1": 4.0}],
    ),
    "U": (
        "North",
        "Acute",
        [{"GOV-2": 3.0, "DATA-1": 3.0, "REL-1": 3.0}, {"GOV-2": 3.0, "DATA-1": 3.0, "REL-1": 3.0}],
    ),
}


@pytest.fixture
def scenario(make_scenario) -> Scenario:  # type: ignore[no-untyped-def]
    return make_scenario(STANDARD_MEMBERS)
