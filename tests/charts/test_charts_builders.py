"""Chart builders, without an app: valid Vega-Lite, data as plain rows, readable without colour.

tests/test_architecture.py proves the package imports no Flask or database. Builders skip
Altair's validation on purpose (speed), so this is where every spec is validated against the
Vega-Lite schema Altair ships.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree

import jsonschema
import pytest
import vl_convert

from selfassess import charts
from selfassess.charts import base
from selfassess.charts.alliance import cells_of


def _schema() -> dict:
    from altair.vegalite.v6.schema import load_schema

    return load_schema()


PROFILE_MEMBER = [
    {"domain": "Governance", "value": 58.33, "value_text": "58.3"},
    {"domain": "Data", "value": 25.0, "value_text": "25.0"},
]
PROFILE_PEERS = [
    {
        "domain": "Governance",
        "q1": 40.0,
        "median": 50.0,
        "q3": 60.0,
        "q1_text": "40.0",
        "median_text": "50.0",
        "q3_text": "60.0",
    }
]
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
            "score_text": f"{1 + (i * j) % 40 / 10:.2f}",
            "target": 3.0,
            "result": "Met" if 1 + (i * j) % 40 / 10 >= 3 else "Not met",
            "mark": "" if 1 + (i * j) % 40 / 10 >= 3 else "\N{BALLOT X}",
        }
        for i, m in enumerate(names)
        for j, s in enumerate(codes)
    ]
    columns = [
        {
            "standard": s,
            "column": f"{s} Standard number {j}",
            "title": f"{s} Standard number {j}, in full",
            "target_text": "3",
        }
        for j, s in enumerate(codes)
    ]
    return rows, names, columns


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
            [
                {"domain": "Governance", "value": v, "value_text": f"{v}.0", "member": f"M{v}"}
                for v in (30, 50, 70)
            ],
        ),
        "weakest": charts.weakest_standards(
            [
                {
                    "standard": "DATA-2 Data sharing agreements",
                    "label": "DATA-2: 2 of 7 met \N{MIDDLE DOT} Data sharing agreements",
                    "share": 28.6,
                    "share_text": "28.6%",
                    "met": 2,
                    "n": 7,
                }
            ]
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
    assert colours["domain"] == ["Met", "Not met", "No answers", "Target"]
    assert colours["range"] == [base.MET, base.NOT_MET, base.PEER, base.MEDIAN]


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
    assert set(columns) == {"member", "standard", "score", "score_text", "target", "met"}
    assert all(len(values) == 4800 for values in columns.values())
    assert spec["data"] == {"name": "cells"}
    assert spec["transform"][0] == {
        "flatten": ["member", "standard", "score", "score_text", "target", "met"]
    }
    assert json.dumps(spec).count('"member"') < 10
    assert len(cells_of(spec)) == 4800


def test_trend_puts_the_member_first_in_the_legend():
    spec = charts.trend(TREND, ["Your trust", "Peer median"])
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Your trust", "Peer median"]
    assert colour["scale"]["range"] == [base.MEMBER, base.MEDIAN]


def _key_labels(spec: dict) -> list[str]:
    """The texts of the chart's key (legend) as drawn: the entries' labels, then any title."""
    svg = ElementTree.fromstring(vl_convert.vegalite_to_svg(spec))
    found = []
    for group in svg.iter("{http://www.w3.org/2000/svg}g"):
        role = group.get("class", "")
        if "role-legend-label" in role or "role-legend-title" in role:
            found += ["".join(t.itertext()) for t in group.iter("{http://www.w3.org/2000/svg}text")]
    return found


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        ("profile", ["Your trust", "Peer median", "Middle half of peers"]),
        ("standards", ["Met", "Not met", "No answers", "Target"]),
        ("positions", ["Your trust", "Other members"]),
        ("trend", ["Your trust", "Peer median"]),
        ("spread", ["A member", "Median", "Middle half of members"]),
    ],
)
def test_every_chart_with_several_kinds_of_mark_has_a_key_naming_each(name, labels):
    assert _key_labels(_all_specs()[name])[: len(labels)] == labels


def test_the_heatmap_key_gives_the_score_colours_and_the_cross():
    labels = _key_labels(_all_specs()["heatmap"])
    assert labels == ["1", "2", "3", "4", "5", "Score (1 to 5); \N{BALLOT X} below target"]


def test_the_profile_key_names_no_peer_marks_when_the_peer_figures_are_hidden():
    spec = charts.domain_profile(PROFILE_MEMBER, [], "Your trust")
    assert _key_labels(spec) == ["Your trust"]
    assert "no peer figures" in spec["description"]


def test_tooltips_show_the_figures_as_the_page_writes_them():
    """One formatter: every tooltip figure is a ``*_text`` field written by it, never a number
    Vega formats its own way (74.25 read 74.2 in one place and 74.3 in another)."""
    for name, spec in _all_specs().items():
        for layer in spec.get("layer", [spec]):
            for tip in layer["encoding"].get("tooltip", []):
                if tip["type"] == "quantitative":
                    assert tip["field"] in ("met", "n"), (name, tip)  # counts only
                assert "format" not in tip, (name, tip)


def test_heatmap_columns_carry_the_standard_title_and_tooltips_the_whole_title():
    rows, names, columns = _heatmap_rows(2, 2)
    spec = charts.heatmap(rows, names, columns)
    x = spec["layer"][0]["encoding"]["x"]
    assert x["field"] == "column" and x["sort"] == [c["column"] for c in columns]
    tips = {t["field"]: t["title"] for t in spec["layer"][0]["encoding"]["tooltip"]}
    assert tips["title"] == "Standard"
    # Titles travel once per standard; each cell looks its standard up.
    assert spec["datasets"]["standards"] == columns
    assert all("title" not in row for row in spec["datasets"]["cells"])
    svg = vl_convert.vegalite_to_svg(spec)
    assert "S-1 Standard number 1" in svg  # the looked-up axis label is drawn


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Data sharing agreements", "Data sharing agreements"),
        (
            "Your trust assesses itself against the alliance's standards, and acts on them",
            "Your trust assesses itself\N{HORIZONTAL ELLIPSIS}",
        ),
        ("  Spaced   out\n title ", "Spaced out title"),
    ],
)
def test_long_titles_are_cut_at_a_word_with_an_ellipsis(title, short):
    assert base.short_title(title) == short
    assert len(base.short_title(title)) <= base.TITLE_CHARS


def test_the_key_names_a_long_trust_in_full():
    """A board paper's chart must name the trust whole, not "Barnsley Hospital NHS F…"."""
    name = "Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust"
    spec = charts.domain_profile(PROFILE_MEMBER, PROFILE_PEERS, name)
    assert _key_labels(spec)[0] == name


