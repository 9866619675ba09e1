"""The spec records refuse frameworks that would score wrongly rather than silently."""

import pytest

from selfassess.questionbank.kinds import QuestionKind
from selfassess.scoring import DomainSpec, FrameworkSpec, QuestionSpec, StandardSpec

THRESHOLDS = {2: 50, 3: 70, 4: 85, 5: 95}


def test_defaults_follow_the_file_format():
    spec = QuestionSpec("GOV-1.1", QuestionKind.MATURITY)
    assert (spec.weight, spec.required, spec.yes_level) == (1.0, True, 5)


def test_kind_may_be_given_as_its_file_string():
    assert QuestionSpec("GOV-1.1", "yes_no").kind is QuestionKind.YES_NO


@pytest.mark.parametrize("weight", [0, -1, float("nan"), float("inf")])
def test_weight_must_be_positive(weight):
    with pytest.raises(ValueError, match="weight must be a positive number"):
        QuestionSpec("GOV-1.1", QuestionKind.MATURITY, weight=weight)


@pytest.mark.parametrize("yes_level", [0, 6, True])
def test_yes_level_must_be_on_the_scale(yes_level):
    with pytest.raises(ValueError, match="yes_level must be a level 1-5"):
        QuestionSpec("GOV-1.2", QuestionKind.YES_NO, yes_level=yes_level)


def test_metric_needs_direction_and_all_four_thresholds():
    with pytest.raises(ValueError, match="better must be 'higher' or 'lower'"):
        QuestionSpec("M-1.1", QuestionKind.METRIC, thresholds=THRESHOLDS)
    with pytest.raises(ValueError, match="thresholds must name exactly the levels 2-5"):
        QuestionSpec("M-1.1", QuestionKind.METRIC, better="higher", thresholds={2: 1, 3: 2})


@pytest.mark.parametrize(
    ("better", "thresholds", "word"),
    [("higher", {2: 50, 3: 40, 4: 85, 5: 95}, "rise"), ("lower", THRESHOLDS, "fall")],
)
def test_metric_thresholds_move_in_the_better_direction(better, thresholds, word):
    with pytest.raises(ValueError, match=f"thresholds must {word} with the level"):
        QuestionSpec("M-1.1", QuestionKind.METRIC, better=better, thresholds=thresholds)


def test_only_metric_questions_have_thresholds():
    with pytest.raises(ValueError, match="only metric questions"):
        QuestionSpec("GOV-1.1", QuestionKind.MATURITY, better="higher", thresholds=THRESHOLDS)


def test_thresholds_are_copied_and_read_only():
    given = dict(THRESHOLDS)
    spec = QuestionSpec("M-1.1", QuestionKind.METRIC, better="higher", thresholds=given)
    given[2] = 0
    assert spec.thresholds is not None
    assert spec.thresholds[2] == 50
    with pytest.raises(TypeError):
        spec.thresholds[2] = 0  # type: ignore[index]
    assert hash(spec) == hash(spec)  # usable as a cache key despite the mapping


@pytest.mark.parametrize("target", [0, 5.5])
def test_standard_target_must_be_on_the_scale(target):
    with pytest.raises(ValueError, match="target must be a level on the scale 1-5"):
        StandardSpec("GOV-1", "GOV", core=True, target=target, weight=1, questions=())


def test_standard_must_belong_to_the_domain_it_is_listed_under():
    standard = StandardSpec("DATA-1", "DATA", core=True, target=3, weight=1, questions=())
    with pytest.raises(ValueError, match="standard DATA-1 says domain 'DATA'"):
        DomainSpec("GOV", 1, (standard,))


def test_ids_are_unique_across_the_framework():
    q = QuestionSpec("GOV-1.1", QuestionKind.MATURITY)
    one = StandardSpec("GOV-1", "GOV", core=True, target=3, weight=1, questions=(q,))
    two = StandardSpec("GOV-2", "GOV", core=True, target=3, weight=1, questions=(q,))
    with pytest.raises(ValueError, match=r"'GOV-1\.1' is used more than once"):
        FrameworkSpec((DomainSpec("GOV", 1, (one, two)),))
