"""Load the demo: alliances, trusts, users, three cycles of synthetic answers and a few pairs."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from .. import audit
from ..assessments.scores import refresh_many
from ..assessments.snapshots import import_framework, load_snapshot
from ..auth.passwords import hash_password
from ..extensions import db
from ..models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentState,
    BuddyPair,
    BuddyPairNote,
    Cycle,
    Membership,
    PairStatus,
    RoleGrant,
    ScoreScope,
    SnapshotQuestion,
    Trust,
    User,
)
from ..questionbank.kinds import QuestionKind
from ..questionnaire.fields import format_number
from .data import (
    ALLIANCES,
    CYCLES,
    DEMO_PASSWORD,
    PAST_PAIR_ALLIANCES,
    PAST_PAIR_NOTES,
    SYNTHETIC_LABEL,
    TRUSTS,
    DemoTrust,
    demo_users,
)

FRAMEWORK_FOLDER = "alliance-maturity-1.0"
#: States of the open cycle's assessments, by member position in the alliance.
OPEN_CYCLE_STATES = (
    AssessmentState.SUBMITTED, AssessmentState.SUBMITTED, AssessmentState.IN_PROGRESS,
    AssessmentState.SUBMITTED, AssessmentState.RETURNED, AssessmentState.NOT_STARTED,
    AssessmentState.SUBMITTED,
)


def database_is_empty() -> bool:
    """True when no alliance, trust or user exists yet."""
    return not any(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Alliance, Trust, User)
    )


def load_demo() -> str:
    """Create the whole demo in one transaction and return a one-line summary."""
    snapshot = import_framework(Path(current_app.config["QUESTIONS_DIR"]) / FRAMEWORK_FOLDER)
    snapshot = load_snapshot(snapshot.id)
    questions = [q for d in snapshot.domains for s in d.standards for q in s.questions]
    trusts = {t.code: _add_trust(t) for t in TRUSTS}
    profiles = {t.code: t for t in TRUSTS}
    alliances: dict[str, Alliance] = {}
    assessments: list[Assessment] = []
    for spec in ALLIANCES:
        alliance = Alliance(slug=spec.slug, name=spec.name,
                            collaboration_type=spec.collaboration_type,
                            named_benchmarking=spec.named_benchmarking,
                            max_active_pairs_per_mentor=spec.max_pairs)
        db.session.add(alliance)
        alliances[spec.slug] = alliance
        memberships = [
            Membership(alliance=alliance, trust=trusts[code],
                       collaboration_type=spec.collaboration_type,
                       joined_on=CYCLES[0][1].replace(month=4, day=1))
            for code in spec.members
        ]
        db.session.add_all(memberships)
        for k, (name, opens, closes, state) in enumerate(CYCLES):
            cycle = Cycle(alliance=alliance, name=name, snapshot=snapshot, opens_on=opens,
                          closes_on=closes, state=state)
            db.session.add(cycle)
            for position, membership in enumerate(memberships):
                assessment = _demo_assessment(cycle, membership, k, position)
                db.session.add(assessment)
                _fill(assessment, questions, profiles[membership.trust.code], spec.slug, k)
                assessments.append(assessment)
    db.session.flush()
    _add_users(alliances, trusts)
    refresh_many(assessments)
    db.session.flush()
    pairs = _add_pairs(alliances)
    audit.record("demo.loaded", "instance", None,
                 after={"alliances": len(alliances), "trusts": len(trusts),
                        "assessments": len(assessments), "pairs": pairs})
    db.session.commit()
    return (f"Demo loaded: {len(alliances)} alliances, {len(trusts)} trusts, "
            f"{len(assessments)} assessments, {pairs} buddying pairs. "
            f"Every demo account's password is {DEMO_PASSWORD!r}.")


def _add_trust(t: DemoTrust) -> Trust:
    trust = Trust(code=t.code, name=t.name, trust_type=t.trust_type, region=t.region)
    db.session.add(trust)
    return trust


def _demo_assessment(cycle: Cycle, membership: Membership, k: int, position: int) -> Assessment:
    if cycle.state == "open":
        state = OPEN_CYCLE_STATES[position % len(OPEN_CYCLE_STATES)]
    elif k == 0 and position == 4:
        state = AssessmentState.NOT_STARTED  # a member that missed the first cycle
    else:
        state = AssessmentState.VALIDATED
    assessment = Assessment(cycle=cycle, membership=membership, state=state, version=1)
    stamp = datetime.combine(cycle.closes_on, time(12), tzinfo=UTC)
    if state in (AssessmentState.SUBMITTED, AssessmentState.VALIDATED):
        assessment.submitted_at = stamp
    if state == AssessmentState.VALIDATED:
        assessment.validated_at = stamp
    if state == AssessmentState.RETURNED:
        assessment.return_comment = (
            f"{SYNTHETIC_LABEL} Please add evidence for the governance questions "
            "(board minutes approving the memorandum of understanding)."
        )
    return assessment


def _fill(assessment: Assessment, questions: list[SnapshotQuestion], trust: DemoTrust,
          slug: str, k: int) -> None:
    if assessment.state == AssessmentState.NOT_STARTED:
        return
    partial = assessment.state == AssessmentState.IN_PROGRESS
    for question in questions:
        # Seeded so the demo is the same on every machine; not used for anything secret.
        rng = random.Random(f"{trust.code}|{slug}|{k}|{question.code}")  # noqa: S311  # nosec B311
        if partial and rng.random() < 0.5:
            continue
        level = trust.base + trust.trend * k + rng.gauss(0, 0.45)
        value = _value(question, level, rng)
        if value is None:
            continue
        comment = None
        if question.kind != QuestionKind.TEXT and rng.random() < 0.3:
            comment = f"{SYNTHETIC_LABEL} Evidence held in the partnership board papers."
        assessment.answers.append(Answer(question=question, value=value, comment=comment))
    if assessment.state == AssessmentState.IN_PROGRESS and not assessment.answers:
        assessment.state = AssessmentState.NOT_STARTED


def _value(question: SnapshotQuestion, level: float, rng: random.Random) -> str | None:
    kind = QuestionKind(question.kind)
    whole = max(1, min(5, round(level)))
    if kind is QuestionKind.MATURITY:
        return str(whole)
    if kind is QuestionKind.YES_NO:
        return "yes" if level >= question.options["yes_level"] - 1.0 else "no"
    if kind is QuestionKind.METRIC:
        return _metric_value(question.options, whole, rng)
    if rng.random() < 0.6:
        return f"{SYNTHETIC_LABEL} This text stands in for the trust's own account and evidence."
    return None


def _metric_value(options: dict[str, object], level: int, rng: random.Random) -> str:
    """A value that falls within the band of ``level`` on the metric's thresholds."""
    t = {int(k): float(v) for k, v in options["thresholds"].items()}  # type: ignore[attr-defined]
    step = (t[5] - t[2]) / 3 or 1.0
    edges = {1: (t[2] - step, t[2]), 2: (t[2], t[3]), 3: (t[3], t[4]), 4: (t[4], t[5]),
             5: (t[5], t[5] + step)}
    low, high = edges[level]
    value = low + (high - low) * rng.uniform(0.15, 0.85)
    lower_bound, upper_bound = options.get("min"), options.get("max")
    if lower_bound is not None:
        value = max(value, float(lower_bound))  # type: ignore[arg-type]
    if upper_bound is not None:
        value = min(value, float(upper_bound))  # type: ignore[arg-type]
    return format_number(round(value, 1))  # the form's stored form: "100", never "100.0"


