"""A trust's own targets: percent to target and progress, on hand-worked examples.

Percent to target = 100 x (min(score, target) - 1) / (target - 1); across standards
100 x sum(min(score, target) - 1) / sum(target - 1); progress = change in percentage points.
"""

import pytest

from selfassess.scoring.rounding import format_index
from selfassess.scoring.targets import (
    TargetProgress,
    overall_percent_to_target,
    percent_to_target,
    target_progress,
)


def test_percent_to_target_worked_examples():
    # Target 4: a score of 2.5 has climbed 1.5 of the 3 levels from 1 to 4 -> 50%.
    assert percent_to_target(2.5, 4) == 50.0
    # 1.75 has climbed 0.75 of 3 -> 25%.
    assert percent_to_target(1.75, 4) == 25.0
    # Target 3, score 2.25: 1.25 of 2 -> 62.5%.
    assert percent_to_target(2.25, 3) == 62.5
    # The bottom of the scale is 0%; at or beyond the target 100%, never more.
    assert percent_to_target(1, 5) == 0.0
    assert percent_to_target(4, 4) == 100.0
    assert percent_to_target(4.5, 4) == 100.0
    # Target 3.5, score 2: 1 of 2.5 -> 40%. Thirds come out as people read them (2 decimals).
    assert percent_to_target(2, 3.5) == 40.0
    assert format_index(percent_to_target(2, 4)) == "33.33"
    # A target of 1 is reached by any score; no score, no percentage.
    assert percent_to_target(1, 1) == 100.0
    assert percent_to_target(None, 4) is None


def test_a_target_off_the_scale_is_refused():
    for target in (0, 0.5, 5.5, True):
        with pytest.raises(ValueError, match="A target must be a level from 1 to 5"):
            percent_to_target(3, target)


def test_progress_since_the_last_cycle():
    # Target 4: 1.75 last cycle (25%), 2.5 now (50%): up 25 points, score up 0.75.
    item = TargetProgress("GOV-1", target=4, score=2.5, previous=1.75)
    assert (item.percent_before, item.percent, item.progress, item.change) == (
        25.0,
        50.0,
        25.0,
        0.75,
    )
    assert item.reached is False
    # Beyond the target both times: 100% -> 100%, no progress to show, though the score moved.
    beyond = TargetProgress("DATA-1", target=3, score=4.5, previous=3.5)
    assert (beyond.progress, beyond.change, beyond.reached) == (0.0, 1.0, True)
    # Falling back: 3 (66.67% of the way to 4) to 2 (33.33%): down 33.33 points.
    fell = TargetProgress("REL-1", target=4, score=2, previous=3)
    assert format_index(fell.progress) == "-33.33"
    # No previous score: no progress, no change.
    new = TargetProgress("REL-2", target=4, score=2, previous=None)
    assert (new.progress, new.change) == (None, None)


def test_overall_percent_to_target_worked_example():
    # GOV-1 target 4, score 2.5 (climbed 1.5 of 3); DATA-1 target 3, score 3.5 (capped: 2 of 2);
    # GOV-2 target 5, no score (0 of 4). 100 x (1.5 + 2 + 0) / (3 + 2 + 4) = 350 / 9 = 38.89.
    # Last cycle: GOV-1 1.75 (0.75), DATA-1 3 (2), GOV-2 2 (1): 100 x 3.75 / 9 = 41.67.
    items = target_progress(
        {"GOV-2": 5, "GOV-1": 4, "DATA-1": 3},
        {"GOV-1": 2.5, "DATA-1": 3.5, "GOV-2": None},
        {"GOV-1": 1.75, "DATA-1": 3.0, "GOV-2": 2.0},
        order=["GOV-1", "GOV-2", "DATA-1"],
    )
    assert [i.standard_id for i in items] == ["GOV-1", "GOV-2", "DATA-1"]
    assert format_index(overall_percent_to_target(items)) == "38.89"
    assert format_index(overall_percent_to_target(items, previous=True)) == "41.67"
    # Capping matters: uncapped, DATA-1's 3.5 would add 0.5 and hide part of GOV-2's gap.


def test_overall_with_nothing_to_measure():
    assert overall_percent_to_target([]) is None
    # Only targets of 1: no distance to climb.
    assert overall_percent_to_target([TargetProgress("A-1", 1, 3, None)]) is None
    # No scores at all (nothing submitted): no percentage, rather than 0%.
    assert overall_percent_to_target([TargetProgress("A-1", 4, None, None)]) is None
    # No previous cycle.
    assert overall_percent_to_target([TargetProgress("A-1", 4, 2, None)], previous=True) is None
    # Targets for standards not in order come after, by id.
    items = target_progress({"B-1": 3, "A-1": 3}, {}, None, order=["Z-9"])
    assert [i.standard_id for i in items] == ["A-1", "B-1"]
