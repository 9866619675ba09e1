"""Form fields render as the NHS.UK frontend's own components.

Two layers, both checked against the design system's published fixtures (``fixtures.json`` in
each component of the npm package ``nhsuk-frontend``, installed by ``make assets``):

1. The Jinja port (``nhsuk-frontend-jinja``) renders each fixture's options to the fixture's HTML.
2. Our WTForms widgets (``selfassess.nhsuk_widgets``) build, from a field, the options that give
   that same HTML: a field shaped like a fixture renders exactly as the fixture.

HTML is compared as a tree: tag names, attributes (class as a set) and text, whitespace folded.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from selfassess import frontend
from selfassess.date_input import DateInputField
from selfassess.nhsuk_widgets import (
    nhsuk_error_summary,
    nhsuk_field,
    params_for,
    render_component,
)

COMPONENTS = (
    Path(__file__).resolve().parents[1] / "node_modules/nhsuk-frontend/dist/nhsuk/components"
)
MACROS = {
    "input": "input",
    "textarea": "textarea",
    "character-count": "characterCount",
    "select": "select",
    "radios": "radios",
    "checkboxes": "checkboxes",
    "date-input": "dateInput",
    "file-upload": "fileUpload",
    "error-summary": "errorSummary",
    "summary-list": "summaryList",
}


def fixtures(component: str) -> list[dict[str, Any]]:
    path = COMPONENTS / component / "fixtures.json"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `make assets` (npm ci) first")
    return list(json.loads(path.read_text())["fixtures"])


def fixture(component: str, name: str, **match: Any) -> dict[str, Any]:
    for f in fixtures(component):
        if f["name"] == name and all(f["context"].get(k) == v for k, v in match.items()):
            return f
    raise LookupError(f"{component}: no fixture {name!r} {match}")


def tree(html: str) -> list[Any]:
    """A comparable form of an HTML fragment."""

    def node(n: Any) -> Any:
        if isinstance(n, NavigableString):
            text = re.sub(r"\s+", " ", str(n)).strip()
            return text or None
        if isinstance(n, Tag):
            attrs = {
                k: (" ".join(sorted(v)) if isinstance(v, list) else v) for k, v in n.attrs.items()
            }
            children = [c for c in (node(c) for c in n.children) if c is not None]
            return (n.name, sorted(attrs.items()), children)
        return None

    soup = BeautifulSoup(html, "html.parser")
    return [c for c in (node(c) for c in soup.children) if c is not None]


@pytest.fixture(scope="module")
def bare_app() -> Flask:
    """Just the template set-up the app uses (no database needed)."""
    app = Flask("widgets", template_folder=None)
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
    frontend.init_app(app)
    return app


# -- 1. the Jinja port matches the design system's fixtures ------------------------------------
PORT_CASES = [
    (component, f["name"], i)
    for component in MACROS
    for i, f in enumerate(fixtures(component))
    if "call block" not in f["name"]  # a caller() body, not options: not expressible here
    # A list of button classes is written as JSON: the port puts a space after each comma, the
    # fixture does not (the same array once parsed); we never pass one.
    and not (
        component == "file-upload" and len(f["context"].get("chooseFilesButtonClassList", ())) > 1
    )
]


@pytest.mark.parametrize(("component", "name", "index"), PORT_CASES)
def test_the_jinja_port_renders_each_fixture_as_the_design_system_does(
    bare_app, component, name, index
):
    f = fixtures(component)[index]
    with bare_app.test_request_context():
        html = render_component(component, MACROS[component], f["context"])
    assert tree(str(html)) == tree(f["html"]), name


# -- 2. our widgets give the fixtures' HTML from WTForms fields ---------------------------------
def render(app: Flask, form_class: type[FlaskForm], data: dict[str, Any] | None, build) -> str:
    with app.test_request_context(method="POST" if data is not None else "GET"):
        form = form_class(formdata=MultiDict(data) if data is not None else None)
        if data is not None:
            form.validate()
        return str(build(form))


def test_a_text_field_is_the_input_component(bare_app):
    class F(FlaskForm):
        example = StringField("Address line 1", id="address-line1", name="address-line1")

    expected = fixture("input", "example address line 1")["html"]
    html = render(bare_app, F, None, lambda f: nhsuk_field(f.example, autocomplete="address-line1"))
    assert tree(html) == tree(expected)


def test_a_width_is_the_design_systems_width(bare_app):
    class F(FlaskForm):
        example = StringField("10 character width", id="input-width")

    expected = fixture("input", "width", width=10)["html"]
    html = render(bare_app, F, None, lambda f: nhsuk_field(f.example, width=10, autocomplete=""))
    assert tree(html) == tree(expected)


def test_each_component_takes_only_its_own_options(bare_app):
    """The template macro passes every option to every field; a select ignores a width and
    rows, a text input ignores rows."""

    class F(FlaskForm):
        colour = SelectField(
            "Colour", choices=[SelectChoice("r", "Red"), SelectChoice("b", "Blue")]
        )
        name = StringField("Name")

    with bare_app.test_request_context():
        form = F()
        _, _, select = params_for(form.colour, None, width=10, rows=3, label=None, type=None)
        _, _, text = params_for(form.name, None, width=10, rows=3, type=None)
    assert "width" not in select and "rows" not in select
    assert text["width"] == 10 and "rows" not in text and "type" not in text


def test_a_textarea_with_its_error_is_the_textarea_component(bare_app):
    class F(FlaskForm):
        example = TextAreaField("Can you provide more detail?", id="with-error-message")

        def validate_example(self, field):
            from wtforms.validators import ValidationError

            raise ValidationError("You must provide an explanation")

    expected = fixture("textarea", "with error message, without heading")["html"]
    html = render(bare_app, F, {"example": ""}, lambda f: nhsuk_field(f.example))
    assert tree(html) == tree(expected)


def test_a_textarea_with_a_maximum_length_counts_characters(bare_app):
    class F(FlaskForm):
        example = TextAreaField(
            "Tell us more about what happened", id="without-heading", validators=[Length(max=150)]
        )

    expected = fixture("character-count", "without heading")["html"]
    html = render(bare_app, F, None, lambda f: nhsuk_field(f.example))
    assert tree(html) == tree(expected)


def test_radios_with_an_error_and_hint_are_the_radios_component(bare_app):
    class F(FlaskForm):
        example = RadioField(
            "How do you want to be contacted about this?",
            id="with-hint-error",
            choices=[
                SelectChoice("email", "Email"),
                SelectChoice("phone", "Phone"),
                SelectChoice("text", "Text message"),
            ],
        )

    expected = next(
        f["html"]
        for f in fixtures("radios")
        if f["name"] == "with error message and hint, without heading"
        and not f["context"].get("small")
    )
    data = {"example": "fax"}  # not a choice: WTForms says so; we show the design system's text
    with bare_app.test_request_context(method="POST"):
        form = F(formdata=MultiDict(data))
        form.validate()
        form.example.errors[:] = ["Select how you want to be contacted"]
        html = str(nhsuk_field(form.example, "Select 1 option", size=None))
    assert tree(html) == tree(expected)


def test_a_file_field_with_its_hint_and_error_is_the_file_upload_component(bare_app):
    class F(FlaskForm):
        example = FileField("Upload a file", id="file-upload", name="file-upload")

    expected = fixture("file-upload", "with error message and hint, without heading")["html"]
    with bare_app.test_request_context(method="POST"):
        form = F(formdata=MultiDict({}))
        form.example.errors = ["The selected file must be a JPG, BMP or TIF"]
        hint = "Your photo may be in your Pictures, Photos, Downloads or Desktop folder"
        html = str(nhsuk_field(form.example, hint))
    assert tree(html) == tree(expected)


def test_a_file_field_through_the_forms_macro_keeps_accept_and_links_its_error():
    """``field(form.x, accept=…)`` in a template: the component, ``accept`` on the input, and
    the error's id beside the field's, so the error summary's ``#<field id>`` link lands."""
    app = Flask("widgets", template_folder=str(Path(frontend.__file__).parent / "templates"))
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
    frontend.init_app(app)

    class F(FlaskForm):
        archive = FileField("Archive (.zip)")

    with app.test_request_context(method="POST"):
        form = F(formdata=MultiDict({}))
        form.archive.errors = ["Choose a file"]
        template = app.jinja_env.from_string(
            '{% from "macros/forms.html" import field %}{{ field(form.archive, "Up to 2 MB.", '
            'accept=".zip") }}'
        )
        soup = BeautifulSoup(template.render(form=form), "html.parser")
    group = soup.select_one("div.nhsuk-file-upload")
    assert group is not None and "nhsuk-form-group--error" in group["class"]
    field = soup.select_one("input#archive")
    assert field is not None
    assert (field["type"], field["name"], field["accept"]) == ("file", "archive", ".zip")
    assert field["aria-describedby"] == "archive-hint archive-error"
    assert soup.select_one("label[for=archive]").get_text(strip=True) == "Archive (.zip)"
    assert "Choose a file" in soup.select_one("#archive-error").get_text()


