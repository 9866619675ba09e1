"""Invariants of the scoring rules over generated frameworks, answers and peer groups."""

import statistics

from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.questionbank.kinds import SCORED_KINDS, QuestionKind
from selfassess.scoring import (
    DomainSpec,
    FrameworkSpec,
    PeerStats,
    QuestionSpec,
    StandardSpec,
    peer_stats,
    percentile_rank,
    quartile,
    score_assessment,
    score_to_index,
    weighted_mean,
)

# Per test, not a global profile: other packages' hypothesis tests keep their own settings.
# No example database, so running these tests writes nothing outside the tree.
SETTINGS = settings(database=None, deadline=None, max_examples=150)

weights = st.one_of(
    st.integers(min_value=1, max_value=10),
    st.floats(min_value=0.01, max_value=10, allow_nan=False, allow_infinity=False),
)
levels = st.integers(min_value=1, max_value=5)
targets = st.one_of(levels, st.sampled_from([2.5, 3.5]))


@st.composite
def metric_specs(draw, question_id):
    better = draw(st.sampled_from(["higher", "lower"]))
    steps = draw(st.lists(st.integers(0, 30), min_size=4, max_size=4))
    values = [sum(steps[: i + 1]) for i in range(4)]  # non-decreasing
    if better == "lower":
        values.reverse()
    thresholds = dict(zip((2, 3, 4, 5), values, strict=True))
    return QuestionSpec(
        question_id,
        QuestionKind.METRIC,
        draw(weights),
        better=better,
        thresholds=thresholds,
        required=draw(st.booleans()),
    )


@st.composite
def question_specs(draw, question_id):
    kind = draw(st.sampled_from(list(QuestionKind)))
    if kind is QuestionKind.METRIC:
        return draw(metric_specs(question_id))
    yes_level = draw(levels) if kind is QuestionKind.YES_NO else 5
    return QuestionSpec(
        question_id, kind, draw(weights), required=draw(st.booleans()), yes_level=yes_level
    )


def answers_for(question):
    if question.kind is QuestionKind.MATURITY:
        value = levels
    elif question.kind is QuestionKind.YES_NO:
        value = st.sampled_from(["yes", "no", True, False])
    elif question.kind is QuestionKind.METRIC:
        value = st.one_of(st.integers(-10, 150), st.floats(-10, 150, allow_nan=False))
    else:
        value = st.text(max_size=5)
    return st.one_of(st.none(), value)


@st.composite
def frameworks(draw, question=question_specs):
    domains = []
    for d in range(draw(st.integers(1, 3))):
        domain_id = f"D{d}"
        standards = []
        for s in range(draw(st.integers(1, 3))):
            standard_id = f"{domain_id}-{s}"
            questions = tuple(
                draw(question(f"{standard_id}.{q}")) for q in range(draw(st.integers(1, 4)))
            )
            standards.append(
                StandardSpec(
                    standard_id,
                    domain_id,
                    draw(st.booleans()),
                    draw(targets),
                    draw(weights),
                    questions,
                )
            )
        domains.append(DomainSpec(domain_id, draw(weights), tuple(standards)))
    return FrameworkSpec(tuple(domains))


@st.composite
def assessments(draw, question=question_specs):
    framework = draw(frameworks(question))
    answers = {q.id: draw(answers_for(q)) for q in framework.questions}
    return framework, answers


def maturity_specs(question_id):
    return st.builds(QuestionSpec, st.just(question_id), st.just(QuestionKind.MATURITY), weights)


@SETTINGS
@given(assessments())
def test_scores_on_the_scale_and_indices_within_0_to_100(case):
    result = score_assessment(*case)
    for standard in result.standards:
        assert standard.score is None or 1 <= standard.score <= 5
    for domain in result.domains:
        assert domain.index is None or 0 <= domain.index <= 100
        assert (domain.score is None) == (domain.index is None)
    assert result.index is None or 0 <= result.index <= 100


@SETTINGS
@given(assessments())
def test_met_iff_score_at_or_above_target(case):
    for standard in score_assessment(*case).standards:
        if standard.score is None:
            assert standard.met is None
        else:
            assert standard.met == (standard.score >= standard.target)


