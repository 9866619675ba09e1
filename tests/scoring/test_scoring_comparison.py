"""Change since an earlier cycle through lineage: hand-worked examples on tiny frameworks."""

from __future__ import annotations

import pytest

from selfassess.scoring.comparison import (
    CycleFramework,
    compare,
    crosses,
    crossing_sentence,
    domain_counterparts,
    standard_counterparts,
)

V1 = CycleFramework(
    cycle="2024/25",
    version="1.0",
    standards={"VIS-1": "VIS", "VIS-2": "VIS", "GOV-1": "GOV", "MET-1": "MET"},
)
V2 = CycleFramework(
    cycle="2025/26",
    version="2.0",
    standards={
        "VIS-1": "VIS",
        "GOV-1": "GOV",
        "GOV-6": "GOV",
        "MET-1": "MET",
        "MET-2": "MET",
        "IMP-1": "IMP",
    },
    continues={
        "VIS-1": ("VIS-1", "VIS-2"),
        "GOV-1": ("GOV-1",),
        "GOV-6": (),
        "MET-1": ("MET-1",),
        "MET-2": ("MET-1",),
        "IMP-1": (),
    },
)
V1_AGAIN = CycleFramework(cycle="2023/24", version="1.0", standards=dict(V1.standards))


def test_within_a_version_each_standard_and_domain_is_compared_with_itself() -> None:
    assert not crosses(V1, V1_AGAIN)
    assert standard_counterparts(V1, V1_AGAIN) == {
        "VIS-1": ("VIS-1",),
        "VIS-2": ("VIS-2",),
        "GOV-1": ("GOV-1",),
        "MET-1": ("MET-1",),
    }
    assert domain_counterparts(V1, V1_AGAIN) == {"VIS": ("VIS",), "GOV": ("GOV",), "MET": ("MET",)}
    assert crossing_sentence(V1, V1_AGAIN) is None


def test_across_versions_a_standard_is_compared_with_what_it_continues() -> None:
    assert crosses(V2, V1)
    assert standard_counterparts(V2, V1) == {
        "VIS-1": ("VIS-1", "VIS-2"),  # merged
        "GOV-1": ("GOV-1",),
        "GOV-6": (),  # new: nothing, not GOV-6 of some other version
        "MET-1": ("MET-1",),
        "MET-2": ("MET-1",),  # split
        "IMP-1": (),
    }


def test_a_same_id_is_not_enough_across_versions() -> None:
    """A 2.0 standard with the id of a 1.0 one but no lineage is new, not a continuation."""
    renamed = CycleFramework(
        cycle="2025/26", version="2.0", standards={"GOV-1": "GOV"}, continues={"GOV-1": ()}
    )
    assert standard_counterparts(renamed, V1) == {"GOV-1": ()}


def test_domains_follow_their_standards_lineage() -> None:
    assert domain_counterparts(V2, V1) == {
        "VIS": ("VIS",),
        "GOV": ("GOV",),
        "MET": ("MET",),
        "IMP": (),
    }
    moved = CycleFramework(
        cycle="2025/26",
        version="2.0",
        standards={"QUAL-1": "QUAL", "QUAL-2": "QUAL"},
        continues={"QUAL-1": ("GOV-1",), "QUAL-2": ("VIS-2",)},
    )
    # Two earlier domains, in the earlier framework's order.
    assert domain_counterparts(moved, V1) == {"QUAL": ("VIS", "GOV")}


def test_the_earlier_figure_is_the_mean_of_the_counterparts_and_met_needs_all() -> None:
    """VIS-1 continues VIS-1 (3.5, met) and VIS-2 (2.5, not met): (3.5 + 2.5) / 2 = 3.0 then,
    not met then; 3.25 now, so +0.25. MET-2 continues MET-1 (4.0). GOV-6 is new."""
    rows = compare(
        now={"VIS-1": 3.25, "GOV-6": 2.0, "MET-2": 3.0},
        then={"VIS-1": 3.5, "VIS-2": 2.5, "MET-1": 4.0, "GOV-1": 1.0},
        counterparts={"VIS-1": ("VIS-1", "VIS-2"), "GOV-6": (), "MET-2": ("MET-1",)},
        crossing=True,
        met_now={"VIS-1": True, "GOV-6": False, "MET-2": True},
        met_then={"VIS-1": True, "VIS-2": False, "MET-1": True},
    )
    vis, gov, met = rows
    assert (vis.then, vis.now, vis.change) == (3.0, 3.25, pytest.approx(0.25))
    assert (vis.met_then, vis.met_now, vis.through_lineage) == (False, True, True)
    assert (gov.then, gov.change, gov.met_then, gov.earlier) == (None, None, None, ())
    assert (met.then, met.change, met.met_then) == (4.0, -1.0, True)


def test_a_counterpart_without_a_score_is_left_out_of_the_mean() -> None:
    (row,) = compare(
        now={"VIS-1": 3.0},
        then={"VIS-1": 4.0, "VIS-2": None},
        counterparts={"VIS-1": ("VIS-1", "VIS-2")},
        crossing=True,
        met_then={"VIS-1": True, "VIS-2": None},
    )
    assert (row.then, row.met_then) == (4.0, True)


def test_the_same_standard_in_the_same_version_is_not_a_lineage_comparison() -> None:
    (row,) = compare(
        now={"GOV-1": 3.0}, then={"GOV-1": 2.0}, counterparts={"GOV-1": ("GOV-1",)}, crossing=False
    )
    assert not row.through_lineage and row.change == 1.0


def test_the_crossing_is_said_in_words() -> None:
    sentence = crossing_sentence(V2, V1)
    assert sentence is not None
    assert sentence.startswith(
        "2024/25 was assessed on framework 1.0 and 2025/26 on "
        "framework 2.0; standards and domains are compared through "
        "each standard's lineage"
    )
    assert "overall index is compared across versions" in sentence
