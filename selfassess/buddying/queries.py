"""Read models for buddying: a cycle's results, who needs support, suggestions, loads.

Everything here only reads; ``services`` writes. Scores come from the stored
``assessment_score`` rows (what the member's results page shows), never recomputed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..access import RecordMissing
from ..assessments.scores import SCORED_STATES
from ..extensions import db
from ..models import (
    Alliance,
    Assessment,
    AssessmentScore,
    BuddyPair,
    Cycle,
    CycleState,
    Membership,
    PairStatus,
    ScoreScope,
    SnapshotDomain,
    SnapshotStandard,
    Trust,
)
from ..scoring import Suggestion, suggest_buddies
from ..scoring.buddies import (
    BuddyCandidate,
    MemberScores,
    MutualPair,
    mutual_pairs,
    rank_candidates,
)

OPEN_STATUSES = (PairStatus.PROPOSED, PairStatus.ACTIVE)


@dataclass(frozen=True)
class MemberResult:
    """A member's scored assessment in a cycle (or none yet)."""

    membership: Membership
    trust: Trust
    status: str | None
    scored: bool
    scores: dict[str, float | None] = field(default_factory=dict)
    unmet: tuple[str, ...] = ()


@dataclass(frozen=True)
class CycleResults:
    """Every active member's stored standard scores in one cycle, with the standards."""

    cycle: Cycle
    standards: dict[str, SnapshotStandard]
    members: list[MemberResult]

    def member(self, membership_id: int) -> MemberResult | None:
        return next((m for m in self.members if m.membership.id == membership_id), None)

    @property
    def targets(self) -> dict[str, float]:
        return {code: s.target for code, s in self.standards.items()}

    @property
    def core(self) -> frozenset[str]:
        """The codes of the cycle's core standards, to mark them wherever standards are listed."""
        return frozenset(code for code, s in self.standards.items() if s.core)


def results_cycles(alliance: Alliance) -> list[Cycle]:
    """The alliance's open and closed cycles, newest first (drafts have no results)."""
    return list(
        db.session.scalars(
            select(Cycle)
            .where(Cycle.alliance_id == alliance.id, Cycle.state != CycleState.DRAFT)
            .order_by(Cycle.opens_on.desc(), Cycle.id.desc())
        )
    )


def default_cycle(alliance: Alliance) -> Cycle | None:
    """The cycle buddying starts from: the newest *closed* cycle with results.

    An open cycle is where most members have not submitted yet, so last cycle's members at risk
    would show as awaiting submission and nobody would need a buddy (issue #19). Only while no
    closed cycle has results does the newest cycle with a submitted or validated assessment
    count, and failing that the newest cycle.
    """
    with_results = select(Assessment.cycle_id).where(Assessment.state.in_(SCORED_STATES))
    scored = db.session.scalars(
        select(Cycle)
        .where(Cycle.alliance_id == alliance.id, Cycle.id.in_(with_results))
        .order_by(Cycle.opens_on.desc(), Cycle.id.desc())
    ).all()
    closed = next((cycle for cycle in scored if cycle.state == CycleState.CLOSED), None)
    if closed is not None:
        return closed
    if scored:
        return scored[0]
    cycles = results_cycles(alliance)
    return cycles[0] if cycles else None


def load_membership(alliance: Alliance, membership_id: int) -> Membership:
    """Return an active member of ``alliance``; anything else is as good as missing (404)."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.alliance_id != alliance.id or not membership.active:
        raise RecordMissing("no such member")
    return membership


def cycle_results(cycle: Cycle) -> CycleResults:
    """Load a cycle's standards, active members and their stored standard scores (3 queries)."""
    standards = {
        s.code: s
        for s in db.session.scalars(
            select(SnapshotStandard)
            .join(SnapshotDomain, SnapshotStandard.domain_id == SnapshotDomain.id)
            .where(SnapshotStandard.snapshot_id == cycle.snapshot_id)
            .order_by(SnapshotDomain.position, SnapshotStandard.position)
        )
    }
    rows = db.session.execute(
        select(Membership, Trust, Assessment)
        .join(Trust, Membership.trust_id == Trust.id)
        .outerjoin(
            Assessment,
            (Assessment.membership_id == Membership.id) & (Assessment.cycle_id == cycle.id),
        )
        .where(Membership.alliance_id == cycle.alliance_id, Membership.active.is_(True))
        .order_by(Trust.name, Membership.id)
    ).all()
    scored_ids = {a.id for _, _, a in rows if a is not None and a.state in SCORED_STATES}
    scores: dict[int, dict[str, tuple[float | None, bool | None]]] = defaultdict(dict)
    for row in db.session.scalars(
        select(AssessmentScore).where(
            AssessmentScore.assessment_id.in_(scored_ids),
            AssessmentScore.scope == ScoreScope.STANDARD,
        )
    ):
        scores[row.assessment_id][row.code] = (row.score, row.met)
    order = {code: i for i, code in enumerate(standards)}
    members = []
    for membership, trust, assessment in rows:
        scored = assessment is not None and assessment.id in scored_ids
        mine = scores.get(assessment.id, {}) if assessment is not None and scored else {}
        unmet = sorted(
            (c for c, (_, met) in mine.items() if met is False),
            key=lambda c: (order.get(c, len(order)), c),
        )
        members.append(
            MemberResult(
                membership=membership,
                trust=trust,
                status=assessment.status if assessment else None,
                scored=scored,
                scores={c: s for c, (s, _) in mine.items()},
                unmet=tuple(unmet),
            )
        )
    return CycleResults(cycle=cycle, standards=standards, members=members)


