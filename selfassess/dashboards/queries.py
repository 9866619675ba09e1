"""The SQL behind the dashboards: a fixed handful of queries, whatever the alliance's size.

Every function runs exactly one SELECT and returns plain records, so the view models built from
them never trigger a lazy load (a test counts the queries at 10 and 200 members). The records
with one row per member and score are named tuples: a 200-member alliance reads ~12,000 score
rows, and a tuple is several times cheaper to build than a frozen dataclass.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from ..assessments.scores import SCORED_STATES
from ..extensions import db
from ..models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentScore,
    Cycle,
    Membership,
    ScoreScope,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
)
from ..questionbank.kinds import AnsweredBy
from ..scoring import PeerMember


@dataclass(frozen=True)
class MemberRow:
    """A member of the alliance: its trust and membership details."""

    membership_id: int
    code: str
    name: str
    trust_type: str
    region: str
    collaboration_type: str
    active: bool

    def as_peer(self) -> PeerMember:
        """What the peer filter compares."""
        return PeerMember(
            id=str(self.membership_id),
            collaboration_type=self.collaboration_type,
            region=self.region,
            trust_type=self.trust_type,
        )


class AssessmentRow(NamedTuple):
    """An assessment's stored results (no answers)."""

    id: int
    cycle_id: int
    membership_id: int
    state: str
    overall_index: float | None
    status: str | None
    standards_met: int | None


@dataclass(frozen=True)
class StandardRow:
    """A standard of the cycle's framework, with its domain."""

    domain_code: str
    domain_name: str
    code: str
    statement: str
    core: bool
    target: float
    guidance: str
    #: The previous framework version's standards this one continues (lineage; () if none).
    continues: tuple[str, ...] = ()


class ScoreRow(NamedTuple):
    """One stored score of one assessment."""

    assessment_id: int
    scope: str
    code: str
    score: float | None
    score_index: float | None
    met: bool | None
    #: A moderation panel set ``score``; ``self_assessed`` is then the member's own.
    moderated: bool = False
    self_assessed: float | None = None


#: The stored score columns a ``ScoreRow`` holds, in its field order.
_SCORE_COLUMNS = (
    AssessmentScore.assessment_id,
    AssessmentScore.scope,
    AssessmentScore.code,
    AssessmentScore.score,
    AssessmentScore.score_index,
    AssessmentScore.met,
    AssessmentScore.moderated,
    AssessmentScore.self_assessed,
)


@dataclass(frozen=True)
class QuestionRow:
    """A question of a standard, with the member's answer (None when blank)."""

    standard_code: str
    code: str
    kind: str
    text: str
    guidance: str
    weight: float
    required: bool
    options: dict[str, Any]
    value: str | None
    comment: str | None


def cycles(alliance: Alliance) -> list[Cycle]:
    """The alliance's cycles, oldest first, each with its framework snapshot (joined in the same
    SELECT: trends ask every cycle's framework version, and a lazy load each would add a query
    per cycle)."""
    return list(
        db.session.scalars(
            select(Cycle)
            .options(joinedload(Cycle.snapshot))
            .where(Cycle.alliance_id == alliance.id)
            .order_by(Cycle.opens_on, Cycle.id)
        )
    )


def _core_rows(statement: Select[*tuple[Any, ...]]) -> Any:
    """Run a plain column select on the session's connection, skipping the ORM's per-row
    result processing: dashboards at national scale read tens of thousands of score rows, and
    the ORM layer was most of that time in the profile."""
    return db.session.connection().execute(statement)


def members(alliance: Alliance) -> list[MemberRow]:
    """Every membership of the alliance with its trust, by trust name."""
    rows = db.session.execute(
        select(
            Membership.id,
            Trust.code,
            Trust.name,
            Trust.trust_type,
            Trust.region,
            Membership.collaboration_type,
            Membership.active,
        )
        .join(Trust, Membership.trust_id == Trust.id)
        .where(Membership.alliance_id == alliance.id)
        .order_by(Trust.name, Trust.code)
    )
    return [MemberRow(*row) for row in rows]