def test_a_printed_chart_keeps_its_rows_height_whatever_its_key():
    """The PDF's charts fit the page's width only: a key of several lines once squeezed the
    domain rows to fit the old height."""
    import base64

    from selfassess.charts.member import ROW_HEIGHT
    from selfassess.charts.svg import svg_data_uri

    spec = charts.domain_profile(PROFILE_MEMBER, PROFILE_PEERS, "Your trust")
    uri = svg_data_uri(spec)
    svg = ElementTree.fromstring(base64.b64decode(uri.split(",", 1)[1]))
    key_lines = 3
    assert float(svg.get("height")) >= ROW_HEIGHT * (len(PROFILE_MEMBER) + key_lines)


def test_alliance_skeletons_are_built_once_whatever_the_page_shows():
    """Member names, standards, domains and rankings are data: set on each spec's copy, never
    part of a skeleton's key (keyed by them, each page of members rebuilt the heatmap)."""
    from selfassess.charts import alliance

    alliance.build_skeletons()
    skeletons = (alliance._heatmap, alliance._spread, alliance._weakest)
    built = [s.cache_info().misses for s in skeletons]
    first, second = _heatmap_rows(3, 2), _heatmap_rows(5, 4)
    specs = [
        charts.heatmap(*first),
        charts.heatmap(rows=second[0], members=["Member 4", "Member 2"], standards=second[2]),
    ]
    spreads = [
        charts.domain_spread(
            PROFILE_PEERS,
            [{"domain": d, "value": 1, "value_text": "1", "member": "M"} for d in domains],
        )
        for domains in (["Governance"], ["Data", "Vision", "Governance"])
    ]
    ranked = [
        charts.weakest_standards(
            [
                {"standard": s, "label": s, "share": 1.0, "share_text": "1%", "met": 1, "n": 9}
                for s in labels
            ]
        )
        for labels in (["B", "A"], ["C"])
    ]
    assert [s.cache_info().misses for s in skeletons] == built
    for layer in specs[1]["layer"]:
        assert layer["encoding"]["y"]["sort"] == ["Member 4", "Member 2"]
        assert layer["encoding"]["x"]["sort"] == [c["column"] for c in second[2]]
    assert specs[0]["layer"][0]["encoding"]["y"]["sort"] == first[1]
    assert [layer["encoding"]["y"]["sort"] for layer in spreads[1]["layer"]] == [
        ["Data", "Vision", "Governance"]
    ] * 3
    assert spreads[1]["height"] == 3 * spreads[0]["height"]
    assert [r["encoding"]["y"]["sort"] for r in ranked] == [["B", "A"], ["C"]]
    assert (ranked[0]["height"], ranked[1]["height"]) == (48, 24)
    # The cached skeletons themselves are untouched by any page's order.
    assert alliance._heatmap()["layer"][0]["encoding"]["y"]["sort"] == []
