"""Chart builders, without an app: valid Vega-Lite, data as plain rows, readable without colour.

tests/test_architecture.py proves the package imports no Flask or database. Builders skip
Altair's validation on purpose (speed), so this is where every spec is validated against the
Vega-Lite schema Altair ships.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from selfassess import charts
from selfassess.charts import base
from selfassess.charts.alliance import cells_of


def _schema() -> dict:
    from altair.vegalite.v6.schema import load_schema

    return load_schema()


PROFILE_MEMBER = [{"domain": "Governance", "value": 58.33}, {"domain": "Data", "value": 25.0}]
PROFILE_PEERS = [{"domain": "Governance", "q1": 40.0, "median": 50.0, "q3": 60.0}]
STANDARD_ROWS = [
    {
        "standard": "GOV-1",
        "label": "GOV-1 (core): Met",
        "score": 3.75,
        "target": 3.0,
        "result": "Met",
    },
    {
        "standard": "GOV-2",
        "label": "GOV-2: Not met",
        "score": 2.5,
        "target": 4.0,
        "result": "Not met",
    },
    {
        "standard": "GOV-3",
        "label": "GOV-3: No answers",
        "score": None,
        "target": 3.0,
        "result": "No answers",
    },
]
POSITIONS = [
    {"domain": "Data", "value": v, "who": "Another member", "is_member": i == 1}
    for i, v in enumerate((10.0, 40.0, 70.0))
]
TREND = [
    {"cycle": c, "order": i, "framework": "1.0", "series": s, "value": v}
    for i, c in enumerate(("2024/25", "2025/26"))
    for s, v in (("Your trust", 40.0 + 10 * i), ("Peer median", 50.0))
]


def _heatmap_rows(members: int, standards: int) -> tuple[list[dict], list[str], list[str]]:
    names = [f"Member {i}" for i in range(members)]
    codes = [f"S-{j}" for j in range(standards)]
    rows = [
        {
            "member": m,
            "standard": s,
            "score": 1 + (i * j) % 40 / 10,
            "target": 3.0,
            "result": "Met" if 1 + (i * j) % 40 / 10 >= 3 else "Not met",
            "mark": "" if 1 + (i * j) % 40 / 10 >= 3 else "\N{BALLOT X}",
        }
        for i, m in enumerate(names)
        for j, s in enumerate(codes)
    ]
    return rows, names, codes


def _all_specs() -> dict[str, dict]:
    rows, names, codes = _heatmap_rows(5, 4)
    return {
        "profile": charts.domain_profile(PROFILE_MEMBER, PROFILE_PEERS, "Your trust"),
        "standards": charts.standards_met(STANDARD_ROWS),
        "positions": charts.domain_positions(POSITIONS, "Your trust"),
        "trend": charts.trend(TREND, ["Your trust", "Peer median"]),
        "heatmap": charts.heatmap(rows, names, codes),
        "spread": charts.domain_spread(
            PROFILE_PEERS,
            [{"domain": "Governance", "value": v, "member": f"M{v}"} for v in (30, 50, 70)],
        ),
        "weakest": charts.weakest_standards(
            [{"standard": "DATA-2", "label": "DATA-2: 2 of 7 met", "share": 28.6, "met": 2, "n": 7}]
        ),
    }


@pytest.mark.parametrize("name", sorted(_all_specs()))
def test_every_spec_is_valid_vega_lite(name):
    spec = _all_specs()[name]
    jsonschema.validate(spec, _schema())
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


@pytest.mark.parametrize("name", sorted(_all_specs()))
def test_specs_are_plain_json_with_named_datasets_and_a_description(name):
    spec = _all_specs()[name]
    assert json.loads(json.dumps(spec)) == spec
    assert spec["datasets"], "rows travel as named datasets"
    assert spec["description"].strip()
    assert spec["config"]["font"] == base.FONT
    # No chart asks the browser to fetch anything: data is inline, never a URL.
    assert '"url"' not in json.dumps(spec)


def test_rows_are_copied_not_validated_or_changed():
    rows = [dict(r) for r in STANDARD_ROWS]
    spec = charts.standards_met(rows)
    assert spec["datasets"]["standards"] == STANDARD_ROWS
    assert spec["datasets"]["standards"][0] is not rows[0]


def test_met_and_not_met_are_written_in_words_not_colour_alone():
    spec = charts.standards_met(STANDARD_ROWS)
    layers = spec["layer"]
    assert layers[0]["encoding"]["y"]["field"] == "label"  # the axis text says Met / Not met
    assert layers[0]["encoding"]["y"]["sort"] == [r["label"] for r in STANDARD_ROWS]
    colours = layers[0]["encoding"]["color"]["scale"]
    assert colours["domain"] == ["Met", "Not met", "No answers"]
    assert colours["range"] == [base.MET, base.NOT_MET, base.PEER]


def test_heatmap_marks_unmet_cells_with_a_symbol():
    rows, names, codes = _heatmap_rows(3, 3)
    spec = charts.heatmap(rows, names, codes)
    text_layer = spec["layer"][1]
    assert text_layer["mark"]["type"] == "text"
    assert text_layer["encoding"]["text"]["field"] == "mark"
    assert spec["layer"][0]["encoding"]["y"]["sort"] == names
    # The chart works the mark and the result out from "met", as cells_of reads them back.
    assert [(c["result"], c["mark"]) for c in cells_of(spec)] == [
        (r["result"], r["mark"]) for r in rows
    ]


def test_heatmap_at_national_scale_passes_its_cells_as_columns():
    """alt.Data(values=...) validates every row (hundreds of ms at this size); a named dataset
    of plain lists does not. The cells travel column-wise, so no key is repeated per cell.
    Speed itself is measured by `make bench`, not asserted here."""
    rows, names, codes = _heatmap_rows(200, 24)
    spec = charts.heatmap(rows, names, codes)
    (columns,) = spec["datasets"]["cells"]
    assert set(columns) == {"member", "standard", "score", "target", "met"}
    assert all(len(values) == 4800 for values in columns.values())
    assert spec["data"] == {"name": "cells"}
    assert spec["transform"][0] == {"flatten": ["member", "standard", "score", "target", "met"]}
    assert json.dumps(spec).count('"member"') < 10
    assert len(cells_of(spec)) == 4800


def test_trend_puts_the_member_first_in_the_legend():
    spec = charts.trend(TREND, ["Your trust", "Peer median"])
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Your trust", "Peer median"]
    assert colour["scale"]["range"] == [base.MEMBER, base.MEDIAN]
