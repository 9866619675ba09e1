"""Gather what ``scoring.flags`` needs for a batch of assessments, in a fixed handful of queries.

For each standard of each assessment: its stored score and target, whether any of its questions
has an evidence comment or file, the member's score on it (or on the standards it continues) in
its previous scored self-assessment, the alliance facts on it answered "no" in the cycle, and,
where several respondents is on, the levels each respondent chose on its questions.
Read-only; flags never change a score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import fmean

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    AllianceFactAnswer,
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentState,
    Cycle,
    EvidenceFile,
    FrameworkSnapshot,
    RespondentAnswer,
    RespondentsSetting,
    ScoreScope,
    SnapshotQuestion,
    SnapshotStandard,
)
from ..scoring.flags import Flag, StandardClaim, confidence_flags
from ..scoring.spread import claimed_level

SCORED = (AssessmentState.SUBMITTED, AssessmentState.VALIDATED)


def flags_for(assessments: Sequence[Assessment]) -> dict[int, list[Flag]]:
    """The flags of each assessment, by id (assessments with no stored scores have none)."""
    return {
        assessment_id: confidence_flags(claim for _, claim in claims)
        for assessment_id, claims in _claims(assessments).items()
    }


def review_figures(
    assessment: Assessment,
) -> tuple[list[Flag], list[tuple[SnapshotStandard, float | None, float | None]]]:
    """For the review page, from one gathering: the assessment's flags, and each standard's
    score in the member's previous scored self-assessment (through lineage) beside its score
    now."""
    claims = _claims([assessment]).get(assessment.id, [])
    return (
        confidence_flags(claim for _, claim in claims),
        [(standard, claim.previous, claim.score) for standard, claim in claims],
    )


def _claims(
    assessments: Sequence[Assessment],
) -> dict[int, list[tuple[SnapshotStandard, StandardClaim]]]:
    if not assessments:
        return {}
    ids = [a.id for a in assessments]
    snapshot_ids = {a.cycle.snapshot_id for a in assessments}
    standards = _standards(snapshot_ids)
    scores = _standard_scores(ids)
    evidenced = _evidenced_codes(ids)
    previous = _previous_scores(assessments)
    facts_no = _facts_answered_no({a.cycle_id for a in assessments})
    respondents = _respondent_levels(ids)
    found: dict[int, list[tuple[SnapshotStandard, StandardClaim]]] = {}
    for assessment in assessments:
        mine = scores.get(assessment.id, {})
        if not mine:
            found[assessment.id] = []
            continue
        before, same_version = previous.get(assessment.id, ({}, True))
        rows = []
        for standard in standards.get(assessment.cycle.snapshot_id, []):
            questions = [q.code for q in standard.questions if q.answered_by == "member"]
            earlier_codes = [standard.code] if same_version else list(standard.continues or [])
            earlier = [v for c in earlier_codes if (v := before.get(c)) is not None]
            facts = facts_no.get(assessment.cycle_id, {}).get(standard.id, [])
            chosen = respondents.get(assessment.id, {})
            rows.append(
                (
                    standard,
                    StandardClaim(
                        code=standard.code,
                        score=mine.get(standard.code),
                        target=standard.target,
                        evidenced=any(q in evidenced.get(assessment.id, set()) for q in questions),
                        previous=fmean(earlier) if earlier else None,
                        facts_answered_no=tuple(facts),
                        respondent_levels=tuple(
                            (code, tuple(chosen[code])) for code in questions if code in chosen
                        ),
                    ),
                )
            )
        found[assessment.id] = rows
    return found


def _standards(snapshot_ids: set[int]) -> dict[int, list[SnapshotStandard]]:
    found: dict[int, list[SnapshotStandard]] = defaultdict(list)
    for standard in db.session.scalars(
        select(SnapshotStandard)
        .where(SnapshotStandard.snapshot_id.in_(snapshot_ids))
        .options(selectinload(SnapshotStandard.questions))
        .order_by(SnapshotStandard.snapshot_id, SnapshotStandard.id)
    ):
        found[standard.snapshot_id].append(standard)
    return found


def _standard_scores(assessment_ids: list[int]) -> dict[int, dict[str, float | None]]:
    found: dict[int, dict[str, float | None]] = defaultdict(dict)
    for row in db.session.execute(
        select(AssessmentScore.assessment_id, AssessmentScore.code, AssessmentScore.score).where(
            AssessmentScore.assessment_id.in_(assessment_ids),
            AssessmentScore.scope == ScoreScope.STANDARD,
        )
    ):
        found[row.assessment_id][row.code] = row.score
    return found


def _evidenced_codes(assessment_ids: list[int]) -> dict[int, set[str]]:
    """Question codes with an evidence comment or a current evidence file, per assessment."""
    found: dict[int, set[str]] = defaultdict(set)
    for assessment_id, code in db.session.execute(
        select(Answer.assessment_id, SnapshotQuestion.code)
        .join(SnapshotQuestion, Answer.question_id == SnapshotQuestion.id)
        .where(Answer.assessment_id.in_(assessment_ids), Answer.comment.is_not(None))
    ):
        found[assessment_id].add(code)
    for assessment_id, code in db.session.execute(
        select(EvidenceFile.assessment_id, EvidenceFile.question_code).where(
            EvidenceFile.assessment_id.in_(assessment_ids), EvidenceFile.removed_at.is_(None)
        )
    ):
        found[assessment_id].add(code)
    return found


def _previous_scores(
    assessments: Sequence[Assessment],
) -> dict[int, tuple[dict[str, float | None], bool]]:
    """Per assessment: the member's standard scores in its latest earlier scored
    self-assessment, and whether that one was on the same framework version."""
    memberships = {a.membership_id for a in assessments}
    earlier = db.session.execute(
        select(Assessment.id, Assessment.membership_id, Cycle.opens_on, Cycle.snapshot_id)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Assessment.membership_id.in_(memberships), Assessment.state.in_(SCORED))
        .order_by(Cycle.opens_on)
    ).all()
    chosen: dict[int, tuple[int, int]] = {}
    for assessment in assessments:
        candidates = [
            (row.id, row.snapshot_id)
            for row in earlier
            if row.membership_id == assessment.membership_id
            and row.opens_on < assessment.cycle.opens_on
        ]
        if candidates:
            chosen[assessment.id] = candidates[-1]
    scores = _standard_scores([earlier_id for earlier_id, _ in chosen.values()])
    versions = _versions(
        {snapshot for _, snapshot in chosen.values()} | {a.cycle.snapshot_id for a in assessments}
    )
    return {
        assessment.id: (
            scores.get(chosen[assessment.id][0], {}),
            versions.get(chosen[assessment.id][1]) == versions.get(assessment.cycle.snapshot_id),
        )
        for assessment in assessments
        if assessment.id in chosen
    }


def _versions(snapshot_ids: set[int]) -> dict[int, tuple[str, str]]:
    return {
        row.id: (row.framework_key, row.version)
        for row in db.session.execute(
            select(
                FrameworkSnapshot.id, FrameworkSnapshot.framework_key, FrameworkSnapshot.version
            ).where(FrameworkSnapshot.id.in_(snapshot_ids))
        )
    }


def _facts_answered_no(cycle_ids: set[int]) -> dict[int, dict[int, list[str]]]:
    """Per cycle, per standard id: the codes of alliance facts answered "no"."""
    found: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cycle_id, standard_id, code in db.session.execute(
        select(AllianceFactAnswer.cycle_id, SnapshotQuestion.standard_id, SnapshotQuestion.code)
        .join(SnapshotQuestion, AllianceFactAnswer.question_id == SnapshotQuestion.id)
        .where(AllianceFactAnswer.cycle_id.in_(cycle_ids), AllianceFactAnswer.value == "no")
        .order_by(SnapshotQuestion.code)
    ):
        found[cycle_id][standard_id].append(code)
    return found


def _respondent_levels(assessment_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    """Per assessment with several respondents on, per question code: the levels chosen."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for assessment_id, code, kind, value in db.session.execute(
        select(
            RespondentAnswer.assessment_id,
            SnapshotQuestion.code,
            SnapshotQuestion.kind,
            RespondentAnswer.value,
        )
        .join(SnapshotQuestion, RespondentAnswer.question_id == SnapshotQuestion.id)
        .join(
            RespondentsSetting, RespondentsSetting.assessment_id == RespondentAnswer.assessment_id
        )
        .where(RespondentAnswer.assessment_id.in_(assessment_ids))
    ):
        level = claimed_level(kind, value)
        if level is not None:
            found[assessment_id][code].append(level)
    return found
