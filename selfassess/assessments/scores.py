"""Stored results: compute an assessment's scores and membership status and keep them.

Dashboards and exports read these rows instead of recomputing; ``flask scores rebuild`` calls
the same functions, so it reproduces the stored numbers exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentState,
    Cycle,
    CycleState,
    ModeratedLevel,
    ScoreScope,
    SnapshotQuestion,
)
from ..questionbank.kinds import QuestionKind
from ..scoring import Answers, FrameworkSpec, membership_status, score_assessment
from ..scoring import AssessmentScore as ScoreResult
from ..scoring.moderation import moderate
from .cycle_values import CycleValueCache, with_cycle_peers
from .snapshots import framework_spec, load_snapshot

SCORED_STATES = (AssessmentState.SUBMITTED, AssessmentState.VALIDATED)


def answers_for(assessment_id: int) -> Answers:
    """The assessment's answers keyed by question code, values typed for the scoring rules."""
    rows = db.session.execute(
        select(SnapshotQuestion.code, SnapshotQuestion.kind, Answer.value)
        .join(Answer, Answer.question_id == SnapshotQuestion.id)
        .where(Answer.assessment_id == assessment_id)
    ).all()
    answers: dict[str, str | float | None] = {}
    for code, kind, value in rows:
        if value is None or value == "":
            continue
        answers[code] = typed_value(kind, value)
    return answers


def typed_value(kind: str, value: str) -> str | float:
    """A stored answer as the scoring rules take it: metrics are numbers, the rest text."""
    return float(value) if kind == QuestionKind.METRIC else value


class SpecCache:
    """Framework specs by snapshot id, built once per rebuild or export."""

    def __init__(self) -> None:
        self._specs: dict[int, FrameworkSpec] = {}

    def get(self, snapshot_id: int) -> FrameworkSpec:
        if snapshot_id not in self._specs:
            self._specs[snapshot_id] = framework_spec(load_snapshot(snapshot_id))
        return self._specs[snapshot_id]


def _previous_validated(assessment: Assessment) -> Assessment | None:
    """The member's validated assessment in the most recent earlier cycle that has one."""
    return db.session.execute(
        select(Assessment)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(
            Assessment.membership_id == assessment.membership_id,
            Assessment.state == AssessmentState.VALIDATED,
            Cycle.alliance_id == assessment.cycle.alliance_id,
            Cycle.opens_on < assessment.cycle.opens_on,
        )
        .order_by(Cycle.opens_on.desc())
        .limit(1)
    ).scalar_one_or_none()


def own_result(
    assessment: Assessment, specs: SpecCache | None = None, values: CycleValueCache | None = None
) -> ScoreResult | None:
    """The member's own scores from its answers, before any moderation (None unless submitted
    or validated)."""
    if assessment.state not in SCORED_STATES:
        return None
    specs = specs or SpecCache()
    values = values or CycleValueCache(SCORED_STATES)
    spec = specs.get(assessment.cycle.snapshot_id)
    return score_assessment(spec, answers_for(assessment.id), values.get(assessment.cycle_id, spec))


class PanelLevels:
    """The moderation panel's levels by assessment id: read for many at once where known
    (``refresh_many`` refreshes a whole cycle), one at a time otherwise."""

    def __init__(self, assessment_ids: list[int] | None = None) -> None:
        ids = assessment_ids or []
        self._known = set(ids)
        self._levels = moderated_levels(ids)

    def get(self, assessment_id: int) -> dict[str, float]:
        if assessment_id not in self._known:
            self._levels.update(moderated_levels([assessment_id]))
            self._known.add(assessment_id)
        return self._levels.get(assessment_id, {})


def _counted_result(
    assessment: Assessment, specs: SpecCache, values: CycleValueCache, panel: PanelLevels
) -> ScoreResult | None:
    """The scores that count: the member's own, with any moderated standard at the panel's
    level (``scoring.moderation``)."""
    own = own_result(assessment, specs, values)
    if own is None:
        return None
    return moderate(specs.get(assessment.cycle.snapshot_id), own, panel.get(assessment.id))