def _add_users(alliances: dict[str, Alliance], trusts: dict[str, Trust]) -> None:
    """Every demo account with its grants; a trust lead works for the trust in each of its
    alliances (one grant per membership, as the grant model requires)."""
    hashed = hash_password(DEMO_PASSWORD)  # one hash for all: the demo has one password
    trust_alliances: dict[str, list[Alliance]] = {}
    for spec in ALLIANCES:
        for code in spec.members:
            trust_alliances.setdefault(code, []).append(alliances[spec.slug])
    for account in demo_users():
        user = User(email=account.email, name=account.name, password_hash=hashed)
        for role, scope in account.grants:
            if scope in trusts:
                user.grants.extend(
                    RoleGrant(role=role, alliance_id=alliance.id, trust_id=trusts[scope].id)
                    for alliance in trust_alliances[scope])
            else:
                user.grants.append(RoleGrant(
                    role=role, alliance_id=alliances[scope].id if scope in alliances else None))
        db.session.add(user)


def _weak_and_strong(
    alliance: Alliance, cycle_name: str
) -> tuple[Assessment, Assessment, Cycle, list[str]] | None:
    """The weakest and strongest scored members of a cycle and the weakest's unmet standards."""
    rows = db.session.execute(
        select(Assessment, Cycle)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Cycle.alliance_id == alliance.id, Cycle.name == cycle_name,
               Assessment.overall_index.is_not(None))
        .order_by(Assessment.overall_index)
    ).all()
    if len(rows) < 4:
        return None
    weakest, cycle = rows[0]
    unmet = db.session.scalars(
        select(AssessmentScore.code).where(
            AssessmentScore.assessment_id == weakest.id,
            AssessmentScore.scope == ScoreScope.STANDARD,
            AssessmentScore.met.is_(False),
        ).order_by(AssessmentScore.code)
    ).all()
    return weakest, rows[-1][0], cycle, list(unmet[:3])


def _add_pairs(alliances: dict[str, Alliance]) -> int:
    """Pair the weakest member of each larger alliance's 2025/26 cycle with its strongest.

    In the alliances named in ``PAST_PAIR_ALLIANCES`` a pair from 2024/25 has also run its
    course, with a few notes, so the outcome pages have a change to show (2024/25 to 2025/26).
    """
    count = 0
    for alliance in alliances.values():
        found = _weak_and_strong(alliance, CYCLES[1][0])
        if found is None:
            continue
        weakest, strongest, cycle, focus = found
        db.session.add(BuddyPair(
            alliance_id=alliance.id, mentor_membership_id=strongest.membership_id,
            mentee_membership_id=weakest.membership_id, cycle_id=cycle.id,
            focus_standards=focus, start_date=cycle.closes_on,
            status=PairStatus.ACTIVE,
            notes=[BuddyPairNote(body=f"{SYNTHETIC_LABEL} Monthly calls between "
                                      "collaboration leads.")],
        ))
        count += 1
    for slug in PAST_PAIR_ALLIANCES:
        found = _weak_and_strong(alliances[slug], CYCLES[0][0])
        if found is None:
            continue
        weakest, strongest, cycle, focus = found
        noon = datetime.combine(CYCLES[1][1], time(12), tzinfo=UTC)
        db.session.add(BuddyPair(
            alliance_id=alliances[slug].id, mentor_membership_id=strongest.membership_id,
            mentee_membership_id=weakest.membership_id, cycle_id=cycle.id,
            focus_standards=focus, start_date=cycle.closes_on, status=PairStatus.COMPLETED,
            closed_at=noon,
            notes=[BuddyPairNote(body=f"{SYNTHETIC_LABEL} {text}",
                                 created_at=noon - timedelta(days=days))
                   for days, text in PAST_PAIR_NOTES],
        ))
        count += 1
    return count