def assessments(alliance: Alliance, cycle_ids: Collection[int]) -> list[AssessmentRow]:
    """The assessments of some cycles of the alliance: states, indices and statuses only."""
    rows = _core_rows(
        select(
            Assessment.id,
            Assessment.cycle_id,
            Assessment.membership_id,
            Assessment.state,
            Assessment.overall_index,
            Assessment.status,
            Assessment.standards_met,
        )
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Cycle.alliance_id == alliance.id, Assessment.cycle_id.in_(sorted(cycle_ids)))
    )
    return [AssessmentRow._make(row) for row in rows]


def standards(snapshot_id: int) -> list[StandardRow]:
    """The framework's standards in order, each with its domain."""
    rows = db.session.execute(
        select(
            SnapshotDomain.code,
            SnapshotDomain.name,
            SnapshotStandard.code,
            SnapshotStandard.statement,
            SnapshotStandard.core,
            SnapshotStandard.target,
            SnapshotStandard.guidance,
            SnapshotStandard.continues,
        )
        .join(SnapshotDomain, SnapshotStandard.domain_id == SnapshotDomain.id)
        .where(SnapshotStandard.snapshot_id == snapshot_id)
        .order_by(SnapshotDomain.position, SnapshotStandard.position)
    )
    return [StandardRow(*row[:-1], continues=tuple(row[-1] or ())) for row in rows]


def scores_of(assessment_ids: Collection[int], scope: ScoreScope) -> list[ScoreRow]:
    """The stored scores of one scope (standard, domain or overall) of some assessments.

    The coordinator's dashboard reads the domain scores of every compared member but the
    standard scores of the members on its page only: every standard row of a 500-member cycle
    (~9,000 rows) was a quarter of the page's time, for a heatmap that shows 50 members.
    """
    if not assessment_ids:
        return []
    rows = _core_rows(
        select(*_SCORE_COLUMNS).where(
            AssessmentScore.scope == scope,
            AssessmentScore.assessment_id.in_(sorted(assessment_ids)),
        )
    )
    return [ScoreRow._make(row) for row in rows]


def domain_indices(assessment_ids: Collection[int]) -> dict[str, dict[int, float]]:
    """Per domain code, each of some assessments' stored domain index (those it has)."""
    found: dict[str, dict[int, float]] = {}
    if not assessment_ids:
        return found
    rows = _core_rows(
        select(
            AssessmentScore.assessment_id, AssessmentScore.code, AssessmentScore.score_index
        ).where(
            AssessmentScore.scope == ScoreScope.DOMAIN,
            AssessmentScore.assessment_id.in_(sorted(assessment_ids)),
            AssessmentScore.score_index.is_not(None),
        )
    )
    for assessment_id, code, index in rows:
        found.setdefault(code, {})[assessment_id] = index
    return found


class StandardCount(NamedTuple):
    """How many of some assessments have one score and result on one standard."""

    code: str
    score: float | None
    met: bool | None
    assessments: int


def standard_counts(assessment_ids: Collection[int]) -> list[StandardCount]:
    """Each standard's scores and results over some assessments, counted in SQL.

    A standard's score takes few distinct values (levels averaged over a few questions), so
    a cycle's ~9,000 standard rows come back as a few hundred counts, from which the share
    meeting each standard and the exact median follow (``alliance._standard_figures``).
    """
    if not assessment_ids:
        return []
    rows = _core_rows(
        select(AssessmentScore.code, AssessmentScore.score, AssessmentScore.met, func.count())
        .where(
            AssessmentScore.scope == ScoreScope.STANDARD,
            AssessmentScore.assessment_id.in_(sorted(assessment_ids)),
        )
        .group_by(AssessmentScore.code, AssessmentScore.score, AssessmentScore.met)
    )
    return [StandardCount._make(row) for row in rows]