def moderated_levels(assessment_ids: list[int]) -> dict[int, dict[str, float]]:
    """The panel's level per standard code, for each of several assessments."""
    found: dict[int, dict[str, float]] = {}
    if not assessment_ids:
        return found
    for assessment_id, code, level in db.session.execute(
        select(
            ModeratedLevel.assessment_id, ModeratedLevel.standard_code, ModeratedLevel.level
        ).where(ModeratedLevel.assessment_id.in_(assessment_ids))
    ):
        found.setdefault(assessment_id, {})[code] = level
    return found


def refresh_assessment(
    assessment: Assessment,
    specs: SpecCache | None = None,
    values: CycleValueCache | None = None,
    panel: PanelLevels | None = None,
) -> None:
    """Recompute and store one assessment's scores and status (caller commits).

    Metrics scored by quartile take the cycle's submitted values (``cycle_values``); a caller that
    changes one member's answers or state refreshes the cycle's other scored assessments too
    (``refresh_many`` does), since their quartile levels can move with it. Moderated standards
    count at the panel's level, here and in the earlier result "At risk" looks at.
    """
    specs = specs or SpecCache()
    values = values or CycleValueCache(SCORED_STATES)
    panel = panel or PanelLevels()
    current = _counted_result(assessment, specs, values, panel)
    previous: ScoreResult | None = None
    if current is not None and current.core_not_met:
        earlier = _previous_validated(assessment)
        if earlier is not None:
            previous = _counted_result(earlier, specs, values, panel)
    status = membership_status(current, previous, assessment.cycle.state == CycleState.CLOSED)
    _store(assessment, current)
    _summarise(assessment, current, status.status.value)


def _summarise(assessment: Assessment, result: ScoreResult | None, status: str) -> None:
    """The figures kept on the assessment itself beside its score rows: its status, overall
    index and count of standards met (what lists of members show without the score rows)."""
    assessment.status = status
    assessment.overall_index = result.index if result else None
    assessment.standards_met = result.met_count if result else None


def _store(assessment: Assessment, result: ScoreResult | None) -> None:
    db.session.execute(
        delete(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id)
    )
    if result is not None:
        db.session.add_all([AssessmentScore(**row) for row in _score_rows(assessment.id, result)])


def _score_rows(assessment_id: int, result: ScoreResult) -> list[dict[str, object]]:
    """The stored score rows of one result: each standard, each domain, and the overall.

    Every row has every column, so a bulk insert sends them in one batch, not one per key set.
    """
    rows: list[dict[str, object]] = [
        {
            "assessment_id": assessment_id,
            "scope": ScoreScope.STANDARD,
            "code": s.id,
            "score": s.score,
            "score_index": None,
            "met": s.met,
            "moderated": s.moderated,
            "self_assessed": s.self_assessed,
        }
        for s in result.standards
    ]
    rows += [
        {
            "assessment_id": assessment_id,
            "scope": ScoreScope.DOMAIN,
            "code": d.id,
            "score": d.score,
            "score_index": d.index,
            "met": None,
            "moderated": False,
            "self_assessed": None,
        }
        for d in result.domains
    ]
    rows.append(
        {
            "assessment_id": assessment_id,
            "scope": ScoreScope.OVERALL,
            "code": "overall",
            "score": None,
            "score_index": result.index,
            "met": None,
            "moderated": False,
            "self_assessed": None,
        }
    )
    return rows


def refresh_many(assessments: Iterable[Assessment]) -> int:
    """Refresh several assessments, oldest cycle first so "At risk" sees earlier results.

    Where a cycle's framework scores a metric by quartile, the cycle's other submitted and
    validated assessments are refreshed as well: one member's answer moves the quartiles.
    """
    specs = SpecCache()
    values = CycleValueCache(SCORED_STATES)
    ordered = sorted(
        with_cycle_peers(list(assessments), specs.get, SCORED_STATES),
        key=lambda a: (a.cycle.opens_on, a.id),
    )
    # One read of the panel's levels for the lot, not one per assessment (a cycle's peers).
    panel = PanelLevels([a.id for a in ordered if a.state in SCORED_STATES])
    for assessment in ordered:
        refresh_assessment(assessment, specs, values, panel)
    return len(ordered)


