"""The outcome chart: rows, a valid Vega-Lite spec that renders offline, words not colour alone."""

from __future__ import annotations

import jsonschema
import vl_convert
from altair.vegalite.v6.schema.core import load_schema

from selfassess.charts.outcomes import focus_change_chart, outcome_rows
from selfassess.scoring.pair_outcomes import FocusChange

ITEMS = [
    ("Barnsley (from 2024/25)", "2024/25", "2025/26", FocusChange("DATA-1", 3.0, 2.0, 3.5)),
    ("Barnsley (from 2024/25)", "2024/25", "2025/26", FocusChange("GOV-2", 4.0, 3.0, 2.5)),
    ("Barnsley (from 2024/25)", "2024/25", "2025/26", FocusChange("REL-1", 3.0, None, 3.0)),
]


def test_rows_say_the_change_in_words_and_skip_what_cannot_be_compared():
    rows = outcome_rows(ITEMS, {"DATA-1": "Shared  data\nplatform"})
    assert [r["label"] for r in rows] == [
        "DATA-1: up 1.50, now meets target 3 \N{MIDDLE DOT} Barnsley (from 2024/25)",
        "GOV-2: down 0.50, still below target 4 \N{MIDDLE DOT} Barnsley (from 2024/25)",
    ]
    assert rows[0] | {"label": None} == {
        "label": None,
        "pair": "Barnsley (from 2024/25)",
        "standard": "DATA-1 Shared data platform",
        "before": 2.0,
        "after": 3.5,
        "target": 3.0,
        "before_text": "2.00",
        "after_text": "3.50",
        "target_text": "3",
        "before_cycle": "2024/25",
        "after_cycle": "2025/26",
        "change": 1.5,
    }
    assert rows[1]["standard"] == "GOV-2"  # no title known: the code alone
    assert outcome_rows([]) == []


def test_spec_is_valid_vega_lite_and_renders_without_a_network():
    spec = focus_change_chart(outcome_rows(ITEMS))
    jsonschema.validate(spec, load_schema())
    svg = vl_convert.vegalite_to_svg(spec)
    assert "DATA-1: up 1.50, now meets target 3" in svg
    assert spec["description"].startswith("Each mentee's score")


def test_before_and_after_differ_in_shape_and_fill_not_only_colour():
    spec = focus_change_chart(outcome_rows(ITEMS))
    marks = [layer["mark"] for layer in spec["layer"]]
    points = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]
    shapes = points[0]["encoding"]["shape"]["scale"]
    assert shapes["domain"] == ["Score before", "Score after", "Target"]
    ring, diamond, _line = shapes["range"]
    assert diamond == "diamond" and ring.count("A") == 4  # a ring: a circle with a hole in it
    assert all(m["filled"] for m in marks if m["type"] == "point")
    assert (
        "hollow circle before, filled diamond after" in spec["layer"][0]["encoding"]["x"]["title"]
    )


def test_the_key_names_before_after_and_target():
    spec = focus_change_chart(outcome_rows(ITEMS))
    spec = {**spec, "width": 600}
    svg = vl_convert.vegalite_to_svg(spec)
    legend = svg[svg.index("role-legend") :]
    positions = [legend.index(label) for label in ("Score before", "Score after", "Target")]
    assert positions == sorted(positions)
