"""Charts about one member: domain profile, standards against targets, position, trend.

Each builder takes plain rows (dicts) and returns a Vega-Lite spec as a dict. The rows say
everything the chart shows, so the page's data table and the chart can never disagree.
"""

from __future__ import annotations

import altair as alt

from .base import (
    IQR,
    MEDIAN,
    MEMBER,
    MET,
    NOT_MET,
    PEER,
    Layered,
    Rows,
    Spec,
    data,
    finish,
    skeleton,
)

INDEX_SCALE = alt.Scale(domain=[0, 100], nice=False)
LEVEL_SCALE = alt.Scale(domain=[1, 5], nice=False)
ROW_HEIGHT = 30


def domain_profile(member: Rows, peers: Rows, member_label: str) -> Spec:
    """The member's domain indices against the peer median and inter-quartile range.

    ``member`` rows: ``domain``, ``value``; ``peers`` rows: ``domain``, ``q1``, ``median``,
    ``q3`` (only domains whose peer group is large enough: suppressed ones are left out).
    """
    return finish(
        _profile(tuple(row["domain"] for row in member), member_label),
        {"member": member, "peers": peers},
        f"{member_label}'s index in each domain (diamonds) against the peer median "
        "(black lines) and the middle half of peers (blue bands).",
    )


@skeleton
def _profile(domains: tuple[str, ...], member_label: str) -> Layered:
    y = alt.Y("domain:N", title=None, sort=list(domains))
    band = (
        alt.Chart(data("peers"))
        .mark_bar(color=IQR, height=14)
        .encode(
            y=y,
            x=alt.X("q1:Q", title="Index (0 to 100)", scale=INDEX_SCALE),
            x2="q3:Q",
            tooltip=[
                alt.Tooltip("domain:N", title="Domain"),
                alt.Tooltip("q1:Q", title="Lower quartile", format=".1f"),
                alt.Tooltip("q3:Q", title="Upper quartile", format=".1f"),
            ],
        )
    )
    median = (
        alt.Chart(data("peers"))
        .mark_tick(color=MEDIAN, thickness=3, size=22)
        .encode(
            y=y,
            x="median:Q",
            tooltip=[
                alt.Tooltip("domain:N", title="Domain"),
                alt.Tooltip("median:Q", title="Peer median", format=".1f"),
            ],
        )
    )
    you = (
        alt.Chart(data("member"))
        .mark_point(
            shape="diamond",
            filled=True,
            size=220,
            color=MEMBER,
            stroke="#ffffff",
            strokeWidth=1,
        )
        .encode(
            y=y,
            x="value:Q",
            tooltip=[
                alt.Tooltip("domain:N", title="Domain"),
                alt.Tooltip("value:Q", title=member_label, format=".1f"),
            ],
        )
    )
    return alt.layer(band, median, you).properties(height=ROW_HEIGHT * max(len(domains), 1))


def standards_met(rows: Rows) -> Spec:
    """Each standard's score against its target, with Met / Not met written in the axis label.

    Rows: ``standard``, ``label`` (e.g. "GOV-1 (core): Not met", the y-axis text, so the result
    is read in words, never from colour alone), ``score`` (None when unanswered), ``target`` and
    ``result`` ("Met", "Not met" or "No answers").
    """
    return finish(
        _standards(tuple(row["label"] for row in rows)),
        {"standards": rows},
        "Each standard's score (bars) against its target (black lines); each "
        "label says whether the standard is met.",
    )


@skeleton
def _standards(labels: tuple[str, ...]) -> Layered:
    y = alt.Y("label:N", title=None, sort=list(labels))
    colour = alt.Color(
        "result:N",
        title="Result",
        scale=alt.Scale(domain=["Met", "Not met", "No answers"], range=[MET, NOT_MET, PEER]),
    )
    tooltip = [
        alt.Tooltip("standard:N", title="Standard"),
        alt.Tooltip("score:Q", title="Score", format=".2f"),
        alt.Tooltip("target:Q", title="Target"),
        alt.Tooltip("result:N", title="Result"),
    ]
    bars = (
        alt.Chart(data("standards"))
        .mark_bar(height=14)
        .encode(
            y=y,
            x=alt.X("score:Q", title="Score (1 to 5); black line: target", scale=LEVEL_SCALE),
            x2=alt.datum(1),
            color=colour,
            tooltip=tooltip,
        )
    )
    target = (
        alt.Chart(data("standards"))
        .mark_tick(color=MEDIAN, thickness=3, size=22)
        .encode(
            y=y,
            x="target:Q",
            tooltip=tooltip,
        )
    )
    return alt.layer(bars, target).properties(height=24 * max(len(labels), 1))