def open_loads(alliance: Alliance) -> dict[int, int]:
    """Open (proposed or active) pairs per mentor membership id: the load against capacity."""
    return dict(
        db.session.execute(
            select(BuddyPair.mentor_membership_id, func.count())
            .where(BuddyPair.alliance_id == alliance.id, BuddyPair.status.in_(OPEN_STATUSES))
            .group_by(BuddyPair.mentor_membership_id)
        ).all()
    )


def open_pairs_by_mentee(alliance: Alliance) -> dict[int, list[str]]:
    """Names of each mentee's current mentors, to show beside members needing support."""
    rows = db.session.execute(
        select(BuddyPair.mentee_membership_id, Trust.name)
        .join(Membership, BuddyPair.mentor_membership_id == Membership.id)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(BuddyPair.alliance_id == alliance.id, BuddyPair.status.in_(OPEN_STATUSES))
        .order_by(Trust.name)
    )
    mentors: dict[int, list[str]] = defaultdict(list)
    for mentee_id, name in rows:
        mentors[mentee_id].append(name)
    return dict(mentors)


def needs_support(results: CycleResults) -> list[MemberResult]:
    """Members whose scored assessment has at least one standard below target."""
    return [m for m in results.members if m.unmet]


def _member_scores(result: MemberResult) -> MemberScores:
    return MemberScores(
        id=str(result.membership.id),
        name=result.trust.name,
        collaboration_type=result.membership.collaboration_type,
        region=result.trust.region,
        trust_type=result.trust.trust_type,
        scores=result.scores,
        status=result.status,
    )


def candidates(alliance: Alliance, results: CycleResults) -> list[BuddyCandidate]:
    """Every scored member of the cycle as a possible buddy, with quartiles, load and status."""
    loads = {str(k): v for k, v in open_loads(alliance).items()}
    scored = [_member_scores(m) for m in results.members if m.scored]
    return rank_candidates(scored, results.targets, loads)


def suggestions_for(
    alliance: Alliance, results: CycleResults, mentee: MemberResult
) -> list[Suggestion]:
    """Rank buddies for ``mentee`` on its unmet standards (see ``scoring.buddies``)."""
    return suggest_buddies(
        _member_scores(mentee),
        mentee.unmet,
        candidates(alliance, results),
        alliance.max_active_pairs_per_mentor,
    )


def mutual_suggestions(alliance: Alliance, results: CycleResults) -> list[MutualPair]:
    """Pairs of members who could each mentor the other and are not paired already (see
    ``scoring.buddies``)."""
    paired = {
        frozenset((str(mentor), str(mentee)))
        for mentor, mentee in db.session.execute(
            select(BuddyPair.mentor_membership_id, BuddyPair.mentee_membership_id).where(
                BuddyPair.alliance_id == alliance.id, BuddyPair.status.in_(OPEN_STATUSES)
            )
        )
    }
    return mutual_pairs(candidates(alliance, results), alliance.max_active_pairs_per_mentor, paired)


def mentor_cautions(alliance: Alliance, results: CycleResults) -> dict[int, tuple[str, ...]]:
    """What to say beside each possible mentor that is itself weak in the cycle, by membership."""
    return {int(c.id): c.cautions for c in candidates(alliance, results) if c.cautions}


def mentor_choices(alliance: Alliance, mentee: Membership) -> list[tuple[Membership, Trust, int]]:
    """Every other active member as a possible mentor, with its current load."""
    loads = open_loads(alliance)
    rows = db.session.execute(
        select(Membership, Trust)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(
            Membership.alliance_id == alliance.id,
            Membership.active.is_(True),
            Membership.id != mentee.id,
        )
        .order_by(Trust.name)
    )
    return [(m, t, loads.get(m.id, 0)) for m, t in rows]


def member_trusts(alliance: Alliance) -> list[Trust]:
    """The trusts of every member, past or present, for filtering pairs."""
    return list(
        db.session.scalars(
            select(Trust)
            .join(Membership, Membership.trust_id == Trust.id)
            .where(Membership.alliance_id == alliance.id)
            .order_by(Trust.name)
        )
    )
