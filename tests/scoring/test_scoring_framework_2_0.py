"""The invariants issue #15 asks of framework 2.0, on the real files (no app, no database)."""

from pathlib import Path

import pytest

from selfassess.questionbank import MetricQuestionDocument, load_framework
from selfassess.questionbank.kinds import MetricScale, QuestionKind, ScoringRule
from selfassess.scoring import AnswerValue, QuestionSpec, StandardSpec
from selfassess.scoring.scores import score_assessment, score_standard
from tests.scoring.bank_specs import spec_of

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
V2 = load_framework(QUESTIONS / "alliance-maturity-2.0")
SPEC = spec_of(V2)
STANDARDS = {s.id: s for s in SPEC.standards}
GATED = ScoringRule.GATED


def _is_maturity(standard: StandardSpec) -> bool:
    return any(q.kind is QuestionKind.MATURITY for q in standard.questions)


def _criteria(standard: StandardSpec) -> list[QuestionSpec]:
    return [q for q in standard.questions if q.gates_level is not None]


def _value_at(question: QuestionSpec, level: int) -> float:
    """A metric value that reaches exactly ``level`` on its thresholds."""
    assert question.thresholds is not None
    if level > 1:
        return question.thresholds[level]
    step = -1 if question.better == "higher" else 1
    return question.thresholds[2] + step


def _answers(standard: StandardSpec, level: int, no: str | None = None) -> dict[str, AnswerValue]:
    answers: dict[str, AnswerValue] = {}
    for q in standard.questions:
        if q.kind is QuestionKind.MATURITY:
            answers[q.id] = level
        elif q.kind is QuestionKind.YES_NO:
            answers[q.id] = "no" if q.id == no else "yes"
        elif q.kind is QuestionKind.METRIC:
            answers[q.id] = _value_at(q, level)
    return answers


def test_framework_2_0_is_gated_and_1_0_is_not() -> None:
    assert V2.scoring is ScoringRule.GATED and SPEC.scoring is ScoringRule.GATED
    assert load_framework(QUESTIONS / "alliance-maturity-1.0").scoring is ScoringRule.AVERAGED


@pytest.mark.parametrize("standard_id", sorted(STANDARDS))
@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_every_level_is_reachable_on_every_standard(standard_id: str, level: int) -> None:
    standard = STANDARDS[standard_id]
    assert score_standard(standard, _answers(standard, level), GATED).score == level


@pytest.mark.parametrize("standard_id", sorted(s for s in STANDARDS if _is_maturity(STANDARDS[s])))
def test_at_target_with_its_criteria_met_meets_the_standard(standard_id: str) -> None:
    standard = STANDARDS[standard_id]
    target = int(standard.target)
    answers = _answers(standard, target)
    for q in _criteria(standard):  # criteria above the target may all be unmet
        if q.gates_level is not None and q.gates_level > target:
            answers[q.id] = "no"
    result = score_standard(standard, answers, GATED)
    assert result.score == target and result.met is True


CRITERIA = sorted((s.id, q.id) for s in STANDARDS.values() for q in _criteria(s))


@pytest.mark.parametrize(("standard_id", "criterion_id"), CRITERIA)
def test_one_unmet_criterion_lowers_only_to_one_below_its_level(
    standard_id: str, criterion_id: str
) -> None:
    standard = STANDARDS[standard_id]
    gates = next(q.gates_level for q in standard.questions if q.id == criterion_id)
    assert gates is not None
    answers = _answers(standard, 5, no=criterion_id)
    assert score_standard(standard, answers, GATED).score == gates - 1


def test_alliance_facts_are_never_scored() -> None:
    facts = [q.id for q in V2.questions() if q.answered_by == "alliance"]
    assert "GOV-1.4" in facts and "DATA-5.2" in facts and "VIS-1.4" in facts
    assert not set(facts) & {q.id for q in SPEC.questions}
    base = {
        q.id: v
        for s in SPEC.standards
        for q in s.questions
        for k, v in _answers(s, 3).items()
        if k == q.id
    }
    with_facts = {**base, **{fact: "no" for fact in facts}}
    assert score_assessment(SPEC, base) == score_assessment(SPEC, with_facts)


def test_every_metric_is_required_and_defined_and_states_its_basis() -> None:
    metrics = [q for q in V2.questions() if isinstance(q, MetricQuestionDocument)]
    assert metrics
    for q in metrics:
        assert q.required and q.definition is not None and q.thresholds_basis, q.id
    assert {q.scored_by for q in metrics} == set(MetricScale)


def test_each_metric_theme_has_a_required_metric() -> None:
    measures = " ".join(
        q.definition.measure.lower()
        for q in V2.questions()
        if isinstance(q, MetricQuestionDocument) and q.definition is not None
    )
    for theme in (
        "referral to treatment",
        "friends and family",
        "length of stay",
        "leaver",
        "sickness absence",
        "agency",
        "theatre utilisation",
        "mortality",
    ):
        assert theme in measures, theme


def test_something_measured_decides_membership() -> None:
    core_metric = [
        s.id
        for s in SPEC.standards
        if s.core and all(q.kind is QuestionKind.METRIC for q in s.questions)
    ]
    assert core_metric == ["MET-1"]


def test_the_new_themes_have_standards() -> None:
    ids = set(STANDARDS)
    assert {f"IMP-{n}" for n in range(1, 7)} <= ids  # the six common means (seed 000)
    assert {"QUAL-1", "QUAL-2", "QUAL-3", "GOV-6", "GOV-7"} <= ids


def test_fixes_named_in_the_issue() -> None:
    vis13 = V2.question("VIS-1.3")
    assert "principles" in vis13.text
    data2 = next(s for _, s in V2.standards() if s.id == "DATA-2")
    assert data2.target == 3
    levels = V2.question("DATA-2.1").levels  # type: ignore[union-attr]
    assert "first cycle" in levels[3]
    assert "benchmark targets" not in levels[5]  # no circular level 5
    gov31 = V2.question("GOV-3.1").levels  # type: ignore[union-attr]
    assert not any("takes part in a committee in common" in text for text in gov31.values())
    assert "whichever forum" in gov31[4]


def test_every_standard_cites_says_its_basis_and_names_its_lineage() -> None:
    for _, standard in V2.standards():
        assert standard.source and standard.basis is not None, standard.id
        assert standard.continues is not None, standard.id
