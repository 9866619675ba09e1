"""Charts drawn on the server as SVG, for pages that are printed or turned into PDF.

The dashboards draw the same Vega-Lite specs in the browser; a report cannot rely on script, so
vl-convert renders each spec here. The SVG goes into the page as a ``data:`` image: the page's
CSP allows ``img-src data:``, and an image document runs no script and needs no inline style.
"""

from __future__ import annotations

import base64
from typing import Any

import vl_convert

#: Width in CSS pixels of a chart on an A4 page with the report's margins.
PAGE_WIDTH = 640


def svg_data_uri(spec: dict[str, Any]) -> str:
    """The chart as a ``data:image/svg+xml`` URI.

    Dashboard charts fit their container's width, which a server-side render does not have, so
    they are given the printed page's width (and padding inside it) instead. Only the width is
    fitted: the height stays the chart's own, so a taller key (one entry per line) adds to the
    chart rather than squeezing its rows.
    """
    if spec.get("width") == "container":
        spec = {**spec, "width": PAGE_WIDTH, "autosize": {"type": "fit-x", "contains": "padding"}}
    svg = vl_convert.vegalite_to_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
