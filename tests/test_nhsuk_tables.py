"""The Python table (``selfassess.nhsuk_tables``) renders what the design system's table macro
renders: every published fixture of the component, and the Jinja macro itself on the options
our templates pass. An option it does not render raises rather than differs."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, render_template_string
from markupsafe import Markup

from selfassess import frontend
from selfassess.nhsuk_tables import UNSUPPORTED, UnsupportedTableOption, render_table
from tests.test_nhsuk_widgets import fixtures, tree

FIXTURES = [(f["name"], i) for i, f in enumerate(fixtures("tables"))]


def _unsupported(context: dict[str, Any]) -> bool:
    caption = context.get("caption")
    # Were an option dropped from UNSUPPORTED, its fixtures would be rendered and compared (and
    # differ), so the list cannot shrink unnoticed.
    return any(context.get(k) for k in UNSUPPORTED) or (
        isinstance(caption, dict) and bool(caption.get("caption"))
    )


@pytest.mark.parametrize(("name", "index"), FIXTURES, ids=[f"{n}-{i}" for n, i in FIXTURES])
def test_each_published_fixture_renders_as_the_design_system_does(name: str, index: int) -> None:
    f = fixtures("tables")[index]
    if _unsupported(f["context"]):
        with pytest.raises(UnsupportedTableOption):
            render_table(f["context"])
        return
    assert tree(str(render_table(f["context"]))) == tree(f["html"])


def test_most_fixtures_are_rendered_not_refused() -> None:
    rendered = [n for n, i in FIXTURES if not _unsupported(fixtures("tables")[i]["context"])]
    assert len(rendered) >= 0.8 * len(FIXTURES)


@pytest.fixture(scope="module")
def jinja() -> Flask:
    app = Flask("tables")
    frontend.init_app(app)
    return app


def _macro(app: Flask, params: dict[str, Any]) -> str:
    template = '{% from "nhsuk/components/tables/macro.jinja" import table %}{{ table(params) }}'
    with app.test_request_context():
        return render_template_string(template, params=params)


LINK = Markup('<a href="/m?a=1&amp;b=2">Leeds &amp; York</a> <span class="x">RR8</span>')
HEAD = [
    "Member",
    {"text": "Score", "format": "numeric", "classes": "num"},
    {"html": Markup("<abbr title='Index'>Idx</abbr>"), "visuallyHiddenText": "out of 100"},
]
ROWS = [
    [{"html": LINK}, {"text": "4.25", "classes": "num"}, {"text": "<b>not bold</b>"}],
    ["Plain & text", {"text": "1.0", "format": None}, Markup("<em>safe</em>")],
    [{"text": "Wide", "attributes": {"colspan": 3}}],
    [{"text": "Extra cells"}, "two", "three", "four", 5, None],
    [
        {"text": "Aligned", "align": "centre", "width": "one-half"},
        {"text": "x", "format": "string"},
    ],
]
CASES = {
    "plain": {"head": HEAD, "rows": ROWS},
    "scrolling with a hidden caption": {
        "id": "members",
        "caption": {"text": "Members", "classes": "nhsuk-u-visually-hidden", "size": None},
        "head": HEAD,
        "rows": ROWS,
        "scroll": True,
    },
    "responsive with row headers": {
        "id": "r",
        "caption": {"text": "Members", "size": "m", "visuallyHiddenText": "sorted by score"},
        "head": HEAD,
        "rows": ROWS,
        "scroll": True,
        "responsive": True,
        "firstCellIsHeader": True,
        "classes": "table-compact",
        "attributes": {"data-x": "1 & 2", "hidden": {"value": True, "optional": True}},
    },
    "sortable on the server": {
        "id": "s",
        "caption": {"text": "Sortable", "visuallyHiddenText": None},
        "head": [
            {"text": "Member", "href": "/?sort=name", "sort": "ascending"},
            {"text": "Score", "href": "/?sort=score", "sort": True, "format": "numeric"},
        ],
        "rows": [["A", "1"], ["B", "2"]],
        "scroll": True,
        "responsive": True,
    },
    "sortable in the browser, caption from its text": {
        "caption": "Scores of every member this cycle, by standard and domain",
        "head": [{"text": "Member", "sort": "descending", "sortNext": "ascending"}, "Score"],
        "rows": [[{"text": "A", "sortValue": "a"}, "1"]],
        "scroll": True,
        "striped": True,
        "compact": True,
        "lastRowBorder": False,
    },
    "no head, no border, reverse": {
        "rows": [["a", "b"]],
        "border": False,
        "variant": "reverse",
        "scroll": True,
        "caption": {"text": "Short", "id": None},
    },
}


@pytest.mark.parametrize("case", list(CASES))
def test_our_options_render_as_the_jinja_macro_does(jinja: Flask, case: str) -> None:
    params = CASES[case]
    assert tree(str(render_table(params))) == tree(_macro(jinja, params))


def test_text_is_escaped_and_html_kept() -> None:
    html = str(render_table(CASES["plain"]))
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html
    assert "<em>safe</em>" in html and "Plain &amp; text" in html


@pytest.mark.parametrize("option", ["card", "panel", "sortAnnouncementText"])
def test_an_option_it_does_not_render_is_refused(option: str) -> None:
    with pytest.raises(UnsupportedTableOption):
        render_table({"rows": [["a"]], option: {"heading": "x"} if option == "card" else True})
