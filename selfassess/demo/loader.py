"""Load the demo: alliances, trusts, users, three cycles of synthetic answers and a few pairs.

Cycles are named and dated from the day of loading (``data.demo_cycles``): the oldest on framework
1.0, the two latest on 2.0, so trends and buddying outcomes cross a version change. The instance
is marked as a demo (``demonstration.mark_demo_instance``) in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from .. import audit
from ..assessments.scores import refresh_many
from ..assessments.snapshots import import_framework, load_snapshot
from ..auth.passwords import hash_password
from ..buddying.queries import cycle_results, suggestions_for
from ..demonstration import mark_demo_instance
from ..extensions import db
from ..models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentState,
    BuddyPair,
    BuddyPairNote,
    Cycle,
    Membership,
    PairStatus,
    RoleGrant,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
    User,
)
from .answers import Context, answer
from .data import (
    ALLIANCES,
    DEMO_PASSWORD,
    OPEN_FOR,
    PAST_PAIR_ALLIANCES,
    PAST_PAIR_NOTES,
    SYNTHETIC_LABEL,
    TRUSTS,
    DemoAlliance,
    DemoCycle,
    DemoTrust,
    demo_cycles,
    demo_users,
)
from .facts import answer_demo_facts
from .metrics import figure
from .settings import alliance_snapshots, member_questions

#: Members that missed the first cycle's deadline: (alliance slug, trust code).
MISSED_FIRST_CYCLE = (
    ("working-together-partnership", "RFS"),
    ("national-orthopaedic-alliance", "RRF"),
)
#: The order statuses are counted in, in the summary and the README.
STATUS_ORDER = (
    "Meets standards",
    "Improvement required",
    "At risk",
    "Not submitted",
    "Awaiting submission",
)
#: States of the open cycle's assessments, by member position in the alliance.
OPEN_CYCLE_STATES = (
    AssessmentState.SUBMITTED,
    AssessmentState.SUBMITTED,
    AssessmentState.IN_PROGRESS,
    AssessmentState.SUBMITTED,
    AssessmentState.RETURNED,
    AssessmentState.NOT_STARTED,
    AssessmentState.SUBMITTED,
)


def database_is_empty() -> bool:
    """True when no alliance, trust or user exists yet."""
    return not any(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Alliance, Trust, User)
    )


def load_demo(today: date | None = None) -> str:
    """Create the whole demo in one transaction and return a summary with the status mix."""
    cycles = demo_cycles(today)
    folders = Path(current_app.config["QUESTIONS_DIR"])
    snapshots = {}
    for folder in dict.fromkeys(c.framework for c in cycles):
        snapshot = load_snapshot(import_framework(folders / folder).id)
        snapshots[folder] = (snapshot, member_questions(snapshot))
    trusts = {t.code: _add_trust(t) for t in TRUSTS}
    profiles = {t.code: t for t in TRUSTS}
    alliances: dict[str, Alliance] = {}
    assessments: list[Assessment] = []
    for spec in ALLIANCES:
        alliance = Alliance(
            slug=spec.slug,
            name=spec.name,
            collaboration_type=spec.collaboration_type,
            named_benchmarking=spec.named_benchmarking,
            max_active_pairs_per_mentor=spec.max_pairs,
        )
        db.session.add(alliance)
        alliances[spec.slug] = alliance
        memberships = [
            Membership(
                alliance=alliance,
                trust=trusts[code],
                collaboration_type=spec.collaboration_type,
                joined_on=date(cycles[0].opens.year - 1, 4, 1),
            )
            for code in spec.members
        ]
        db.session.add_all(memberships)
        own = alliance_snapshots(alliance, spec.settings, snapshots)
        for demo_cycle in cycles:
            snapshot, questions = own.get(demo_cycle.framework) or snapshots[demo_cycle.framework]
            cycle = Cycle(
                alliance=alliance,
                name=demo_cycle.name,
                snapshot=snapshot,
                opens_on=demo_cycle.opens,
                closes_on=demo_cycle.closes,
                state=demo_cycle.state,
            )
            db.session.add(cycle)
            stays = tuple(
                (code, figure("mean_stay", code, demo_cycle.k, spec.pathway))
                for code in spec.members
            )
            for position, membership in enumerate(memberships):
                assessment = _demo_assessment(cycle, demo_cycle, membership, spec, position)
                db.session.add(assessment)
                context = Context(
                    profiles[membership.trust.code],
                    spec.slug,
                    demo_cycle.k,
                    demo_cycle.framework,
                    spec.pathway,
                    SYNTHETIC_LABEL,
                    stays,
                )
                _fill(assessment, questions, context)
                assessments.append(assessment)
    db.session.flush()
    _add_users(alliances, trusts)
    refresh_many(assessments)
    db.session.flush()
    pairs = _add_pairs(alliances, cycles)
    mix = status_mix(assessments, cycles)
    audit.record(
        "demo.loaded",
        "instance",
        None,
        after={
            "alliances": len(alliances),
            "trusts": len(trusts),
            "assessments": len(assessments),
            "pairs": pairs,
        },
    )
    mark_demo_instance(
        f"Loaded {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; cycles "
        + ", ".join(c.name for c in cycles)
    )
    db.session.commit()
    facts = answer_demo_facts()  # through the profile's own use case, which commits
    return "\n".join(
        [
            f"Demo loaded: {len(alliances)} alliances, {len(trusts)} trusts, "
            f"{len(assessments)} assessments, {pairs} buddying pairs, {facts} alliance facts "
            "answered by coordinators.",
            *mix,
            "Every page, report and export of this instance says it is demonstration data.",
            f"Every demo account's password is {DEMO_PASSWORD!r}.",
        ]
    )


def status_mix(assessments: list[Assessment], cycles: tuple[DemoCycle, ...]) -> list[str]:
    """One line per cycle: its framework, state and how many members have each status."""
    lines = []
    for demo_cycle in cycles:
        counts = Counter(a.status for a in assessments if a.cycle.name == demo_cycle.name)
        parts = [f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s]]
        version = demo_cycle.framework.rsplit("-", 1)[-1]
        lines.append(
            f"  {demo_cycle.name} (framework {version}, {demo_cycle.state}): " + ", ".join(parts)
        )
    return ["Membership status by cycle:", *lines]


def _add_trust(t: DemoTrust) -> Trust:
    trust = Trust(code=t.code, name=t.name, trust_type=t.trust_type, region=t.region)
    db.session.add(trust)
    return trust


def _demo_assessment(
    cycle: Cycle, demo_cycle: DemoCycle, membership: Membership, spec: DemoAlliance, position: int
) -> Assessment:
    if demo_cycle.state == "open":
        state = OPEN_CYCLE_STATES[position % len(OPEN_CYCLE_STATES)]
    elif demo_cycle.k == 0 and (spec.slug, membership.trust.code) in MISSED_FIRST_CYCLE:
        state = AssessmentState.NOT_STARTED
    else:
        state = AssessmentState.VALIDATED
    assessment = Assessment(cycle=cycle, membership=membership, state=state, version=1)
    if demo_cycle.state == "open":
        # Submitted since the cycle opened, never later than the day of loading.
        today = demo_cycle.closes - OPEN_FOR
        submitted = min(demo_cycle.opens + timedelta(days=1 + 3 * position), today)
    else:
        submitted = demo_cycle.closes - timedelta(days=3 + position)
    if state in (AssessmentState.SUBMITTED, AssessmentState.VALIDATED):
        assessment.submitted_at = datetime.combine(submitted, time(12), tzinfo=UTC)
    if state == AssessmentState.VALIDATED:
        assessment.validated_at = datetime.combine(
            demo_cycle.closes + timedelta(days=14), time(12), tzinfo=UTC
        )
    if state == AssessmentState.RETURNED:
        assessment.return_comment = (
            f"{SYNTHETIC_LABEL} Please add evidence for the governance questions "
            "(board minutes approving the memorandum of understanding)."
        )
    return assessment


def _fill(
    assessment: Assessment, questions: list[tuple[SnapshotQuestion, str]], context: Context
) -> None:
    if assessment.state == AssessmentState.NOT_STARTED:
        return
    partial = assessment.state == AssessmentState.IN_PROGRESS
    for question, standard in questions:
        if partial and question.position % 2 == 1:
            continue  # half done: every other question of each standard so far
        value = answer(context, question, standard)
        if value is None:
            continue
        comment = None
        if question.kind != "text" and (question.id + context.k) % 4 == 0:
            comment = f"{SYNTHETIC_LABEL} Evidence held in the partnership board papers."
        assessment.answers.append(Answer(question=question, value=value, comment=comment))
    if assessment.state == AssessmentState.IN_PROGRESS and not assessment.answers:
        assessment.state = AssessmentState.NOT_STARTED


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
                    for alliance in trust_alliances[scope]
                )
            else:
                user.grants.append(
                    RoleGrant(
                        role=role, alliance_id=alliances[scope].id if scope in alliances else None
                    )
                )
        db.session.add(user)


def _suggested_pair(
    alliance: Alliance, cycle_name: str, next_codes: set[str] | None = None
) -> tuple[Cycle, int, int, list[str]] | None:
    """The member with most standards below target and its first suggested buddy.

    The buddying page's own suggestion (``buddying.queries``): a strong peer on exactly the
    mentee's weak standards. Focus standards are those the buddy covers, kept to ones the next
    cycle's framework still has (``next_codes``) so the outcome can be compared.
    """
    cycle = db.session.scalar(
        select(Cycle).where(Cycle.alliance_id == alliance.id, Cycle.name == cycle_name)
    )
    if cycle is None:
        return None
    results = cycle_results(cycle)
    for mentee in sorted(
        (m for m in results.members if m.unmet), key=lambda m: (-len(m.unmet), m.trust.code)
    ):
        for suggestion in suggestions_for(alliance, results, mentee):
            focus = [c for c in suggestion.covers if next_codes is None or c in next_codes]
            if focus:
                return cycle, int(suggestion.member_id), mentee.membership.id, focus[:3]
    return None


def _add_pairs(alliances: dict[str, Alliance], cycles: tuple[DemoCycle, ...]) -> int:
    """An active pair in each alliance from the latest closed cycle, suggested as the buddying
    page would suggest it.

    In the alliances named in ``PAST_PAIR_ALLIANCES`` a pair from the first cycle has also run
    its course, with a few notes, so the outcome pages have a change to show, across the change
    from framework 1.0 to 2.0.
    """
    closed = [c for c in cycles if c.state == "closed"]
    latest, first = closed[-1], closed[0]
    count = 0
    for slug in PAST_PAIR_ALLIANCES:
        found = _suggested_pair(alliances[slug], first.name, _standard_codes(latest.name))
        if found is None:
            continue
        cycle, mentor, mentee, focus = found
        closed_at = datetime.combine(latest.opens, time(12), tzinfo=UTC)
        db.session.add(
            BuddyPair(
                alliance_id=alliances[slug].id,
                mentor_membership_id=mentor,
                mentee_membership_id=mentee,
                cycle_id=cycle.id,
                focus_standards=focus,
                start_date=first.closes + timedelta(days=21),
                status=PairStatus.COMPLETED,
                closed_at=closed_at,
                notes=[
                    BuddyPairNote(
                        body=f"{SYNTHETIC_LABEL} {text}",
                        created_at=closed_at - timedelta(days=days),
                    )
                    for days, text in PAST_PAIR_NOTES
                ],
            )
        )
        count += 1
    db.session.flush()
    for alliance in alliances.values():
        found = _suggested_pair(alliance, latest.name)
        if found is None:
            continue
        cycle, mentor, mentee, focus = found
        db.session.add(
            BuddyPair(
                alliance_id=alliance.id,
                mentor_membership_id=mentor,
                mentee_membership_id=mentee,
                cycle_id=cycle.id,
                focus_standards=focus,
                start_date=latest.closes + timedelta(days=21),
                status=PairStatus.ACTIVE,
                notes=[
                    BuddyPairNote(
                        body=f"{SYNTHETIC_LABEL} Monthly calls between collaboration leads."
                    )
                ],
            )
        )
        count += 1
    return count


def _standard_codes(cycle_name: str) -> set[str]:
    """The standard ids of the framework the demo's cycle ``cycle_name`` was opened with."""
    return set(
        db.session.scalars(
            select(SnapshotStandard.code)
            .join(Cycle, Cycle.snapshot_id == SnapshotStandard.snapshot_id)
            .where(Cycle.name == cycle_name)
        )
    )
