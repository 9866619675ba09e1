"""A page showing the error summary starts its title with "Error: " (issue #16), decided from
the rendered markup by one after-request hook rather than by each template."""

from __future__ import annotations

from flask import Flask, render_template_string

from selfassess import frontend

PAGE = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><main><h1>Your name</h1>{body}</main></body></html>"
)


def test_the_title_is_prefixed_once_when_the_summary_is_on_the_page() -> None:
    body = PAGE.format(title="Sign in", body='<div data-module="nhsuk-error-summary"></div>')
    titled = frontend.error_titled(body.encode())
    assert b"<title>Error: Sign in</title>" in titled
    assert frontend.error_titled(titled) == titled


def test_a_page_without_the_summary_keeps_its_title() -> None:
    body = PAGE.format(title="Sign in", body="<p>Welcome</p>").encode()
    assert frontend.error_titled(body) is body


def _app() -> Flask:
    app = Flask(__name__)
    frontend.init_app(app)
    summary = (
        '{% from "nhsuk/components/error-summary/macro.jinja" import errorSummary %}'
        '{{ errorSummary({"heading": "There is a problem",'
        ' "errorList": [{"text": "Enter a name"}]}) }}'
    )
    app.add_url_rule(
        "/broken",
        "broken",
        lambda: render_template_string(PAGE.format(title="Your name", body=summary)),
    )
    # Text a person typed that imitates the summary's markup is escaped, so it adds no prefix.
    app.add_url_rule(
        "/typed",
        "typed",
        lambda: render_template_string(
            PAGE.format(title="Your name", body="{{ typed }}"),
            typed='<div data-module="nhsuk-error-summary">',
        ),
    )
    return app


def test_the_design_systems_summary_prefixes_the_title_of_a_real_response() -> None:
    client = _app().test_client()
    assert "<title>Error: Your name</title>" in client.get("/broken").text
    assert "<title>Your name</title>" in client.get("/typed").text
