"""The Python tag (``selfassess.nhsuk_tags``) renders what the design system's tag macro renders:
every published fixture of the component, byte for byte, and the Jinja macro itself on the
options our templates pass, through the ``macros/tag.html`` wrapper the templates import."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, render_template_string
from markupsafe import Markup

from selfassess import frontend
from selfassess.nhsuk_tags import render_tag
from tests.test_nhsuk_widgets import fixtures, tree

FIXTURES = [(f["name"], i) for i, f in enumerate(fixtures("tag"))]
CALLED = "with HTML via call block"


@pytest.mark.parametrize(("name", "index"), FIXTURES, ids=[f"{n}-{i}" for n, i in FIXTURES])
def test_each_published_fixture_renders_as_the_design_system_does(name: str, index: int) -> None:
    f = fixtures("tag")[index]
    called = Markup("A&amp;E") if name == CALLED else None
    assert str(render_tag(f["context"], called)) == f["html"]


@pytest.fixture(scope="module")
def jinja() -> Flask:
    app = Flask("selfassess")  # our templates (macros/tag.html) and the design system's
    frontend.init_app(app)
    return app


def _both(app: Flask, params: dict[str, Any]) -> tuple[str, str]:
    ours = '{% from "macros/tag.html" import tag %}{{ tag(params) }}'
    theirs = '{% from "nhsuk/components/tag/macro.jinja" import tag %}{{ tag(params) }}'
    with app.test_request_context():
        return (
            render_template_string(ours, params=params),
            render_template_string(theirs, params=params),
        )


CASES: dict[str, dict[str, Any]] = {
    "status": {"text": "Improvement required", "classes": "app-tag--status-improvement-required"},
    "state": {"text": "In progress", "classes": "app-tag--in_progress"},
    "text to escape": {"text": "<b>A & E</b>", "classes": "app-tag--core"},
    "html kept": {"html": Markup("<em>Core</em>\nstandard"), "colour": "blue"},
    "id and attributes": {
        "text": "Overdue",
        "id": "due",
        "attributes": {"data-x": "1 & 2", "hidden": {"value": True, "optional": True}},
    },
    "no colour, no border": {"text": "Done", "colour": False, "border": False},
    "a number": {"text": 3},
    "empty": {},
}


@pytest.mark.parametrize("case", list(CASES))
def test_our_options_render_as_the_jinja_macro_does(jinja: Flask, case: str) -> None:
    ours, theirs = _both(jinja, CASES[case])
    assert tree(ours) == tree(theirs)


def test_a_call_block_renders_its_content(jinja: Flask) -> None:
    template = (
        '{% from "macros/tag.html" import tag %}'
        '{% call tag({"colour": "red"}) %}A &amp; <b>E</b>{% endcall %}'
    )
    with jinja.test_request_context():
        html = render_template_string(template)
    assert tree(html) == tree('<strong class="nhsuk-tag nhsuk-tag--red">A &amp; <b>E</b></strong>')


def test_text_is_escaped() -> None:
    assert "&lt;b&gt;A &amp; E&lt;/b&gt;" in str(render_tag(CASES["text to escape"]))
