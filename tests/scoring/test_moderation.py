"""Moderation in the scoring core: a panel's level replaces a standard's own score, and the
domain, overall index and met flags follow it; worked by hand."""

from __future__ import annotations

import pytest

from selfassess.questionbank.kinds import QuestionKind, ScoringRule
from selfassess.scoring import score_assessment
from selfassess.scoring.moderation import check_level, moderate
from selfassess.scoring.specs import DomainSpec, FrameworkSpec, QuestionSpec, StandardSpec


def _framework() -> FrameworkSpec:
    def standard(code: str, domain: str, target: float) -> StandardSpec:
        question = QuestionSpec(id=f"{code}-Q", kind=QuestionKind.MATURITY, weight=1.0)
        return StandardSpec(
            id=code, domain_id=domain, core=True, target=target, weight=1.0, questions=(question,)
        )

    a = (standard("A-1", "A", 3), standard("A-2", "A", 3))
    b = (standard("B-1", "B", 2),)
    return FrameworkSpec(
        domains=(
            DomainSpec(id="A", weight=1.0, standards=a),
            DomainSpec(id="B", weight=1.0, standards=b),
        ),
        scoring=ScoringRule.AVERAGED,
    )


def test_a_moderated_level_counts_and_the_own_score_is_kept():
    framework = _framework()
    own = score_assessment(framework, {"A-1-Q": "5", "A-2-Q": "3", "B-1-Q": "1"})
    # Own: domain A = (5 + 3) / 2 = 4 → index 75; B = 1 → index 0; overall (75 + 0) / 2 = 37.5.
    assert own.domain("A").index == 75.0 and own.index == 37.5
    result = moderate(framework, own, {"A-1": 3.0, "B-1": 2.0})
    a1, b1 = result.standard("A-1"), result.standard("B-1")
    assert (a1.score, a1.self_assessed, a1.moderated, a1.met) == (3.0, 5.0, True, True)
    assert (b1.score, b1.self_assessed, b1.met) == (2.0, 1.0, True)  # was not met at 1
    assert not result.standard("A-2").moderated
    # Domain A = (3 + 3) / 2 = 3 → index 50; B = 2 → index 25; overall (50 + 25) / 2 = 37.5.
    assert result.domain("A").index == 50.0
    assert result.domain("B").index == 25.0
    assert result.index == 37.5
    assert "moderated to 3.0000 (self-assessed 5.0000)" in a1.reason
    assert result.core_not_met == ()  # B-1 was core and not met before moderation
    assert own.core_not_met == ("B-1",)


def test_no_levels_change_nothing_and_unknown_standards_are_ignored():
    framework = _framework()
    own = score_assessment(framework, {"A-1-Q": "4", "A-2-Q": "4", "B-1-Q": "4"})
    assert moderate(framework, own, {}) is own
    same = moderate(framework, own, {"Z-9": 1.0})
    assert same.index == own.index and not any(s.moderated for s in same.standards)


def test_agreeing_keeps_every_figure_and_marks_the_standard():
    framework = _framework()
    own = score_assessment(framework, {"A-1-Q": "4", "A-2-Q": "2", "B-1-Q": "3"})
    agreed = moderate(framework, own, {"A-2": 2.0})
    assert agreed.index == own.index
    assert agreed.standard("A-2").moderated and agreed.standard("A-2").met is False


def test_a_standard_with_no_score_can_be_given_a_level():
    framework = _framework()
    own = score_assessment(framework, {"A-1-Q": "4", "A-2-Q": "4"})
    assert own.standard("B-1").score is None and own.domain("B").index is None
    result = moderate(framework, own, {"B-1": 3.0})
    assert result.standard("B-1").self_assessed is None
    assert result.standard("B-1").moderated is True
    assert result.domain("B").index == 50.0


@pytest.mark.parametrize("level", [0.0, 5.5, -1.0, True])
def test_levels_off_the_scale_are_refused(level):
    with pytest.raises(ValueError, match="between 1 and 5"):
        check_level(level)
