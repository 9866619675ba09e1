"""The gated rule (framework 2.0) and quartile-scored metrics, by hand-worked examples.

Each ``test_readme_*`` repeats a worked example of README.md "Scoring" (section 2.0); if the README
changes, change the test with it.
"""

import pytest

from selfassess.questionbank.kinds import MetricScale, QuestionKind, ScoringRule
from selfassess.scoring import DomainSpec, FrameworkSpec, QuestionSpec, StandardSpec
from selfassess.scoring.gated import Criterion, gated_score
from selfassess.scoring.peers import PeerStats
from selfassess.scoring.quartiles import (
    MIN_CYCLE_VALUES,
    answer_level,
    cycle_quartiles,
    metric_level_in_cycle,
    quartile_level,
)
from selfassess.scoring.scores import score_assessment, score_standard

GATED = ScoringRule.GATED


def maturity(qid: str, weight: float = 2) -> QuestionSpec:
    return QuestionSpec(qid, QuestionKind.MATURITY, weight=weight)


def criterion(qid: str, gates: int) -> QuestionSpec:
    return QuestionSpec(qid, QuestionKind.YES_NO, gates_level=gates)


def vis1(target: float = 3) -> StandardSpec:
    """A standard like 2.0's VIS-1: one maturity claim, criteria for levels 3 and 4."""
    return StandardSpec(
        "VIS-1",
        "VIS",
        core=True,
        target=target,
        weight=2,
        questions=(maturity("VIS-1.1"), criterion("VIS-1.2", 3), criterion("VIS-1.3", 4)),
    )


# --- the rule itself ---------------------------------------------------------------------------


def test_no_unmet_criterion_leaves_the_claim() -> None:
    result = gated_score(4, [Criterion("a", 3, True), Criterion("b", 4, True)])
    assert (result.score, result.cap, result.capped_by) == (4, 5, ())


def test_an_unmet_criterion_caps_one_below_its_level() -> None:
    result = gated_score(5, [Criterion("a", 3, False), Criterion("b", 4, True)])
    assert result.score == 2
    assert [c.id for c in result.capped_by] == ["a"]
    assert "a (level 3)" in result.reason and "at most level 2" in result.reason


def test_the_lowest_unmet_criterion_sets_the_cap() -> None:
    result = gated_score(5, [Criterion("a", 4, False), Criterion("b", 3, False)])
    assert result.score == 2


def test_criteria_above_the_claim_cost_nothing() -> None:
    result = gated_score(2, [Criterion("a", 3, False), Criterion("b", 4, False)])
    assert result.score == 2 and result.capped_by == ()


def test_a_yes_never_raises_a_claim() -> None:
    assert gated_score(1, [Criterion("a", 2, True), Criterion("b", 5, True)]).score == 1


def test_a_fractional_claim_is_capped_to_a_whole_level() -> None:
    assert gated_score(3.5, [Criterion("a", 4, False)]).score == 3


# --- through score_standard ---------------------------------------------------------------------


def test_readme_example_a_at_target_with_its_criteria_met_is_met() -> None:
    """README 2.0 example A: claim 4; VIS-1.2 (level 3) yes; VIS-1.3 (level 4) no -> 3, met."""
    answers = {"VIS-1.1": 4, "VIS-1.2": "yes", "VIS-1.3": "no"}
    score = score_standard(vis1(), answers, GATED)
    assert score.score == 3 and score.met is True
    assert "VIS-1.3 (level 4)" in score.reason


def test_readme_example_b_one_no_lowers_only_to_one_below_its_level() -> None:
    """README 2.0 example B: claim 5; VIS-1.2 (level 3) no -> 2, not met (not 1)."""
    answers = {"VIS-1.1": 5, "VIS-1.2": "no", "VIS-1.3": "yes"}
    score = score_standard(vis1(), answers, GATED)
    assert score.score == 2 and score.met is False


def test_readme_example_c_criteria_above_the_claim_do_not_count() -> None:
    """README 2.0 example C: claim 2; both criteria no -> still 2."""
    answers = {"VIS-1.1": 2, "VIS-1.2": "no", "VIS-1.3": "no"}
    assert score_standard(vis1(target=2), answers, GATED).score == 2


def test_readme_issue_example_differs_between_the_rules() -> None:
    """README: maturity 3 (weight 2), a level-3 yes, a level-4 no.

    1.0 averages the no in as 1: (2x3 + 3 + 1) / 4 = 2.5 < 3, not met. 2.0 gates: 3, met.
    """
    averaged = StandardSpec(
        "S-1",
        "S",
        core=True,
        target=3,
        weight=1,
        questions=(
            maturity("S-1.1"),
            QuestionSpec("S-1.2", QuestionKind.YES_NO, yes_level=3),
            QuestionSpec("S-1.3", QuestionKind.YES_NO, yes_level=4),
        ),
    )
    gated = StandardSpec(
        "S-1",
        "S",
        core=True,
        target=3,
        weight=1,
        questions=(maturity("S-1.1"), criterion("S-1.2", 3), criterion("S-1.3", 4)),
    )
    answers = {"S-1.1": 3, "S-1.2": "yes", "S-1.3": "no"}
    assert score_standard(averaged, answers).score == 2.5
    assert score_standard(averaged, answers).met is False
    assert score_standard(gated, answers, GATED).score == 3
    assert score_standard(gated, answers, GATED).met is True


def test_an_unanswered_criterion_is_not_met() -> None:
    assert score_standard(vis1(), {"VIS-1.1": 4, "VIS-1.3": "yes"}, GATED).score == 2


def test_no_claim_means_no_score_whatever_the_criteria() -> None:
    score = score_standard(vis1(), {"VIS-1.2": "yes", "VIS-1.3": "yes"}, GATED)
    assert score.score is None and score.met is None


