"""What every chart shares: colours, fonts, and turning an Altair chart into a plain spec.

Charts are built with ``to_dict(validate=False)`` and their rows are attached afterwards as
named datasets, so Altair never walks (or validates) the data: a 4,000-cell heatmap builds in a
few milliseconds instead of hundreds. The builders' output is validated against the Vega-Lite
schema once, in the tests, instead of on every request.
"""

from __future__ import annotations

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