def standards_not_met(
    assessment_ids: Collection[int], codes: Collection[str]
) -> dict[int, list[str]]:
    """Per assessment, which of the standards ``codes`` it does not show it meets
    (``ScoreResult.core_not_met`` for the core standards: no result is not met)."""
    if not assessment_ids or not codes:
        return {}
    rows = _core_rows(
        select(AssessmentScore.assessment_id, AssessmentScore.code).where(
            AssessmentScore.assessment_id.in_(sorted(assessment_ids)),
            AssessmentScore.scope == ScoreScope.STANDARD,
            or_(AssessmentScore.met.is_(False), AssessmentScore.met.is_(None)),
            AssessmentScore.code.in_(sorted(codes)),
        )
    )
    found: dict[int, list[str]] = {}
    for assessment_id, code in rows:
        found.setdefault(assessment_id, []).append(code)
    return found


def member_scores(cycle_id: int, assessment_id: int) -> list[ScoreRow]:
    """The cycle's domain and overall scores (every scored assessment), one assessment's
    standard scores, and every standard row without a result (few: who has no result on a
    standard decides which counts may be shown).

    A member's dashboard compares domains and the overall index with its peers, but standards
    only as counts (``standards_met``): reading every member's standard rows made the page
    read ~25 rows per member, most of its time at 500 members.
    """
    rows = _core_rows(
        select(*_SCORE_COLUMNS)
        .join(Assessment, AssessmentScore.assessment_id == Assessment.id)
        .where(
            Assessment.cycle_id == cycle_id,
            Assessment.state.in_(SCORED_STATES),
            or_(
                AssessmentScore.scope != ScoreScope.STANDARD,
                AssessmentScore.assessment_id == assessment_id,
                AssessmentScore.met.is_(None),
            ),
        )
    )
    return [ScoreRow._make(row) for row in rows]


def own_scores(assessment_id: int) -> list[ScoreRow]:
    """Every stored score of one assessment (the member's earlier cycle, for its change)."""
    rows = _core_rows(select(*_SCORE_COLUMNS).where(AssessmentScore.assessment_id == assessment_id))
    return [ScoreRow._make(row) for row in rows]


def standards_met(assessment_ids: Collection[int]) -> dict[str, tuple[int, int]]:
    """Per standard: how many of the assessments have a result, and how many meet it."""
    if not assessment_ids:
        return {}
    rows = db.session.execute(
        select(
            AssessmentScore.code,
            func.count(AssessmentScore.met),
            func.sum(case((AssessmentScore.met.is_(True), 1), else_=0)),
        )
        .where(
            AssessmentScore.scope == ScoreScope.STANDARD,
            AssessmentScore.assessment_id.in_(sorted(assessment_ids)),
        )
        .group_by(AssessmentScore.code)
    )
    return {code: (int(scored), int(met or 0)) for code, scored, met in rows}


def questions(
    snapshot_id: int, assessment_id: int, standard_codes: Sequence[str]
) -> list[QuestionRow]:
    """The member questions of some standards with one assessment's answers, in framework
    order (alliance facts are the coordinator's, never a member's answers)."""
    if not standard_codes:
        return []
    rows = db.session.execute(
        select(
            SnapshotStandard.code,
            SnapshotQuestion.code,
            SnapshotQuestion.kind,
            SnapshotQuestion.text,
            SnapshotQuestion.guidance,
            SnapshotQuestion.weight,
            SnapshotQuestion.required,
            SnapshotQuestion.options,
            Answer.value,
            Answer.comment,
        )
        .join(SnapshotStandard, SnapshotQuestion.standard_id == SnapshotStandard.id)
        .outerjoin(
            Answer,
            and_(Answer.question_id == SnapshotQuestion.id, Answer.assessment_id == assessment_id),
        )
        .where(
            SnapshotQuestion.snapshot_id == snapshot_id,
            SnapshotQuestion.answered_by == AnsweredBy.MEMBER,
            SnapshotStandard.code.in_(list(standard_codes)),
        )
        .order_by(SnapshotStandard.position, SnapshotQuestion.position)
    )
    return [QuestionRow(*row) for row in rows]
