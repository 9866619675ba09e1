"""Build a synthetic national-scale instance for ``make bench`` with bulk inserts.

One large alliance (``members`` trusts), one alliance of ``compare`` trusts (the scaling
baseline) and further small alliances, each with ``cycles`` cycles of the shipped framework:
every closed cycle validated, the last one open with submitted, in-progress and not-started
assessments. Answers go in with ``insert(Answer)`` in batches; ORM objects per row would take
minutes at this size. Stored scores are *not* written here: ``flask scores rebuild`` computes
them with the real scoring code, and is itself one of the measured operations.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 2026"
#: A cheap hash: the bench measures pages, not scrypt (the server gets the same setting).
HASH_METHOD = "pbkdf2:sha256:1000"
FRAMEWORK = "alliance-maturity-1.0"
BATCH = 20_000


@dataclass(frozen=True)
class Scale:
    """How big the synthetic instance is."""

    members: int = 500
    compare: int = 50
    small_alliances: int = 50
    small_members: int = 10
    cycles: int = 10
    editors: int = 8  # trusts of the large alliance with a signed-in user and a draft to save


@dataclass
class Instance:
    """What the measurements need to know about the generated instance."""

    url: str
    answers: int = 0
    assessments: int = 0
    trusts: int = 0
    questions: int = 0
    #: alliance slug -> (coordinator email, [(trust code, user email, open assessment id)])
    alliances: dict[str, dict[str, Any]] = field(default_factory=dict)
    closed_cycle: dict[str, int] = field(default_factory=dict)  # slug -> latest closed cycle


def build(
    url: str, scale: Scale, seed: int = 2026, plan: list[tuple[str, int]] | None = None
) -> Instance:
    """Migrate a fresh database at ``url`` and fill it; return what was made. ``plan`` (alliance
    slug, members) replaces the default alliances: national, compare and the small ones."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from selfassess import create_app
    from selfassess.assessments.snapshots import import_framework, load_snapshot
    from selfassess.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(seed)  # nosec B311 - synthetic data, not secrets
    found = Instance(url=url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        snapshot = load_snapshot(import_framework(Path(app.config["QUESTIONS_DIR"]) / FRAMEWORK).id)
        questions = [q for d in snapshot.domains for s in d.standards for q in s.questions]
        found.questions = len(questions)
        hashed = generate_password_hash(PASSWORD, method=HASH_METHOD)
        if plan is None:
            plan = [("national", scale.members), ("compare", scale.compare)]
            plan += [(f"small-{k:02d}", scale.small_members) for k in range(scale.small_alliances)]
        for slug, size in plan:
            _alliance(db, found, slug, size, scale, snapshot.id, questions, hashed, rng)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return found


def _alliance(
    db: Any,
    found: Instance,
    slug: str,
    size: int,
    scale: Scale,
    snapshot_id: int,
    questions: list[Any],
    hashed: str,
    rng: random.Random,
) -> None:
    """One alliance: trusts, memberships, cycles, assessments, answers and users."""
    from selfassess.models import (
        Alliance,
        Answer,
        Assessment,
        Cycle,
        Membership,
        Role,
        RoleGrant,
        Trust,
        User,
    )

    alliance = Alliance(slug=slug, name=f"Bench {slug}", collaboration_type="multi_service")
    db.session.add(alliance)
    db.session.flush()
    prefix = "S" + slug.removeprefix("small-") if slug.startswith("small") else slug[:2]
    codes = [f"{prefix}{n:04d}".upper() for n in range(size)]
    regions = ("London", "Midlands", "North West", "South West", "East of England")
    types = ("Acute", "Specialist", "Community")
    db.session.execute(
        insert(Trust),
        [
            {
                "code": c,
                "name": f"Bench Trust {c}",
                "trust_type": types[n % 3],
                "region": regions[n % 5],
            }
            for n, c in enumerate(codes)
        ],
    )
    trust_ids = dict(
        db.session.execute(select(Trust.code, Trust.id).where(Trust.code.in_(codes))).tuples().all()
    )
    db.session.execute(
        insert(Membership),
        [
            {
                "alliance_id": alliance.id,
                "trust_id": trust_ids[c],
                "collaboration_type": "multi_service",
                "joined_on": date(2010, 4, 1),
                "active": True,
            }
            for c in codes
        ],
    )
    members = dict(
        db.session.execute(
            select(Membership.trust_id, Membership.id).where(Membership.alliance_id == alliance.id)
        )
        .tuples()
        .all()
    )
    bases = {c: rng.uniform(1.8, 4.2) for c in codes}
    trends = {c: rng.uniform(-0.05, 0.15) for c in codes}
    first_year = 2026 - scale.cycles + 1
    # Signed-in editors only where pages are measured; one elsewhere keeps users realistic.
    editors = set(codes[: scale.editors if slug in ("national", "compare") else 1])
    open_ids: dict[str, int] = {}
    for k in range(scale.cycles):
        year = first_year + k
        is_open = k == scale.cycles - 1
        cycle = Cycle(
            alliance_id=alliance.id,
            name=f"{year}/{(year + 1) % 100:02d}",
            snapshot_id=snapshot_id,
            opens_on=date(year, 4, 1),
            closes_on=date(2099 if is_open else year + 1, 3, 31),
            state="open" if is_open else "closed",
        )
        db.session.add(cycle)
        db.session.flush()
        if not is_open:
            found.closed_cycle[slug] = cycle.id
        states = {c: _state(is_open, c in editors, rng) for c in codes}
        db.session.execute(
            insert(Assessment),
            [
                {
                    "cycle_id": cycle.id,
                    "membership_id": members[trust_ids[c]],
                    "state": states[c],
                    "version": 1,
                }
                for c in codes
            ],
        )
        ids = dict(
            db.session.execute(
                select(Assessment.membership_id, Assessment.id).where(
                    Assessment.cycle_id == cycle.id
                )
            )
            .tuples()
            .all()
        )
        rows: list[dict[str, Any]] = []
        for c in codes:
            assessment_id = ids[members[trust_ids[c]]]
            if is_open:
                open_ids[c] = assessment_id
            if states[c] == "not_started":
                continue
            partial = states[c] == "in_progress"
            level = bases[c] + trends[c] * k
            rows += _answers(assessment_id, questions, level, partial, rng)
            if len(rows) >= BATCH:
                db.session.execute(insert(Answer), rows)
                found.answers += len(rows)
                rows = []
        if rows:
            db.session.execute(insert(Answer), rows)
            found.answers += len(rows)
        found.assessments += len(codes)
    found.trusts += len(codes)
    coordinator = User(
        email=f"coordinator@{slug}.bench", name=f"Coordinator {slug}", password_hash=hashed
    )
    coordinator.grants.append(RoleGrant(role=Role.COORDINATOR, alliance_id=alliance.id))
    db.session.add(coordinator)
    people = []
    for c in sorted(editors):
        user = User(email=f"lead.{c.lower()}@{slug}.bench", name=f"Lead {c}", password_hash=hashed)
        user.grants.append(
            RoleGrant(role=Role.TRUST_USER, alliance_id=alliance.id, trust_id=trust_ids[c])
        )
        db.session.add(user)
        people.append({"code": c, "email": user.email, "assessment": open_ids[c]})
    found.alliances[slug] = {"coordinator": coordinator.email, "editors": people, "members": size}
    db.session.flush()


def _state(is_open: bool, editor: bool, rng: random.Random) -> str:
    """Closed cycles: validated (a few missed). Open: mostly submitted; editors in progress."""
    if editor and is_open:
        return "in_progress"
    roll = rng.random()
    if not is_open:
        return "not_started" if roll < 0.03 else "validated"
    if roll < 0.6:
        return "submitted"
    return "in_progress" if roll < 0.85 else "not_started"


def _answers(
    assessment_id: int, questions: list[Any], level: float, partial: bool, rng: random.Random
) -> list[dict[str, Any]]:
    """One assessment's answer rows, values drawn around the trust's level like the demo's."""
    rows = []
    for question in questions:
        if partial and rng.random() < 0.4:
            continue
        value = _value(question, level + rng.gauss(0, 0.45), rng)
        if value is None:
            continue
        comment = "Synthetic bench evidence." if rng.random() < 0.2 else None
        rows.append(
            {
                "assessment_id": assessment_id,
                "question_id": question.id,
                "value": value,
                "comment": comment,
                "carried_over": False,
            }
        )
    return rows


def _value(question: Any, level: float, rng: random.Random) -> str | None:
    """A stored answer around ``level``, as the section form stores it (the demo's bands)."""
    from selfassess.demo.answers import band_value
    from selfassess.questionnaire.fields import format_number

    whole = max(1, min(5, round(level)))
    if question.kind == "text":
        return "Synthetic bench answer." if rng.random() < 0.6 else None
    if question.kind == "metric":
        return format_number(band_value(question.options, whole, rng))
    if question.kind == "maturity":
        return str(whole)
    gate = question.options.get("gates_level")
    met = (
        int(gate) <= whole
        if gate is not None
        else level >= int(question.options.get("yes_level", 5)) - 1.2
    )
    return "yes" if met else "no"
