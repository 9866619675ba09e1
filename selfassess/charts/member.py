"""Charts about one member: domain profile, standards against targets, position, trend.

Each builder takes plain rows (dicts) and returns a Vega-Lite spec as a dict. The rows say
everything the chart shows, so the page's data table and the chart can never disagree.
"""

from __future__ import annotations

import altair as alt

from .base import (
    IQR,
    LINE_SYMBOL,
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
    key,
    keyed,
    skeleton,
)

INDEX_SCALE = alt.Scale(domain=[0, 100], nice=False)
LEVEL_SCALE = alt.Scale(domain=[1, 5], nice=False)
ROW_HEIGHT = 30


PEER_MEDIAN_KEY = "Peer median"
MIDDLE_HALF_KEY = "Middle half of peers"


def domain_profile(member: Rows, peers: Rows, member_label: str) -> Spec:
    """The member's domain indices against the peer median and inter-quartile range, with a
    key naming the three marks (the peers' two only when some peer figures are shown).

    ``member`` rows: ``domain``, ``value``, ``value_text`` (the figure as the page writes it);
    ``peers`` rows: ``domain``, ``q1``, ``median``, ``q3`` and their ``*_text`` (only domains
    whose peer group is large enough: suppressed ones are left out).
    """
    with_peers = bool(peers)
    return finish(
        _profile(tuple(row["domain"] for row in member), member_label, with_peers),
        {"member": member, "peers": peers},
        f"{member_label}'s index in each domain (diamonds)"
        + (
            " against the peer median (black lines) and the middle half of peers (blue bands)."
            if with_peers
            else "; no peer figures are shown."
        ),
    )


@skeleton
def _profile(domains: tuple[str, ...], member_label: str, with_peers: bool) -> Layered:
    y = alt.Y("domain:N", title=None, sort=list(domains))
    x_title = "Index (0 to 100)"
    entries = [(member_label, MEMBER, "diamond")]
    if with_peers:
        entries += [(PEER_MEDIAN_KEY, MEDIAN, LINE_SYMBOL), (MIDDLE_HALF_KEY, IQR, "square")]
    colour, shape = key(entries)
    band = keyed(alt.Chart(data("peers")).mark_bar(height=14, opacity=1), MIDDLE_HALF_KEY).encode(
        y=y,
        x=alt.X("q1:Q", title=x_title, scale=INDEX_SCALE),
        x2="q3:Q",
        color=colour,
        tooltip=[
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("q1_text:N", title="Lower quartile"),
            alt.Tooltip("q3_text:N", title="Upper quartile"),
        ],
    )
    median = keyed(
        alt.Chart(data("peers")).mark_tick(thickness=3, size=22, opacity=1), PEER_MEDIAN_KEY
    ).encode(
        y=y,
        x=alt.X("median:Q", title=x_title, scale=INDEX_SCALE),
        color=colour,
        tooltip=[
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("median_text:N", title=PEER_MEDIAN_KEY),
        ],
    )
    you = keyed(
        alt.Chart(data("member")).mark_point(
            filled=True, size=220, opacity=1, stroke="#ffffff", strokeWidth=1
        ),
        member_label,
    ).encode(
        y=y,
        x=alt.X("value:Q", title=x_title, scale=INDEX_SCALE),
        color=colour,
        shape=shape,
        tooltip=[
            alt.Tooltip("domain:N", title="Domain"),
            alt.Tooltip("value_text:N", title=member_label),
        ],
    )
    layers = [band, median, you] if with_peers else [you]
    return alt.layer(*layers).properties(height=ROW_HEIGHT * max(len(domains), 1))


