"""Buddying outcomes as a chart: each mentee's score on each focus standard, before and after.

Pure like the rest of ``selfassess.charts``: rows in, a Vega-Lite spec out. One row per (pair,
focus standard) with a score in both cycles. Before is a hollow grey circle, after a filled blue
diamond, the target a black line; each row's label also says the change in words ("up 0.50,
now meets target 3"), so nothing is read from colour or shape alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt

from ..scoring.formatting import fmt_level, fmt_score
from ..scoring.pair_outcomes import FocusChange
from .base import (
    LINE_SYMBOL,
    MEDIAN,
    MEMBER,
    PEER,
    RING_SYMBOL,
    Rows,
    Spec,
    data,
    finish,
    key,
    keyed,
)

LEVEL_SCALE = alt.Scale(domain=[1, 5], nice=False)
ROW_HEIGHT = 28


def outcome_rows(
    items: Iterable[tuple[str, str, str, FocusChange]], titles: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Rows for the chart from (pair label, before cycle, after cycle, change) tuples;
    ``titles`` (standard code -> its title) go into the tooltip beside each code.

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
                "standard": " ".join(
                    [change.standard_id, *(titles or {}).get(change.standard_id, "").split()]
                ),
                "before": change.before,
                "after": change.after,
                "target": change.target,
                "before_text": fmt_score(change.before),
                "after_text": fmt_score(change.after),
                "target_text": fmt_level(change.target),
                "before_cycle": before_cycle,
                "after_cycle": after_cycle,
                "change": change.change,
            }
        )
    return rows


BEFORE_KEY = "Score before"
AFTER_KEY = "Score after"
TARGET_KEY = "Target"


def focus_change_chart(rows: Rows) -> Spec:
    """A dumbbell per row: the score before and after the pair, against the target."""
    labels = [row["label"] for row in rows]
    y = alt.Y("label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=480))
    tooltip = [
        alt.Tooltip("pair:N", title="Mentee"),
        alt.Tooltip("standard:N", title="Standard"),
        alt.Tooltip("before_cycle:N", title="Before (cycle)"),
        alt.Tooltip("before_text:N", title="Score before"),
        alt.Tooltip("after_cycle:N", title="After (cycle)"),
        alt.Tooltip("after_text:N", title="Score after"),
        alt.Tooltip("target_text:N", title="Target"),
    ]
    colour, shape = key(
        [
            (BEFORE_KEY, PEER, RING_SYMBOL),
            (AFTER_KEY, MEMBER, "diamond"),
            (TARGET_KEY, MEDIAN, LINE_SYMBOL),
        ]
    )
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
    target = keyed(
        alt.Chart(data("outcomes")).mark_tick(thickness=2, size=20, opacity=1), TARGET_KEY
    ).encode(y=y, x="target:Q", color=colour, tooltip=tooltip)
    before = keyed(
        alt.Chart(data("outcomes")).mark_point(filled=True, size=140, strokeWidth=0, opacity=1),
        BEFORE_KEY,
    ).encode(y=y, x="before:Q", color=colour, shape=shape, tooltip=tooltip)
    after = keyed(
        alt.Chart(data("outcomes")).mark_point(
            filled=True, size=200, stroke="#ffffff", strokeWidth=1, opacity=1
        ),
        AFTER_KEY,
    ).encode(y=y, x="after:Q", color=colour, shape=shape, tooltip=tooltip)
    chart = alt.layer(line, target, before, after).properties(height=ROW_HEIGHT * max(len(rows), 1))
    return finish(
        chart,
        {"outcomes": rows},
        "Each mentee's score on each focus standard before the pair (hollow circles) "
        "and in its latest validated cycle since (filled diamonds), against the "
        "target (black lines).",
    )
