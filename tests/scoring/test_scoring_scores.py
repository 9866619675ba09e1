"""Standard, domain and overall scores on hand-worked examples (docs/scoring.md's first)."""

from fractions import Fraction

import pytest

from selfassess.questionbank.kinds import QuestionKind
from selfassess.scoring import (
    DomainSpec,
    FrameworkSpec,
    QuestionSpec,
    StandardSpec,
    format_index,
    format_score,
    invalid_answers,
    missing_required,
    score_assessment,
    weighted_mean,
)

# The worked example of docs/scoring.md.
GOV_1 = StandardSpec(
    "GOV-1",
    "GOV",
    core=True,
    target=3,
    weight=2,
    questions=(
        QuestionSpec("GOV-1.1", QuestionKind.MATURITY, weight=2),
        QuestionSpec("GOV-1.2", QuestionKind.YES_NO, weight=1, yes_level=4),
        QuestionSpec(
            "GOV-1.3",
            QuestionKind.METRIC,
            weight=1,
            better="higher",
            thresholds={2: 50, 3: 70, 4: 85, 5: 95},
        ),
        QuestionSpec("GOV-1.4", QuestionKind.TEXT, required=False),
    ),
)
GOV_2 = StandardSpec(
    "GOV-2",
    "GOV",
    core=False,
    target=4,
    weight=1,
    questions=(
        QuestionSpec("GOV-2.1", QuestionKind.MATURITY),
        QuestionSpec(
            "GOV-2.2",
            QuestionKind.METRIC,
            better="lower",
            thresholds={2: 20, 3: 15, 4: 10, 5: 5},
        ),
        QuestionSpec("GOV-2.3", QuestionKind.YES_NO, required=False),
    ),
)
DATA_1 = StandardSpec(
    "DATA-1",
    "DATA",
    core=True,
    target=3,
    weight=1,
    questions=(QuestionSpec("DATA-1.1", QuestionKind.MATURITY),),
)
FRAMEWORK = FrameworkSpec((DomainSpec("GOV", 1, (GOV_1, GOV_2)), DomainSpec("DATA", 1, (DATA_1,))))
ANSWERS = {
    "GOV-1.1": 4,  # maturity -> level 4
    "GOV-1.2": "yes",  # yes with yes_level 4 -> level 4
    "GOV-1.3": 72,  # 70 <= 72 < 85 -> level 3
    "GOV-1.4": "Signed MoU, board minutes March",  # text, not scored
    "GOV-2.1": 2,  # level 2
    "GOV-2.2": 12,  # better lower: 12 <= 15 but > 10 -> level 3
    # GOV-2.3 optional, unanswered -> left out
    "DATA-1.1": "2",  # level 2
}


def test_worked_example_standard_scores():
    result = score_assessment(FRAMEWORK, ANSWERS)
    gov1 = result.standard("GOV-1")
    # (2 x 4 + 1 x 4 + 1 x 3) / (2 + 1 + 1) = 15 / 4 = 3.75 >= target 3 -> met
    assert gov1.score == 3.75
    assert gov1.met is True
    assert (gov1.answered, gov1.scored_questions) == (3, 3)  # text not counted
    assert gov1.reason == (
        "score 3.7500 from 3 of 3 scored questions answered; at or above target 3: met"
    )
    assert [q.level for q in gov1.questions] == [4, 4, 3, None]

    gov2 = result.standard("GOV-2")
    # (1 x 2 + 1 x 3) / (1 + 1) = 2.5 < target 4 -> not met; GOV-2.3 left out
    assert gov2.score == 2.5
    assert gov2.met is False
    assert (gov2.answered, gov2.scored_questions) == (2, 3)
    assert gov2.reason.endswith("below target 4: not met")

    assert result.standard("DATA-1").score == 2.0
    assert result.not_met == ("GOV-2", "DATA-1")
    assert result.core_not_met == ("DATA-1",)


def test_worked_example_domain_and_overall():
    result = score_assessment(FRAMEWORK, ANSWERS)
    gov = result.domain("GOV")
    # (2 x 3.75 + 1 x 2.5) / (2 + 1) = 10 / 3 = 3.3333...
    assert gov.score == pytest.approx(10 / 3)
    assert format_score(gov.score) == "3.3333"
    # (3.3333... - 1) / 4 x 100 = 58.333...
    assert gov.index == pytest.approx(175 / 3)
    assert format_index(gov.index) == "58.33"
    data = result.domain("DATA")
    # DATA: 2; index (2 - 1) / 4 x 100 = 25
    assert (data.score, data.index) == (2.0, 25.0)
    # overall = (58.333... + 25) / 2 = 41.666...
    assert result.index == pytest.approx(125 / 3)
    assert format_index(result.index) == "41.67"
    assert result.reason == "mean of 2 of 2 domain indices = 41.67"


def test_overall_is_plain_mean_of_domain_indices_not_weighted_by_domain():
    heavy = FrameworkSpec((DomainSpec("GOV", 10, (GOV_1, GOV_2)), DomainSpec("DATA", 1, (DATA_1,))))
    assert score_assessment(heavy, ANSWERS).index == score_assessment(FRAMEWORK, ANSWERS).index