def test_an_error_summary_lists_each_field_error_with_a_link(bare_app):
    class F(FlaskForm):
        first = StringField("First name", id="example-first-name")
        last = StringField("Last name", id="example-last-name")

    expected = fixture("error-summary", "with multiple errors")["html"]
    with bare_app.test_request_context():
        form = F()
        form.first.errors, form.last.errors = ["Enter your first name"], ["Enter your last name"]
        html = str(nhsuk_error_summary(form))
    assert tree(html) == tree(expected)


def test_a_form_without_errors_has_no_summary(bare_app):
    class F(FlaskForm):
        first = StringField("First name")

    with bare_app.test_request_context():
        assert str(nhsuk_error_summary(F())) == ""


# -- the three-field date ----------------------------------------------------------------------
class DateForm(FlaskForm):
    closes_on = DateInputField("Closing date")


def _date(app: Flask, data: dict[str, str]) -> DateInputField:
    with app.test_request_context(method="POST"):
        form = DateForm(formdata=MultiDict(data))
        form.validate()
        return form.closes_on


def test_a_date_is_three_fields_in_the_design_systems_markup(bare_app):
    with bare_app.test_request_context():
        html = str(
            nhsuk_field(DateForm(closes_on=date(2027, 3, 31)).closes_on, "For example, 31 3 2027")
        )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("fieldset.nhsuk-fieldset legend").get_text(strip=True) == "Closing date"
    inputs = soup.select("input.nhsuk-date-input__input")
    assert [(i["name"], i["value"], i["inputmode"]) for i in inputs] == [
        ("closes_on-day", "31", "numeric"),
        ("closes_on-month", "3", "numeric"),
        ("closes_on-year", "2027", "numeric"),
    ]
    assert not soup.select("input[type=date]"), "never a browser date picker"


