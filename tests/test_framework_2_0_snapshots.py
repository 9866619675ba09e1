"""Framework 2.0 in the database: its snapshot keeps the rule, lineage and alliance facts, and
stored scores use the gated rule and the cycle's quartiles (issue #15)."""

from datetime import date
from pathlib import Path

from sqlalchemy import select

from selfassess.assessments.scores import refresh_many
from selfassess.assessments.snapshots import framework_spec, import_framework, load_snapshot
from selfassess.extensions import db
from selfassess.models import (
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentState,
    Cycle,
    ScoreScope,
    SnapshotQuestion,
    SnapshotStandard,
)
from selfassess.questionbank.kinds import ScoringRule
from selfassess.questionnaire.services import task_list

FFT = [80.0, 85.0, 90.0, 95.0, 99.0]  # one per member: quartiles 85 / 90 / 95


def _snapshot(app, folder: str):
    snapshot = import_framework(Path(app.config["QUESTIONS_DIR"]) / folder)
    db.session.commit()
    return snapshot


def test_the_snapshot_keeps_rule_lineage_and_who_answers(app) -> None:
    v1 = _snapshot(app, "alliance-maturity-1.0")
    v2 = _snapshot(app, "alliance-maturity-2.0")
    assert (v1.scoring, v2.scoring) == ("averaged", "gated")
    vis1 = db.session.scalar(
        select(SnapshotStandard).where(
            SnapshotStandard.snapshot_id == v2.id, SnapshotStandard.code == "VIS-1"
        )
    )
    assert vis1.continues == ["VIS-1", "VIS-2"]
    fact = db.session.scalar(
        select(SnapshotQuestion).where(
            SnapshotQuestion.snapshot_id == v2.id, SnapshotQuestion.code == "GOV-1.4"
        )
    )
    assert fact.answered_by == "alliance"
    spec = framework_spec(load_snapshot(v2.id))
    assert spec.scoring is ScoringRule.GATED
    assert "GOV-1.4" not in {q.id for q in spec.questions}
    assert framework_spec(load_snapshot(v1.id)).scoring is ScoringRule.AVERAGED
    criterion = next(q for q in spec.questions if q.id == "GOV-1.2")
    assert criterion.gates_level == 3


def _cycle_of_five(app, make_alliance, make_trust, make_membership):
    snapshot = _snapshot(app, "alliance-maturity-2.0")
    alliance = make_alliance()
    cycle = Cycle(
        alliance_id=alliance.id,
        name="2027/28",
        snapshot=snapshot,
        state="open",
        opens_on=date(2027, 4, 1),
        closes_on=date(2099, 3, 31),
    )
    db.session.add(cycle)
    db.session.flush()
    questions = db.session.scalars(
        select(SnapshotQuestion).where(SnapshotQuestion.snapshot_id == snapshot.id)
    ).all()
    assessments = []
    for fft in FFT:
        membership = make_membership(alliance, make_trust())
        assessment = Assessment(
            cycle_id=cycle.id, membership_id=membership.id, state=AssessmentState.SUBMITTED
        )
        db.session.add(assessment)
        db.session.flush()
        for q in questions:
            if q.answered_by != "member":
                continue
            value = {"maturity": "3", "yes_no": "yes", "text": "Notes"}.get(q.kind)
            if q.kind == "metric":
                value = str(fft) if q.code == "MET-2.1" else str(q.options["thresholds"]["3"])
            if q.code == "VIS-1.2":
                value = "no"  # the level-3 criterion of VIS-1: capped at 2
            db.session.add(Answer(assessment_id=assessment.id, question_id=q.id, value=value))
        assessments.append(assessment)
    db.session.commit()
    return cycle, assessments


def _stored(assessment: Assessment, code: str) -> AssessmentScore:
    return db.session.scalar(
        select(AssessmentScore).where(
            AssessmentScore.assessment_id == assessment.id,
            AssessmentScore.scope == ScoreScope.STANDARD,
            AssessmentScore.code == code,
        )
    )


def test_stored_scores_are_gated_and_quartile_scored(
    app, make_alliance, make_trust, make_membership
) -> None:
    _, assessments = _cycle_of_five(app, make_alliance, make_trust, make_membership)
    assert refresh_many([assessments[0]]) == 5  # the cycle's other scored assessments too
    db.session.commit()
    # FFT against the cycle's five values (quartiles 85, 90, 95; target 95):
    assert [_stored(a, "MET-2").score for a in assessments] == [1, 2, 3, 5, 5]
    vis1 = _stored(assessments[0], "VIS-1")
    assert (vis1.score, vis1.met) == (2, False)  # claim 3, level-3 criterion "no"
    gov1 = _stored(assessments[0], "GOV-1")
    assert (gov1.score, gov1.met) == (3, True)  # at target with its criteria met
    assert assessments[0].status == "Improvement required"  # VIS-1 is core


def test_alliance_facts_are_not_in_the_member_task_list(
    app, make_alliance, make_trust, make_membership
) -> None:
    _, assessments = _cycle_of_five(app, make_alliance, make_trust, make_membership)
    sections = {s.code: s for s in task_list(assessments[0])}
    gov = sections["GOV"]
    assert gov.questions == gov.answered  # every member question answered, no facts counted
    facts = db.session.scalars(
        select(SnapshotQuestion.code).where(SnapshotQuestion.answered_by == "alliance")
    ).all()
    assert "GOV-1.4" in facts
