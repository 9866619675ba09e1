"""The design system's tag, written in Python: the same HTML as ``nhsuk-frontend-jinja``'s
``tag`` macro, without its per-call cost.

The macro includes its template on every call, which copies the page's whole context and imports
the attribute helper again: 0.1 ms or more a tag, and the member lists show a status tag on every
row (50 on a page of the coordinator's dashboard, 500 on a cycle's page). This follows
``nhsuk/components/tag/template.jinja`` branch for branch; ``tests/test_nhsuk_tags.py`` checks it
against every published fixture of the component and against the macro itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from .nhsuk_attributes import attributes_html

#: The colours the component has a modifier class for.
COLOURS = (
    "white",
    "grey",
    "green",
    "aqua-green",
    "blue",
    "purple",
    "pink",
    "red",
    "orange",
    "yellow",
)


def _indented(text: str, width: int) -> str:
    """Jinja's ``trim | indent(width)``: every line after the first indented, blank ones not."""
    lines = text.strip().split("\n")
    pad = " " * width
    return "\n".join([lines[0], *(pad + line if line.strip() else line for line in lines[1:])])


def render_tag(params: Mapping[str, Any], called: str | None = None) -> Markup:
    """The tag ``tag(params)`` renders; ``called`` is a call block's content, when used so."""
    classes = params.get("classes") or ""
    colour = params.get("colour")
    names = "nhsuk-tag"
    if colour and colour in COLOURS and not any(f"nhsuk-tag--{c}" in classes for c in COLOURS):
        names += f" nhsuk-tag--{colour}"
    if colour is False and "nhsuk-tag--no-colour" not in classes:
        names += " nhsuk-tag--no-colour"
    if params.get("border") is False and "nhsuk-tag--no-border" not in classes:
        names += " nhsuk-tag--no-border"
    if classes:
        names += f" {classes}"
    opening = f'<strong class="{escape(names)}"'
    if params.get("id"):
        opening += f' id="{escape(params["id"])}"'
    opening += attributes_html(params.get("attributes")) + ">"
    html, text = params.get("html"), params.get("text")
    if called is not None:
        inner = str(called)
    elif html:
        inner = "  " + _indented(str(html), 2)
    elif text:
        inner = "  " + _indented(str(escape(text)), 2)
    else:
        inner = ""
    # Every text and attribute value above went through escape(); html and called are Markup.
    return Markup(f"{opening}\n{inner}\n</strong>")  # noqa: S704  # nosec B704