@pytest.mark.parametrize(
    ("typed", "message", "wrong"),
    [
        ({}, "Enter the closing date", ("day", "month", "year")),
        (
            {"closes_on-day": "", "closes_on-month": "", "closes_on-year": ""},
            "Enter the closing date",
            ("day", "month", "year"),
        ),
        (
            {"closes_on-day": "31", "closes_on-month": "3", "closes_on-year": ""},
            "Closing date must include a year",
            ("year",),
        ),
        (
            {"closes_on-day": "", "closes_on-month": "3", "closes_on-year": ""},
            "Closing date must include a day and a year",
            ("day", "year"),
        ),
        (
            {"closes_on-day": "31", "closes_on-month": "2", "closes_on-year": "2027"},
            "Closing date must be a real date",
            ("day", "month", "year"),
        ),
        (
            {"closes_on-day": "x", "closes_on-month": "2", "closes_on-year": "2027"},
            "Closing date must be a real date",
            ("day", "month", "year"),
        ),
        ({"closes_on": "2027-13-01"}, "Closing date must be a real date", ("day", "month", "year")),
    ],
)
def test_a_wrong_date_says_what_is_wrong_and_keeps_what_was_typed(bare_app, typed, message, wrong):
    field = _date(bare_app, typed)
    assert field.errors == [message]
    assert "real date" not in message or "Enter" not in message  # never "Enter … as a real date"
    with bare_app.test_request_context():
        soup = BeautifulSoup(str(nhsuk_field(field)), "html.parser")
    for part in ("day", "month", "year"):
        box = soup.select_one(f"#closes_on-{part}")
        assert box["value"] == typed.get(f"closes_on-{part}", box["value"])
        assert ("nhsuk-input--error" in box["class"]) == (part in wrong), part
    with bare_app.test_request_context():
        summary = BeautifulSoup(str(nhsuk_error_summary([field])), "html.parser")
    assert summary.select_one("a")["href"] == f"#closes_on-{wrong[0]}"


@pytest.mark.parametrize(
    "typed",
    [
        {"closes_on-day": "31", "closes_on-month": "3", "closes_on-year": "2027"},
        {"closes_on-day": " 31 ", "closes_on-month": "03", "closes_on-year": "2027"},
        {"closes_on": "2027-03-31"},
    ],
)
def test_a_typed_date_is_read(bare_app, typed):
    field = _date(bare_app, typed)
    assert field.errors == []
    assert field.data == date(2027, 3, 31)


def test_an_optional_blank_date_is_no_error(bare_app):
    class Optional(FlaskForm):
        when = DateInputField("Review date", required=False)

    with bare_app.test_request_context(method="POST"):
        form = Optional(formdata=MultiDict({"when-day": "", "when-month": "", "when-year": ""}))
        assert form.validate()
        assert form.when.data is None


@pytest.mark.parametrize("field_class", [StringField, TextAreaField])
def test_what_was_typed_is_escaped_in_the_design_systems_templates(bare_app, field_class):
    """The macros are .jinja files, which Flask would not autoescape by itself."""

    class F(FlaskForm):
        example = field_class("Label <i>x</i>")

    attack = '"><script>alert(1)</script><b>bold</b>'
    with bare_app.test_request_context(method="POST"):
        form = F(formdata=MultiDict({"example": attack}))
        form.example.errors = ["Error <script>bad()</script>"]
        html = str(nhsuk_field(form.example, "Hint <img src=x onerror=alert(1)>"))
        summary = str(nhsuk_error_summary(form))
    for page in (html, summary):
        soup = BeautifulSoup(page, "html.parser")
        assert not soup.find_all(["script", "b", "img", "i"]), page
    assert "&lt;script&gt;" in html