def standards_met(rows: Rows) -> Spec:
    """Each standard's score against its target, with Met / Not met written in the axis label.

    Rows: ``standard`` (the code and the standard's full title, for the tooltip), ``label``
    (e.g. "GOV-1 (core): Not met · Board-level sponsor…", the y-axis text, so the result is read
    in words, never from colour alone, and a long title is cut at the end), ``score`` (None when
    unanswered), ``score_text`` and ``target_text`` (as the page writes them), ``target`` and
    ``result`` ("Met", "Not met" or "No answers").
    """
    return finish(
        _standards(tuple(row["label"] for row in rows)),
        {"standards": rows},
        "Each standard's score (bars) against its target (black lines); each "
        "label says whether the standard is met.",
    )


RESULTS = ("Met", "Not met", "No answers")
TARGET_KEY = "Target"


@skeleton
def _standards(labels: tuple[str, ...]) -> Layered:
    y = alt.Y("label:N", title=None, sort=list(labels))
    colour, _shape = key(
        [
            *zip(RESULTS, (MET, NOT_MET, PEER), ("square",) * 3, strict=True),
            (TARGET_KEY, MEDIAN, LINE_SYMBOL),
        ]
    )
    x_title = "Score (1 to 5); black line: target"
    tooltip = [
        alt.Tooltip("standard:N", title="Standard"),
        alt.Tooltip("score_text:N", title="Score"),
        alt.Tooltip("target_text:N", title="Target"),
        alt.Tooltip("result:N", title="Result"),
    ]
    bars = (
        alt.Chart(data("standards"))
        .transform_calculate(key="datum.result")
        .mark_bar(height=14, opacity=1)
        .encode(
            y=y,
            x=alt.X("score:Q", title=x_title, scale=LEVEL_SCALE),
            x2=alt.datum(1),
            color=colour,
            tooltip=tooltip,
        )
    )
    target = keyed(
        alt.Chart(data("standards")).mark_tick(thickness=3, size=22, opacity=1), TARGET_KEY
    ).encode(
        y=y,
        x=alt.X("target:Q", title=x_title, scale=LEVEL_SCALE),
        color=colour,
        tooltip=tooltip,
    )
    return alt.layer(bars, target).properties(height=24 * max(len(labels), 1))


def domain_positions(rows: Rows, member_label: str) -> Spec:
    """Where the member sits in each domain's distribution; other members are dots.

    Rows: ``domain``, ``value``, ``value_text`` (as the page writes it), ``who`` (the label
    shown in the tooltip: a name only when the viewer may see names) and ``is_member`` (True for
    the member being looked at).
    """
    return finish(
        _positions(tuple(dict.fromkeys(row["domain"] for row in rows)), member_label),
        {"positions": rows},
        f"{member_label} (diamonds) among the other members (grey dots) in each domain.",
    )


OTHER_MEMBERS_KEY = "Other members"


@skeleton
def _positions(domains: tuple[str, ...], member_label: str) -> Layered:
    y = alt.Y("domain:N", title=None, sort=list(domains))
    x = alt.X("value:Q", title="Index (0 to 100)", scale=INDEX_SCALE)
    colour, shape = key([(member_label, MEMBER, "diamond"), (OTHER_MEMBERS_KEY, PEER, "circle")])
    tooltip = [
        alt.Tooltip("who:N", title="Member"),
        alt.Tooltip("domain:N", title="Domain"),
        alt.Tooltip("value_text:N", title="Index"),
    ]
    peers = keyed(
        alt.Chart(data("positions"))
        .transform_filter("!datum.is_member")
        .mark_point(filled=True, size=90, opacity=0.7, strokeWidth=0),
        OTHER_MEMBERS_KEY,
    ).encode(y=y, x=x, color=colour, shape=shape, tooltip=tooltip)
    you = keyed(
        alt.Chart(data("positions"))
        .transform_filter("datum.is_member")
        .mark_point(filled=True, size=240, opacity=1, stroke="#ffffff"),
        member_label,
    ).encode(y=y, x=x, color=colour, shape=shape, tooltip=tooltip)
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
        alt.Tooltip("value_text:N", title="Index"),
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
