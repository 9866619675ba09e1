"""Charts about a whole alliance: members x standards heatmap, domain spread, weakest standards."""

from __future__ import annotations

import altair as alt

from .base import (
    IQR,
    LEVEL_SCHEME,
    LINE_SYMBOL,
    MEDIAN,
    NOT_MET,
    PEER,
    Layered,
    Rows,
    Spec,
    data,
    finish,
    key,
    keyed,
    skeleton,
    with_sort,
)
from .member import INDEX_SCALE, ROW_HEIGHT

CELL = 22


#: The heatmap's cells, sent as one object of equal-length lists (``COLUMNS``) that the chart
#: flattens back into cells: a member's name and each key are sent once per column, not once
#: per cell. "result" and "mark" are worked out in the chart from "met"; a standard's column
#: label, whole title and target text are looked up from the ``standards`` rows, so a long
#: title travels once per standard, not once per cell.
COLUMNS = ("member", "standard", "score", "score_text", "target", "met")


def heatmap(rows: Rows, members: list[str], standards: Rows) -> Spec:
    """Members (rows) by standards (columns), coloured by score; a cross marks below target.

    Rows: ``member``, ``standard`` (the code), ``score``, ``score_text`` (as the page writes
    it), ``target``, ``result`` ("Met" / "Not met"). ``standards``, one per column in order:
    ``standard`` (the code), ``column`` (the axis label: the code and the start of the
    standard's title), ``title`` (the code and the whole title, for the tooltip) and
    ``target_text``. ``members`` gives the row order. The spec carries the cells column-wise
    (``cells_of`` reads them back as rows).
    """
    columns: dict[str, list[object]] = {name: [] for name in COLUMNS}
    for row in rows:
        for name in COLUMNS[:-1]:
            columns[name].append(row[name])
        columns["met"].append(row["result"] == "Met")
    spec = finish(
        with_sort(with_sort(_heatmap(), "x", [s["column"] for s in standards]), "y", members),
        {"standards": standards},
        "Each member's score on each standard, darker blue for higher scores; a cross "
        "marks a standard below its target.",
    )
    spec["datasets"]["cells"] = [columns]
    spec.pop("width", None)
    spec["autosize"] = {"type": "pad"}
    spec["width"] = {"step": CELL}
    spec["height"] = {"step": CELL}
    return spec


def cells_of(spec: Spec) -> list[dict[str, object]]:
    """The heatmap's cells as rows again, with "result" and "mark" as the chart works them out
    (for tests and anything reading a spec)."""
    columns = spec["datasets"]["cells"][0]
    rows = [
        dict(zip(COLUMNS, values, strict=True))
        for values in zip(*(columns[c] for c in COLUMNS), strict=True)
    ]
    for row in rows:
        row["result"] = "Met" if row["met"] else "Not met"
        row["mark"] = "" if row["met"] else NOT_MET_MARK
    return rows


NOT_MET_MARK = "\N{BALLOT X}"


@skeleton
def _heatmap() -> Layered:
    x = alt.X(
        "column:N",
        title=None,
        sort=[],  # the framework's standards: with_sort
        axis=alt.Axis(orient="top", labelAngle=-90, labelPadding=4),
    )
    y = alt.Y("member:N", title=None, sort=[])  # the page's members: with_sort
    tooltip = [
        alt.Tooltip("member:N", title="Member"),
        alt.Tooltip("title:N", title="Standard"),
        alt.Tooltip("score_text:N", title="Score"),
        alt.Tooltip("target_text:N", title="Target"),
        alt.Tooltip("result:N", title="Result"),
    ]
    cells = (
        alt.Chart()
        .mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            tooltip=tooltip,
            color=alt.Color(
                "score:Q",
                title="Score (1 to 5); \N{BALLOT X} below target",
                scale=alt.Scale(domain=[1, 5], scheme=LEVEL_SCHEME),
                legend=alt.Legend(orient="bottom", gradientLength=220, titleLimit=400),
            ),
        )
    )
    # Black on pale cells, white on dark ones: the cross stays readable at every level.
    marks = (
        alt.Chart()
        .mark_text(fontSize=12, fontWeight="bold")
        .encode(
            x=x,
            y=y,
            text="mark:N",
            tooltip=tooltip,
            color=alt.condition("datum.score >= 3.5", alt.value("#ffffff"), alt.value(MEDIAN)),
        )
    )
    layered: Layered = (
        alt.layer(cells, marks, data=data("cells"))
        .transform_flatten(list(COLUMNS))
        .transform_calculate(
            result="datum.met ? 'Met' : 'Not met'",
            mark=f"datum.met ? '' : '{NOT_MET_MARK}'",
        )
        .transform_lookup(
            lookup="standard",
            from_=alt.LookupData(
                data=data("standards"), key="standard", fields=["column", "title", "target_text"]
            ),
        )
        .properties(width=alt.Step(CELL), height=alt.Step(CELL))
    )
    return layered


