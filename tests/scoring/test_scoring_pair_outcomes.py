"""A pair's outcome: the mentee's change on each focus standard, in words."""

from selfassess.scoring.pair_outcomes import FocusChange, focus_changes

TARGETS = {"GOV-2": 3.0, "DATA-1": 3.0, "REL-1": 4.0}


def test_focus_changes_in_focus_order_with_words():
    changes = focus_changes(
        ["DATA-1", "GOV-2", "REL-1", "DATA-1"],
        before={"GOV-2": 2.5, "DATA-1": 2.0, "REL-1": 4.5},
        after={"GOV-2": 3.75, "DATA-1": 2.0, "REL-1": 3.5},
        targets=TARGETS,
    )
    assert [c.standard_id for c in changes] == ["DATA-1", "GOV-2", "REL-1"]
    data, gov, rel = changes
    assert gov.change == 1.25 and gov.met_before is False and gov.met_after is True
    assert gov.describe() == "up 1.25, now meets target 3"
    assert data.describe() == "no change, still below target 3"
    assert rel.describe() == "down 1.00, now below target 4"


def test_focus_change_without_a_score_on_either_side():
    missing_after = FocusChange("GOV-2", 3.0, 2.0, None)
    assert missing_after.change is None and missing_after.met_after is None
    assert missing_after.describe() == "no score to compare"
    assert FocusChange("XYZ-9", None, 2.0, 4.0).describe() == "up 2.00"
    assert FocusChange("GOV-2", 3.0, 3.0, 3.5).describe() == "up 0.50, meets target 3"