def test_the_averaged_rule_is_the_default() -> None:
    """Framework 1.0 snapshots carry no rule: they stay averaged, a no counting as 1."""
    spec = FrameworkSpec(domains=(DomainSpec("VIS", 1, (vis1(),)),))
    assert spec.scoring is ScoringRule.AVERAGED
    result = score_assessment(spec, {"VIS-1.1": 4, "VIS-1.2": "yes", "VIS-1.3": "no"})
    assert result.standard("VIS-1").score == (2 * 4 + 5 + 1) / 4


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_every_level_is_reachable_with_criteria_met(level: int) -> None:
    answers = {"VIS-1.1": level, "VIS-1.2": "yes", "VIS-1.3": "yes"}
    assert score_standard(vis1(), answers, GATED).score == level


def test_gates_level_is_only_for_yes_no_questions_on_levels_2_to_5() -> None:
    with pytest.raises(ValueError, match="gates_level"):
        QuestionSpec("X-1.1", QuestionKind.MATURITY, gates_level=3)
    with pytest.raises(ValueError, match="gates_level"):
        QuestionSpec("X-1.1", QuestionKind.YES_NO, gates_level=1)


# --- metrics scored against the cycle ----------------------------------------------------------


def metric(
    qid: str,
    better: str,
    thresholds: dict[int, float],
    target: float,
    by: MetricScale = MetricScale.PEER_QUARTILES,
) -> QuestionSpec:
    return QuestionSpec(
        qid,
        QuestionKind.METRIC,
        better=better,
        thresholds=thresholds,
        scored_by=by,
        target=target if by is MetricScale.PEER_QUARTILES else None,
    )


TURNOVER = metric("MET-4.1", "lower", {2: 16, 3: 14, 4: 12, 5: 10}, 10)
SICKNESS = metric("MET-4.2", "lower", {2: 6, 3: 5, 4: 4.5, 5: 4}, 4)
AGENCY = metric("MET-4.3", "lower", {2: 9, 3: 6, 4: 4.5, 5: 3}, 3, MetricScale.THRESHOLDS)
MET4 = StandardSpec(
    "MET-4", "MET", core=False, target=3, weight=1, questions=(TURNOVER, SICKNESS, AGENCY)
)
CYCLE = {"MET-4.1": [9, 11, 12.5, 14, 15], "MET-4.2": [3.8, 4.2, 4.6, 5.1]}


def test_readme_example_d_metric_standard_with_quartiles() -> None:
    """README 2.0 example D: turnover 11 -> 4, sickness 4.6 -> 2, agency 5.0 -> 3; mean 3, met."""
    turnover = cycle_quartiles(CYCLE["MET-4.1"])
    sickness = cycle_quartiles(CYCLE["MET-4.2"])
    assert turnover == PeerStats(n=5, min=9, q1=11, median=12.5, q3=14, max=15)
    assert sickness is not None
    assert (sickness.q1, sickness.median, sickness.q3) == pytest.approx((4.1, 4.4, 4.725))
    answers = {"MET-4.1": 11, "MET-4.2": 4.6, "MET-4.3": 5.0}
    score = score_standard(MET4, answers, GATED, CYCLE)
    assert [q.level for q in score.questions] == [4, 2, 3]
    assert score.score == 3 and score.met is True


def test_readme_example_e_too_few_values_fall_back_to_thresholds() -> None:
    """README 2.0 example E: 3 values in the cycle, so sickness 4.6 scores 3 on thresholds."""
    few = {"MET-4.2": [3.8, 4.6, 5.1]}
    assert MIN_CYCLE_VALUES == 4
    assert metric_level_in_cycle(SICKNESS, 4.6, few) == 3
    assert metric_level_in_cycle(SICKNESS, 4.0, few) == 5  # thresholds: 4.0 <= 4


STATS = PeerStats(n=4, min=80, q1=85, median=90, q3=95, max=99)


@pytest.mark.parametrize(
    ("value", "target", "level"),
    [(84.9, 95, 1), (85, 95, 2), (90, 95, 3), (95, 99, 4), (95, 95, 5), (99, 95, 5)],
)
def test_quartile_levels_higher_is_better(value: float, target: float, level: int) -> None:
    assert quartile_level(value, STATS, "higher", target) == level


@pytest.mark.parametrize(("value", "level"), [(95.1, 1), (95, 2), (90, 3), (85, 4), (80, 5)])
def test_quartile_levels_lower_is_better(value: float, level: int) -> None:
    assert quartile_level(value, STATS, "lower", 80) == level


def test_best_of_a_weak_group_is_not_leading_without_the_target() -> None:
    weak = [60.0, 62.0, 64.0, 66.0]
    stats = cycle_quartiles(weak)
    assert stats is not None
    assert quartile_level(66, stats, "higher", 95) == 4


def test_peer_scoring_needs_a_metric_with_a_target() -> None:
    with pytest.raises(ValueError, match="peer quartile"):
        QuestionSpec(
            "X-1.1",
            QuestionKind.METRIC,
            better="higher",
            thresholds={2: 1, 3: 2, 4: 3, 5: 4},
            scored_by=MetricScale.PEER_QUARTILES,
        )


def test_an_exported_criterion_has_no_level_and_a_metric_its_cycle_level() -> None:
    """Exports show the levels the scores use: none for a criterion, quartiles for such metrics."""
    assert answer_level(criterion("VIS-1.2", 3), "yes", None) is None
    assert answer_level(TURNOVER, 11, CYCLE) == 4
    assert answer_level(AGENCY, 5.0, CYCLE) == 3
