"""Buddying outcomes as a chart: each mentee's score on each focus standard, before and after.

Pure like the rest of ``selfassess.charts``: rows in, a Vega-Lite spec out. One row per (pair,
focus standard) with a score in both cycles. Before is a hollow grey circle, after a filled blue
diamond, the target a black line; each row's label also says the change in words ("up 0.50,
now meets target 3"), so nothing is read from colour or shape alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import altair as alt

from ..scoring.pair_outcomes import FocusChange
from .base import MEDIAN, MEMBER, PEER, Rows, Spec, data, finish

LEVEL_SCALE = alt.Scale(domain=[1, 5], nice=False)
ROW_HEIGHT = 28


def outcome_rows(items: Iterable[tuple[str, str, str, FocusChange]]) -> list[dict[str, Any]]:
    """Rows for the chart from (pair label, before cycle, after cycle, change) tuples.

    Changes without a score on both sides are left out: there is no movement to draw (the
    page's table still lists them).
    """
    rows = []
    for pair, before_cycle, after_cycle, change in items:
        if change.before is None or change.after is None:
            continue
        rows.append(
            {
                # The change first: a long label is cut at its end, and the table has the names.
                "label": f"{change.standard_id}: {change.describe()} \N{MIDDLE DOT} {pair}",
                "pair": pair,
                "standard": change.standard_id,
                "before": change.before,
                "after": change.after,
                "target": change.target,
                "before_cycle": before_cycle,
                "after_cycle": after_cycle,
                "change": change.change,
            }
        )
    return rows


def focus_change_chart(rows: Rows) -> Spec:
    """A dumbbell per row: the score before and after the pair, against the target."""
    labels = [row["label"] for row in rows]
    y = alt.Y("label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=480))
    tooltip = [
        alt.Tooltip("pair:N", title="Mentee"),
        alt.Tooltip("standard:N", title="Standard"),
        alt.Tooltip("before_cycle:N", title="Before (cycle)"),
        alt.Tooltip("before:Q", title="Score before", format=".2f"),
        alt.Tooltip("after_cycle:N", title="After (cycle)"),
        alt.Tooltip("after:Q", title="Score after", format=".2f"),
        alt.Tooltip("target:Q", title="Target"),
    ]
    x_title = "Score: hollow circle before, filled diamond after, black line target"
    line = (
        alt.Chart(data("outcomes"))
        .mark_rule(color=PEER, strokeWidth=2)
        .encode(
            y=y,
            x=alt.X("before:Q", title=x_title, scale=LEVEL_SCALE),
            x2="after:Q",
            tooltip=tooltip,
        )
    )
    target = (
        alt.Chart(data("outcomes"))
        .mark_tick(color=MEDIAN, thickness=2, size=20)
        .encode(
            y=y,
            x="target:Q",
            tooltip=tooltip,
        )
    )
    before = (
        alt.Chart(data("outcomes"))
        .mark_point(
            shape="circle",
            filled=False,
            size=120,
            color=PEER,
            strokeWidth=2,
        )
        .encode(y=y, x="before:Q", tooltip=tooltip)
    )
    after = (
        alt.Chart(data("outcomes"))
        .mark_point(
            shape="diamond",
            filled=True,
            size=200,
            color=MEMBER,
            stroke="#ffffff",
            strokeWidth=1,
        )
        .encode(y=y, x="after:Q", tooltip=tooltip)
    )
    chart = alt.layer(line, target, before, after).properties(height=ROW_HEIGHT * max(len(rows), 1))
    return finish(
        chart,
        {"outcomes": rows},
        "Each mentee's score on each focus standard before the pair (hollow circles) "
        "and in its latest validated cycle since (filled diamonds), against the "
        "target (black lines).",
    )