@SETTINGS
@given(st.lists(weights, min_size=1, max_size=8), levels)
def test_weighted_mean_of_equal_levels_is_that_level(ws, level):
    assert weighted_mean([(level, w) for w in ws]) == level


@SETTINGS
@given(frameworks(question=maturity_specs), levels)
def test_all_answers_at_one_level_score_that_level_everywhere(framework, level):
    result = score_assessment(framework, dict.fromkeys((q.id for q in framework.questions), level))
    assert all(s.score == level for s in result.standards)
    assert all(d.score == level and d.index == (level - 1) * 25 for d in result.domains)
    assert result.index == (level - 1) * 25


def _not_lower(before, after):
    return before is None or (after is not None and after >= before)


def _better_answer(question, value, data):
    """Draw an answer at least as good as ``value`` for the question."""
    if question.kind is QuestionKind.MATURITY:
        return data.draw(st.integers(int(value), 5))
    if question.kind is QuestionKind.YES_NO:
        return "yes"  # yes reaches the yes level, which is never below no's level 1
    step = data.draw(st.floats(0, 100, allow_nan=False))
    return float(value) + step if question.better == "higher" else float(value) - step


def _assert_nothing_lower(before, after):
    for old, new in zip(before.standards, after.standards, strict=True):
        assert _not_lower(old.score, new.score)
    for old, new in zip(before.domains, after.domains, strict=True):
        assert _not_lower(old.score, new.score)
        assert _not_lower(old.index, new.index)
    assert _not_lower(before.index, after.index)


@SETTINGS
@given(assessments(), st.data())
def test_a_better_answer_never_lowers_any_score(case, data):
    framework, answers = case
    scored = [
        q for q in framework.questions if q.kind in SCORED_KINDS and answers[q.id] is not None
    ]
    if not scored:
        return
    question = data.draw(st.sampled_from(scored))
    better = {**answers, question.id: _better_answer(question, answers[question.id], data)}
    _assert_nothing_lower(score_assessment(framework, answers), score_assessment(framework, better))


@SETTINGS
@given(assessments(question=maturity_specs), st.data())
def test_raising_one_maturity_level_never_lowers_any_score(case, data):
    framework, answers = case
    raisable = [q for q, v in answers.items() if v is not None and v < 5]
    if not raisable:
        return
    question_id = data.draw(st.sampled_from(raisable))
    raised = {**answers, question_id: data.draw(st.integers(answers[question_id] + 1, 5))}
    _assert_nothing_lower(score_assessment(framework, answers), score_assessment(framework, raised))


@SETTINGS
@given(st.floats(min_value=1, max_value=5))
def test_index_of_any_score_is_within_0_to_100(score):
    assert 0 <= score_to_index(score) <= 100


peer_values = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=3,
    max_size=40,
)


@SETTINGS
@given(peer_values)
def test_quantiles_are_ordered_and_match_statistics_inclusive(values):
    stats = peer_stats(values)
    assert isinstance(stats, PeerStats)
    assert stats.n == len(values)
    assert stats.min <= stats.q1 <= stats.median <= stats.q3 <= stats.max
    expected = statistics.quantiles(values, n=4, method="inclusive")
    assert [stats.q1, stats.median, stats.q3] == expected
    assert (stats.min, stats.max) == (min(values), max(values))


@SETTINGS
@given(st.lists(st.sampled_from([1.0, 2.5, 3.0, 4.25, 5.0]), min_size=1, max_size=30), st.data())
def test_percentile_within_0_to_100_and_quartile_1_to_4(values, data):
    value = data.draw(st.sampled_from(values))
    percentile = percentile_rank(value, values)
    assert 0 < percentile < 100 or len(values) == 1
    assert quartile(percentile) in (1, 2, 3, 4)


@SETTINGS
@given(st.lists(st.integers(1, 5), min_size=1, max_size=30))
def test_percentile_ranks_average_fifty(values):
    # Each pair of members contributes 1 to "below + half of equal" in total, so the mean is 50.
    ranks = [percentile_rank(v, values) for v in values]
    assert abs(sum(ranks) / len(ranks) - 50) < 1e-9