def test_standard_with_no_answers_has_no_score_and_is_left_out_of_its_domain():
    answers = {"GOV-1.1": 5, "GOV-1.2": "yes", "GOV-1.3": 95}
    result = score_assessment(FRAMEWORK, answers)
    gov2 = result.standard("GOV-2")
    assert (gov2.score, gov2.met, gov2.reason, gov2.answered) == (None, None, "no answers", 0)
    # GOV-1: (2 x 5 + 1 x 4 + 1 x 5) / 4 = 19 / 4 = 4.75; GOV-2 left out -> domain 4.75
    gov = result.domain("GOV")
    assert gov.score == 4.75
    assert gov.index == 93.75  # (4.75 - 1) / 4 x 100
    assert gov.reason.endswith("left out with no score: GOV-2")
    # DATA has no score at all: overall is GOV's index alone
    assert result.domain("DATA").index is None
    assert result.index == 93.75
    # An unscored core standard is not shown to be met.
    assert result.core_not_met == ("DATA-1",)
    assert result.not_met == ()


def test_nothing_answered_gives_no_scores_at_all():
    result = score_assessment(FRAMEWORK, {})
    assert all(s.score is None for s in result.standards)
    assert all(d.score is None and d.index is None for d in result.domains)
    assert result.index is None
    assert result.reason == "no domain has a score"


def test_standard_with_only_free_text_says_so():
    text_only = StandardSpec(
        "REL-1",
        "REL",
        core=False,
        target=3,
        weight=1,
        questions=(QuestionSpec("REL-1.1", QuestionKind.TEXT),),
    )
    framework = FrameworkSpec((DomainSpec("REL", 1, (text_only,)),))
    standard = score_assessment(framework, {"REL-1.1": "We meet monthly"}).standard("REL-1")
    assert (standard.score, standard.reason, standard.scored_questions) == (
        None,
        "no scored questions",
        0,
    )


def test_equal_levels_with_awkward_weights_are_exactly_that_level():
    # In plain floats (0.1x3 + 0.2x3 + 0.3x3) / (0.1 + 0.2 + 0.3) = 2.9999999999999996, which
    # would say "not met" against target 3. The exact mean is 3.
    assert weighted_mean([(3, 0.1), (3, 0.2), (3, 0.3)]) == 3.0
    standard = StandardSpec(
        "GOV-9",
        "GOV",
        core=True,
        target=3,
        weight=1,
        questions=tuple(
            QuestionSpec(f"GOV-9.{i}", QuestionKind.MATURITY, weight=w)
            for i, w in enumerate((0.1, 0.2, 0.3), start=1)
        ),
    )
    framework = FrameworkSpec((DomainSpec("GOV", 1, (standard,)),))
    result = score_assessment(framework, {"GOV-9.1": 3, "GOV-9.2": 3, "GOV-9.3": 3})
    assert result.standard("GOV-9").score == 3.0
    assert result.standard("GOV-9").met is True


def test_weighted_mean_is_exact_then_rounded_once():
    # (1 x 1 + 2 x 2) / 3 = 5/3
    assert weighted_mean([(1, 1), (2, 2)]) == float(Fraction(5, 3))
    assert weighted_mean([]) is None


def test_required_missing_list_in_framework_order():
    # Required (the default): GOV-1.1, GOV-1.2, GOV-1.3, GOV-2.1, GOV-2.2, DATA-1.1.
    # Optional: GOV-1.4 (text), GOV-2.3. A blank string is not an answer.
    answers = {"GOV-1.2": "no", "GOV-1.3": "  ", "GOV-2.1": 1, "DATA-1.1": 0}
    assert missing_required(FRAMEWORK, answers) == ["GOV-1.1", "GOV-1.3", "GOV-2.2"]
    assert missing_required(FRAMEWORK, ANSWERS) == []


def test_required_free_text_blocks_submission_too():
    evidence = StandardSpec(
        "REL-1",
        "REL",
        core=False,
        target=3,
        weight=1,
        questions=(
            QuestionSpec("REL-1.1", QuestionKind.MATURITY),
            QuestionSpec("REL-1.2", QuestionKind.TEXT, required=True),
        ),
    )
    framework = FrameworkSpec((DomainSpec("REL", 1, (evidence,)),))
    assert missing_required(framework, {"REL-1.1": 3}) == ["REL-1.2"]


def test_invalid_answer_stops_scoring_and_names_the_question():
    bad = {**ANSWERS, "GOV-2.1": 7, "GOV-1.2": "perhaps"}
    with pytest.raises(ValueError, match=r"GOV-1\.2"):
        score_assessment(FRAMEWORK, bad)
    assert invalid_answers(FRAMEWORK, bad) == {
        "GOV-1.2": "question GOV-1.2: a yes/no answer is 'yes' or 'no', got 'perhaps'",
        "GOV-2.1": "question GOV-2.1: level 7 is off the scale 1-5",
    }
    assert invalid_answers(FRAMEWORK, ANSWERS) == {}


def test_answers_to_unknown_questions_change_nothing():
    extra = {**ANSWERS, "XYZ-1.1": 1}
    assert score_assessment(FRAMEWORK, extra) == score_assessment(FRAMEWORK, ANSWERS)


def test_lookup_of_unknown_ids_raises_key_error():
    result = score_assessment(FRAMEWORK, ANSWERS)
    with pytest.raises(KeyError):
        result.standard("NOPE-1")
    with pytest.raises(KeyError):
        result.domain("NOPE")
