"""What every chart shares: colours, fonts, and turning an Altair chart into a plain spec.

Charts are built with ``to_dict(validate=False)`` and their rows are attached afterwards as
named datasets, so Altair never walks (or validates) the data: a 4,000-cell heatmap builds in a
few milliseconds instead of hundreds. The builders' output is validated against the Vega-Lite
schema once, in the tests, instead of on every request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Final, TypeAlias, TypeVar

import altair as alt

Rows = Sequence[Mapping[str, Any]]
Spec = dict[str, Any]
#: What ``alt.layer`` returns: a FacetChart only when every layer has the same facet encoding,
#: which none of ours has.
Layered: TypeAlias = alt.LayerChart | alt.FacetChart

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency. Every chart
# also says met / not met in words or symbols, never by colour alone.
MEMBER = "#0072B2"  # blue: the member being looked at
PEER = "#6b6b6b"  # grey: other members (dark enough for 3:1 contrast on white)
MEDIAN = "#000000"
IQR = "#a6cee3"  # light blue band: the middle half of peers
MET = "#009E73"  # bluish green
NOT_MET = "#D55E00"  # vermillion
LEVEL_SCHEME: Final = "blues"  # sequential, single hue: reads in greyscale too

FONT = "Arial, Helvetica Neue, sans-serif"
CONFIG: Spec = {
    "font": FONT,
    "axis": {"labelFontSize": 13, "titleFontSize": 13, "labelLimit": 260},
    "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "bottom"},
    "view": {"stroke": None},
}


#: How many characters of a standard's title an axis label keeps (the tooltip has it whole).
TITLE_CHARS = 34


def short_title(title: str, limit: int = TITLE_CHARS) -> str:
    """A standard's title cut to ``limit`` characters at a word, with an ellipsis when cut."""
    words = " ".join(title.split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\N{HORIZONTAL ELLIPSIS}"


#: A thin upright bar: the key's symbol for a median or target line (Vega symbol paths are
#: drawn in a unit square).
LINE_SYMBOL = "M-0.2,-1H0.2V1H-0.2Z"
#: A ring: a hollow circle drawn as a filled shape, so the key shows it hollow too.
#: Widest key entry in pixels: room for the longest NHS trust name at the key's font size.
KEY_LABEL_LIMIT = 640

RING_SYMBOL = (
    "M-1,0A1,1 0 1,0 1,0A1,1 0 1,0 -1,0ZM-0.55,0A0.55,0.55 0 1,1 0.55,0A0.55,0.55 0 1,1 -0.55,0Z"
)


def key(entries: Sequence[tuple[str, str, str]]) -> tuple[alt.Color, alt.Shape]:
    """A key (legend) naming each kind of mark: ``entries`` are (label, colour, symbol).

    Each layer sets a field ``key`` to its label (``keyed``) and encodes colour (and, on point
    marks, shape) from it with these encodings, so Vega-Lite draws one merged legend.
    """
    labels = [label for label, _colour, _symbol in entries]
    # One entry per line and no cut-off: an entry is often a trust's full name, which a board
    # paper must show whole ("Barnsley Hospital NHS F…" names nobody), and on a phone a row
    # of long entries would run past the chart.
    legend = alt.Legend(
        title=None,
        orient="bottom",
        direction="vertical",
        labelLimit=KEY_LABEL_LIMIT,
        symbolStrokeWidth=0,
        symbolOpacity=1,
    )
    return (
        alt.Color(
            "key:N",
            scale=alt.Scale(domain=labels, range=[colour for _l, colour, _s in entries]),
            legend=legend,
            sort=labels,
        ),
        alt.Shape(
            "key:N",
            scale=alt.Scale(domain=labels, range=[symbol for _l, _c, symbol in entries]),
            legend=legend,
            sort=labels,
        ),
    )


C = TypeVar("C", bound=alt.Chart)


def keyed(chart: C, label: str) -> C:
    """The chart's rows with ``key`` set to ``label``, the entry of the key its marks are."""
    # A JSON string is a valid Vega expression string, whatever quotes the label holds.
    return chart.transform_calculate(key=json.dumps(label))


def finish(chart: alt.TopLevelMixin | Spec, datasets: Mapping[str, Rows], description: str) -> Spec:
    """Return the chart as a Vega-Lite dict with its rows attached as named datasets.

    ``chart`` may be a spec from a ``skeleton`` builder: it is copied (top level only; nothing
    below is ever changed), so the cached original stays as it was.
    ``description`` becomes the SVG's accessible description (Vega sets aria attributes from it).
    """
    spec: Spec = dict(chart) if isinstance(chart, dict) else chart.to_dict(validate=False)
    spec["datasets"] = {name: [dict(row) for row in rows] for name, rows in datasets.items()}
    spec["config"] = CONFIG
    spec["description"] = description
    spec.setdefault("width", "container")
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def with_sort(spec: Spec, channel: str, order: Sequence[str]) -> Spec:
    """``spec`` with ``channel`` sorted in ``order`` in every layer that encodes it.

    An order is data (the members of one page, standards ranked by this cycle's results), so
    it stays out of a skeleton's key: keyed by it, a chart was built afresh for every page of
    members and after every new result (30-60 ms each). The path down to the channel is
    copied; what the cached skeleton holds below it is shared and never changed.
    """

    def sorted_layer(layer: Spec) -> Spec:
        encoding = layer.get("encoding")
        if not encoding or channel not in encoding:
            return layer
        return {
            **layer,
            "encoding": {**encoding, channel: {**encoding[channel], "sort": list(order)}},
        }

    if "layer" in spec:
        return {**spec, "layer": [sorted_layer(layer) for layer in spec["layer"]]}
    return sorted_layer(spec)


def data(name: str) -> alt.NamedData:
    """A reference to a dataset attached by ``finish``."""
    return alt.NamedData(name=name)


F = TypeVar("F", bound=Callable[..., alt.TopLevelMixin])


def skeleton(build: F) -> Callable[..., Spec]:
    """Cache a chart's Vega-Lite dict by the arguments that shape it (sort orders, labels).

    Building Altair objects and ``to_dict`` (a deep copy of every schema object) cost 5-10 ms
    per chart, most of a dashboard's time once its queries are fast; the spec without its rows
    depends only on a few hashable arguments, so each distinct chart is built once per process.
    Rows are never part of the key: ``finish`` attaches them to a copy on every request.
    """

    @lru_cache(maxsize=512)
    def cached(*args: Any) -> Spec:
        return build(*args).to_dict(validate=False)

    return cached
