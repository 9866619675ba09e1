"""Read models for pairs: lists with filters, one pair with its notes, and pair outcomes.

An outcome compares the mentee's stored standard scores in the pair's cycle (the baseline the
pair was made from, submitted or validated) with its latest *validated* assessment in a later
cycle. Outcomes for many pairs are loaded together in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from ..access import RecordMissing
from ..assessments.scores import SCORED_STATES
from ..extensions import db
from ..models import (
    Alliance,
    Assessment,
    AssessmentScore,
    AssessmentState,
    BuddyPair,
    Cycle,
    FrameworkSnapshot,
    Membership,
    ScoreScope,
    SnapshotStandard,
    Trust,
)
from ..scoring.pair_outcomes import FocusChange, focus_changes, scores_through_lineage


@dataclass(frozen=True)
class PairRow:
    """A pair with the names a page shows beside it."""

    pair: BuddyPair
    alliance: Alliance
    mentor: Trust
    mentee: Trust
    cycle: Cycle | None


@dataclass(frozen=True)
class Outcome:
    """A pair's outcome: the baseline and latest cycles and the change on each focus standard."""

    baseline: Cycle | None
    latest: Cycle | None
    changes: tuple[FocusChange, ...] = ()

    @property
    def reason(self) -> str | None:
        """Why there is nothing to compare yet, or None when there is."""
        if self.baseline is None:
            return "The mentee has no submitted results in the cycle this pair started from."
        if self.latest is None:
            return f"No validated cycle after {self.baseline.name} yet."
        return None


_MENTOR_M, _MENTEE_M = aliased(Membership, name="mentor_m"), aliased(Membership, name="mentee_m")
_MENTOR_T, _MENTEE_T = aliased(Trust, name="mentor_t"), aliased(Trust, name="mentee_t")


# SQLAlchemy types the outer-joined cycle as ``Cycle``; it is None when the pair has no
# ``cycle_id``, as ``PairRow.cycle`` says.
def _pair_query() -> Select[BuddyPair, Alliance, Trust, Trust, Cycle]:
    mentor_m, mentee_m, mentor_t, mentee_t = _MENTOR_M, _MENTEE_M, _MENTOR_T, _MENTEE_T
    return (
        select(BuddyPair, Alliance, mentor_t, mentee_t, Cycle)
        .join(Alliance, BuddyPair.alliance_id == Alliance.id)
        .join(mentor_m, BuddyPair.mentor_membership_id == mentor_m.id)
        .join(mentor_t, mentor_m.trust_id == mentor_t.id)
        .join(mentee_m, BuddyPair.mentee_membership_id == mentee_m.id)
        .join(mentee_t, mentee_m.trust_id == mentee_t.id)
        .outerjoin(Cycle, BuddyPair.cycle_id == Cycle.id)
        .order_by(BuddyPair.start_date.desc(), BuddyPair.id.desc())
    )


def _rows(query: Select[BuddyPair, Alliance, Trust, Trust, Cycle]) -> list[PairRow]:
    return [PairRow(*row) for row in db.session.execute(query)]


def list_pairs(
    alliance: Alliance, *, status: str | None = None, trust_id: int | None = None
) -> list[PairRow]:
    """The alliance's pairs, newest first, optionally one status or one trust (either side)."""
    query = _pair_query().where(BuddyPair.alliance_id == alliance.id)
    if status:
        query = query.where(BuddyPair.status == status)
    if trust_id is not None:
        query = query.where(or_(_MENTOR_T.id == trust_id, _MENTEE_T.id == trust_id))
    return _rows(query)


def trust_pairs(trust: Trust, alliance_ids: Collection[int]) -> list[PairRow]:
    """Every pair the trust is in, as mentor or mentee, in the given alliances."""
    return _rows(
        _pair_query().where(
            or_(_MENTOR_T.id == trust.id, _MENTEE_T.id == trust.id),
            BuddyPair.alliance_id.in_(alliance_ids),
        )
    )


def load_pair(alliance: Alliance, pair_id: int) -> PairRow:
    """Return one of ``alliance``'s pairs; another alliance's is as good as missing (404)."""
    row = db.session.execute(
        _pair_query().where(BuddyPair.id == pair_id, BuddyPair.alliance_id == alliance.id)
    ).first()
    if row is None:
        raise RecordMissing("no such record")
    return PairRow(*row)


def core_standards(rows: list[PairRow]) -> dict[int, frozenset[str]]:
    """Each pair's core standards (as its cycle set them), by pair id, to mark its focus list."""
    snapshots = {r.cycle.snapshot_id for r in rows if r.cycle is not None}
    core: dict[int, set[str]] = defaultdict(set)
    if not snapshots:  # no pairs from a cycle: nothing to ask the database
        return {r.pair.id: frozenset() for r in rows}
    for snapshot_id, code in db.session.execute(
        select(SnapshotStandard.snapshot_id, SnapshotStandard.code).where(
            SnapshotStandard.snapshot_id.in_(snapshots), SnapshotStandard.core.is_(True)
        )
    ):
        core[snapshot_id].add(code)
    return {
        r.pair.id: frozenset(core[r.cycle.snapshot_id]) if r.cycle else frozenset() for r in rows
    }