def domain_positions(rows: Rows, member_label: str) -> Spec:
    """Where the member sits in each domain's distribution; other members are dots.

    Rows: ``domain``, ``value``, ``who`` (the label shown in the tooltip: a name only when the
    viewer may see names) and ``is_member`` (True for the member being looked at).
    """
    return finish(
        _positions(tuple(dict.fromkeys(row["domain"] for row in rows))),
        {"positions": rows},
        f"{member_label} (diamonds) among the other members (grey dots) in each domain.",
    )


@skeleton
def _positions(domains: tuple[str, ...]) -> Layered:
    y = alt.Y("domain:N", title=None, sort=list(domains))
    x = alt.X("value:Q", title="Index (0 to 100)", scale=INDEX_SCALE)
    tooltip = [
        alt.Tooltip("who:N", title="Member"),
        alt.Tooltip("domain:N", title="Domain"),
        alt.Tooltip("value:Q", title="Index", format=".1f"),
    ]
    peers = (
        alt.Chart(data("positions"))
        .transform_filter("!datum.is_member")
        .mark_circle(size=90, color=PEER, opacity=0.7)
        .encode(y=y, x=x, tooltip=tooltip)
    )
    you = (
        alt.Chart(data("positions"))
        .transform_filter("datum.is_member")
        .mark_point(
            shape="diamond",
            filled=True,
            size=240,
            color=MEMBER,
            stroke="#ffffff",
        )
        .encode(y=y, x=x, tooltip=tooltip)
    )
    return alt.layer(peers, you).properties(height=ROW_HEIGHT * max(len(domains), 1))


def trend(rows: Rows, series: list[str]) -> Spec:
    """Indices across cycles: the member's (``series[0]``) and the peer median (``series[1]``).

    Rows: ``cycle`` (name), ``order`` (position in time), ``series``, ``value`` and
    ``framework`` (the cycle's framework version). Lines join cycles of one framework version
    only: a change of version breaks the line, so indices that score differently are never
    drawn as one continuous trend (the page says so in words too).
    """
    cycles = [row["cycle"] for row in sorted(rows, key=lambda r: r["order"])]
    return finish(
        _trend(tuple(dict.fromkeys(cycles)), tuple(series)),
        {"trend": rows},
        f"Overall index in each cycle: {' and '.join(series)}.",
    )


@skeleton
def _trend(cycles: tuple[str, ...], series_: tuple[str, ...]) -> Layered:
    series = list(series_)
    x = alt.X("cycle:N", title="Cycle", sort=list(cycles), axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title="Overall index (0 to 100)", scale=INDEX_SCALE)
    colour = alt.Color(
        "series:N",
        title=None,
        sort=series,
        scale=alt.Scale(domain=series, range=[MEMBER, MEDIAN][: len(series)]),
    )
    dash = alt.StrokeDash(
        "series:N",
        title=None,
        sort=series,
        scale=alt.Scale(domain=series, range=[[1, 0], [6, 4]][: len(series)]),
    )
    shape = alt.Shape(
        "series:N",
        title=None,
        sort=series,
        scale=alt.Scale(domain=series, range=["diamond", "circle"][: len(series)]),
    )
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("cycle:N", title="Cycle"),
        alt.Tooltip("framework:N", title="Framework"),
        alt.Tooltip("value:Q", title="Index", format=".1f"),
    ]
    lines = (
        alt.Chart(data("trend"))
        .mark_line(strokeWidth=3)
        .encode(x=x, y=y, color=colour, strokeDash=dash, detail="framework:N")
    )
    points = (
        alt.Chart(data("trend"))
        .mark_point(filled=True, size=120)
        .encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    )
    return alt.layer(lines, points).properties(height=260)