def domain_spread(stats: Rows, dots: Rows) -> Spec:
    """Every member's index in each domain, over the median and inter-quartile range.

    ``stats`` rows: ``domain``, ``q1``, ``median``, ``q3`` and their ``*_text`` (as the page
    writes them); ``dots`` rows: ``domain``, ``value``, ``value_text``, ``member``. A key names
    the three marks.
    """
    domains = list(dict.fromkeys(row["domain"] for row in dots))
    spec = finish(
        with_sort(_spread(), "y", domains),
        {"stats": stats, "dots": dots},
        "Each member's index in each domain (grey dots), with the median (black "
        "lines) and the middle half of members (blue bands).",
    )
    spec["height"] = ROW_HEIGHT * max(len(domains), 1)
    return spec


MEMBER_KEY = "A member"
MEDIAN_KEY = "Median"
MIDDLE_HALF_KEY = "Middle half of members"


@skeleton
def _spread() -> Layered:
    y = alt.Y("domain:N", title=None, sort=[])  # the framework's domains: with_sort
    x = alt.X("value:Q", title="Index (0 to 100)", scale=INDEX_SCALE)
    colour, shape = key(
        [
            (MEMBER_KEY, PEER, "circle"),
            (MEDIAN_KEY, MEDIAN, LINE_SYMBOL),
            (MIDDLE_HALF_KEY, IQR, "square"),
        ]
    )
    band = keyed(alt.Chart(data("stats")).mark_bar(height=16, opacity=1), MIDDLE_HALF_KEY).encode(
        y=y,
        x=alt.X("q1:Q", scale=INDEX_SCALE, title="Index (0 to 100)"),
        x2="q3:Q",
        color=colour,
        tooltip=[
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("q1_text:N", title="Lower quartile"),
            alt.Tooltip("q3_text:N", title="Upper quartile"),
        ],
    )
    median = keyed(
        alt.Chart(data("stats")).mark_tick(thickness=3, size=24, opacity=1), MEDIAN_KEY
    ).encode(
        y=y,
        x=alt.X("median:Q", scale=INDEX_SCALE, title="Index (0 to 100)"),
        color=colour,
        tooltip=[
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("median_text:N", title="Median"),
        ],
    )
    points = keyed(
        alt.Chart(data("dots")).mark_point(filled=True, size=70, opacity=0.75, strokeWidth=0),
        MEMBER_KEY,
    ).encode(
        y=y,
        x=x,
        color=colour,
        shape=shape,
        tooltip=[
            alt.Tooltip("member:N", title="Member"),
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("value_text:N", title="Index"),
        ],
    )
    return alt.layer(band, median, points).properties(height=ROW_HEIGHT)  # per domain: set later


def weakest_standards(rows: Rows) -> Spec:
    """The standards fewest members meet, as the share of members meeting each.

    Rows: ``standard`` (the code and whole title, for the tooltip), ``label`` (axis text, e.g.
    "DATA-2: 2 of 7 met · Data sharing…"), ``share`` (0-100), ``share_text`` (as the page
    writes it), ``met`` and ``n``; in the order to show them.
    """
    spec = finish(
        with_sort(_weakest(), "y", [row["label"] for row in rows]),
        {"weakest": rows},
        "The standards the fewest members meet, as the share of members meeting each.",
    )
    spec["height"] = 24 * max(len(rows), 1)
    return spec


@skeleton
def _weakest() -> alt.Chart:
    # Altair's mark_* methods are typed through a decorator that hides their ``Self``.
    chart: alt.Chart = (
        alt.Chart(data("weakest"))
        .mark_bar(height=14, color=NOT_MET)
        .encode(
            y=alt.Y("label:N", title=None, sort=[]),  # ranked by this cycle: with_sort
            x=alt.X(
                "share:Q",
                title="Members meeting the standard (%)",
                scale=alt.Scale(domain=[0, 100], nice=False),
            ),
            tooltip=[
                alt.Tooltip("standard:N", title="Standard"),
                alt.Tooltip("met:Q", title="Members meeting it"),
                alt.Tooltip("n:Q", title="Members scored"),
                alt.Tooltip("share_text:N", title="Share"),
            ],
        )
        .properties(height=24)  # per standard shown: set later
    )
    return chart


def build_skeletons() -> None:
    """Build this module's chart skeletons now: none depends on an alliance's data, so a
    served worker builds them as it starts (``wsgi.py``) rather than on its first visitor's
    dashboard, where they were about half of that first page's time."""
    for build in (_heatmap, _spread, _weakest):
        build()
