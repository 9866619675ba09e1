"""What if: chosen levels rescored by the real rules, on the README's worked example (1.0).

As stored: GOV-1 (core, target 3, weight 2) 3.75; GOV-2 (not core, target 4, weight 1) 2.5;
DATA-1 (core, target 3, weight 1) 2. GOV = (2 x 3.75 + 2.5) / 3 = 3.3333, index 58.33; DATA 2,
index 25; overall (58.333... + 25) / 2 = 41.67; DATA-1 (core) not met: Improvement required.
"""

import pytest

from selfassess.scoring import DomainSpec, FrameworkSpec, StandardSpec, score_assessment
from selfassess.scoring.rounding import format_index, format_score
from selfassess.scoring.status import MembershipStatus
from selfassess.scoring.what_if import check_levels, rescore, what_if
from tests.scoring.test_scoring_scores import ANSWERS, FRAMEWORK

STORED = {"GOV-1": 3.75, "GOV-2": 2.5, "DATA-1": 2.0}
#: A previous validated cycle with a core standard (DATA-1) not met.
PREVIOUS_UNMET = rescore(FRAMEWORK, {"GOV-1": 3.0, "GOV-2": 4.0, "DATA-1": 1.0})


def _figures(result):
    return (
        {d.id: format_score(d.score) for d in result.domains},
        {d.id: format_index(d.index) for d in result.domains},
        format_index(result.index),
    )


def test_rescore_matches_scoring_the_answers():
    scored = score_assessment(FRAMEWORK, ANSWERS)
    again = rescore(FRAMEWORK, {s.id: s.score for s in scored.standards})
    assert [(d.id, d.score, d.index) for d in again.domains] == [
        (d.id, d.score, d.index) for d in scored.domains
    ]
    assert again.index == scored.index
    assert [(s.id, s.met) for s in again.standards] == [(s.id, s.met) for s in scored.standards]
    assert _figures(again) == (
        {"GOV": "3.3333", "DATA": "2.0000"},
        {"GOV": "58.33", "DATA": "25.00"},
        "41.67",
    )


def test_nothing_chosen_changes_nothing():
    result = what_if(FRAMEWORK, STORED, {}, None, cycle_closed=True)
    assert result.after == result.before
    assert result.status_after.status is MembershipStatus.IMPROVEMENT_REQUIRED
    assert result.newly_met == () and result.newly_unmet == ()


def test_raising_the_core_gap_to_target_meets_standards():
    # DATA-1 at 3: DATA = 3, index (3 - 1) / 4 x 100 = 50; overall (58.333... + 50) / 2 = 54.17.
    result = what_if(FRAMEWORK, STORED, {"DATA-1": 3}, None, cycle_closed=True)
    assert _figures(result.after) == (
        {"GOV": "3.3333", "DATA": "3.0000"},
        {"GOV": "58.33", "DATA": "50.00"},
        "54.17",
    )
    assert result.status_before.status is MembershipStatus.IMPROVEMENT_REQUIRED
    assert result.status_after.status is MembershipStatus.MEETS_STANDARDS
    assert result.newly_met == ("DATA-1",)
    assert result.after.standard("DATA-1").reason == "level 3 chosen; at or above target 3: met"


def test_two_levels_chosen_worked_by_hand():
    # GOV-2 at 4: GOV = (2 x 3.75 + 1 x 4) / 3 = 11.5 / 3 = 3.8333, index 2.8333 / 4 x 100
    # = 70.83; DATA-1 at 3: index 50; overall (70.833... + 50) / 2 = 60.42.
    result = what_if(FRAMEWORK, STORED, {"GOV-2": 4, "DATA-1": 3}, None, cycle_closed=True)
    assert _figures(result.after) == (
        {"GOV": "3.8333", "DATA": "3.0000"},
        {"GOV": "70.83", "DATA": "50.00"},
        "60.42",
    )
    assert result.newly_met == ("GOV-2", "DATA-1")


def test_lowering_a_core_standard_twice_running_is_at_risk():
    # GOV-1 at 2 (< 3) and DATA-1 still 2: core unmet now, and DATA-1 unmet last validated cycle.
    result = what_if(FRAMEWORK, STORED, {"GOV-1": 2}, PREVIOUS_UNMET, cycle_closed=True)
    assert result.status_before.status is MembershipStatus.AT_RISK
    assert result.status_after.status is MembershipStatus.AT_RISK
    assert result.status_after.core_not_met == ("GOV-1", "DATA-1")
    assert result.newly_unmet == ("GOV-1",)
    # GOV = (2 x 2 + 2.5) / 3 = 2.1667, index 29.17; overall (29.1666... + 25) / 2 = 27.08.
    assert _figures(result.after)[2] == "27.08"
    # Meeting every core standard clears it, whatever happened before.
    cleared = what_if(FRAMEWORK, STORED, {"DATA-1": 4}, PREVIOUS_UNMET, cycle_closed=True)
    assert cleared.status_after.status is MembershipStatus.MEETS_STANDARDS


def test_nothing_submitted_yet_starts_from_no_scores():
    result = what_if(FRAMEWORK, None, {"DATA-1": 5}, None, cycle_closed=False)
    assert result.status_before.status is MembershipStatus.AWAITING_SUBMISSION
    # Only DATA-1 has a score: DATA index 100, GOV left out; GOV-1 (core) has no score: not met.
    assert _figures(result.after)[2] == "100.00"
    assert result.status_after.status is MembershipStatus.IMPROVEMENT_REQUIRED
    assert result.status_after.core_not_met == ("GOV-1",)


def test_bad_choices_are_named():
    text_only = StandardSpec("TXT-1", "TXT", core=False, target=3, weight=1, questions=())
    framework = FrameworkSpec((*FRAMEWORK.domains, DomainSpec("TXT", 1, (text_only,))))
    assert check_levels(framework, {"GOV-1": 0, "DATA-1": 6, "NOPE": 3, "TXT-1": 3}) == {
        "GOV-1": "Choose a level from 1 to 5",
        "DATA-1": "Choose a level from 1 to 5",
        "NOPE": "NOPE is not a standard you can choose a level for",
        "TXT-1": "TXT-1 is not a standard you can choose a level for",
    }
    with pytest.raises(ValueError, match="Choose a level from 1 to 5"):
        what_if(FRAMEWORK, STORED, {"GOV-1": True}, None, cycle_closed=True)
    assert check_levels(FRAMEWORK, {"GOV-1": 1, "DATA-1": 5}) == {}