def refresh_with_later(assessment: Assessment) -> None:
    """Refresh an assessment and the member's later scored ones, whose "At risk" depends on it."""
    later = db.session.scalars(
        select(Assessment)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(
            Assessment.membership_id == assessment.membership_id,
            Cycle.opens_on > assessment.cycle.opens_on,
            Assessment.state.in_(SCORED_STATES),
        )
    ).all()
    refresh_many([assessment, *later])


def rebuild_all(chunk: int = 1000) -> int:
    """Recompute every stored result in the instance; returns how many assessments.

    Same functions as ``refresh_many`` (``score_assessment``, ``membership_status``), but set-wise:
    per-assessment queries and ORM score objects made a national instance (10,000 assessments,
    750,000 answers) take over a minute. Here answers are read a chunk of assessments at a time,
    each member's previous validated result is taken from the results already computed (oldest
    cycle first, as ``refresh_many`` orders them), and score rows are bulk inserted.
    """
    assessments = db.session.scalars(
        select(Assessment).options(selectinload(Assessment.cycle))
    ).all()
    ordered = sorted(assessments, key=lambda a: (a.cycle.opens_on, a.id))
    questions = {
        qid: (code, kind)
        for qid, code, kind in db.session.execute(
            select(SnapshotQuestion.id, SnapshotQuestion.code, SnapshotQuestion.kind)
        )
    }
    specs = SpecCache()
    values = CycleValueCache(SCORED_STATES)
    results: dict[int, ScoreResult] = {}
    validated: dict[int, list[Assessment]] = {}  # membership id -> validated, oldest first
    for start in range(0, len(ordered), chunk):
        part = ordered[start : start + chunk]
        scored_ids = [a.id for a in part if a.state in SCORED_STATES]
        answers = _answers_of(scored_ids, questions)
        moderated = moderated_levels(scored_ids)
        db.session.execute(
            delete(AssessmentScore).where(AssessmentScore.assessment_id.in_([a.id for a in part]))
        )
        rows: list[dict[str, object]] = []
        for assessment in part:
            current: ScoreResult | None = None
            if assessment.state in SCORED_STATES:
                spec = specs.get(assessment.cycle.snapshot_id)
                current = moderate(
                    spec,
                    score_assessment(
                        spec, answers.get(assessment.id, {}), values.get(assessment.cycle_id, spec)
                    ),
                    moderated.get(assessment.id, {}),
                )
                results[assessment.id] = current
                rows += _score_rows(assessment.id, current)
            previous: ScoreResult | None = None
            if current is not None and current.core_not_met:
                earlier = _latest_before(validated.get(assessment.membership_id, []), assessment)
                previous = results.get(earlier.id) if earlier is not None else None
            status = membership_status(
                current, previous, assessment.cycle.state == CycleState.CLOSED
            )
            _summarise(assessment, current, status.status.value)
            if assessment.state == AssessmentState.VALIDATED:
                validated.setdefault(assessment.membership_id, []).append(assessment)
        if rows:  # render_nulls: None-valued keys would otherwise split the batch per key set
            db.session.execute(insert(AssessmentScore).execution_options(render_nulls=True), rows)
        db.session.flush()
    db.session.commit()
    return len(ordered)


def _answers_of(
    assessment_ids: list[int], questions: dict[int, tuple[str, str]]
) -> dict[int, Answers]:
    """Answers of several assessments at once, typed as ``answers_for`` types them."""
    found: dict[int, dict[str, str | float | None]] = {}
    if not assessment_ids:
        return {}
    for assessment_id, question_id, value in db.session.execute(
        select(Answer.assessment_id, Answer.question_id, Answer.value).where(
            Answer.assessment_id.in_(assessment_ids)
        )
    ):
        if value is None or value == "":
            continue
        code, kind = questions[question_id]
        found.setdefault(assessment_id, {})[code] = typed_value(kind, value)
    return dict(found)


def _latest_before(candidates: list[Assessment], assessment: Assessment) -> Assessment | None:
    """What ``_previous_validated`` finds, from the member's validated assessments so far."""
    earlier = [
        a
        for a in candidates
        if a.cycle.alliance_id == assessment.cycle.alliance_id
        and a.cycle.opens_on < assessment.cycle.opens_on
    ]
    return max(earlier, key=lambda a: a.cycle.opens_on) if earlier else None