def outcomes(rows: list[PairRow]) -> dict[int, Outcome]:
    """Each pair's outcome by pair id (3 queries, whatever the number of pairs)."""
    mentee_ids = {r.pair.mentee_membership_id for r in rows}
    assessments = db.session.execute(
        select(Assessment, Cycle)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Assessment.membership_id.in_(mentee_ids), Assessment.state.in_(SCORED_STATES))
    ).all()
    scores: dict[int, dict[str, float | None]] = defaultdict(dict)
    for assessment_id, code, score in db.session.execute(
        select(AssessmentScore.assessment_id, AssessmentScore.code, AssessmentScore.score).where(
            AssessmentScore.assessment_id.in_([a.id for a, _ in assessments]),
            AssessmentScore.scope == ScoreScope.STANDARD,
        )
    ):
        scores[assessment_id][code] = score
    targets: dict[int, dict[str, float]] = defaultdict(dict)
    #: Per snapshot: an earlier version's standard id -> the ids in this snapshot continuing it.
    continued_by: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)
    versions: dict[int, str] = {}
    for snapshot_id, code, target, continues, version in db.session.execute(
        select(
            SnapshotStandard.snapshot_id,
            SnapshotStandard.code,
            SnapshotStandard.target,
            SnapshotStandard.continues,
            FrameworkSnapshot.version,
        )
        .join(FrameworkSnapshot, SnapshotStandard.snapshot_id == FrameworkSnapshot.id)
        .where(SnapshotStandard.snapshot_id.in_({c.snapshot_id for _, c in assessments}))
    ):
        targets[snapshot_id][code] = target
        versions[snapshot_id] = version
        for earlier in continues or ():
            continued_by[snapshot_id][earlier] = (*continued_by[snapshot_id].get(earlier, ()), code)
    by_mentee: dict[int, list[tuple[Assessment, Cycle]]] = defaultdict(list)
    for assessment, cycle in assessments:
        by_mentee[assessment.membership_id].append((assessment, cycle))
    return {
        r.pair.id: _outcome(
            r.pair,
            by_mentee[r.pair.mentee_membership_id],
            scores,
            targets,
            continued_by,
            versions,
        )
        for r in rows
    }


def _outcome(
    pair: BuddyPair,
    mine: list[tuple[Assessment, Cycle]],
    scores: dict[int, dict[str, float | None]],
    targets: dict[int, dict[str, float]],
    continued_by: dict[int, dict[str, tuple[str, ...]]],
    versions: dict[int, str],
) -> Outcome:
    baseline = next(((a, c) for a, c in mine if c.id == pair.cycle_id), None)
    if baseline is None:
        return Outcome(None, None)
    later = sorted(
        (
            (a, c)
            for a, c in mine
            if a.state == AssessmentState.VALIDATED and c.opens_on > baseline[1].opens_on
        ),
        key=lambda ac: (ac[1].opens_on, ac[1].id),
    )
    if not later:
        return Outcome(baseline[1], None)
    latest = later[-1]
    after = scores[latest[0].id]
    # The latest cycle's targets are the ones the mentee is measured against now.
    goal = {**targets[baseline[1].snapshot_id], **targets[latest[1].snapshot_id]}
    then, now = baseline[1].snapshot_id, latest[1].snapshot_id
    if versions.get(then) != versions.get(now):
        # A newer framework version: follow each focus standard to the ones continuing it, and
        # measure it against its own target (the one the pair was set up to reach).
        after = scores_through_lineage(pair.focus_standards, after, continued_by.get(now, {}))
        goal = dict(targets[then])
    changes = focus_changes(pair.focus_standards, scores[baseline[0].id], after, goal)
    return Outcome(baseline[1], latest[1], changes)


def focus_titles(results: dict[int, Outcome]) -> dict[str, str]:
    """Each compared focus standard's title, by code, in the framework version of the cycle its
    change is measured in (the latest cycle's snapshot wins where versions word it differently)."""
    latest = sorted(
        {o.latest.id: o.latest for o in results.values() if o.latest is not None}.values(),
        key=lambda c: c.opens_on,
    )
    if not latest:
        return {}
    order = {c.snapshot_id: i for i, c in enumerate(latest)}
    rows = db.session.execute(
        select(
            SnapshotStandard.snapshot_id, SnapshotStandard.code, SnapshotStandard.statement
        ).where(SnapshotStandard.snapshot_id.in_(order))
    ).all()
    return {code: text for _s, code, text in sorted(rows, key=lambda r: order[r[0]])}


def chart_items(
    rows: list[PairRow], results: dict[int, Outcome]
) -> list[tuple[str, str, str, FocusChange]]:
    """(pair label, before cycle, after cycle, change) for every compared focus standard."""
    items: list[tuple[str, str, str, FocusChange]] = []
    for row in rows:
        outcome = results[row.pair.id]
        if outcome.baseline is None or outcome.latest is None:
            continue
        label = f"{row.mentee.name} (from {outcome.baseline.name})"
        items.extend(
            (label, outcome.baseline.name, outcome.latest.name, change)
            for change in outcome.changes
        )
    return items
