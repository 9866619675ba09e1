"""Charts about a whole alliance: members x standards heatmap, domain spread, weakest standards."""

from __future__ import annotations

import altair as alt

from .base import (
    IQR,
    LEVEL_SCHEME,
    MEDIAN,
    NOT_MET,
    PEER,
    Layered,
    Rows,
    Spec,
    data,
    finish,
    skeleton,
)
from .member import INDEX_SCALE, ROW_HEIGHT

CELL = 22


#: The heatmap's columns, sent as one object of equal-length lists (``COLUMNS``) that the chart
#: flattens back into cells: a member's name and each key are sent once per column, not once
#: per cell. "result" and "mark" are worked out in the chart from "met".
COLUMNS = ("member", "standard", "score", "target", "met")


def heatmap(rows: Rows, members: list[str], standards: list[str]) -> Spec:
    """Members (rows) by standards (columns), coloured by score; a cross marks below target.

    Rows: ``member``, ``standard``, ``score``, ``target``, ``result`` ("Met" / "Not met").
    ``members`` and ``standards`` give the order. The spec carries them column-wise (see
    ``COLUMNS``; ``cells_of`` reads them back as rows).
    """
    columns: dict[str, list[object]] = {name: [] for name in COLUMNS}
    for row in rows:
        for name in COLUMNS[:-1]:
            columns[name].append(row[name])
        columns["met"].append(row["result"] == "Met")
    spec = finish(
        _heatmap(tuple(members), tuple(standards)),
        {},
        "Each member's score on each standard, darker blue for higher scores; a cross "
        "marks a standard below its target.",
    )
    spec["datasets"] = {"cells": [columns]}
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
def _heatmap(members: tuple[str, ...], standards: tuple[str, ...]) -> Layered:
    x = alt.X(
        "standard:N",
        title=None,
        sort=list(standards),
        axis=alt.Axis(orient="top", labelAngle=-90, labelPadding=4),
    )
    y = alt.Y("member:N", title=None, sort=list(members))
    tooltip = [
        alt.Tooltip("member:N", title="Member"),
        alt.Tooltip("standard:N", title="Standard"),
        alt.Tooltip("score:Q", title="Score", format=".2f"),
        alt.Tooltip("target:Q", title="Target"),
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
                title="Score (1 to 5)",
                scale=alt.Scale(domain=[1, 5], scheme=LEVEL_SCHEME),
                legend=alt.Legend(orient="bottom", gradientLength=220),
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
        .properties(width=alt.Step(CELL), height=alt.Step(CELL))
    )
    return layered


def domain_spread(stats: Rows, dots: Rows) -> Spec:
    """Every member's index in each domain, over the median and inter-quartile range.

    ``stats`` rows: ``domain``, ``q1``, ``median``, ``q3`` (unsuppressed domains only);
    ``dots`` rows: ``domain``, ``value``, ``member``.
    """
    return finish(
        _spread(tuple(dict.fromkeys(row["domain"] for row in dots))),
        {"stats": stats, "dots": dots},
        "Each member's index in each domain (grey dots), with the median (black "
        "lines) and the middle half of members (blue bands).",
    )


@skeleton
def _spread(domains: tuple[str, ...]) -> Layered:
    y = alt.Y("domain:N", title=None, sort=list(domains))
    x = alt.X("value:Q", title="Index (0 to 100)", scale=INDEX_SCALE)
    band = (
        alt.Chart(data("stats"))
        .mark_bar(color=IQR, height=16)
        .encode(y=y, x=alt.X("q1:Q", scale=INDEX_SCALE, title="Index (0 to 100)"), x2="q3:Q")
    )
    median = (
        alt.Chart(data("stats"))
        .mark_tick(color=MEDIAN, thickness=3, size=24)
        .encode(
            y=y,
            x="median:Q",
            tooltip=[
                alt.Tooltip("domain:N", title="Domain"),
                alt.Tooltip("median:Q", title="Median", format=".1f"),
            ],
        )
    )
    points = (
        alt.Chart(data("dots"))
        .mark_circle(size=70, color=PEER, opacity=0.75)
        .encode(
            y=y,
            x=x,
            tooltip=[
                alt.Tooltip("member:N", title="Member"),
                alt.Tooltip("domain:N", title="Domain"),
                alt.Tooltip("value:Q", title="Index", format=".1f"),
            ],
        )
    )
    return alt.layer(band, median, points).properties(height=ROW_HEIGHT * max(len(domains), 1))


def weakest_standards(rows: Rows) -> Spec:
    """The standards fewest members meet, as the share of members meeting each.

    Rows: ``standard``, ``label`` (axis text, e.g. "DATA-2: 2 of 7 met"), ``share`` (0-100),
    ``met`` and ``n``; in the order to show them.
    """
    return finish(
        _weakest(tuple(row["label"] for row in rows)),
        {"weakest": rows},
        "The standards the fewest members meet, as the share of members meeting each.",
    )


@skeleton
def _weakest(labels: tuple[str, ...]) -> alt.Chart:
    # Altair's mark_* methods are typed through a decorator that hides their ``Self``.
    chart: alt.Chart = (
        alt.Chart(data("weakest"))
        .mark_bar(height=14, color=NOT_MET)
        .encode(
            y=alt.Y("label:N", title=None, sort=list(labels)),
            x=alt.X(
                "share:Q",
                title="Members meeting the standard (%)",
                scale=alt.Scale(domain=[0, 100], nice=False),
            ),
            tooltip=[
                alt.Tooltip("standard:N", title="Standard"),
                alt.Tooltip("met:Q", title="Members meeting it"),
                alt.Tooltip("n:Q", title="Members scored"),
                alt.Tooltip("share:Q", title="Share (%)", format=".0f"),
            ],
        )
        .properties(height=24 * max(len(labels), 1))
    )
    return chart
